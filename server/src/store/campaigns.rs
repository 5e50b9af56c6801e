//! Campaigns: drafts, their lifecycle (draft → scheduled → running → completed, or stopped) and the
//! statistics counters the publish and dispatch transactions keep.

use sqlx::{Sqlite, Transaction};

use super::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub template_id: Option<i64>,
    pub template_name: Option<String>,
    /// The draft as JSON.
    pub definition: String,
    pub scheduled_at: Option<i64>,
    pub started_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub targeted_users: i64,
    pub sent_users: i64,
    pub delivered_users: i64,
    pub failed_users: i64,
    pub requests: i64,
    pub pending_requests: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const SELECT: &str = "SELECT c.id, c.name, c.status, c.template_id, t.name AS template_name,
    c.definition, c.scheduled_at, c.started_at, c.completed_at, c.targeted_users, c.sent_users,
    c.delivered_users, c.failed_users, c.requests, c.pending_requests, c.created_at, c.updated_at
    FROM campaigns c LEFT JOIN webhook_templates t ON t.id = c.template_id";

/// The columns a draft save writes.
#[derive(Debug, Clone)]
pub struct DraftWrite<'a> {
    pub name: &'a str,
    pub template_id: Option<i64>,
    pub definition: &'a str,
}

pub async fn list(db: &Db) -> sqlx::Result<Vec<CampaignRow>> {
    sqlx::query_as(&format!("{SELECT} ORDER BY c.id DESC"))
        .fetch_all(db)
        .await
}

pub async fn get(db: &Db, id: i64) -> sqlx::Result<Option<CampaignRow>> {
    sqlx::query_as(&format!("{SELECT} WHERE c.id = ?1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn insert(db: &Db, draft: &DraftWrite<'_>, now: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO campaigns (name, template_id, definition, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id",
    )
    .bind(draft.name)
    .bind(draft.template_id)
    .bind(draft.definition)
    .bind(now)
    .fetch_one(db)
    .await
}

/// `false` unless the campaign exists and is still a draft.
pub async fn update_draft(
    db: &Db,
    id: i64,
    draft: &DraftWrite<'_>,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE campaigns SET name = ?2, template_id = ?3, definition = ?4, updated_at = ?5
         WHERE id = ?1 AND status = 'draft'",
    )
    .bind(id)
    .bind(draft.name)
    .bind(draft.template_id)
    .bind(draft.definition)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Draft → scheduled at `at`. `false` if it is no longer a draft.
pub async fn schedule(db: &Db, id: i64, at: i64, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE campaigns SET status = 'scheduled', scheduled_at = ?2, updated_at = ?3
         WHERE id = ?1 AND status = 'draft'",
    )
    .bind(id)
    .bind(at)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Draft or scheduled → running. `false` if someone else started or stopped it first.
pub async fn start(tx: &mut Transaction<'_, Sqlite>, id: i64, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE campaigns SET status = 'running', started_at = ?2,
         scheduled_at = coalesce(scheduled_at, ?2), updated_at = ?2
         WHERE id = ?1 AND status IN ('draft', 'scheduled')",
    )
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records what a run wrote; a run with nothing to send is complete at once.
pub async fn set_run_totals(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
    targeted_users: usize,
    requests: usize,
    now: i64,
) -> sqlx::Result<()> {
    let requests = i64::try_from(requests).unwrap_or(i64::MAX);
    sqlx::query(
        "UPDATE campaigns SET targeted_users = ?2, requests = ?3, pending_requests = ?3,
         status = CASE WHEN ?3 = 0 THEN 'completed' ELSE status END,
         completed_at = CASE WHEN ?3 = 0 THEN ?4 ELSE completed_at END
         WHERE id = ?1",
    )
    .bind(id)
    .bind(i64::try_from(targeted_users).unwrap_or(i64::MAX))
    .bind(requests)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Scheduled or running → stopped; the deliveries not being sent right now are cancelled.
/// `false` if the campaign was in neither state.
pub async fn stop(db: &Db, id: i64, now: i64) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    let stopped = sqlx::query(
        "UPDATE campaigns SET status = 'stopped', completed_at = ?2, updated_at = ?2
         WHERE id = ?1 AND status IN ('scheduled', 'running')",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if stopped {
        let cancelled = sqlx::query(
            "UPDATE deliveries SET status = 'cancelled', finished_at = ?2
             WHERE campaign_id = ?1 AND status = 'pending'
               AND (claimed_until IS NULL OR claimed_until <= ?2)",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query("UPDATE campaigns SET pending_requests = pending_requests - ?2 WHERE id = ?1")
            .bind(id)
            .bind(i64::try_from(cancelled).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(stopped)
}

/// `false` unless the campaign exists and is a draft, stopped or completed.
pub async fn delete(db: &Db, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "DELETE FROM campaigns WHERE id = ?1 AND status IN ('draft', 'stopped', 'completed')",
    )
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Scheduled campaigns whose time has come, earliest first.
pub async fn due(db: &Db, now: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM campaigns WHERE status = 'scheduled' AND scheduled_at <= ?1 ORDER BY scheduled_at",
    )
    .bind(now)
    .fetch_all(db)
    .await
}

/// When the next scheduled campaign is due.
pub async fn next_scheduled_at(db: &Db) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT min(scheduled_at) FROM campaigns WHERE status = 'scheduled'")
        .fetch_one(db)
        .await
}

/// Names of the campaigns that send with a template.
pub async fn names_using_template(db: &Db, template_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT name FROM campaigns WHERE template_id = ?1 ORDER BY id")
        .bind(template_id)
        .fetch_all(db)
        .await
}
