//! The delivery log as the campaign page reads it: failures grouped by reason, and the latest
//! deliveries with every attempt.

use super::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FailureRow {
    pub reason: String,
    pub requests: i64,
    pub users: i64,
}

pub async fn failures_by_reason(db: &Db, campaign_id: i64) -> sqlx::Result<Vec<FailureRow>> {
    sqlx::query_as(
        "SELECT coalesce(failure_reason, 'Unknown') AS reason, count(*) AS requests, sum(users) AS users
         FROM deliveries WHERE campaign_id = ?1 AND status = 'failed'
         GROUP BY failure_reason ORDER BY requests DESC",
    )
    .bind(campaign_id)
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: i64,
    pub webhook_id: String,
    pub status: String,
    pub users: i64,
    pub failure_reason: Option<String>,
    pub next_attempt_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptRow {
    pub delivery_id: i64,
    pub number: i64,
    pub started_at: i64,
    pub status: Option<i64>,
    pub latency_ms: Option<i64>,
    pub error: Option<String>,
    pub response_excerpt: String,
}

/// The campaign's most recent deliveries (newest first) and all their attempts.
pub async fn log(
    db: &Db,
    campaign_id: i64,
    limit: u32,
) -> sqlx::Result<(Vec<DeliveryRow>, Vec<AttemptRow>)> {
    let deliveries: Vec<DeliveryRow> = sqlx::query_as(
        "SELECT id, webhook_id, status, users, failure_reason, next_attempt_at FROM deliveries
         WHERE campaign_id = ?1 ORDER BY id DESC LIMIT ?2",
    )
    .bind(campaign_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    let Some(oldest) = deliveries.last().map(|d| d.id) else {
        return Ok((deliveries, Vec::new()));
    };
    let attempts = sqlx::query_as(
        "SELECT a.delivery_id, a.number, a.started_at, a.status, a.latency_ms, a.error, a.response_excerpt
         FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
         WHERE d.campaign_id = ?1 AND d.id >= ?2 ORDER BY a.delivery_id, a.number",
    )
    .bind(campaign_id)
    .bind(oldest)
    .fetch_all(db)
    .await?;
    Ok((deliveries, attempts))
}
