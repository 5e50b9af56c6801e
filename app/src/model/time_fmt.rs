//! Formatting unix-millisecond timestamps for display, without a date library in the WASM bundle:
//! in UTC, or in the project time zone from the offsets the server sends (`ZoneClock`).

use serde::{Deserialize, Serialize};

use super::local_time::{CivilDate, TimeOfDay, civil_from_days};

/// The project time zone as the dashboard shows times in it: its IANA name and its UTC offsets over
/// the years around now (daylight saving included), worked out by the server's time-zone database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneClock {
    /// `Europe/Paris`; empty is UTC.
    pub name: String,
    /// `(from unix ms, offset in seconds)` in increasing order; the first also applies before its
    /// time, the last after it.
    pub offsets: Vec<(i64, i32)>,
}

impl ZoneClock {
    /// The zone's offset from UTC at `unix_ms`, in seconds.
    pub fn offset_at(&self, unix_ms: i64) -> i32 {
        let after = self.offsets.partition_point(|(from, _)| *from <= unix_ms);
        let index = after.saturating_sub(1);
        self.offsets.get(index).map_or(0, |(_, offset)| *offset)
    }

    /// The wall-clock date and time (to the minute) at `unix_ms`.
    pub fn local(&self, unix_ms: i64) -> (CivilDate, TimeOfDay) {
        let secs = unix_ms.div_euclid(1000) + i64::from(self.offset_at(unix_ms));
        let of_day = secs.rem_euclid(86_400);
        (
            civil_from_days(secs.div_euclid(86_400)),
            ((of_day / 3600) as u8, (of_day % 3600 / 60) as u8),
        )
    }

    pub fn name(&self) -> &str {
        if self.name.is_empty() {
            "UTC"
        } else {
            &self.name
        }
    }

    /// `2026-11-23 10:57 Europe/Paris`.
    pub fn format_minutes(&self, unix_ms: i64) -> String {
        let ((y, m, d), (h, min)) = self.local(unix_ms);
        format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02} {}", self.name())
    }
}

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

    #[test]
    fn formats_in_the_zone_with_its_daylight_saving() {
        // Paris: +1 h, +2 h from 2026-03-29T01:00Z, +1 h again from 2026-10-25T01:00Z.
        let paris = ZoneClock {
            name: "Europe/Paris".into(),
            offsets: vec![
                (1_761_440_400_000, 3600),
                (1_774_746_000_000, 7200),
                (1_792_890_000_000, 3600),
            ],
        };
        assert_eq!(
            paris.format_minutes(1_795_427_820_000),
            "2026-11-23 10:57 Europe/Paris"
        );
        assert_eq!(
            paris.format_minutes(1_774_746_000_000 - 60_000),
            "2026-03-29 01:59 Europe/Paris"
        );
        assert_eq!(
            paris.format_minutes(1_774_746_000_000),
            "2026-03-29 03:00 Europe/Paris"
        );
        assert_eq!(paris.offset_at(0), 3600, "before the first offset");
        assert_eq!(
            ZoneClock::default().format_minutes(0),
            "1970-01-01 00:00 UTC"
        );
    }
}
