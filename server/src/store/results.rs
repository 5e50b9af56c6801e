//! Recording what became of claimed deliveries: the attempt, the delivery's new state and the
//! campaign's counters, for many results in one transaction.
//!
//! Fencing: a result changes its delivery only if the delivery is still `pending` and still carries
//! the token of the claim that sent it. A result whose claim was superseded (its lease ran out and
//! the delivery was claimed again), whose delivery was cancelled by a stop, or whose delivery was
//! deleted with its campaign changes nothing and counts for nothing. Counters move only with a real
//! state change, so nothing is counted twice and a campaign completes only when its last pending
//! delivery finished.

use std::collections::HashMap;

use sqlx::{Sqlite, Transaction};

use super::{Db, ROWS_PER_STATEMENT, begin_write};

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

/// What becomes of a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    Failed {
        reason: String,
    },
    RetryAt(i64),
    /// A failed probe of an open circuit: the attempt is logged, but it does not use up the
    /// delivery's retries (`budget_from` moves with it); it waits with the others from the given time.
    ProbeFailed(i64),
    /// Not sent: its campaign was being stopped when the request was about to leave.
    Halted,
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub delivery_id: i64,
    pub claim_token: i64,
    pub campaign_id: i64,
    /// The run the delivery belongs to (none for a live campaign's).
    pub run_id: Option<i64>,
    pub users: i64,
    /// The attempt made (none when the delivery was not sent).
    pub attempt: Option<AttemptRecord>,
    pub outcome: Outcome,
}

/// What a call to `record` changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RecordSummary {
    /// Results left out: their claim was superseded, or the delivery is no longer pending or gone.
    pub stale: usize,
    /// Whether a delivery was put back to wait for a retry.
    pub retries: bool,
}

/// Records `results` in one transaction (see the module's fencing rules).
pub async fn record(db: &Db, results: &[Recorded], now: i64) -> sqlx::Result<RecordSummary> {
    let mut tx = begin_write(db).await?;
    // Each result that changed its delivery, and whether that finished the delivery.
    let mut applied: Vec<(&Recorded, bool)> = Vec::with_capacity(results.len());
    let mut retries = false;
    // Successes (the common case) are written many per statement, grouped by attempt number.
    let mut delivered: HashMap<i64, Vec<&Recorded>> = HashMap::new();
    for r in results {
        match &r.outcome {
            Outcome::Delivered => {
                let number = r.attempt.as_ref().map_or(0, |a| a.number);
                delivered.entry(number).or_default().push(r);
            }
            Outcome::Failed { reason } => {
                let number = r.attempt.as_ref().map_or(0, |a| a.number);
                let changed = sqlx::query(
                    "UPDATE deliveries SET status = 'failed', attempts = ?3, failure_reason = ?4,
                     claimed_until = NULL, finished_at = ?5
                     WHERE id = ?1 AND claim_token = ?2 AND status = 'pending'",
                )
                .bind(r.delivery_id)
                .bind(r.claim_token)
                .bind(number)
                .bind(reason)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 1 {
                    applied.push((r, true));
                }
            }
            // A campaign stopped meanwhile gets no retry: the delivery is cancelled instead.
            Outcome::RetryAt(at) | Outcome::ProbeFailed(at) => {
                let number = r.attempt.as_ref().map_or(0, |a| a.number);
                let retry = Retry {
                    attempts: number,
                    at: *at,
                    spares_budget: matches!(r.outcome, Outcome::ProbeFailed(_)),
                };
                if let Some(status) = requeue(&mut tx, r, Some(retry), now).await? {
                    retries |= status == "pending";
                    applied.push((r, status != "pending"));
                }
            }
            // Held back because the campaign was being stopped: cancelled once it is stopped; back in
            // the queue, unsent, if the stop did not happen after all.
            Outcome::Halted => {
                if let Some(status) = requeue(&mut tx, r, None, now).await? {
                    applied.push((r, status != "pending"));
                }
            }
        }
    }
    for (number, group) in delivered {
        for chunk in group.chunks(ROWS_PER_STATEMENT) {
            let changed = mark_delivered(&mut tx, number, chunk, now).await?;
            applied.extend(
                chunk
                    .iter()
                    .filter(|r| changed.contains(&r.delivery_id))
                    .map(|r| (*r, true)),
            );
        }
    }
    let attempts: Vec<(i64, &AttemptRecord)> = applied
        .iter()
        .filter_map(|(r, _)| r.attempt.as_ref().map(|a| (r.delivery_id, a)))
        .collect();
    for chunk in attempts.chunks(ROWS_PER_STATEMENT) {
        insert_attempts(&mut tx, chunk).await?;
    }
    super::counters::update(&mut tx, &applied, now).await?;
    tx.commit().await?;
    Ok(RecordSummary {
        stale: results.len() - applied.len(),
        retries,
    })
}

