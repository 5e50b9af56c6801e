//! A campaign's charts: users sent, delivered and failed over time with its attempts' latency
//! percentiles (the campaign page), and its small trend (the list).

use app::model::CampaignId;
use app::model::charts::{ActivityOut, LatencyOut, TrendOut};
use app::model::time_fmt::ZoneClock;

use crate::charts::activity::{buckets, latency as percentiles};
use crate::charts::svg::{Series, line_chart, sparkline};
use crate::error::EngineResult;
use crate::store::{Db, activity};

/// The longest history drawn: a year of days.
const HISTORY_MINUTES: i64 = 366 * 24 * 60;
/// A trend covers the last day of a campaign's activity, in this many points.
const TREND_MINUTES: i64 = 24 * 60;
const TREND_POINTS: i64 = 24;

const SENT: (&str, &str, &str) = ("Sent", "#2563eb", "");
const DELIVERED: (&str, &str, &str) = ("Delivered", "#15803d", "6 3");
const FAILED: (&str, &str, &str) = ("Failed", "#dc2626", "2 3");

fn series(
    (name, colour, dash): (&'static str, &'static str, &'static str),
    values: Vec<u64>,
) -> Series<'static> {
    Series {
        name,
        colour,
        dash,
        values,
    }
}

pub async fn activity(db: &Db, id: i64, clock: &ZoneClock) -> EngineResult<Option<ActivityOut>> {
    let rows = activity::latest_minutes(db, id, HISTORY_MINUTES).await?;
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Ok(None);
    };
    let (first, last) = (first.minute, last.minute);
    let (size, buckets) = buckets(&rows, first, last, clock);
    let labels: Vec<String> = buckets.iter().map(|b| b.label.clone()).collect();
    let total =
        |f: fn(&app::model::charts::ActivityBucketOut) -> u64| buckets.iter().map(f).sum::<u64>();
    let description = format!(
        "Users per {} in {}, from {} to {}: {} sent, {} delivered, {} failed.",
        size.as_str(),
        clock.name(),
        labels.first().map_or("", String::as_str),
        labels.last().map_or("", String::as_str),
        total(|b| b.sent),
        total(|b| b.delivered),
        total(|b| b.failed),
    );
    let svg = line_chart(
        "activity",
        &format!("Sent, delivered and failed per {}", size.as_str()),
        &description,
        &[
            series(SENT, buckets.iter().map(|b| b.sent).collect()),
            series(DELIVERED, buckets.iter().map(|b| b.delivered).collect()),
            series(FAILED, buckets.iter().map(|b| b.failed).collect()),
        ],
        &labels,
    );
    Ok(Some(ActivityOut {
        bucket: size,
        buckets,
        svg,
    }))
}

pub async fn latency(db: &Db, id: i64) -> EngineResult<Option<LatencyOut>> {
    Ok(percentiles(&activity::latencies(db, id).await?))
}

/// The trends of the campaigns that have any activity: delivered and failed users over the last day
/// of their activity.
pub async fn trends(db: &Db) -> EngineResult<Vec<TrendOut>> {
    let mut out = Vec::new();
    for id in activity::campaigns(db).await? {
        let id = CampaignId(id);
        let rows = activity::latest_minutes(db, id.0, TREND_MINUTES).await?;
        let Some(last) = rows.last().map(|r| r.minute) else {
            continue;
        };
        let since = last - TREND_MINUTES + 1;
        let step = TREND_MINUTES / TREND_POINTS;
        let mut delivered = vec![0u64; TREND_POINTS as usize];
        let mut failed = vec![0u64; TREND_POINTS as usize];
        for row in rows {
            let at = usize::try_from((row.minute - since) / step)
                .unwrap_or(0)
                .min(delivered.len() - 1);
            delivered[at] += u64::try_from(row.delivered).unwrap_or(0);
            failed[at] += u64::try_from(row.failed).unwrap_or(0);
        }
        let summary = format!(
            "Over the last day of activity: {} users delivered, {} failed",
            delivered.iter().sum::<u64>(),
            failed.iter().sum::<u64>()
        );
        // Solid lines: dashes do not read at this size (the summary is its accessible name).
        let line = |(name, colour, _): (&'static str, &'static str, &'static str), values| Series {
            name,
            colour,
            dash: "",
            values,
        };
        let svg = sparkline(
            &summary,
            &[line(DELIVERED, delivered), line(FAILED, failed)],
        );
        out.push(TrendOut { id, svg, summary });
    }
    Ok(out)
}
