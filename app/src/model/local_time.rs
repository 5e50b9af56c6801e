//! Dates and wall-clock times as people type them (`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, the formats of HTML
//! date inputs), read without a date library so the same checks run in the browser. Which instant a wall
//! time means depends on the project time zone; the server resolves that.

/// A calendar date: year, month 1–12, day 1–31 (checked against the month's length).
pub fn parse_date(s: &str) -> Option<(i32, u8, u8)> {
    let s = s.trim();
    let mut parts = s.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i32, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (y >= 1970 && (1..=days_in_month).contains(&d)).then_some((y, m, d))
}

/// A date and a time of day to the minute: `2026-11-24T09:30` (seconds, if given, must be `:00`).
#[allow(clippy::type_complexity)] // ((year, month, day), (hour, minute)): plain enough as it is.
pub fn parse_date_time(s: &str) -> Option<((i32, u8, u8), (u8, u8))> {
    let (date, time) = s.trim().split_once(['T', ' '])?;
    let date = parse_date(date)?;
    let time = time
        .strip_suffix(":00")
        .filter(|t| t.len() == 5)
        .unwrap_or(time);
    let (h, m) = time.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some((date, (h, m)))
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
    }
}
