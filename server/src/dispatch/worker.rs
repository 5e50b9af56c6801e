//! The dispatcher: claims due deliveries from the outbox, sends them with bounded concurrency, and
//! hands each result to the recorder (`dispatch::recorder`), which writes attempts and outcomes in
//! batched transactions.
//!
//! The claim protocol (ARCHITECTURE.md has the whole of it):
//! - a claim is a lease with a token; a result is recorded only under the token of the claim that
//!   sent it (`store::results`), so nothing is counted twice;
//! - a few rounds of sends are claimed at once (claims are writes: fewer is faster), and each send
//!   starts with at least half a lease ahead: a claim that waited longer for a permit is renewed
//!   first, one that is no longer current is not sent (`delivery::keep_claim`);
//! - deliveries this process still has in flight are left out of new claims, so a lease that runs out
//!   during a slow send never leads this process to send the same webhook-id again;
//! - right before a request leaves, the campaign is checked against Stop (`CampaignHalts`), so
//!   nothing claimed but not started goes out after a Stop;
//! - limited templates are claimed apart and wait for their start slots without a permit
//!   (`throttle`), and deliveries whose destination's circuit is open are not claimed, or go back
//!   unspent (`crate::breaker`).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio::task::JoinSet;

use super::delivery::{self, Attempt, TargetResult};
use super::in_flight::InFlight;
use super::plan::{self, Round};
use super::recorder::{self, RECORD_BATCH};
use super::throttle::{Slot, Throttle};
use crate::Engine;
use crate::backoff::Backoff;
use crate::campaigns::target::{self, Target};
use crate::metrics::DeliveryOutcome;
use crate::store::claims::{self, Claimed};
use crate::store::results::{Outcome, Recorded};

/// Most deliveries claimed by one query.
const CLAIM_BATCH: usize = 256;
/// How long the dispatcher sleeps at most when nothing is due.
const IDLE_POLL: Duration = Duration::from_secs(1);
pub const WORKER: &str = "dispatcher";

/// Runs until `stop`; `Err` when the recorder stopped unexpectedly (the supervisor then starts a new
/// dispatcher: the deliveries this one had in flight are sent again once their claims expire).
pub async fn run_dispatcher(
    engine: Arc<Engine>,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    // Bounded: when the database cannot keep up, senders wait, and so does claiming.
    let (results, results_rx) = mpsc::channel(RECORD_BATCH * 2);
    let in_flight = InFlight::default();
    let recorder = {
        let engine = engine.clone();
        let in_flight = in_flight.clone();
        tokio::spawn(async move { recorder::run(&engine, results_rx, in_flight).await })
    };
    let concurrency = usize::try_from(engine.config.dispatch_concurrency).unwrap_or(64);
    let semaphore = Arc::new(Semaphore::new(concurrency));
    // Claiming a few rounds of sends at once keeps claim queries (writes) few; each delivery's claim
    // is checked, and renewed if need be, when its send starts (`delivery::keep_claim`).
    let claim_size = u32::try_from((concurrency * 4).min(CLAIM_BATCH)).unwrap_or(1);
    let lease = i64::try_from(engine.config.claim_lease().as_millis()).unwrap_or(i64::MAX / 4);
    let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(5));
    let mut sends = JoinSet::new();
    let throttle = Throttle::default();
    engine.health.ok(WORKER);
    engine.health.ok(recorder::WORKER);
    'claiming: loop {
        while let Some(done) = sends.try_join_next() {
            log_panic(done);
        }
        if recorder.is_finished() {
            engine.health.dead(recorder::WORKER);
            anyhow::bail!("the recorder stopped");
        }
        let now = engine.clock.now_ms();
        let round = plan::round(
            &engine.db,
            &throttle,
            &engine.breakers,
            (now, engine.template_saves.load(Ordering::Acquire)),
            claim_size,
            in_flight.ids(),
        )
        .await;
        let claimed = {
            let _turn = engine.writes.enter().await;
            claims::claim(&engine.db, now, now + lease, &round.plan).await
        };
        let claimed = match claimed {
            Ok(claimed) => {
                backoff.reset();
                engine.health.ok(WORKER);
                claimed
            }
            Err(e) => {
                engine.health.failing(WORKER);
                let wait = backoff.next_wait();
                tracing::error!(error = %e, ?wait, "dispatcher: could not claim deliveries");
                if !pause(wait, &mut stop).await {
                    break;
                }
                continue;
            }
        };
        if claimed.is_empty() {
            let waiting = Waiting {
                round: &round,
                throttle: &throttle,
            };
            if !wait_for_work(&engine, &mut stop, &mut backoff, waiting).await {
                break;
            }
            continue;
        }
        in_flight.add(claimed.iter().map(|d| d.id));
        let targets = load_targets(&engine, &claimed).await;
        let mut held = Vec::new();
        let mut claimed = claimed.into_iter();
        while let Some(delivery) = claimed.next() {
            let target = targets[&delivery.campaign_id].clone();
            let template = match &*target {
                Ok(t)
                    if t.host
                        .as_deref()
                        .is_some_and(|h| engine.breakers.holds(h, now)) =>
                {
                    held.push(delivery);
                    continue;
                }
                Ok(t) => Some(t.template.id.0),
                Err(_) => None,
            };
            let delivery_id = delivery.id;
            let send = Send {
                engine: engine.clone(),
                delivery,
                target,
                results: results.clone(),
                unrecorded: Unrecorded {
                    in_flight: in_flight.clone(),
                    delivery: Some(delivery_id),
                },
            };
            if let Some(slot) = template.and_then(|t| throttle.take(t, now)) {
                sends.spawn(send_in_slot(send, semaphore.clone(), slot));
                continue;
            }
            let permit = tokio::select! {
                permit = semaphore.clone().acquire_owned() => permit.expect("never closed"),
                _ = stop.changed() => {
                    held.extend(std::iter::once(send.delivery).chain(claimed));
                    give_back(&engine, &in_flight, &held).await;
                    break 'claiming;
                }
            };
            sends.spawn(send.run(permit, None));
        }
        if !held.is_empty() {
            give_back(&engine, &in_flight, &held).await;
        }
    }
    // Stopping: nothing new is claimed; the requests in flight finish and are recorded.
    while let Some(done) = sends.join_next().await {
        log_panic(done);
    }
    drop(results);
    recorder.await?;
    Ok(())
}

