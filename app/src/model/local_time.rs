//! Dates and wall-clock times as people type them (`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, the formats of HTML
//! date inputs), read without a date library so the same checks run in the browser. Which instant a wall
//! time means depends on the project time zone; the server resolves that.

/// Year, month 1–12, day 1–31.
pub type CivilDate = (i32, u8, u8);
/// Hour 0–23, minute 0–59.
pub type TimeOfDay = (u8, u8);

/// A calendar date (the day checked against the month's length).
pub fn parse_date(s: &str) -> Option<CivilDate> {
    let s = s.trim();
    let mut parts = s.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i32, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let days = days_in_month(y, m)?;
    (y >= 1970 && (1..=days).contains(&d)).then_some((y, m, d))
}

/// How many days month `m` (1–12) of year `y` has.
pub fn days_in_month(y: i32, m: u8) -> Option<u8> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        4 | 6 | 9 | 11 => Some(30),
        2 if leap => Some(29),
        2 => Some(28),
        _ => None,
    }
}

/// A time of day `HH:MM`.
pub fn parse_time(s: &str) -> Option<TimeOfDay> {
    let (h, m) = s.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some((h, m))
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil((y, m, d): CivilDate) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> CivilDate {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (i32::try_from(y).unwrap_or(i32::MAX), m, d)
}

/// The day of the week, 0 = Monday … 6 = Sunday.
pub fn weekday(date: CivilDate) -> u8 {
    // 1970-01-01 was a Thursday (3).
    (days_from_civil(date) + 3).rem_euclid(7) as u8
}

/// `2026-11-24` for a date.
pub fn format_date((y, m, d): CivilDate) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// A date and a time of day to the minute: `2026-11-24T09:30` (seconds, if given, must be `:00`).
pub fn parse_date_time(s: &str) -> Option<(CivilDate, TimeOfDay)> {
    let (date, time) = s.trim().split_once(['T', ' '])?;
    let date = parse_date(date)?;
    let time = time
        .strip_suffix(":00")
        .filter(|t| t.len() == 5)
        .unwrap_or(time);
    Some((date, parse_time(time)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("2026-11-24"), Some((2026, 11, 24)));
        assert_eq!(parse_date("2028-02-29"), Some((2028, 2, 29)));
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("26-11-24"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn date_times() {
        assert_eq!(
            parse_date_time("2026-11-24T09:30"),
            Some(((2026, 11, 24), (9, 30)))
        );
        assert_eq!(
            parse_date_time("2026-11-24T09:30:00"),
            Some(((2026, 11, 24), (9, 30)))
        );
        assert_eq!(parse_date_time("2026-11-24T24:00"), None);
        assert_eq!(parse_date_time("2026-11-24"), None);
        assert_eq!(parse_time("09:05"), Some((9, 5)));
        assert_eq!(parse_time("9:05"), None);
        assert_eq!(parse_time("24:00"), None);
    }

    #[test]
    fn calendar_arithmetic_round_trips() {
        assert_eq!(days_from_civil((1970, 1, 1)), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(weekday((2026, 12, 1)), 1, "a Tuesday");
        assert_eq!(weekday((1970, 1, 1)), 3, "a Thursday");
        for days in -1000..100_000 {
            assert_eq!(days_from_civil(civil_from_days(days)), days);
        }
        assert_eq!(days_in_month(2028, 2), Some(29));
        assert_eq!(days_in_month(2100, 2), Some(28));
        assert_eq!(format_date((2026, 3, 7)), "2026-03-07");
    }
}
