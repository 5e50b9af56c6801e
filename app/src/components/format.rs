//! Numbers and optional times as the dashboard shows them.

use crate::model::time_fmt::ZoneClock;

/// `1234567` → `1,234,567`.
pub fn format_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 user` / `2 users`: a count with its noun, pluralised with an `s`.
pub fn count_of(n: u64, noun: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {noun}{s}", format_count(n))
}

/// A unix-ms time in the project time zone, named, or a dash when there is none.
pub fn format_time_or_dash(clock: &ZoneClock, unix_ms: Option<i64>) -> String {
    unix_ms.map_or_else(|| "\u{2014}".to_owned(), |at| clock.format_minutes(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1_000), "1,000");
        assert_eq!(format_count(1_234_567), "1,234,567");
    }

    #[test]
    fn counts_with_nouns_and_dashes() {
        assert_eq!(count_of(1, "user"), "1 user");
        assert_eq!(count_of(1_200, "user"), "1,200 users");
        let utc = ZoneClock::default();
        assert_eq!(format_time_or_dash(&utc, None), "\u{2014}");
        assert_eq!(format_time_or_dash(&utc, Some(0)), "1970-01-01 00:00 UTC");
    }
}
