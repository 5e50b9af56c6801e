//! The dispatcher: claims due deliveries from the outbox, sends them with bounded concurrency, and
//! hands each result to the recorder, which writes attempts and outcomes in batched transactions.
//! A claim is a lease: a delivery whose result never got recorded (the process died) is claimed again
//! once its lease ends, so every delivery is sent at least once and none is lost. One whose success
//! was recorded is never sent again.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio::task::JoinSet;

use super::authorized;
use super::client::{Answer, SendError};
use super::retry::{Verdict, judge};
use super::target::{self, Target};
use crate::Engine;
use crate::store::deliveries::{self, AttemptRecord, Claimed, Outcome, Recorded};
use crate::store::now_ms;

/// Most deliveries claimed by one query.
const CLAIM_BATCH: usize = 256;
/// Most results written by one transaction.
const RECORD_BATCH: usize = 512;
/// How long the dispatcher sleeps at most when nothing is due (claims of a dead process expire).
const IDLE_POLL: Duration = Duration::from_secs(1);
/// How much longer than the request timeout a claim lasts: room for recording the result.
const LEASE_MARGIN: Duration = Duration::from_secs(60);

type TargetResult = Arc<Result<Target, String>>;

pub async fn run_dispatcher(engine: Arc<Engine>, mut stop: watch::Receiver<bool>) {
    let (results, results_rx) = mpsc::unbounded_channel();
    let recorder = tokio::spawn(record_results(engine.clone(), results_rx));
    let concurrency = usize::try_from(engine.config.dispatch_concurrency).unwrap_or(64);
    let semaphore = Arc::new(Semaphore::new(concurrency));
    let lease = engine.config.request_timeout() + LEASE_MARGIN;
    // Claiming ahead of the free permits keeps claim queries few; a few rounds of sends at most, so
    // the last of a claim still starts well within its lease.
    let claim_size = u32::try_from((concurrency * 4).min(CLAIM_BATCH)).unwrap_or(1);
    let mut in_flight = JoinSet::new();
    'claiming: loop {
        let now = now_ms();
        let lease_until = now + i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
        let claimed = match deliveries::claim(&engine.db, now, lease_until, claim_size).await {
            Ok(claimed) => claimed,
            Err(e) => {
                tracing::error!(error = %e, "dispatcher: could not claim deliveries");
                Vec::new()
            }
        };
        if claimed.is_empty() {
            if !wait_for_work(&engine, &mut stop).await {
                break;
            }
            continue;
        }
        let targets = load_targets(&engine, &claimed).await;
        let mut claimed = claimed.into_iter();
        while let Some(delivery) = claimed.next() {
            while in_flight.try_join_next().is_some() {}
            let permit = tokio::select! {
                permit = semaphore.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
                _ = stop.changed() => {
                    let unsent: Vec<i64> = std::iter::once(delivery.id).chain(claimed.map(|d| d.id)).collect();
                    if let Err(e) = deliveries::release(&engine.db, &unsent).await {
                        tracing::warn!(error = %e, "dispatcher: claims left to expire");
                    }
                    break 'claiming;
                }
            };
            let target = targets[&delivery.campaign_id].clone();
            in_flight.spawn(deliver(
                engine.clone(),
                delivery,
                target,
                results.clone(),
                permit,
            ));
        }
    }
    // Shutting down: nothing new is claimed; the requests in flight finish and are recorded.
    while in_flight.join_next().await.is_some() {}
    drop(results);
    let _ = recorder.await;
}

