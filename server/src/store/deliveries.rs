//! The outbox seen by the dispatcher: claiming due deliveries, recording attempts and outcomes (with the
//! campaign counters, in one transaction), and reading the delivery log.

use std::collections::HashMap;

use super::Db;

/// A delivery claimed for sending.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub campaign_id: i64,
    pub webhook_id: String,
    pub users: i64,
    pub body: Vec<u8>,
    /// Attempts made before this one.
    pub attempts: i64,
}

/// Claims up to `limit` due deliveries of running campaigns until `lease_until`. A claim that is not
/// released by then (the process died) makes the delivery due again.
pub async fn claim(db: &Db, now: i64, lease_until: i64, limit: u32) -> sqlx::Result<Vec<Claimed>> {
    sqlx::query_as(
        "UPDATE deliveries SET claimed_until = ?2 WHERE id IN (
           SELECT d.id FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id
           WHERE d.status = 'pending' AND d.next_attempt_at <= ?1
             AND (d.claimed_until IS NULL OR d.claimed_until <= ?1) AND c.status = 'running'
           ORDER BY d.next_attempt_at LIMIT ?3)
         RETURNING id, campaign_id, webhook_id, users, body, attempts",
    )
    .bind(now)
    .bind(lease_until)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// At start-up no request can be in flight: every claim left by a previous process is released, so its
/// deliveries are sent again at once instead of after their lease (single-node SQLite).
pub async fn release_all_claims(db: &Db) -> sqlx::Result<u64> {
    Ok(sqlx::query(
        "UPDATE deliveries SET claimed_until = NULL WHERE status = 'pending' AND claimed_until IS NOT NULL",
    )
    .execute(db)
    .await?
    .rows_affected())
}

/// Gives back claims that were not used (the dispatcher is stopping before sending them).
pub async fn release(db: &Db, ids: &[i64]) -> sqlx::Result<()> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let placeholders = vec!["?"; chunk.len()].join(",");
        let sql = format!(
            "UPDATE deliveries SET claimed_until = NULL WHERE status = 'pending' AND id IN ({placeholders})"
        );
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(id);
        }
        query.execute(db).await?;
    }
    Ok(())
}

/// When the next unclaimed delivery of a running campaign is due.
pub async fn next_due(db: &Db) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT min(d.next_attempt_at) FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id
         WHERE d.status = 'pending' AND d.claimed_until IS NULL AND c.status = 'running'",
    )
    .fetch_one(db)
    .await
}

/// One attempt as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRecord {
    pub number: i64,
    pub started_at: i64,
    pub status: Option<i64>,
    pub latency_ms: Option<i64>,
    pub error: Option<String>,
    pub response_excerpt: String,
}

/// What becomes of a delivery after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    Failed { reason: String },
    RetryAt(i64),
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub delivery_id: i64,
    pub campaign_id: i64,
    pub users: i64,
    pub attempt: AttemptRecord,
    pub outcome: Outcome,
}

#[derive(Default)]
struct CampaignDelta {
    sent: i64,
    delivered: i64,
    failed: i64,
    finished_requests: i64,
}

/// Rows per multi-row statement (7 bound values per attempt row).
const ROWS_PER_STATEMENT: usize = 100;

/// Writes attempts and outcomes, releases their claims and updates the campaigns' counters (completing a
/// campaign whose last request finished), all in one transaction. Attempts and successes (the common
/// case) are written many rows per statement.
pub async fn record(db: &Db, results: &[Recorded], now: i64) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    for chunk in results.chunks(ROWS_PER_STATEMENT) {
        insert_attempts(&mut tx, chunk).await?;
    }
    let mut deltas: HashMap<i64, CampaignDelta> = HashMap::new();
    // Successful deliveries by attempt number, set in one statement per group.
    let mut delivered: HashMap<i64, Vec<i64>> = HashMap::new();
    for r in results {
        let number = r.attempt.number;
        let delta = deltas.entry(r.campaign_id).or_default();
        if number == 1 {
            delta.sent += r.users;
        }
        let finished = match &r.outcome {
            Outcome::Delivered => {
                delta.delivered += r.users;
                delivered.entry(number).or_default().push(r.delivery_id);
                true
            }
            Outcome::Failed { reason } => {
                delta.failed += r.users;
                sqlx::query(
                    "UPDATE deliveries SET status = 'failed', attempts = ?2, failure_reason = ?3,
                     claimed_until = NULL, finished_at = ?4 WHERE id = ?1",
                )
                .bind(r.delivery_id)
                .bind(number)
                .bind(reason)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                true
            }
            // A campaign stopped meanwhile gets no retry: the delivery is cancelled instead.
            Outcome::RetryAt(at) => {
                sqlx::query_scalar::<_, String>(
                    "UPDATE deliveries SET attempts = ?2, next_attempt_at = ?3, claimed_until = NULL,
                     status = CASE WHEN (SELECT status FROM campaigns WHERE id = campaign_id) = 'running'
                              THEN 'pending' ELSE 'cancelled' END,
                     finished_at = CASE WHEN (SELECT status FROM campaigns WHERE id = campaign_id) = 'running'
                              THEN NULL ELSE ?4 END
                     WHERE id = ?1 RETURNING status",
                )
                .bind(r.delivery_id)
                .bind(number)
                .bind(at)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
                    == "cancelled"
            }
        };
        if finished {
            delta.finished_requests += 1;
        }
    }
    for (number, ids) in delivered {
        for chunk in ids.chunks(ROWS_PER_STATEMENT) {
            let placeholders = vec!["?"; chunk.len()].join(",");
            let sql = format!(
                "UPDATE deliveries SET status = 'delivered', attempts = ?, claimed_until = NULL,
                 finished_at = ? WHERE id IN ({placeholders})"
            );
            let mut query = sqlx::query(&sql).bind(number).bind(now);
            for id in chunk {
                query = query.bind(id);
            }
            query.execute(&mut *tx).await?;
        }
    }
    for (campaign_id, d) in deltas {
        sqlx::query(
            "UPDATE campaigns SET sent_users = sent_users + ?2, delivered_users = delivered_users + ?3,
             failed_users = failed_users + ?4, pending_requests = pending_requests - ?5,
             completed_at = CASE WHEN status = 'running' AND pending_requests - ?5 <= 0 THEN ?6
                            ELSE completed_at END,
             status = CASE WHEN status = 'running' AND pending_requests - ?5 <= 0 THEN 'completed'
                      ELSE status END
             WHERE id = ?1",
        )
        .bind(campaign_id)
        .bind(d.sent)
        .bind(d.delivered)
        .bind(d.failed)
        .bind(d.finished_requests)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

async fn insert_attempts(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    results: &[Recorded],
) -> sqlx::Result<()> {
    let mut sql = String::from(
        "INSERT INTO delivery_attempts
         (delivery_id, number, started_at, status, latency_ms, error, response_excerpt) VALUES ",
    );
    for i in 0..results.len() {
        sql.push_str(if i == 0 {
            "(?,?,?,?,?,?,?)"
        } else {
            ",(?,?,?,?,?,?,?)"
        });
    }
    let mut query = sqlx::query(&sql);
    for r in results {
        let a = &r.attempt;
        query = query
            .bind(r.delivery_id)
            .bind(a.number)
            .bind(a.started_at)
            .bind(a.status)
            .bind(a.latency_ms)
            .bind(&a.error)
            .bind(&a.response_excerpt);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

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
