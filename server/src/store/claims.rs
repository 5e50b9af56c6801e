//! Claiming deliveries from the outbox. A claim is a lease (`claimed_until`) with a token
//! (`claim_token`, incremented by every claim): the result of a send is recorded only while its
//! claim's token is still the delivery's, so a claim that expired and was taken again can never
//! record twice (see `store::results`).

use super::{Db, ROWS_PER_STATEMENT};

/// A delivery claimed for sending.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    /// Until when the claim holds (unix ms).
    pub claimed_until: i64,
    pub campaign_id: i64,
    /// The run it belongs to (none for a live campaign's).
    pub run_id: Option<i64>,
    pub webhook_id: String,
    pub users: i64,
    pub body: Vec<u8>,
    /// Its own query string, rendered for its user (`None`: the campaign's query parameters).
    pub query: Option<String>,
    /// Attempts made before this one.
    pub attempts: i64,
    /// Of those, the attempts made before its current retry budget (a replay starts a new one).
    pub budget_from: i64,
    /// Identifies this claim; its result is recorded only while the delivery still carries it.
    pub claim_token: i64,
}

/// Which due deliveries one claim takes.
#[derive(Debug, Default)]
pub struct ClaimPlan {
    /// Most deliveries of the templates not named below.
    pub limit: u32,
    /// Templates left out of `limit`: those claimed apart (`apart`) and those whose deliveries wait.
    pub except_templates: Vec<i64>,
    /// Templates claimed apart, with the most deliveries each may take.
    pub apart: Vec<(i64, u32)>,
    /// Deliveries left out (this process still has them in flight: their lease may have run out while
    /// they wait for their result to be recorded).
    pub except_deliveries: Vec<i64>,
}

/// Claims due deliveries of sending campaigns (preparing or running, not paused) as `plan` says,
/// until `lease_until`. A claim that is not released by then (the process died) makes the delivery
/// due again.
pub async fn claim(
    db: &Db,
    now: i64,
    lease_until: i64,
    plan: &ClaimPlan,
) -> sqlx::Result<Vec<Claimed>> {
    const DUE: &str = "SELECT d.id FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id
           WHERE d.status = 'pending' AND d.next_attempt_at <= ?1
             AND (d.claimed_until IS NULL OR d.claimed_until <= ?1)
             AND c.status IN ('preparing', 'running') AND c.paused_at IS NULL
             AND d.id NOT IN (SELECT value FROM json_each(?3))";
    let mut arms = vec![format!(
        "SELECT id FROM ({DUE} AND coalesce(c.template_id, 0) NOT IN (SELECT value FROM json_each(?4))
           ORDER BY d.next_attempt_at LIMIT ?5)"
    )];
    for i in 0..plan.apart.len() {
        let (template, limit) = (6 + 2 * i, 7 + 2 * i);
        arms.push(format!(
            "SELECT id FROM ({DUE} AND c.template_id = ?{template}
               ORDER BY d.next_attempt_at LIMIT ?{limit})"
        ));
    }
    let sql = format!(
        "UPDATE deliveries SET claimed_until = ?2, claim_token = claim_token + 1 WHERE id IN (
           {}) RETURNING id, claimed_until, campaign_id, run_id, webhook_id, users, body, query,
           attempts, budget_from, claim_token",
        arms.join(" UNION ALL ")
    );
    let json = |ids: &[i64]| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let mut query = sqlx::query_as(&sql)
        .bind(now)
        .bind(lease_until)
        .bind(json(&plan.except_deliveries))
        .bind(json(&plan.except_templates))
        .bind(plan.limit);
    for (template, limit) in &plan.apart {
        query = query.bind(template).bind(limit);
    }
    query.fetch_all(db).await
}

/// At start-up no request can be in flight (one process per database holds the lock): every claim
/// left by a previous process is released, so its deliveries are sent again at once instead of after
/// their lease, and the deliveries a stopped campaign still had pending are cancelled. Returns the
/// number of claims released.
pub async fn release_all(db: &Db, now: i64) -> sqlx::Result<u64> {
    let mut tx = super::begin_write(db).await?;
    let orphans: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "UPDATE deliveries SET status = 'cancelled', finished_at = ?1, claimed_until = NULL
         WHERE status = 'pending'
           AND campaign_id IN (SELECT id FROM campaigns WHERE status NOT IN ('preparing', 'running'))
         RETURNING campaign_id, run_id",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    super::outbox::uncount_cancelled(&mut tx, &orphans).await?;
    let released = sqlx::query(
        "UPDATE deliveries SET claimed_until = NULL WHERE status = 'pending' AND claimed_until IS NOT NULL",
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(released)
}

/// Gives back claims that were not used (the dispatcher is stopping before sending them): each
/// `(delivery, claim token)` whose claim is still current becomes due again at once.
pub async fn release(db: &Db, claims: &[(i64, i64)]) -> sqlx::Result<()> {
    for chunk in claims.chunks(ROWS_PER_STATEMENT) {
        let ids = vec!["?"; chunk.len()].join(",");
        let pairs = vec!["(?,?)"; chunk.len()].join(",");
        let sql = format!(
            "UPDATE deliveries SET claimed_until = NULL WHERE status = 'pending' AND id IN ({ids})
             AND (id, claim_token) IN (VALUES {pairs})"
        );
        let mut query = sqlx::query(&sql);
        for (id, _) in chunk {
            query = query.bind(id);
        }
        for (id, token) in chunk {
            query = query.bind(id).bind(token);
        }
        query.execute(db).await?;
    }
    Ok(())
}

/// Extends a claim that is still current until `lease_until`; `false` if it is not current any more
/// (it expired and was taken again, or the delivery is no longer pending).
pub async fn renew(db: &Db, id: i64, claim_token: i64, lease_until: i64) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "UPDATE deliveries SET claimed_until = ?3
         WHERE id = ?1 AND claim_token = ?2 AND status = 'pending'",
    )
    .bind(id)
    .bind(claim_token)
    .bind(lease_until)
    .execute(db)
    .await?
    .rows_affected()
        == 1)
}

/// When the next unclaimed delivery of a sending campaign is due, leaving out the templates whose
/// deliveries wait (`waiting`).
pub async fn next_due(db: &Db, waiting: &[i64]) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT min(d.next_attempt_at) FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id
         WHERE d.status = 'pending' AND d.claimed_until IS NULL AND c.status IN ('preparing', 'running')
           AND c.paused_at IS NULL AND coalesce(c.template_id, 0) NOT IN (SELECT value FROM json_each(?1))",
    )
    .bind(serde_json::to_string(waiting).unwrap_or_else(|_| "[]".into()))
    .fetch_one(db)
    .await
}
