//! A campaign's activity per minute (users sent, delivered, failed) and its attempts by latency, counted
//! with its counters: what its chart, latency percentiles and the list's trends read.

use sqlx::{Sqlite, Transaction};

use super::Db;

const MINUTE_MS: i64 = 60_000;

/// The unix minute of `now` (unix ms), as activity is counted.
pub(super) fn minute_of(now: i64) -> i64 {
    now.div_euclid(MINUTE_MS)
}

/// Counts users sent, delivered and failed in the minute of `now`.
pub(super) async fn add(
    tx: &mut Transaction<'_, Sqlite>,
    campaign_id: i64,
    now: i64,
    (sent, delivered, failed): (i64, i64, i64),
) -> sqlx::Result<()> {
    if sent == 0 && delivered == 0 && failed == 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO campaign_activity (campaign_id, minute, sent, delivered, failed)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (campaign_id, minute) DO UPDATE SET sent = sent + ?3,
           delivered = delivered + ?4, failed = failed + ?5",
    )
    .bind(campaign_id)
    .bind(minute_of(now))
    .bind(sent)
    .bind(delivered)
    .bind(failed)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One minute of a campaign's activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct MinuteRow {
    /// Unix minute.
    pub minute: i64,
    pub sent: i64,
    pub delivered: i64,
    pub failed: i64,
}

/// The campaign's minutes with activity over the `span` minutes up to its last one, oldest first (none
/// before its first request).
pub async fn latest_minutes(db: &Db, campaign_id: i64, span: i64) -> sqlx::Result<Vec<MinuteRow>> {
    sqlx::query_as(
        "SELECT minute, sent, delivered, failed FROM campaign_activity
         WHERE campaign_id = ?1 AND minute > (
           SELECT max(minute) FROM campaign_activity WHERE campaign_id = ?1) - ?2
         ORDER BY minute",
    )
    .bind(campaign_id)
    .bind(span)
    .fetch_all(db)
    .await
}

/// The campaigns with any activity.
pub async fn campaigns(db: &Db) -> sqlx::Result<Vec<i64>> {
    // One lookup per campaign in the activity's key, instead of reading every row of it.
    sqlx::query_scalar(
        "SELECT id FROM campaigns c
         WHERE EXISTS (SELECT 1 FROM campaign_activity a WHERE a.campaign_id = c.id)",
    )
    .fetch_all(db)
    .await
}

/// The campaign's attempts by latency: `(latency_ms, attempts)`, fastest first. Latencies are whole
/// milliseconds below the request timeout, so the groups are few and the percentiles exact.
pub async fn latencies(db: &Db, campaign_id: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT latency_ms, attempts FROM campaign_latency WHERE campaign_id = ?1 ORDER BY latency_ms",
    )
    .bind(campaign_id)
    .fetch_all(db)
    .await
}