/// Releases the claims of deliveries this dispatcher will not send now (it is stopping, or their
/// destination's circuit is open): they are due again at once, their attempts unspent.
async fn give_back(engine: &Engine, in_flight: &InFlight, unsent: &[Claimed]) {
    let claims: Vec<(i64, i64)> = unsent.iter().map(|d| (d.id, d.claim_token)).collect();
    let released = {
        let _turn = engine.writes.enter().await;
        claims::release(&engine.db, &claims).await
    };
    if let Err(e) = released {
        tracing::warn!(error = %e, "dispatcher: claims left to expire");
    }
    in_flight.remove(unsent.iter().map(|d| d.id));
}

fn log_panic(done: Result<(), tokio::task::JoinError>) {
    if let Err(e) = done
        && e.is_panic()
    {
        tracing::error!(error = %e, "dispatcher: a send panicked; its delivery is sent again when its claim expires");
    }
}

/// A delivery whose result has not reached the recorder: if its send ends without handing one over
/// (it panicked), the delivery leaves the in-flight set, so it can be claimed again once its lease
/// ends.
struct Unrecorded {
    in_flight: InFlight,
    /// `None` once the result was handed over.
    delivery: Option<i64>,
}

impl Drop for Unrecorded {
    fn drop(&mut self) {
        if let Some(id) = self.delivery {
            self.in_flight.remove([id]);
        }
    }
}

/// What a round that claimed nothing leaves waiting.
struct Waiting<'a> {
    round: &'a Round,
    throttle: &'a Throttle,
}

