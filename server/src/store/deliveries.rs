//! The delivery log as the campaign page reads it (failures grouped by reason, the latest deliveries
//! with every attempt), and replaying failed deliveries.

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
    /// Attempts made.
    pub attempts: i64,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    /// When retention deleted its body and attempts.
    pub pruned_at: Option<i64>,
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

/// Puts campaign `campaign_id`'s failed deliveries (those of `ids`, or all) that were attempted back in
/// the outbox, due at once, with their webhook-id, their attempts numbered on and a fresh retry budget,
/// and moves the counters back (a completed or waiting campaign is running again). Deliveries that were
/// never sent (their request could not be rendered), or whose body retention deleted, stay failed. Returns how many were put back, or
/// `None` if the campaign is not one whose deliveries can be sent (a draft, stopped or missing).
pub async fn replay(
    db: &Db,
    campaign_id: i64,
    ids: Option<&[i64]>,
    now: i64,
) -> sqlx::Result<Option<u64>> {
    let mut tx = super::begin_write(db).await?;
    let sendable: Option<String> = sqlx::query_scalar(
        "SELECT status FROM campaigns
         WHERE id = ?1 AND status IN ('scheduled', 'preparing', 'running', 'completed')",
    )
    .bind(campaign_id)
    .fetch_optional(&mut *tx)
    .await?;
    if sendable.is_none() {
        return Ok(None);
    }
    let ids = ids.map(|ids| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()));
    let replayed: Vec<(Option<i64>, i64)> = sqlx::query_as(
        "UPDATE deliveries SET status = 'pending', budget_from = attempts, next_attempt_at = ?2,
         failure_reason = NULL, finished_at = NULL, claimed_until = NULL
         WHERE campaign_id = ?1 AND status = 'failed' AND attempts > 0 AND pruned_at IS NULL
           AND (?3 IS NULL OR id IN (SELECT value FROM json_each(?3)))
         RETURNING run_id, users",
    )
    .bind(campaign_id)
    .bind(now)
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await?;
    let users: i64 = replayed.iter().map(|(_, users)| users).sum();
    let count = i64::try_from(replayed.len()).unwrap_or(i64::MAX);
    sqlx::query(
        "UPDATE campaigns SET failed_users = failed_users - ?2, pending_requests = pending_requests + ?3,
         status = CASE WHEN ?3 > 0 AND status IN ('completed', 'scheduled') THEN 'running' ELSE status END,
         completed_at = CASE WHEN ?3 > 0 AND status = 'completed' THEN NULL ELSE completed_at END,
         updated_at = ?4
         WHERE id = ?1",
    )
    .bind(campaign_id)
    .bind(users)
    .bind(count)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let mut runs: std::collections::HashMap<i64, (i64, i64)> = std::collections::HashMap::new();
    for (run, users) in &replayed {
        if let Some(run) = run {
            let entry = runs.entry(*run).or_default();
            entry.0 += users;
            entry.1 += 1;
        }
    }
    for (run, (users, count)) in runs {
        sqlx::query(
            "UPDATE campaign_runs SET failed_users = failed_users - ?2,
             pending_requests = pending_requests + ?3 WHERE id = ?1",
        )
        .bind(run)
        .bind(users)
        .bind(count)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Some(replayed.len() as u64))
}

/// Deliveries waiting in the outbox (pending, in flight included).
pub async fn pending_count(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM deliveries WHERE status = 'pending'")
        .fetch_one(db)
        .await
}
