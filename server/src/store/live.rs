//! Live campaigns: the campaigns listening for trigger events, the triggers ingestion writes (in the
//! upload's transaction), and their decisions, written with the deliveries they make.

use super::outbox::{self, NewDelivery};
use super::{Db, begin_write};

/// A live campaign as the trigger matcher needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LiveRow {
    pub id: i64,
    /// The draft as JSON.
    pub definition: String,
    pub started_at: Option<i64>,
    pub paused: bool,
}

/// Running live campaigns (paused ones too: their triggers are recorded as skipped).
pub async fn live_campaigns(db: &Db) -> sqlx::Result<Vec<LiveRow>> {
    sqlx::query_as(
        "SELECT id, definition, started_at, paused_at IS NOT NULL AS paused FROM campaigns
         WHERE status = 'running' AND ongoing AND definition ->> '$.delivery' = 'specific_event'",
    )
    .fetch_all(db)
    .await
}

/// A trigger about to be written: the upload's record it came from (its profile is resolved while the
/// upload is stored), the campaign, and when it is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewTrigger {
    pub record: usize,
    pub campaign_id: i64,
    pub due_at: i64,
}

/// A trigger waiting for its decision.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueTrigger {
    pub id: i64,
    pub campaign_id: i64,
    pub profile_id: i64,
    pub event_name: String,
    pub event_ts: i64,
    pub event_data: String,
    pub received_at: i64,
}

/// Up to `limit` triggers due at `now`, oldest first.
pub async fn due(db: &Db, now: i64, limit: u32) -> sqlx::Result<Vec<DueTrigger>> {
    sqlx::query_as(
        "SELECT id, campaign_id, profile_id, event_name, event_ts, event_data, received_at
         FROM live_triggers WHERE state = 'waiting' AND due_at <= ? ORDER BY due_at, id LIMIT ?",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// When the next waiting trigger is due (all campaigns).
pub async fn next_due(db: &Db) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT min(due_at) FROM live_triggers WHERE state = 'waiting'")
        .fetch_one(db)
        .await
}

/// When campaign `campaign_id`'s next waiting trigger is due.
pub async fn next_due_of(db: &Db, campaign_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT min(due_at) FROM live_triggers WHERE state = 'waiting' AND campaign_id = ?",
    )
    .bind(campaign_id)
    .fetch_one(db)
    .await
}

/// Length of the buckets `triggers_by_bucket` counts in: every time zone's offset is a multiple of it,
/// so each bucket falls within one local day.
pub const BUCKET_MS: i64 = 15 * 60_000;

/// Campaign `campaign_id`'s triggers received from `since` (unix ms), counted by `BUCKET_MS` bucket
/// (its start) and state.
pub async fn triggers_by_bucket(
    db: &Db,
    campaign_id: i64,
    since: i64,
) -> sqlx::Result<Vec<(i64, String, i64)>> {
    sqlx::query_as(
        "SELECT received_at / ?3 * ?3, state, count(*) FROM live_triggers
         WHERE campaign_id = ?1 AND received_at >= ?2 GROUP BY 1, 2",
    )
    .bind(campaign_id)
    .bind(since)
    .bind(BUCKET_MS)
    .fetch_all(db)
    .await
}

/// How many requests campaign `campaign_id` sent user `profile_id` after `since` (unix ms).
pub async fn sends_since(
    db: &Db,
    campaign_id: i64,
    profile_id: i64,
    since: i64,
) -> sqlx::Result<u32> {
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM live_triggers
         WHERE campaign_id = ? AND profile_id = ? AND state = 'sent' AND decided_at > ?",
    )
    .bind(campaign_id)
    .bind(profile_id)
    .bind(since)
    .fetch_one(db)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The `evtData` of user `profile_id`'s `name` events after `after` and at most `until` (unix ms).
pub async fn events_between(
    db: &Db,
    profile_id: i64,
    name: &str,
    after: i64,
    until: i64,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT data FROM events WHERE profile_id = ? AND name = ? AND ts > ? AND ts <= ?",
    )
    .bind(profile_id)
    .bind(name)
    .bind(after)
    .bind(until)
    .fetch_all(db)
    .await
}

/// The `evtData` of user `profile_id`'s latest `name` event, if any.
pub async fn latest_event_data(
    db: &Db,
    profile_id: i64,
    name: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT data FROM events WHERE profile_id = ? AND name = ? ORDER BY ts DESC LIMIT 1",
    )
    .bind(profile_id)
    .bind(name)
    .fetch_optional(db)
    .await
}

/// What became of a trigger.
#[derive(Debug, Clone)]
pub enum Decision {
    /// Its delivery (possibly written failed, when its request could not be rendered).
    Sent(NewDelivery),
    /// Held out as the control group.
    Control,
    Skipped(String),
}

/// Writes the decisions of one campaign's due triggers with the deliveries they make and the
/// campaign's counters, in one transaction. Triggers decided meanwhile are left as they are.
pub async fn decide(
    db: &Db,
    campaign_id: i64,
    decisions: &[(i64, Decision)],
    now: i64,
) -> sqlx::Result<()> {
    let mut tx = begin_write(db).await?;
    let mut deliveries = Vec::new();
    let (mut control, mut failed_users) = (0i64, 0i64);
    for (trigger, decision) in decisions {
        let (state, reason) = match decision {
            Decision::Sent(d) => ("sent", d.failure.as_deref()),
            Decision::Control => ("control", None),
            Decision::Skipped(reason) => ("skipped", Some(reason.as_str())),
        };
        let changed = sqlx::query(
            "UPDATE live_triggers SET state = ?, reason = ?, decided_at = ?
             WHERE id = ? AND state = 'waiting'",
        )
        .bind(state)
        .bind(reason)
        .bind(now)
        .bind(trigger)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        match decision {
            Decision::Sent(d) if changed => {
                failed_users += i64::from(d.failure.is_some());
                deliveries.push(d.clone());
            }
            Decision::Control if changed => control += 1,
            _ => {}
        }
    }
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let pending = deliveries.iter().filter(|d| d.failure.is_none()).count();
    sqlx::query(
        "UPDATE campaigns SET targeted_users = targeted_users + ?, control_users = control_users + ?,
         requests = requests + ?, pending_requests = pending_requests + ?,
         failed_users = failed_users + ?, updated_at = ?
         WHERE id = ?",
    )
    .bind(count(deliveries.len()))
    .bind(control)
    .bind(count(deliveries.len()))
    .bind(count(pending))
    .bind(failed_users)
    .bind(now)
    .bind(campaign_id)
    .execute(&mut *tx)
    .await?;
    outbox::insert_deliveries(&mut tx, campaign_id, None, &deliveries, now).await?;
    super::activity::add(&mut tx, campaign_id, now, (0, 0, failed_users)).await?;
    tx.commit().await
}
