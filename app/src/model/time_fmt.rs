//! Formatting unix-millisecond timestamps for display, without a date library in the WASM bundle.

/// `2026-11-23 09:57 UTC` for a unix time in milliseconds.
pub fn format_utc_minutes(unix_ms: i64) -> String {
    let secs = unix_ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let of_day = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        of_day / 3600,
        of_day % 3600 / 60
    )
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_utc_minutes(0), "1970-01-01 00:00 UTC");
        assert_eq!(
            format_utc_minutes(1_795_427_820_000),
            "2026-11-23 09:57 UTC"
        );
        assert_eq!(format_utc_minutes(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(format_utc_minutes(-1), "1969-12-31 23:59 UTC");
    }
}
