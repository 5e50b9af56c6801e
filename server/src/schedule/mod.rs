//! The scheduler: starts each scheduled campaign (each run of a recurring one) when its time comes and
//! writes the deliveries of
//! every preparing campaign (published to send now, just started, or left half-written by a process
//! that died). It sleeps until the next one is due (or a publish wakes it), with a bounded sleep so a
//! changed clock is noticed.
//!
//! Error policy: a campaign whose preparation fails is logged and tried again after a growing wait,
//! while the others go on; a database that cannot even list what is due makes the scheduler wait and
//! report itself failing to `/healthz`.

pub mod live;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use app::model::campaign::CampaignDraft;

use crate::Engine;
use crate::backoff::Backoff;
use crate::campaigns::run;
use crate::store::campaigns::{self as table, AfterRun};
use crate::time::recurring;

const MAX_SLEEP: Duration = Duration::from_secs(30);
pub const WORKER: &str = "scheduler";

/// Campaigns whose preparation failed, and when to try each again.
#[derive(Default)]
struct Failures(HashMap<i64, (Backoff, i64)>);

impl Failures {
    fn may_try(&self, id: i64, now: i64) -> bool {
        self.0.get(&id).is_none_or(|(_, at)| *at <= now)
    }

    fn failed(&mut self, id: i64, now: i64) -> Duration {
        let (backoff, at) = self.0.entry(id).or_insert_with(|| {
            (
                Backoff::new(Duration::from_secs(1), Duration::from_secs(300)),
                now,
            )
        });
        let wait = backoff.next_wait();
        *at = now + i64::try_from(wait.as_millis()).unwrap_or(i64::MAX / 4);
        wait
    }

    fn succeeded(&mut self, id: i64) {
        self.0.remove(&id);
    }

    /// The earliest time a failed campaign may be tried again.
    fn next_retry(&self) -> Option<i64> {
        self.0.values().map(|(_, at)| *at).min()
    }
}

pub async fn run_scheduler(engine: Arc<Engine>, mut stop: watch::Receiver<bool>) {
    let mut failures = Failures::default();
    let mut backoff = Backoff::new(Duration::from_millis(200), MAX_SLEEP);
    engine.health.ok(WORKER);
    loop {
        let sleep = match tick(&engine, &mut failures).await {
            Ok(next) => {
                backoff.reset();
                engine.health.ok(WORKER);
                next
            }
            Err(e) => {
                engine.health.failing(WORKER);
                tracing::error!(error = %e, "scheduler: cannot read the schedule");
                backoff.next_wait()
            }
        };
        tokio::select! {
            () = tokio::time::sleep(sleep) => {}
            () = engine.schedule_wake.notified() => {}
            _ = stop.changed() => break,
        }
    }
}

/// What follows a run starting at `now`: nothing, or a recurring campaign's next run (the run after
/// `now`, so the runs a stopped process missed are not made up one after another).
fn after_run(engine: &Engine, definition: &str, now: i64) -> AfterRun {
    let draft: Option<CampaignDraft> = serde_json::from_str(definition).ok();
    match draft.as_ref().and_then(CampaignDraft::recurrence) {
        Some(recurrence) => AfterRun::NextRun(recurring::next_run(recurrence, now, &engine.zone)),
        None => AfterRun::Nothing,
    }
}

/// Starts what is due and prepares what is preparing; returns how long to sleep.
async fn tick(engine: &Engine, failures: &mut Failures) -> sqlx::Result<Duration> {
    let now = engine.clock.now_ms();
    for id in table::due(&engine.db, now).await? {
        let after = match table::get(&engine.db, id).await? {
            Some(row) => after_run(engine, &row.definition, now),
            None => continue,
        };
        if table::begin_run(&engine.db, id, now, after).await? {
            tracing::info!(campaign = id, ?after, "scheduled run started");
        }
    }
    for id in table::preparing(&engine.db).await? {
        let now = engine.clock.now_ms();
        if !failures.may_try(id, now) {
            continue;
        }
        match run::prepare(engine, id).await {
            Ok(()) => failures.succeeded(id),
            Err(e) => {
                let wait = failures.failed(id, now);
                tracing::error!(campaign = id, error = %e, ?wait, "scheduler: preparing the campaign failed; trying again later");
            }
        }
    }
    let now = engine.clock.now_ms();
    let next = [
        table::next_scheduled_at(&engine.db).await?,
        failures.next_retry(),
    ]
    .into_iter()
    .flatten()
    .min();
    Ok(next.map_or(MAX_SLEEP, |at| {
        Duration::from_millis(u64::try_from(at - now).unwrap_or(0)).min(MAX_SLEEP)
    }))
}
