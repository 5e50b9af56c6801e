//! The counters recorded results move — the campaigns' and runs' totals, a campaign's activity per
//! minute and its attempts by latency — written in **one round trip**: every statement of a batch is
//! integers only, so they are formatted into one script instead of one prepared statement
//! each, each of which would cost a hop to the database thread and back on the recorder's path.

use std::collections::HashMap;
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

/// Moves the counters of `applied` results (each with whether it finished its delivery).
pub(super) async fn update(
    tx: &mut Transaction<'_, Sqlite>,
    applied: &[(&Recorded, bool)],
    now: i64,
) -> sqlx::Result<()> {
    let mut deltas: HashMap<i64, CampaignDelta> = HashMap::new();
    let mut run_deltas: HashMap<i64, CampaignDelta> = HashMap::new();
    let mut latencies: HashMap<(i64, i64), i64> = HashMap::new();
    for (r, finished) in applied {
        if let Some(ms) = r.attempt.as_ref().and_then(|a| a.latency_ms) {
            *latencies.entry((r.campaign_id, ms)).or_default() += 1;
        }
        deltas.entry(r.campaign_id).or_default().add(r, *finished);
        if let Some(run) = r.run_id {
            run_deltas.entry(run).or_default().add(r, *finished);
        }
    }
    let mut script = String::new();
    // A campaign whose last pending request finished is completed, or, when it recurs, scheduled for
    // its next run; a live one keeps running.
    for (campaign_id, d) in &deltas {
        let (sent, delivered, failed, done) = d.parts();
        let _ = write!(
            script,
            "UPDATE campaigns SET sent_users = sent_users + {sent},
             delivered_users = delivered_users + {delivered}, failed_users = failed_users + {failed},
             pending_requests = pending_requests - {done},
             completed_at = CASE WHEN status = 'running' AND NOT ongoing
                                 AND pending_requests - {done} <= 0 THEN {now} ELSE completed_at END,
             status = CASE WHEN status = 'running' AND pending_requests - {done} <= 0 THEN
                             CASE WHEN NOT ongoing THEN 'completed'
                                  WHEN scheduled_at IS NOT NULL THEN 'scheduled' ELSE status END
                      ELSE status END
             WHERE id = {campaign_id};"
        );
        activity::push_add(&mut script, *campaign_id, now, (sent, delivered, failed));
    }
    for (run_id, d) in &run_deltas {
        let (sent, delivered, failed, done) = d.parts();
        let _ = write!(
            script,
            "UPDATE campaign_runs SET sent_users = sent_users + {sent},
             delivered_users = delivered_users + {delivered}, failed_users = failed_users + {failed},
             pending_requests = pending_requests - {done} WHERE id = {run_id};"
        );
    }
    activity::push_latencies(&mut script, &latencies);
    if !script.is_empty() {
        // Every statement of the script in turn, in one hop; not kept in the prepared-statement cache
        // (each script is different and would push out the statements that are used again).
        sqlx::query(&script)
            .persistent(false)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