/// How an attempted delivery goes back in the queue.
struct Retry {
    /// Attempts made, with this one.
    attempts: i64,
    /// When it is due again.
    at: i64,
    /// Whether this attempt leaves its retry budget as it was.
    spares_budget: bool,
}

/// Puts a delivery back in the queue (with its attempt count and next time when it was attempted) if
/// its campaign is still sending, else cancels it. Returns the new status if the result applied.
async fn requeue(
    tx: &mut Transaction<'_, Sqlite>,
    r: &Recorded,
    retry: Option<Retry>,
    now: i64,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "UPDATE deliveries SET attempts = coalesce(?3, attempts),
         next_attempt_at = coalesce(?4, next_attempt_at), claimed_until = NULL,
         budget_from = budget_from + ?6,
         status = CASE WHEN (SELECT status FROM campaigns WHERE id = campaign_id)
                            IN ('preparing', 'running')
                  THEN 'pending' ELSE 'cancelled' END,
         finished_at = CASE WHEN (SELECT status FROM campaigns WHERE id = campaign_id)
                            IN ('preparing', 'running')
                  THEN NULL ELSE ?5 END
         WHERE id = ?1 AND claim_token = ?2 AND status = 'pending' RETURNING status",
    )
    .bind(r.delivery_id)
    .bind(r.claim_token)
    .bind(retry.as_ref().map(|r| r.attempts))
    .bind(retry.as_ref().map(|r| r.at))
    .bind(now)
    .bind(i64::from(retry.is_some_and(|r| r.spares_budget)))
    .fetch_optional(&mut **tx)
    .await
}

/// Marks a group of successes delivered; returns the ids that changed.
async fn mark_delivered(
    tx: &mut Transaction<'_, Sqlite>,
    number: i64,
    chunk: &[&Recorded],
    now: i64,
) -> sqlx::Result<Vec<i64>> {
    let ids = vec!["?"; chunk.len()].join(",");
    let pairs = vec!["(?,?)"; chunk.len()].join(",");
    // `id IN (...)` lets SQLite find the rows by primary key; the pairs check each claim's token.
    let sql = format!(
        "UPDATE deliveries SET status = 'delivered', attempts = ?, claimed_until = NULL, finished_at = ?
         WHERE status = 'pending' AND id IN ({ids}) AND (id, claim_token) IN (VALUES {pairs})
         RETURNING id"
    );
    let mut query = sqlx::query_scalar(&sql).bind(number).bind(now);
    for r in chunk {
        query = query.bind(r.delivery_id);
    }
    for r in chunk {
        query = query.bind(r.delivery_id).bind(r.claim_token);
    }
    query.fetch_all(&mut **tx).await
}

async fn insert_attempts(
    tx: &mut Transaction<'_, Sqlite>,
    attempts: &[(i64, &AttemptRecord)],
) -> sqlx::Result<()> {
    let values = vec!["(?,?,?,?,?,?,?)"; attempts.len()].join(",");
    let sql = format!(
        "INSERT INTO delivery_attempts
         (delivery_id, number, started_at, status, latency_ms, error, response_excerpt) VALUES {values}"
    );
    let mut query = sqlx::query(&sql);
    for (delivery_id, a) in attempts {
        query = query
            .bind(delivery_id)
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
