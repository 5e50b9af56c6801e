//! Campaigns: drafts, their lifecycle (draft → scheduled → preparing → running → completed, or
//! stopped; a recurring campaign goes back to scheduled between runs) and the statistics counters the
//! preparation and dispatch transactions keep.

use super::outbox::{self, NewDelivery};
use super::{Db, begin_write};

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
    pub control_users: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// While preparing: whether the run's recipients are chosen, and the highest profile id whose
    /// deliveries are written.
    pub recipients_chosen: bool,
    pub prepared_through: i64,
    /// Keeps running without pending requests (live).
    pub ongoing: bool,
    /// When a person paused it (nothing of it is sent meanwhile).
    pub paused_at: Option<i64>,
    /// The run being prepared or sent last.
    pub current_run: Option<i64>,
}

const SELECT: &str = "SELECT c.id, c.name, c.status, c.template_id, t.name AS template_name,
    c.definition, c.scheduled_at, c.started_at, c.completed_at, c.targeted_users, c.sent_users,
    c.delivered_users, c.failed_users, c.requests, c.pending_requests, c.control_users, c.created_at,
    c.updated_at,
    c.recipients_chosen, c.prepared_through, c.ongoing, c.paused_at, c.current_run
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

/// Draft → scheduled at `at` (its first run if it is `recurring`: then it stays `ongoing` between
/// runs). `false` if it is no longer a draft.
pub async fn schedule(db: &Db, id: i64, at: i64, recurring: bool, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE campaigns SET status = 'scheduled', scheduled_at = ?2, ongoing = ?4, updated_at = ?3
         WHERE id = ?1 AND status = 'draft'",
    )
    .bind(id)
    .bind(at)
    .bind(now)
    .bind(recurring)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Draft → running live (`ongoing`: it keeps running while no request is pending). `false` if it is
