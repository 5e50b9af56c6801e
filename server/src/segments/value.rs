//! A property value as segments compare it. Only its text matters: the number it holds (a JSON number,
//! or a string such as `"12.5"`) and the date it holds (`$D_<epoch seconds>`, `2026-11-28`,
//! `2026-11-28T10:00:00Z`) are read from that text once, when the value is first seen.

use std::sync::Arc;

use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Scalar {
    pub text: Arc<str>,
    pub number: Option<f64>,
    pub date: Option<DateValue>,
}

/// A date without a time zone is a calendar day; one with a zone (or `$D_`) is an instant, whose day
/// depends on the project time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    /// Days since 1970-01-01.
    Day(i64),
    /// Unix seconds.
    Instant(i64),
}

/// The text a JSON value compares by; `None` for null (a missing property).
pub fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

impl Scalar {
    pub fn new(text: Arc<str>) -> Self {
        let number = text.trim().parse::<f64>().ok().filter(|n| n.is_finite());
        let date = parse_date_value(&text);
        Self { text, number, date }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn parse_date_value(text: &str) -> Option<DateValue> {
    let text = text.trim();
    if let Some(seconds) = text.strip_prefix("$D_") {
        return seconds.parse::<i64>().ok().map(DateValue::Instant);
    }
    if text.len() < 10 || !text.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    if text.len() == 10 {
        let date = text.parse::<jiff::civil::Date>().ok()?;
        return Some(DateValue::Day(days_from_civil(
            i64::from(date.year()),
            i64::from(date.month()),
            i64::from(date.day()),
        )));
    }
    if let Ok(at) = text.parse::<jiff::Timestamp>() {
        return Some(DateValue::Instant(at.as_second()));
    }
    // A date and time without a zone: a wall time, so its calendar day.
    let at = text.parse::<jiff::civil::DateTime>().ok()?;
    Some(DateValue::Day(days_from_civil(
        i64::from(at.year()),
        i64::from(at.month()),
        i64::from(at.day()),
    )))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn scalar(text: &str) -> Scalar {
        Scalar::new(Arc::from(text))
    }

    #[test]
    fn numbers_are_read_from_the_text() {
        assert_eq!(scalar(" 12.5").number, Some(12.5));
        assert_eq!(scalar("12 apples").number, None);
        assert_eq!(text_of(&json!(10)), Some("10".to_owned()));
        assert_eq!(text_of(&json!(true)), Some("true".to_owned()));
        assert_eq!(text_of(&Value::Null), None);
    }

    #[test]
    fn dates_in_every_accepted_form() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(
            days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28),
            2
        );
        assert_eq!(
            scalar("$D_1764288000").date,
            Some(DateValue::Instant(1_764_288_000))
        );
        assert_eq!(
            scalar("2026-11-28").date,
            Some(DateValue::Day(days_from_civil(2026, 11, 28)))
        );
        assert_eq!(
            scalar("2026-11-28T10:00:00Z").date,
            Some(DateValue::Instant(1_795_860_000))
        );
        assert_eq!(
            scalar("2026-11-28T23:30:00").date,
            Some(DateValue::Day(days_from_civil(2026, 11, 28)))
        );
        assert_eq!(scalar("2026-02-30").date, None);
        assert_eq!(scalar("20261128").date, None);
    }
}
