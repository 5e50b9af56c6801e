//! The campaign page's chart of requests over time and attempt latencies, and the list's trends. The
//! server draws the pictures (SVG); the numbers come along for the table a screen reader (or anyone)
//! can read instead.

use serde::{Deserialize, Serialize};

use super::CampaignId;

/// How long one bar of the chart covers: a minute for short campaigns, hours or days for long ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BucketSize {
    Minute,
    Hour,
    Day,
}

impl BucketSize {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Minute => "minute",
            Self::Hour => "hour",
            Self::Day => "day",
        }
    }
}

/// Users sent (first attempts), delivered and failed in one bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityBucketOut {
    /// When the bucket starts (unix ms).
    pub start: i64,
    /// Its start in the project time zone, as the chart labels it.
    pub label: String,
    pub sent: u64,
    pub delivered: u64,
    pub failed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityOut {
    pub bucket: BucketSize,
    /// Oldest first, without gaps.
    pub buckets: Vec<ActivityBucketOut>,
    /// The chart (SVG with its title and description).
    pub svg: String,
}

/// Percentiles of the campaign's attempts' latencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatencyOut {
    pub attempts: u64,
    pub p50_ms: u64,
    pub p90_ms: u64,
    pub p99_ms: u64,
    pub max_ms: u64,
}

/// A campaign's small trend for the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendOut {
    pub id: CampaignId,
    /// A sparkline (SVG) of delivered and failed users.
    pub svg: String,
    /// The trend in words (its accessible name).
    pub summary: String,
}