/// no longer a draft.
pub async fn go_live(db: &Db, id: i64, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE campaigns SET status = 'running', ongoing = 1, started_at = ?2, updated_at = ?2
         WHERE id = ?1 AND status = 'draft'",
    )
    .bind(id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Pauses a scheduled, preparing or running campaign (`false` if it is in none of these states or
/// paused already): nothing of it is claimed for sending until it is resumed.
pub async fn pause(db: &Db, id: i64, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE campaigns SET paused_at = ?2, updated_at = ?2
         WHERE id = ?1 AND status IN ('scheduled', 'preparing', 'running') AND paused_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Resumes a paused campaign (`false` if it is not paused, or no longer sending).
pub async fn resume(db: &Db, id: i64, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE campaigns SET paused_at = NULL, updated_at = ?2
         WHERE id = ?1 AND status IN ('scheduled', 'preparing', 'running') AND paused_at IS NOT NULL",
    )
    .bind(id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A live campaign whose end has passed stops listening: completed at once when nothing is pending,
/// else when its last request finishes.
pub async fn end_live(db: &Db, id: i64, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE campaigns SET ongoing = 0, updated_at = ?2,
         status = CASE WHEN pending_requests <= 0 THEN 'completed' ELSE status END,
         completed_at = CASE WHEN pending_requests <= 0 THEN ?2 ELSE completed_at END
         WHERE id = ?1 AND status = 'running' AND ongoing",
    )
    .bind(id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What follows a run that is starting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterRun {
    /// Nothing: the campaign runs once (now or later).
    Nothing,
    /// A recurring campaign's next run at this time (unix ms); `None` when this run is its last.
    NextRun(Option<i64>),
}

/// Starts a run: a draft or scheduled campaign, or a recurring one whose next run is due (even while
/// its last run's requests are still being sent), becomes preparing, with a new run that its
/// deliveries will belong to. `false` if someone else started, paused or stopped it first.
pub async fn begin_run(db: &Db, id: i64, now: i64, after: AfterRun) -> sqlx::Result<bool> {
    let mut tx = begin_write(db).await?;
    let due: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT scheduled_at FROM campaigns WHERE id = ?1 AND paused_at IS NULL
           AND (status IN ('draft', 'scheduled')
                OR (status = 'running' AND ongoing AND scheduled_at IS NOT NULL))",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(due) = due else {
        return Ok(false);
    };
    let run: i64 = sqlx::query_scalar(
        "INSERT INTO campaign_runs (campaign_id, number, scheduled_at, started_at)
         VALUES (?1, (SELECT coalesce(max(number), 0) + 1 FROM campaign_runs WHERE campaign_id = ?1),
                 ?2, ?3)
         RETURNING id",
    )
    .bind(id)
    .bind(due.unwrap_or(now))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let (recurring, next) = match after {
        AfterRun::Nothing => (false, None),
        AfterRun::NextRun(next) => (true, next),
    };
    sqlx::query(
        "UPDATE campaigns SET status = 'preparing', current_run = ?2,
         started_at = coalesce(started_at, ?3), updated_at = ?3,
         scheduled_at = CASE WHEN ?4 THEN ?5 ELSE coalesce(scheduled_at, ?3) END,
         ongoing = CASE WHEN ?4 THEN ?5 IS NOT NULL ELSE ongoing END,
         recipients_chosen = 0, prepared_through = 0
         WHERE id = ?1",
    )
    .bind(id)
    .bind(run)
    .bind(now)
    .bind(recurring)
    .bind(next)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Moves a recurring campaign's next run to `next` (after a pause, the runs missed meanwhile are
/// skipped); `None` ends its schedule (completed at once when nothing is pending).
pub async fn reschedule(db: &Db, id: i64, next: Option<i64>, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE campaigns SET scheduled_at = ?2, ongoing = ?2 IS NOT NULL, updated_at = ?3,
         status = CASE WHEN ?2 IS NULL AND status = 'scheduled' THEN 'completed' ELSE status END,
         completed_at = CASE WHEN ?2 IS NULL AND status = 'scheduled' THEN ?3 ELSE completed_at END
         WHERE id = ?1 AND ongoing AND scheduled_at IS NOT NULL",
    )
    .bind(id)
    .bind(next)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Campaigns whose deliveries are being written (or were, when a process died), oldest first.
pub async fn preparing(db: &Db) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM campaigns WHERE status = 'preparing' ORDER BY started_at, id",
    )
    .fetch_all(db)
    .await
}

/// One chunk of a preparing campaign: its deliveries, the users they carry, and the last profile id
/// they cover, written in one transaction with the counters and the resume point.
#[derive(Debug)]
pub struct PreparedChunk {
    pub deliveries: Vec<NewDelivery>,
    pub users: usize,
    pub through: i64,
}

/// Writes `chunk` if the campaign is still preparing (`false` if it was stopped meanwhile).
pub async fn write_chunk(db: &Db, id: i64, chunk: &PreparedChunk, now: i64) -> sqlx::Result<bool> {
    let mut tx = begin_write(db).await?;
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let not_sent = chunk.deliveries.iter().filter(|d| d.failure.is_some());
    let failed_users: usize = not_sent.clone().map(|d| d.users).sum();
    let pending = chunk.deliveries.len() - not_sent.count();
    let run: Option<Option<i64>> = sqlx::query_scalar(
        "UPDATE campaigns SET prepared_through = ?2, targeted_users = targeted_users + ?3,
         requests = requests + ?4, pending_requests = pending_requests + ?5,
         failed_users = failed_users + ?6
         WHERE id = ?1 AND status = 'preparing' RETURNING current_run",
    )
    .bind(id)
    .bind(chunk.through)
    .bind(count(chunk.users))
    .bind(count(chunk.deliveries.len()))
    .bind(count(pending))
    .bind(count(failed_users))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(run) = run else {
        return Ok(false);
    };
    sqlx::query(
        "UPDATE campaign_runs SET targeted_users = targeted_users + ?2, requests = requests + ?3,
         pending_requests = pending_requests + ?4, failed_users = failed_users + ?5
         WHERE id = ?1",
    )
    .bind(run)
    .bind(count(chunk.users))
    .bind(count(chunk.deliveries.len()))
    .bind(count(pending))
    .bind(count(failed_users))
    .execute(&mut *tx)
    .await?;
    outbox::insert_deliveries(&mut tx, id, run, &chunk.deliveries, now).await?;
    super::activity::add(&mut tx, id, now, (0, 0, count(failed_users))).await?;
    tx.commit().await?;
    Ok(true)
}

/// Preparing → running once every chunk is written; when nothing is left to send (no users, or every
/// request already finished), completed at once, or scheduled for its next run if it recurs. `false`
/// if it was stopped meanwhile.
pub async fn finish_preparing(db: &Db, id: i64, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE campaigns SET updated_at = ?2,
         status = CASE WHEN pending_requests > 0 THEN 'running'
                       WHEN ongoing THEN 'scheduled' ELSE 'completed' END,
         completed_at = CASE WHEN pending_requests <= 0 AND NOT ongoing THEN ?2 ELSE completed_at END
         WHERE id = ?1 AND status = 'preparing'",
    )
    .bind(id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Scheduled, preparing or running → stopped; the deliveries not claimed for sending are cancelled
/// (the dispatcher cancels those it claimed but has not started). `false` if the campaign was in none
/// of these states.
pub async fn stop(db: &Db, id: i64, now: i64) -> sqlx::Result<bool> {
    let mut tx = begin_write(db).await?;
    let stopped = sqlx::query(
        "UPDATE campaigns SET status = 'stopped', completed_at = ?2, updated_at = ?2
         WHERE id = ?1 AND status IN ('scheduled', 'preparing', 'running')",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if stopped {
        let cancelled: Vec<(i64, Option<i64>)> = sqlx::query_as(
            "UPDATE deliveries SET status = 'cancelled', finished_at = ?2
             WHERE campaign_id = ?1 AND status = 'pending'
               AND (claimed_until IS NULL OR claimed_until <= ?2)
             RETURNING campaign_id, run_id",
        )
        .bind(id)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        outbox::uncount_cancelled(&mut tx, &cancelled).await?;
    }
    tx.commit().await?;
    Ok(stopped)
}

/// `false` unless the campaign exists, is a draft, stopped or completed, and has no request in flight
/// (a delivery claimed for sending until after `now`).
pub async fn delete(db: &Db, id: i64, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "DELETE FROM campaigns WHERE id = ?1 AND status IN ('draft', 'stopped', 'completed')
         AND NOT EXISTS (SELECT 1 FROM deliveries WHERE campaign_id = ?1 AND status = 'pending'
                         AND claimed_until > ?2)",
    )
    .bind(id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether a request of the campaign is in flight (claimed for sending until after `now`).
pub async fn has_requests_in_flight(db: &Db, id: i64, now: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM deliveries WHERE campaign_id = ?1 AND status = 'pending'
                        AND claimed_until > ?2)",
    )
    .bind(id)
    .bind(now)
    .fetch_one(db)
    .await
}

/// The runs due at `now`, earliest first: scheduled campaigns whose time has come, and recurring ones
/// (still sending their last run, or waiting) whose next run has; paused ones wait.
const DUE: &str = "FROM campaigns WHERE paused_at IS NULL
    AND (status = 'scheduled' OR (status = 'running' AND ongoing AND scheduled_at IS NOT NULL))";

pub async fn due(db: &Db, now: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(&format!(
        "SELECT id {DUE} AND scheduled_at <= ?1 ORDER BY scheduled_at"
    ))
    .bind(now)
    .fetch_all(db)
    .await
}

/// When the next run is due.
pub async fn next_scheduled_at(db: &Db) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(&format!("SELECT min(scheduled_at) {DUE}"))
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
