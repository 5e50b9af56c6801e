//! The dispatcher: claims due deliveries from the outbox, sends them with bounded concurrency, and
//! hands each result to the recorder (`dispatch::recorder`), which writes attempts and outcomes in
//! batched transactions.
//!
//! The claim protocol (ARCHITECTURE.md has the whole of it):
//! - only as many deliveries are claimed as there are free send permits, so a claimed delivery
//!   starts at once; nothing claimed waits in a queue where a Stop could not reach it;
//! - a claim is a lease with a token; a result is recorded only under the token of the claim that
//!   sent it (`store::results`), so nothing is counted twice;
//! - deliveries this process still has in flight are left out of new claims, so a lease that runs out
//!   during a slow send never leads this process to send the same webhook-id again;
//! - right before a request leaves, the campaign is checked against Stop (`CampaignHalts`).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio::task::JoinSet;

use super::delivery::{self, TargetResult};
use super::in_flight::InFlight;
use super::recorder::{self, RECORD_BATCH};
use crate::Engine;
use crate::backoff::Backoff;
use crate::campaigns::target;
use crate::store::claims::{self, Claimed};
use crate::store::results::Recorded;

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
    let lease = i64::try_from(engine.config.claim_lease().as_millis()).unwrap_or(i64::MAX / 4);
    let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(5));
    let mut sends = JoinSet::new();
    engine.health.ok(WORKER);
    engine.health.ok(recorder::WORKER);
    loop {
        while let Some(done) = sends.try_join_next() {
            log_panic(done);
        }
        if recorder.is_finished() {
            engine.health.dead(recorder::WORKER);
            anyhow::bail!("the recorder stopped");
        }
        let permits = tokio::select! {
            permits = free_permits(&semaphore, CLAIM_BATCH) => permits,
            _ = stop.changed() => break,
        };
        let now = engine.clock.now_ms();
        let limit = u32::try_from(permits.len()).unwrap_or(1);
        let claimed =
            match claims::claim(&engine.db, now, now + lease, limit, &in_flight.ids()).await {
                Ok(claimed) => {
                    backoff.reset();
                    engine.health.ok(WORKER);
                    claimed
                }
                Err(e) => {
                    engine.health.failing(WORKER);
                    let wait = backoff.next_wait();
                    tracing::error!(error = %e, ?wait, "dispatcher: could not claim deliveries");
                    drop(permits);
                    if !pause(wait, &mut stop).await {
                        break;
                    }
                    continue;
                }
            };
        if claimed.is_empty() {
            drop(permits);
            if !wait_for_work(&engine, &mut stop, &mut backoff).await {
                break;
            }
            continue;
        }
        in_flight.add(claimed.iter().map(|d| d.id));
        let targets = load_targets(&engine, &claimed).await;
        for (delivery, permit) in claimed.into_iter().zip(permits) {
            let target = targets[&delivery.campaign_id].clone();
            let guard = Unrecorded {
                in_flight: in_flight.clone(),
                delivery: delivery.id,
            };
            sends.spawn(send(
                engine.clone(),
                delivery,
                target,
                results.clone(),
                (permit, guard),
            ));
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
    delivery: i64,
}

impl Drop for Unrecorded {
    fn drop(&mut self) {
        if self.delivery != 0 {
            self.in_flight.remove([self.delivery]);
        }
    }
}

/// Waits for one free permit, then takes every other free one, up to `max`.
async fn free_permits(semaphore: &Arc<Semaphore>, max: usize) -> Vec<OwnedSemaphorePermit> {
    let first = semaphore
        .clone()
        .acquire_owned()
        .await
        .expect("the semaphore is never closed");
    let mut permits = vec![first];
    while permits.len() < max {
        match semaphore.clone().try_acquire_owned() {
            Ok(permit) => permits.push(permit),
            Err(_) => break,
        }
    }
    permits
}

/// Sleeps until the next delivery is due, a publish or retry wakes us, or `IDLE_POLL` passes.
/// `false` when the process is stopping.
async fn wait_for_work(
    engine: &Engine,
    stop: &mut watch::Receiver<bool>,
    backoff: &mut Backoff,
) -> bool {
    let sleep = match claims::next_due(&engine.db).await {
        Ok(Some(at)) => {
            Duration::from_millis(u64::try_from(at - engine.clock.now_ms()).unwrap_or(0))
                .clamp(Duration::from_millis(5), IDLE_POLL)
        }
        Ok(None) => IDLE_POLL,
        Err(e) => {
            engine.health.failing(WORKER);
            tracing::error!(error = %e, "dispatcher: could not read the next due time");
            backoff.next_wait()
        }
    };
    tokio::select! {
        () = tokio::time::sleep(sleep) => true,
        () = engine.dispatch_wake.notified() => true,
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
            slot.insert(Arc::new(target));
        }
    }
    targets
}

async fn send(
    engine: Arc<Engine>,
    delivery: Claimed,
    target: TargetResult,
    results: mpsc::Sender<Recorded>,
    (permit, mut unrecorded): (OwnedSemaphorePermit, Unrecorded),
) {
    let recorded = delivery::attempt(&engine, &delivery, &target).await;
    // The permit is held until the recorder took the result: when it lags, claiming waits too.
    let handed_over = results.send(recorded).await;
    drop(permit);
    if handed_over.is_ok() {
        // The recorder takes it out of the in-flight set once the result is written.
        unrecorded.delivery = 0;
    } else {
        tracing::error!(
            delivery = delivery.id,
            "dispatcher: the recorder is gone; the delivery is sent again when its claim expires"
        );
    }
}
