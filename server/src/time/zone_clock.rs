//! The project time zone's offsets, for the dashboard to show times in it without a time-zone
//! database in the browser.

use app::model::time_fmt::ZoneClock;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Twenty years either side of now: every time the dashboard shows falls within.
const SPAN_MS: i64 = 20 * 366 * 86_400_000;

/// `name`'s offsets from 20 years before `now_ms` to 20 years after.
pub fn zone_clock(name: &str, zone: &TimeZone, now_ms: i64) -> ZoneClock {
    let offset_secs = |ts: Timestamp| zone.to_offset(ts).seconds();
    let from = Timestamp::from_millisecond(now_ms - SPAN_MS).unwrap_or(Timestamp::UNIX_EPOCH);
    let mut offsets = vec![(from.as_millisecond(), offset_secs(from))];
    for transition in zone.following(from) {
        let at = transition.timestamp().as_millisecond();
        if at > now_ms + SPAN_MS {
            break;
        }
        offsets.push((at, transition.offset().seconds()));
    }
    ZoneClock {
        name: name.to_owned(),
        offsets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_times_as_the_zone_does() {
        let paris = TimeZone::get("Europe/Paris").unwrap();
        let now = 1_795_427_820_000; // 2026-11-23T09:57Z
        let clock = zone_clock("Europe/Paris", &paris, now);
        assert_eq!(clock.format_minutes(now), "2026-11-23 10:57 Europe/Paris");
        let summer = 1_783_000_000_000; // 2026-07-02
        assert_eq!(clock.offset_at(summer), 7200);
        assert!(
            (79..=82).contains(&clock.offsets.len()),
            "two changes a year for 40 years: {}",
            clock.offsets.len()
        );
        let utc = zone_clock("UTC", &TimeZone::UTC, now);
        assert_eq!(utc.offsets, vec![(now - SPAN_MS, 0)]);
        assert_eq!(utc.format_minutes(now), "2026-11-23 09:57 UTC");
    }
}