/// Sleeps until the next delivery is due (leaving out the templates that wait for room or for their
/// circuit), one of those may go again, a publish, retry or finished limited request wakes us, or
/// `IDLE_POLL` passes. `false` when the process is stopping.
async fn wait_for_work(
    engine: &Engine,
    stop: &mut watch::Receiver<bool>,
    backoff: &mut Backoff,
    waiting: Waiting<'_>,
) -> bool {
    let until = |at: i64| {
        Duration::from_millis(u64::try_from(at - engine.clock.now_ms()).unwrap_or(0))
            .clamp(Duration::from_millis(5), IDLE_POLL)
    };
    let wake = waiting.round.wake_at.map_or(IDLE_POLL, until);
    let sleep = match claims::next_due(&engine.db, &waiting.round.waiting).await {
        Ok(Some(at)) => until(at).min(wake),
        Ok(None) => wake,
        Err(e) => {
            engine.health.failing(WORKER);
            tracing::error!(error = %e, "dispatcher: could not read the next due time");
            backoff.next_wait()
        }
    };
    tokio::select! {
        () = tokio::time::sleep(sleep) => true,
        () = engine.dispatch_wake.notified() => true,
        () = waiting.throttle.freed.notified() => true,
        _ = stop.changed() => false,
    }
}

/// Sleeps for `wait`; `false` when the process is stopping.
async fn pause(wait: Duration, stop: &mut watch::Receiver<bool>) -> bool {
    tokio::select! {
        () = tokio::time::sleep(wait) => true,
        _ = stop.changed() => false,
    }
}

async fn load_targets(engine: &Engine, claimed: &[Claimed]) -> HashMap<i64, TargetResult> {
    let mut targets = HashMap::new();
    for delivery in claimed {
        if let Entry::Vacant(slot) = targets.entry(delivery.campaign_id) {
            let target = target::load(&engine.db, &engine.secrets, delivery.campaign_id).await;
            if let Ok(Target {
                template,
                host: Some(host),
                ..
            }) = &target
            {
                engine.breakers.route(template.id.0, host);
            }
            slot.insert(Arc::new(target));
        }
    }
    targets
}

/// One claimed delivery on its way out.
struct Send {
    engine: Arc<Engine>,
    delivery: Claimed,
    target: TargetResult,
    results: mpsc::Sender<Recorded>,
    unrecorded: Unrecorded,
}

/// Counts an attempt's outcome and duration in the metrics.
fn count(engine: &Engine, recorded: &Recorded) {
    let outcome = match recorded.outcome {
        Outcome::Delivered => DeliveryOutcome::Delivered,
        Outcome::RetryAt(_) => DeliveryOutcome::Retried,
        Outcome::Failed { .. } => DeliveryOutcome::Failed,
        Outcome::ProbeFailed(_) => DeliveryOutcome::ProbeFailed,
        Outcome::Halted => DeliveryOutcome::Halted,
    };
    let took = recorded
        .attempt
        .as_ref()
        .and_then(|a| a.latency_ms)
        .and_then(|ms| u64::try_from(ms).ok())
        .map(Duration::from_millis);
    engine.metrics.delivery(outcome, took);
}

/// A limited template's delivery: waits for its start slot, then for a permit like any other.
async fn send_in_slot(send: Send, semaphore: Arc<Semaphore>, slot: Slot) {
    tokio::time::sleep(slot.wait).await;
    let permit = semaphore.acquire_owned().await.expect("never closed");
    send.run(permit, Some(slot)).await;
}

impl Send {
    /// Sends the delivery (its `slot` counts in flight until the answer) and hands the result to the
    /// recorder.
    async fn run(mut self, permit: OwnedSemaphorePermit, slot: Option<Slot>) {
        let engine = &self.engine;
        let attempt = delivery::attempt(engine, &self.delivery, &self.target).await;
        drop(slot);
        let recorded = match attempt {
            Attempt::Made(recorded) => {
                count(engine, &recorded);
                recorded
            }
            Attempt::Lost => return,
            Attempt::Held => {
                engine.metrics.delivery(DeliveryOutcome::Held, None);
                let claim = [(self.delivery.id, self.delivery.claim_token)];
                let _turn = engine.writes.enter().await;
                if let Err(e) = claims::release(&engine.db, &claim).await {
                    tracing::warn!(error = %e, "dispatcher: a held delivery's claim is left to expire");
                }
                return;
            }
        };
        // The permit is held until the recorder took the result: when it lags, claiming waits too.
        let handed_over = self.results.send(recorded).await;
        drop(permit);
        if handed_over.is_ok() {
            // The recorder takes it out of the in-flight set once the result is written.
            self.unrecorded.delivery = None;
        } else {
            tracing::error!(
                delivery = self.delivery.id,
                "dispatcher: the recorder is gone; the delivery is sent again when its claim expires"
            );
        }
    }
}
