//! The counters recorded results move — the campaigns' and runs' totals, a campaign's activity per
//! minute and its attempts by latency — written in **one round trip** per campaign of a batch: the
//! statements are one query, prepared once and cached, instead of one query each (each a hop to the
//! database thread and back on the recorder's path) or a script formatted with the batch's numbers
//! (compiled by SQLite at every batch: a third of what issue 13 added to a delivery's instructions).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use sqlx::{Sqlite, Transaction};

use super::activity;
use super::results::{Outcome, Recorded};

/// What results change in a campaign's (or a run's) counters.
#[derive(Default)]
struct CampaignDelta {
    sent: i64,
    delivered: i64,
    failed: i64,
    finished_requests: i64,
}

impl CampaignDelta {
    /// Users sent, delivered and failed, and requests finished.
    fn parts(&self) -> (i64, i64, i64, i64) {
        (
            self.sent,
            self.delivered,
            self.failed,
            self.finished_requests,
        )
    }

    fn add(&mut self, r: &Recorded, finished: bool) {
        if r.attempt.as_ref().is_some_and(|a| a.number == 1) {
            self.sent += r.users;
        }
        match &r.outcome {
            Outcome::Delivered => self.delivered += r.users,
            Outcome::Failed { .. } => self.failed += r.users,
            Outcome::RetryAt(_) | Outcome::ProbeFailed(_) | Outcome::Halted => {}
        }
        if finished {
            self.finished_requests += 1;
        }
    }
}

/// A campaign's (and its run's) share of a batch, in one round trip and compiled once: the statements
/// run as one cached query. sqlx binds a multi-statement query's numbered parameters by number across
/// all its statements, but a statement that leaves out a lower number is misbound, so every statement
/// takes all of them through `p`. A run of `NULL` moves no run; latencies are a JSON object of
/// attempts by whole milliseconds. A campaign whose last pending request finished is completed, or,
/// when it recurs, scheduled for its next run; a live one keeps running.
const APPLY: &str = "
WITH p (campaign, now, minute, sent, delivered, failed, done, run, latencies)
  AS (VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9))
UPDATE campaigns SET sent_users = sent_users + p.sent,
  delivered_users = delivered_users + p.delivered, failed_users = failed_users + p.failed,
  pending_requests = pending_requests - p.done,
  completed_at = CASE WHEN status = 'running' AND NOT ongoing
                      AND pending_requests - p.done <= 0 THEN p.now ELSE completed_at END,
  status = CASE WHEN status = 'running' AND pending_requests - p.done <= 0 THEN
                  CASE WHEN NOT ongoing THEN 'completed'
                       WHEN scheduled_at IS NOT NULL THEN 'scheduled' ELSE status END
           ELSE status END
FROM p WHERE campaigns.id = p.campaign;
WITH p (campaign, now, minute, sent, delivered, failed, done, run, latencies)
  AS (VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9))
INSERT INTO campaign_activity (campaign_id, minute, sent, delivered, failed)
SELECT campaign, minute, sent, delivered, failed FROM p
WHERE sent <> 0 OR delivered <> 0 OR failed <> 0
ON CONFLICT (campaign_id, minute) DO UPDATE SET sent = sent + excluded.sent,
  delivered = delivered + excluded.delivered, failed = failed + excluded.failed;
WITH p (campaign, now, minute, sent, delivered, failed, done, run, latencies)
  AS (VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9))
UPDATE campaign_runs SET sent_users = sent_users + p.sent,
  delivered_users = delivered_users + p.delivered, failed_users = failed_users + p.failed,
  pending_requests = pending_requests - p.done
FROM p WHERE campaign_runs.id = p.run;
WITH p (campaign, now, minute, sent, delivered, failed, done, run, latencies)
  AS (VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9))
INSERT INTO campaign_latency (campaign_id, latency_ms, attempts)
SELECT p.campaign, CAST(l.key AS INTEGER), l.value FROM p, json_each(p.latencies) AS l WHERE true
ON CONFLICT (campaign_id, latency_ms) DO UPDATE SET attempts = attempts + excluded.attempts;
";

/// What one campaign's results of a batch, in one of its runs (or none), change.
#[derive(Default)]
struct Share {
    delta: CampaignDelta,
    /// Attempts by latency (ms).
    latencies: BTreeMap<i64, i64>,
}

/// Moves the counters of `applied` results (each with whether it finished its delivery).
pub(super) async fn update(
    tx: &mut Transaction<'_, Sqlite>,
    applied: &[(&Recorded, bool)],
    now: i64,
) -> sqlx::Result<()> {
    let mut shares: HashMap<(i64, Option<i64>), Share> = HashMap::new();
    for (r, finished) in applied {
        let share = shares.entry((r.campaign_id, r.run_id)).or_default();
        share.delta.add(r, *finished);
        if let Some(ms) = r.attempt.as_ref().and_then(|a| a.latency_ms) {
            *share.latencies.entry(ms).or_default() += 1;
        }
    }
    for ((campaign_id, run_id), share) in shares {
        let (sent, delivered, failed, done) = share.delta.parts();
        let mut latencies = String::from("{");
        for (i, (ms, attempts)) in share.latencies.iter().enumerate() {
            let separator = if i == 0 { "" } else { "," };
            let _ = write!(latencies, "{separator}\"{ms}\":{attempts}");
        }
        latencies.push('}');
        sqlx::query(APPLY)
            .bind(campaign_id)
            .bind(now)
            .bind(activity::minute_of(now))
            .bind(sent)
            .bind(delivered)
            .bind(failed)
            .bind(done)
            .bind(run_id)
            .bind(latencies)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
