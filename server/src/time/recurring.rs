//! When a recurring campaign's runs fall, as instants: the model finds the days (the recurring-day
//! rule); here each run's wall-clock time is resolved in the project time zone. A time skipped by a
//! daylight-saving change runs just after the gap (02:30 on the day clocks jump from 02:00 to 03:00
//! runs at 03:30); a time that happens twice runs once, at its first occurrence.

use app::model::local_time::{CivilDate, TimeOfDay};
use app::model::recurrence::{LocalRun, Recurrence};
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// Unix ms of the first run strictly after `after_ms`, or `None` when the schedule has ended.
pub fn next_run(recurrence: &Recurrence, after_ms: i64, zone: &TimeZone) -> Option<i64> {
    let mut from = local(after_ms, zone)?;
    // A run can resolve to an instant not after `after_ms` only around a daylight-saving change (a
    // repeated hour): the next few candidates always hold the answer.
    for _ in 0..4 {
        for run in recurrence.runs_after(from, 3) {
            let at = instant(run, zone)?;
            if at > after_ms {
                return Some(at);
            }
            from = run;
        }
    }
    None
}

/// The wall-clock date and time (to the minute) at `unix_ms` in `zone`.
pub fn local(unix_ms: i64, zone: &TimeZone) -> Option<LocalRun> {
    let at = Timestamp::from_millisecond(unix_ms)
        .ok()?
        .to_zoned(zone.clone());
    let date: CivilDate = (
        i32::from(at.year()),
        u8::try_from(at.month()).ok()?,
        u8::try_from(at.day()).ok()?,
    );
    let time: TimeOfDay = (
        u8::try_from(at.hour()).ok()?,
        u8::try_from(at.minute()).ok()?,
    );
    Some((date, time))
}

/// Unix ms of a wall-clock date and time in `zone`.
pub fn instant(((y, m, d), (h, min)): LocalRun, zone: &TimeZone) -> Option<i64> {
    let at = DateTime::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
        i8::try_from(h).ok()?,
        i8::try_from(min).ok()?,
        0,
        0,
    )
    .ok()?;
    Some(at.to_zoned(zone.clone()).ok()?.timestamp().as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::recurrence::Every;

    fn daily(at: &str, start: &str) -> Recurrence {
        Recurrence {
            every: Every::Day,
            at: at.into(),
            start: start.into(),
            ..Default::default()
        }
    }

    fn paris() -> TimeZone {
        TimeZone::get("Europe/Paris").unwrap()
    }

    fn at(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn runs_keep_their_wall_clock_time_across_daylight_saving() {
        let r = daily("09:00", "2027-03-27");
        // 09:00 in Paris is 08:00Z in winter and 07:00Z in summer (from 2027-03-28).
        let first = next_run(&r, at("2027-03-01T00:00:00Z"), &paris()).unwrap();
        assert_eq!(first, at("2027-03-27T08:00:00Z"));
        let second = next_run(&r, first, &paris()).unwrap();
        assert_eq!(second, at("2027-03-28T07:00:00Z"));
        assert_eq!(
            second - first,
            23 * 3_600_000,
            "the day of the change is 23 h long"
        );
    }

    #[test]
    fn a_skipped_time_runs_after_the_gap_and_a_repeated_one_once() {
        // 2027-03-28 02:30 does not exist in Paris: it runs at 03:30 (01:30Z).
        let skipped = daily("02:30", "2027-03-28");
        assert_eq!(
            next_run(&skipped, at("2027-03-27T12:00:00Z"), &paris()),
            Some(at("2027-03-28T01:30:00Z"))
        );
        // 2027-10-31 02:30 happens twice: it runs at the first (00:30Z), then the next day.
        let repeated = daily("02:30", "2027-10-31");
        let first = next_run(&repeated, at("2027-10-30T12:00:00Z"), &paris()).unwrap();
        assert_eq!(first, at("2027-10-31T00:30:00Z"));
        assert_eq!(
            next_run(&repeated, first, &paris()),
            Some(at("2027-11-01T01:30:00Z"))
        );
    }

    #[test]
    fn a_schedule_that_ended_has_no_next_run() {
        let mut r = daily("09:00", "2026-01-01");
        r.end = Some("2026-01-02".into());
        let last = at("2026-01-02T09:00:00Z");
        assert_eq!(next_run(&r, last - 1, &TimeZone::UTC), Some(last));
        assert_eq!(next_run(&r, last, &TimeZone::UTC), None);
    }
}
