//! A campaign's activity in buckets sized for its length (minutes, hours or days in the project time
//! zone), and the percentiles of its attempts' latencies.

use app::model::charts::{ActivityBucketOut, BucketSize, LatencyOut};
use app::model::time_fmt::ZoneClock;

use crate::store::activity::MinuteRow;

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;
/// The longest span drawn by the minute, and by the hour.
const MINUTES_AT_MOST: i64 = 180;
const HOURS_AT_MOST: i64 = 24 * 14;

/// Minutes for up to three hours of activity, hours for up to two weeks, days beyond.
pub fn bucket_size(first_minute: i64, last_minute: i64) -> BucketSize {
    let span = last_minute - first_minute + 1;
    if span <= MINUTES_AT_MOST {
        BucketSize::Minute
    } else if span <= HOURS_AT_MOST * 60 {
        BucketSize::Hour
    } else {
        BucketSize::Day
    }
}

/// The start (unix ms) of the local minute, hour or day holding `unix_ms`.
fn start_of(size: BucketSize, clock: &ZoneClock, unix_ms: i64) -> i64 {
    let unit = match size {
        BucketSize::Minute => MINUTE_MS,
        BucketSize::Hour => HOUR_MS,
        BucketSize::Day => DAY_MS,
    };
    let offset = i64::from(clock.offset_at(unix_ms)) * 1000;
    (unix_ms + offset).div_euclid(unit) * unit - offset
}

fn unit_ms(size: BucketSize) -> i64 {
    match size {
        BucketSize::Minute => MINUTE_MS,
        BucketSize::Hour => HOUR_MS,
        BucketSize::Day => DAY_MS,
    }
}

/// `rows` (minutes with activity, oldest first) from minute `first` to `last` in buckets, every
/// bucket between them included.
pub fn buckets(
    rows: &[MinuteRow],
    first: i64,
    last: i64,
    clock: &ZoneClock,
) -> (BucketSize, Vec<ActivityBucketOut>) {
    let size = bucket_size(first, last);
    let unit = unit_ms(size);
    let end = start_of(size, clock, last * MINUTE_MS);
    let mut out: Vec<ActivityBucketOut> = Vec::new();
    let mut start = start_of(size, clock, first * MINUTE_MS);
    while start <= end {
        out.push(ActivityBucketOut {
            start,
            label: label(size, clock, start),
            sent: 0,
            delivered: 0,
            failed: 0,
        });
        // Half a unit further, then back to its start: a local day of 23 or 25 hours still steps once.
        start = start_of(size, clock, start + unit + unit / 2);
    }
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    for row in rows {
        let at = start_of(size, clock, row.minute * MINUTE_MS);
        let index = out.partition_point(|b| b.start < at);
        if let Some(bucket) = out.get_mut(index).filter(|b| b.start == at) {
            bucket.sent += count(row.sent);
            bucket.delivered += count(row.delivered);
            bucket.failed += count(row.failed);
        }
    }
    (size, out)
}

fn label(size: BucketSize, clock: &ZoneClock, start: i64) -> String {
    let ((y, m, d), (h, min)) = clock.local(start);
    match size {
        BucketSize::Day => format!("{y:04}-{m:02}-{d:02}"),
        BucketSize::Minute | BucketSize::Hour => format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}"),
    }
}

/// Nearest-rank percentiles of attempts grouped by latency (`(ms, attempts)`, fastest first).
pub fn latency(groups: &[(i64, i64)]) -> Option<LatencyOut> {
    let total: i64 = groups.iter().map(|(_, n)| *n).sum();
    if total <= 0 {
        return None;
    }
    let at = |percent: i64| {
        let rank = (total * percent + 99) / 100;
        let mut seen = 0;
        for (ms, n) in groups {
            seen += n;
            if seen >= rank {
                return u64::try_from(*ms).unwrap_or(0);
            }
        }
        0
    };
    Some(LatencyOut {
        attempts: u64::try_from(total).unwrap_or(0),
        p50_ms: at(50),
        p90_ms: at(90),
        p99_ms: at(99),
        max_ms: groups
            .last()
            .map_or(0, |(ms, _)| u64::try_from(*ms).unwrap_or(0)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(minute: i64, sent: i64, delivered: i64, failed: i64) -> MinuteRow {
        MinuteRow {
            minute,
            sent,
            delivered,
            failed,
        }
    }

    #[test]
    fn short_campaigns_go_by_the_minute_without_gaps() {
        let base = 29_000_000; // a unix minute
        let rows = [row(base, 10, 9, 0), row(base + 2, 0, 0, 1)];
        let (size, buckets) = buckets(&rows, base, base + 2, &ZoneClock::default());
        assert_eq!(size, BucketSize::Minute);
        let counts: Vec<(u64, u64, u64)> = buckets
            .iter()
            .map(|b| (b.sent, b.delivered, b.failed))
            .collect();
        assert_eq!(counts, [(10, 9, 0), (0, 0, 0), (0, 0, 1)]);
        assert_eq!(buckets[1].start, (base + 1) * MINUTE_MS);
    }

    #[test]
    fn long_campaigns_go_by_the_local_hour_or_day() {
        let paris = ZoneClock {
            name: "Europe/Paris".into(),
            offsets: vec![(0, 3600)],
        };
        // 2026-12-01 22:30 UTC is 23:30 in Paris; six hours later it is the next local day.
        let first = 1_796_164_200_000 / MINUTE_MS;
        let rows = [row(first, 5, 5, 0), row(first + 360, 7, 6, 1)];
        let (size, by_hour) = buckets(&rows, first, first + 360, &paris);
        assert_eq!(size, BucketSize::Hour);
        assert_eq!(by_hour.len(), 7);
        assert_eq!(by_hour[0].label, "2026-12-01 23:00");
        assert_eq!(by_hour[6].label, "2026-12-02 05:00");
        assert_eq!((by_hour[6].sent, by_hour[6].failed), (7, 1));
        let (size, by_day) = buckets(&rows, first, first + 60 * 24 * 20, &paris);
        assert_eq!(size, BucketSize::Day);
        assert_eq!(by_day.len(), 21);
        assert_eq!(by_day[0].label, "2026-12-01");
        assert_eq!(by_day[1].label, "2026-12-02");
        assert_eq!(by_day[1].delivered, 6);
        assert_eq!(by_day[1].start, 1_796_166_000_000, "Paris midnight");
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let groups: Vec<(i64, i64)> = (1..=100).map(|ms| (ms, 1)).collect();
        let l = latency(&groups).unwrap();
        assert_eq!(
            (l.attempts, l.p50_ms, l.p90_ms, l.p99_ms, l.max_ms),
            (100, 50, 90, 99, 100)
        );
        let skewed = latency(&[(3, 98), (800, 1), (5000, 1)]).unwrap();
        assert_eq!(
            (skewed.p50_ms, skewed.p99_ms, skewed.max_ms),
            (3, 800, 5000)
        );
        assert_eq!(latency(&[]), None);
    }
}
