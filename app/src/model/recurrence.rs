//! Recurring schedules (*Specific time* → Recurring): every day, every week on chosen days, or every
//! month on a day, at a wall-clock time in the project time zone, from a start date to an optional end.
//!
//! The days are found here, in plain calendar arithmetic, so the wizard shows the next runs as a
//! person types; which instant a run's wall-clock time means (daylight saving) the server resolves.
//!
//! The recurring-day rule (seed 003): the first run is the first matching day on or after `start`,
//! never the day the campaign was made; a `day_of_month` a month lacks (the 31st in April) runs on that
//! month's last day.

use serde::{Deserialize, Serialize};

use super::FieldErrors;
use super::local_time::{
    CivilDate, TimeOfDay, civil_from_days, days_from_civil, days_in_month, format_date, parse_date,
    parse_time, weekday,
};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Every {
    #[default]
    Day,
    Week,
    Month,
}

impl Every {
    pub const ALL: [Every; 3] = [Self::Day, Self::Week, Self::Month];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Day => "Every day",
            Self::Week => "Every week",
            Self::Month => "Every month",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    /// Monday first, as `local_time::weekday` numbers them.
    pub const ALL: [Weekday; 7] = [
        Self::Mon,
        Self::Tue,
        Self::Wed,
        Self::Thu,
        Self::Fri,
        Self::Sat,
        Self::Sun,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mon => "mon",
            Self::Tue => "tue",
            Self::Wed => "wed",
            Self::Thu => "thu",
            Self::Fri => "fri",
            Self::Sat => "sat",
            Self::Sun => "sun",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Mon => "Monday",
            Self::Tue => "Tuesday",
            Self::Wed => "Wednesday",
            Self::Thu => "Thursday",
            Self::Fri => "Friday",
            Self::Sat => "Saturday",
            Self::Sun => "Sunday",
        }
    }

    pub fn of(date: CivilDate) -> Self {
        Self::ALL[usize::from(weekday(date))]
    }
}

/// A recurring schedule as the API and the draft carry it (`when {"type":"recurring", …}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recurrence {
    pub every: Every,
    /// `HH:MM` in the project time zone.
    pub at: String,
    /// With `every: week`: the days it runs on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days_of_week: Vec<Weekday>,
    /// With `every: month`: the day it runs on (1–31; the month's last day when it has fewer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_of_month: Option<u8>,
    /// `YYYY-MM-DD`: the first run is on this day or the first matching day after it.
    pub start: String,
    /// `YYYY-MM-DD`: the last day a run may fall on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// A run's wall-clock date and time in the project time zone.
pub type LocalRun = (CivilDate, TimeOfDay);

/// How far ahead a run is looked for: a valid schedule always has one within a month and a week.
const SEARCH_DAYS: i64 = 40;

