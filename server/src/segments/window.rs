//! A segment's time window as unix-millisecond bounds. Dates are whole days in the project time zone.

use app::model::segment::TimeWindow;
use jiff::tz::TimeZone;

use crate::time::local_time::start_of_day;

const DAY_MS: i64 = 86_400_000;

/// `[from, to)` in unix ms; `None` is unbounded. A date that cannot be read leaves its side unbounded
/// (validation refuses such drafts before they get here).
pub fn bounds(window: &TimeWindow, now_ms: i64, zone: &TimeZone) -> (Option<i64>, Option<i64>) {
    match window {
        TimeWindow::Ever => (None, None),
        TimeWindow::LastDays { days } => (Some(now_ms - i64::from(*days) * DAY_MS), None),
        TimeWindow::Between { from, to } => (
            start_of_day(from, 0, zone),
            // The end date is inclusive: up to the start of the next day.
            start_of_day(to, 1, zone),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_days_counts_back_from_now() {
        let (from, to) = bounds(
            &TimeWindow::LastDays { days: 2 },
            10 * DAY_MS,
            &TimeZone::UTC,
        );
        assert_eq!((from, to), (Some(8 * DAY_MS), None));
    }

    #[test]
    fn between_covers_whole_days_in_the_project_zone() {
        let window = TimeWindow::Between {
            from: "2026-11-01".into(),
            to: "2026-11-02".into(),
        };
        // 2026-11-01T00:00Z = 1_793_491_200_000.
        let utc = bounds(&window, 0, &TimeZone::UTC);
        assert_eq!(
            utc,
            (
                Some(1_793_491_200_000),
                Some(1_793_491_200_000 + 2 * DAY_MS)
            )
        );
        // Paris is UTC+1 in November: the days start an hour earlier.
        let paris = bounds(&window, 0, &TimeZone::get("Europe/Paris").unwrap());
        assert_eq!(paris.0, Some(1_793_491_200_000 - 3_600_000));
    }

    #[test]
    fn ever_is_unbounded() {
        assert_eq!(bounds(&TimeWindow::Ever, 5, &TimeZone::UTC), (None, None));
    }
}
