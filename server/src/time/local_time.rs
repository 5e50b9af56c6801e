//! Wall-clock dates and times typed in the dashboard, resolved to instants in the project time zone.

use app::model::local_time::{CivilDate, parse_date, parse_date_time};
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// Unix ms of the start of `date` (`YYYY-MM-DD`) plus `plus_days` days.
pub fn start_of_day(date: &str, plus_days: i64, zone: &TimeZone) -> Option<i64> {
    let date = civil_date(parse_date(date)?)?
        .checked_add(jiff::Span::new().days(plus_days))
        .ok()?;
    Some(
        date.to_zoned(zone.clone())
            .ok()?
            .timestamp()
            .as_millisecond(),
    )
}

/// Unix ms of `YYYY-MM-DDTHH:MM`. A time skipped by a daylight-saving change resolves to the instant
/// just after the gap; a repeated one to its first occurrence.
pub fn resolve(date_time: &str, zone: &TimeZone) -> Option<i64> {
    let (date, (hour, minute)) = parse_date_time(date_time)?;
    let date = civil_date(date)?;
    let at = DateTime::new(
        date.year(),
        date.month(),
        date.day(),
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        0,
        0,
    )
    .ok()?;
    Some(at.to_zoned(zone.clone()).ok()?.timestamp().as_millisecond())
}

fn civil_date((y, m, d): CivilDate) -> Option<Date> {
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_in_the_zone() {
        // 2026-11-24T09:00Z = 1_795_510_800_000.
        assert_eq!(
            resolve("2026-11-24T09:00", &TimeZone::UTC),
            Some(1_795_510_800_000)
        );
        let paris = TimeZone::get("Europe/Paris").unwrap();
        assert_eq!(resolve("2026-11-24T10:00", &paris), Some(1_795_510_800_000));
        assert_eq!(resolve("nonsense", &paris), None);
    }

    #[test]
    fn days_start_at_local_midnight() {
        let paris = TimeZone::get("Europe/Paris").unwrap();
        assert_eq!(
            start_of_day("2026-11-25", -1, &paris),
            Some(1_795_510_800_000 - 10 * 3_600_000)
        );
    }
}