impl Recurrence {
    /// Checks the schedule (`prefix` names its fields: `when`).
    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        if parse_time(&self.at).is_none() {
            errors.add(
                format!("{prefix}.at"),
                "Enter the time of day to send at (HH:MM).",
            );
        }
        let start = parse_date(&self.start);
        if start.is_none() {
            errors.add(
                format!("{prefix}.start"),
                "Enter the first day it may run (YYYY-MM-DD).",
            );
        }
        if let Some(end) = &self.end {
            match (parse_date(end), start) {
                (None, _) => errors.add(
                    format!("{prefix}.end"),
                    "Enter the last day it may run (YYYY-MM-DD), or none.",
                ),
                (Some(end), Some(start)) if end < start => errors.add(
                    format!("{prefix}.end"),
                    "The end must be on or after the start.",
                ),
                _ => {}
            }
        }
        match self.every {
            Every::Week if self.days_of_week.is_empty() => errors.add(
                format!("{prefix}.days_of_week"),
                "Choose at least one day of the week.",
            ),
            Every::Month if !(1..=31).contains(&self.day_of_month.unwrap_or(0)) => errors.add(
                format!("{prefix}.day_of_month"),
                "Enter the day of the month, from 1 to 31.",
            ),
            _ => {}
        }
        if self.every != Every::Week && !self.days_of_week.is_empty() {
            errors.add(
                format!("{prefix}.days_of_week"),
                "Days of the week are for weekly schedules only.",
            );
        }
        if self.every != Every::Month && self.day_of_month.is_some() {
            errors.add(
                format!("{prefix}.day_of_month"),
                "A day of the month is for monthly schedules only.",
            );
        }
        let days_valid = match self.every {
            Every::Day => self.days_of_week.is_empty() && self.day_of_month.is_none(),
            Every::Week => self.day_of_month.is_none() && !self.days_of_week.is_empty(),
            Every::Month => {
                self.days_of_week.is_empty() && (1..=31).contains(&self.day_of_month.unwrap_or(0))
            }
        };
        if days_valid
            && let (Some(start), Some(end)) = (start, self.end.as_deref().and_then(parse_date))
            && end >= start
            && self.first_day_on_or_after(start, end).is_none()
        {
            errors.add(
                format!("{prefix}.end"),
                "No run falls between the start and the end; choose a later end.",
            );
        }
    }

    /// Whether a run falls on `date` (the start and end aside).
    pub fn runs_on(&self, date: CivilDate) -> bool {
        match self.every {
            Every::Day => true,
            Every::Week => self.days_of_week.contains(&Weekday::of(date)),
            Every::Month => {
                let (y, m, d) = date;
                let wanted = self.day_of_month.unwrap_or(1);
                let last = days_in_month(y, m).unwrap_or(31);
                d == wanted.min(last)
            }
        }
    }

    /// The first day on or after `from` (and not before the start) that a run falls on, if it is not
    /// after the end (or `limit`).
    fn first_day_on_or_after(&self, from: CivilDate, limit: CivilDate) -> Option<CivilDate> {
        let start = parse_date(&self.start)?;
        let end = match self.end.as_deref().map(parse_date) {
            Some(end) => end?.min(limit),
            None => limit,
        };
        let first = days_from_civil(from.max(start));
        (first..first + SEARCH_DAYS)
            .map(civil_from_days)
            .take_while(|date| *date <= end)
            .find(|date| self.runs_on(*date))
    }

    /// The next `n` runs strictly after the wall-clock time `after` (in the project time zone).
    pub fn runs_after(&self, after: LocalRun, n: usize) -> Vec<LocalRun> {
        let Some(at) = parse_time(&self.at) else {
            return Vec::new();
        };
        let (after_date, after_time) = after;
        // Today's run only if its time is still to come.
        let mut from = if at > after_time {
            after_date
        } else {
            civil_from_days(days_from_civil(after_date) + 1)
        };
        let mut runs = Vec::with_capacity(n);
        while runs.len() < n {
            let Some(day) = self.first_day_on_or_after(from, (9999, 12, 31)) else {
                break;
            };
            runs.push((day, at));
            from = civil_from_days(days_from_civil(day) + 1);
        }
        runs
    }

    /// In words: "Every week on Monday and Friday at 09:00, from 2026-12-07 until 2027-01-31".
    pub fn describe(&self) -> String {
        let mut out = match self.every {
            Every::Day => "Every day".to_owned(),
            Every::Week => {
                let days: Vec<&str> = self.days_of_week.iter().map(|d| d.label()).collect();
                format!("Every week on {}", join_words(&days))
            }
            Every::Month => format!(
                "Every month on the {} (the last day in shorter months)",
                ordinal(self.day_of_month.unwrap_or(1))
            ),
        };
        out.push_str(&format!(
            " at {}, from {}",
            self.at.trim(),
            self.start.trim()
        ));
        if let Some(end) = &self.end {
            out.push_str(&format!(" until {}", end.trim()));
        }
        out
    }
}

/// `2026-12-07 09:00` for a run.
pub fn format_run(run: &LocalRun) -> String {
    let (date, (h, m)) = *run;
    format!("{} {h:02}:{m:02}", format_date(date))
}