/// Sleeps until the next delivery is due, a publish or retry wakes us, or `IDLE_POLL` passes.
/// `false` when the process is stopping.
async fn wait_for_work(engine: &Engine, stop: &mut watch::Receiver<bool>) -> bool {
    let sleep = match deliveries::next_due(&engine.db).await {
        Ok(Some(at)) => Duration::from_millis(u64::try_from(at - now_ms()).unwrap_or(0))
            .clamp(Duration::from_millis(5), IDLE_POLL),
        Ok(None) => IDLE_POLL,
        Err(e) => {
            tracing::error!(error = %e, "dispatcher: could not read the next due time");
            IDLE_POLL
        }
    };
    tokio::select! {
        () = tokio::time::sleep(sleep) => true,
        () = engine.dispatch_wake.notified() => true,
        _ = stop.changed() => false,
    }
}

async fn load_targets(engine: &Engine, claimed: &[Claimed]) -> HashMap<i64, TargetResult> {
    let mut targets = HashMap::new();
    for delivery in claimed {
        if let Entry::Vacant(slot) = targets.entry(delivery.campaign_id) {
            slot.insert(Arc::new(target::load(engine, delivery.campaign_id).await));
        }
    }
    targets
}

async fn deliver(
    engine: Arc<Engine>,
    delivery: Claimed,
    target: TargetResult,
    results: mpsc::UnboundedSender<Recorded>,
    _permit: OwnedSemaphorePermit,
) {
    let number = delivery.attempts + 1;
    let started_at = now_ms();
    let (attempt, outcome) = match &*target {
        Ok(target) => {
            let request = target.request(&delivery.webhook_id, &delivery.body);
            let result = authorized::send(&engine, &target.template, request).await;
            let verdict = judge(
                &result,
                u32::try_from(number).unwrap_or(u32::MAX),
                &engine.retry,
            );
            (attempt_of(number, started_at, &result), outcome_of(verdict))
        }
        Err(reason) => (
            AttemptRecord {
                number,
                started_at,
                status: None,
                latency_ms: None,
                error: Some(reason.clone()),
                response_excerpt: String::new(),
            },
            Outcome::Failed {
                reason: format!("Not sent: {reason}"),
            },
        ),
    };
    // The recorder outlives every sender; a send can only fail if it panicked, and then the claim
    // expires and the delivery is sent again.
    let _ = results.send(Recorded {
        delivery_id: delivery.id,
        campaign_id: delivery.campaign_id,
        users: delivery.users,
        attempt,
        outcome,
    });
}

fn attempt_of(number: i64, started_at: i64, result: &Result<Answer, SendError>) -> AttemptRecord {
    let millis = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    match result {
        Ok(answer) => AttemptRecord {
            number,
            started_at,
            status: Some(i64::from(answer.status)),
            latency_ms: Some(millis(answer.latency)),
            error: None,
            response_excerpt: answer.body_excerpt.clone(),
        },
        Err(e) => AttemptRecord {
            number,
            started_at,
            status: None,
            latency_ms: Some(now_ms() - started_at),
            error: Some(e.to_string()),
            response_excerpt: String::new(),
        },
    }
}

fn outcome_of(verdict: Verdict) -> Outcome {
    match verdict {
        Verdict::Delivered => Outcome::Delivered,
        Verdict::Failed(reason) => Outcome::Failed { reason },
        Verdict::RetryIn(delay) => {
            Outcome::RetryAt(now_ms() + i64::try_from(delay.as_millis()).unwrap_or(i64::MAX))
        }
    }
}

/// Writes results as they come, many per transaction. A failed write is retried: the results stay
/// in memory and their claims keep the deliveries from being sent again meanwhile.
async fn record_results(engine: Arc<Engine>, mut results: mpsc::UnboundedReceiver<Recorded>) {
    let mut batch = Vec::with_capacity(RECORD_BATCH);
    while results.recv_many(&mut batch, RECORD_BATCH).await > 0 {
        while let Err(e) = deliveries::record(&engine.db, &batch, now_ms()).await {
            tracing::error!(error = %e, "dispatcher: could not record results; retrying");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        if batch
            .iter()
            .any(|r| matches!(r.outcome, Outcome::RetryAt(_)))
        {
            engine.dispatch_wake.notify_one();
        }
        batch.clear();
    }
}
