//! Paging through a campaign's delivery log, newest first, filtered by status, failure reason and the
//! user a delivery went to.

use super::Db;
use super::deliveries::{AttemptRow, DeliveryRow};

/// Which of a campaign's deliveries a page shows.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// `pending`, `delivered`, `failed` or `cancelled`.
    pub status: Option<String>,
    /// A failure reason exactly as grouped (`Unknown` for none).
    pub reason: Option<String>,
    /// The profiles a delivery must have gone to (one of them); `Some(empty)` matches nothing.
    pub profiles: Option<Vec<i64>>,
}

/// The filter's conditions on `d` (a delivery), binding `?1` (campaign) to `?4`.
const MATCHES: &str = "d.campaign_id = ?1
    AND (?2 IS NULL OR d.status = ?2)
    AND (?3 IS NULL OR coalesce(d.failure_reason, 'Unknown') = ?3)
    AND (?4 IS NULL OR EXISTS (
        SELECT 1 FROM json_each(?4) j
        WHERE d.first_profile <= j.value AND d.last_profile >= j.value
          AND (d.run_id IS NULL OR EXISTS (
              SELECT 1 FROM run_recipients r
              WHERE r.campaign_id = d.campaign_id AND r.run_id = d.run_id
                AND r.profile_id = j.value AND r.control = 0))))";

fn profiles_json(filter: &LogFilter) -> Option<String> {
    filter
        .profiles
        .as_ref()
        .map(|ids| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()))
}

/// Up to `limit` matching deliveries older than `before` (a delivery id), newest first, with all
/// their attempts.
pub async fn page(
    db: &Db,
    campaign_id: i64,
    filter: &LogFilter,
    before: Option<i64>,
    limit: u32,
) -> sqlx::Result<(Vec<DeliveryRow>, Vec<AttemptRow>)> {
    let deliveries: Vec<DeliveryRow> = sqlx::query_as(&format!(
        "SELECT d.id, d.webhook_id, d.status, d.users, d.failure_reason, d.next_attempt_at,
                d.attempts, d.created_at, d.finished_at, d.pruned_at
         FROM deliveries d WHERE {MATCHES} AND (?5 IS NULL OR d.id < ?5)
         ORDER BY d.id DESC LIMIT ?6"
    ))
    .bind(campaign_id)
    .bind(&filter.status)
    .bind(&filter.reason)
    .bind(profiles_json(filter))
    .bind(before)
    .bind(limit)
    .fetch_all(db)
    .await?;
    if deliveries.is_empty() {
        return Ok((deliveries, Vec::new()));
    }
    let ids: Vec<i64> = deliveries.iter().map(|d| d.id).collect();
    let attempts = sqlx::query_as(
        "SELECT delivery_id, number, started_at, status, latency_ms, error, response_excerpt
         FROM delivery_attempts
         WHERE delivery_id IN (SELECT value FROM json_each(?1)) ORDER BY delivery_id, number",
    )
    .bind(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()))
    .fetch_all(db)
    .await?;
    Ok((deliveries, attempts))
}

/// How many of the campaign's deliveries match.
pub async fn count(db: &Db, campaign_id: i64, filter: &LogFilter) -> sqlx::Result<i64> {
    sqlx::query_scalar(&format!(
        "SELECT count(*) FROM deliveries d WHERE {MATCHES}"
    ))
    .bind(campaign_id)
    .bind(&filter.status)
    .bind(&filter.reason)
    .bind(profiles_json(filter))
    .fetch_one(db)
    .await
}

/// The profiles a person may mean by `user`: its identity, email or object id.
pub async fn profiles_named(db: &Db, user: &str) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM profiles WHERE identity = ?1
         UNION SELECT id FROM profiles WHERE email = ?1
         UNION SELECT id FROM profiles WHERE object_id = ?1",
    )
    .bind(user)
    .fetch_all(db)
    .await
}