fn ordinal(n: u8) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn join_words(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monthly(day: u8, start: &str) -> Recurrence {
        Recurrence {
            every: Every::Month,
            at: "09:00".into(),
            day_of_month: Some(day),
            start: start.into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_first_run_is_on_or_after_the_start_never_before() {
        // Made on 2026-12-01, to run on the 7th from 2026-12-10: the first run is 2027-01-07.
        let r = monthly(7, "2026-12-10");
        assert_eq!(
            r.runs_after(((2026, 12, 1), (8, 0)), 2),
            vec![((2027, 1, 7), (9, 0)), ((2027, 2, 7), (9, 0))]
        );
        // A start on the day itself runs that day.
        let r = monthly(7, "2026-12-07");
        assert_eq!(
            r.runs_after(((2026, 12, 1), (8, 0)), 1),
            vec![((2026, 12, 7), (9, 0))]
        );
    }

    #[test]
    fn a_day_the_month_lacks_runs_on_its_last_day() {
        let r = monthly(31, "2027-01-01");
        let days: Vec<CivilDate> = r
            .runs_after(((2026, 12, 31), (23, 0)), 5)
            .into_iter()
            .map(|(d, _)| d)
            .collect();
        assert_eq!(
            days,
            vec![
                (2027, 1, 31),
                (2027, 2, 28),
                (2027, 3, 31),
                (2027, 4, 30),
                (2027, 5, 31)
            ]
        );
        let leap = monthly(30, "2028-02-01");
        assert_eq!(
            leap.runs_after(((2028, 1, 1), (0, 0)), 1)[0].0,
            (2028, 2, 29)
        );
    }

    #[test]
    fn today_runs_only_if_its_time_is_to_come() {
        let r = Recurrence {
            at: "09:00".into(),
            start: "2026-12-01".into(),
            ..Default::default()
        };
        assert_eq!(
            r.runs_after(((2026, 12, 1), (8, 59)), 1)[0].0,
            (2026, 12, 1)
        );
        assert_eq!(r.runs_after(((2026, 12, 1), (9, 0)), 1)[0].0, (2026, 12, 2));
    }

    #[test]
    fn weekly_runs_on_its_days_until_the_end() {
        let r = Recurrence {
            every: Every::Week,
            at: "18:30".into(),
            days_of_week: vec![Weekday::Mon, Weekday::Fri],
            start: "2026-12-01".into(),
            end: Some("2026-12-11".into()),
            ..Default::default()
        };
        let days: Vec<CivilDate> = r
            .runs_after(((2026, 11, 1), (0, 0)), 10)
            .into_iter()
            .map(|(d, _)| d)
            .collect();
        assert_eq!(days, vec![(2026, 12, 4), (2026, 12, 7), (2026, 12, 11)]);
        assert_eq!(
            r.describe(),
            "Every week on Monday and Friday at 18:30, from 2026-12-01 until 2026-12-11"
        );
    }

    #[test]
    fn bad_schedules_are_refused_at_their_fields() {
        let check = |r: &Recurrence| {
            let mut errors = FieldErrors::default();
            r.check("when", &mut errors);
            errors
        };
        let bad = Recurrence {
            every: Every::Week,
            at: "25:00".into(),
            start: "2026-02-30".into(),
            end: Some("soon".into()),
            ..Default::default()
        };
        let errors = check(&bad);
        for field in ["when.at", "when.start", "when.end", "when.days_of_week"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        assert!(
            check(&monthly(0, "2026-12-01"))
                .get("when.day_of_month")
                .is_some()
        );
        assert!(
            check(&monthly(32, "2026-12-01"))
                .get("when.day_of_month")
                .is_some()
        );
        let mut no_run = monthly(15, "2026-12-16");
        no_run.end = Some("2027-01-14".into());
        assert!(check(&no_run).get("when.end").is_some());
        let mut backwards = monthly(15, "2026-12-16");
        backwards.end = Some("2026-12-01".into());
        assert!(check(&backwards).get("when.end").is_some());
        assert!(check(&monthly(31, "2026-12-01")).is_empty());
    }

    /// The rule written the plainest way: walk every day from the start, keep those on the schedule.
    fn reference_runs(r: &Recurrence, after: LocalRun, n: usize) -> Vec<LocalRun> {
        let at = parse_time(&r.at).unwrap();
        let start = parse_date(&r.start).unwrap();
        let end = r.end.as_deref().map(|e| parse_date(e).unwrap());
        let mut out = Vec::new();
        let mut day = days_from_civil(start);
        while out.len() < n && day < days_from_civil(start) + 3000 {
            let date = civil_from_days(day);
            day += 1;
            if end.is_some_and(|end| date > end) {
                break;
            }
            let on = match r.every {
                Every::Day => true,
                Every::Week => r.days_of_week.iter().any(|w| {
                    Weekday::ALL.iter().position(|x| x == w) == Some(weekday(date) as usize)
                }),
                Every::Month => {
                    let (y, m, d) = date;
                    let last = days_in_month(y, m).unwrap();
                    let wanted = r.day_of_month.unwrap();
                    d == wanted || (wanted > last && d == last)
                }
            };
            if on && (date, at) > after {
                out.push((date, at));
            }
        }
        out
    }

    #[test]
    fn agrees_with_the_reference_on_random_schedules() {
        // A small deterministic generator (xorshift) keeps the test reproducible.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |bound: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % bound
        };
        for _ in 0..2000 {
            let every = Every::ALL[next(3) as usize];
            let start = civil_from_days(days_from_civil((2026, 1, 1)) + next(800) as i64);
            let end =
                (next(2) == 0).then(|| civil_from_days(days_from_civil(start) + next(400) as i64));
            let r = Recurrence {
                every,
                at: format!("{:02}:{:02}", next(24), next(60)),
                days_of_week: if every == Every::Week {
                    let mut days: Vec<Weekday> =
                        Weekday::ALL.into_iter().filter(|_| next(3) == 0).collect();
                    if days.is_empty() {
                        days.push(Weekday::ALL[next(7) as usize]);
                    }
                    days
                } else {
                    Vec::new()
                },
                day_of_month: (every == Every::Month).then(|| 1 + next(31) as u8),
                start: format_date(start),
                end: end.map(format_date),
            };
            let after = (
                civil_from_days(days_from_civil((2026, 1, 1)) + next(1000) as i64),
                (next(24) as u8, next(60) as u8),
            );
            assert_eq!(
                r.runs_after(after, 5),
                reference_runs(&r, after, 5),
                "{r:?} after {after:?}"
            );
        }
    }
}
