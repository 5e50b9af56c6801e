//! One claimed delivery: its request built, authorised and sent (unless its campaign was stopped in the
//! meantime), and the result judged, ready for the recorder.

use std::sync::Arc;
use std::time::Duration;

use super::retry::{Verdict, judge};
use crate::Engine;
use crate::breaker::{Admission, HostHealth};
use crate::campaigns::target::Target;
use crate::outbound::{Answer, SendError};
use crate::outgoing::{Failure, send};
use crate::store::claims::{self, Claimed};
use crate::store::results::{AttemptRecord, Outcome, Recorded};

/// A campaign's target, loaded once per claim batch, or why it has none.
pub type TargetResult = Arc<Result<Target, String>>;

/// How an attempt went.
pub enum Attempt {
    /// Made, and judged: the recorder writes it.
    Made(Recorded),
    /// Nothing was sent: the claim is no longer this dispatcher's.
    Lost,
    /// Nothing was sent: the destination's circuit is open, so the claim goes back unspent.
    Held,
}

/// Makes attempt `attempts + 1` of `delivery`, unless its claim is lost or its destination's circuit
/// is open; tells the circuit how the destination answered.
pub async fn attempt(engine: &Engine, delivery: &Claimed, target: &TargetResult) -> Attempt {
    if !keep_claim(engine, delivery).await {
        return Attempt::Lost;
    }
    let host = target
        .as_ref()
        .as_ref()
        .ok()
        .and_then(|t| t.host.as_deref());
    let probe = match host.map(|h| engine.breakers.admit(h, engine.clock.now_ms())) {
        Some(Admission::Hold) => return Attempt::Held,
        Some(Admission::Probe) => true,
        Some(Admission::Send) | None => false,
    };
    let (mut recorded, health) = attempt_claimed(engine, delivery, target).await;
    if let Some(host) = host {
        let now = engine.clock.now_ms();
        if probe
            && health == HostHealth::Down
            && matches!(
                recorded.outcome,
                Outcome::RetryAt(_) | Outcome::Failed { .. }
            )
        {
            // The destination is still failing: this delivery waits with the others, its retries
            // untouched.
            recorded.outcome = Outcome::ProbeFailed(now);
        }
        if let Some(open) = engine.breakers.record(host, health, probe, now) {
            tracing::warn!(
                host,
                failures = open.failures,
                "circuit opened: the destination's deliveries wait"
            );
        }
        if probe {
            // The circuit closed or stays open: either way the held deliveries' turn changed.
            engine.dispatch_wake.notify_one();
        }
    }
    Attempt::Made(recorded)
}

/// A send starts with at least half a lease ahead of it: a claim that used more than half of its lease
/// waiting for a free permit is renewed first. A claim that cannot be renewed (it expired and another
/// took it, or the delivery is no longer pending) is not sent.
async fn keep_claim(engine: &Engine, delivery: &Claimed) -> bool {
    let lease = i64::try_from(engine.config.claim_lease().as_millis()).unwrap_or(i64::MAX / 4);
    let now = engine.clock.now_ms();
    if delivery.claimed_until - now >= lease / 2 {
        return true;
    }
    let renewed = {
        let _turn = engine.writes.enter().await;
        claims::renew(&engine.db, delivery.id, delivery.claim_token, now + lease).await
    };
    match renewed {
        Ok(current) => current,
        Err(e) => {
            tracing::warn!(error = %e, delivery = delivery.id, "dispatcher: could not renew a claim; sending it later");
            false
        }
    }
}

async fn attempt_claimed(
    engine: &Engine,
    delivery: &Claimed,
    target: &TargetResult,
) -> (Recorded, HostHealth) {
    let number = delivery.attempts + 1;
    let started_at = engine.clock.now_ms();
    let recorded = |attempt, outcome| Recorded {
        delivery_id: delivery.id,
        claim_token: delivery.claim_token,
        campaign_id: delivery.campaign_id,
        run_id: delivery.run_id,
        users: delivery.users,
        attempt,
        outcome,
    };
    let target = match &**target {
        Ok(target) => target,
        Err(reason) => {
            let attempt = AttemptRecord {
                number,
                started_at,
                status: None,
                latency_ms: None,
                error: Some(reason.clone()),
                response_excerpt: String::new(),
            };
            let reason = format!("Not sent: {reason}");
            let failed = recorded(Some(attempt), Outcome::Failed { reason });
            return (failed, HostHealth::Unknown);
        }
    };
    let request = target.request(
        &delivery.webhook_id,
        delivery.query.as_deref(),
        &delivery.body,
    );
    let destination = target.destination();
    let oauth = engine.oauth();
    let authorization = send::authorize(&oauth, &destination).await;
    // The last moment to hold back: waiting for a token can take a while.
    if engine.halts.is_halted(delivery.campaign_id) {
        return (recorded(None, Outcome::Halted), HostHealth::Unknown);
    }
    let result = match authorization {
        Ok(authorization) => {
            send::send_authorized(&oauth, &destination, request, authorization).await
        }
        Err(e) => Err(e),
    };
    // Judged within its retry budget: a replayed delivery gets as many attempts as a new one.
    let verdict = judge(
        &result,
        u32::try_from(number - delivery.budget_from).unwrap_or(u32::MAX),
        &engine.retry,
        rand::random::<f64>(),
    );
    let finished_at = engine.clock.now_ms();
    let made = recorded(
        Some(attempt_of(number, started_at, finished_at, &result)),
        outcome_of(verdict, finished_at),
    );
    (made, health_of(&result))
}

/// What an attempt's result says about its destination host, for its circuit.
fn health_of(result: &Result<Answer, Failure>) -> HostHealth {
    match result {
        Ok(answer) if matches!(answer.status, 408 | 429 | 500..=599) => HostHealth::Down,
        Ok(_) => HostHealth::Up,
        Err(Failure::Http(SendError::BadUrl(_) | SendError::Refused { .. }))
        | Err(Failure::Token(_)) => HostHealth::Unknown,
        Err(Failure::Http(_)) => HostHealth::Down,
    }
}

fn attempt_of(
    number: i64,
    started_at: i64,
    finished_at: i64,
    result: &Result<Answer, Failure>,
) -> AttemptRecord {
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
            latency_ms: Some(finished_at - started_at),
            error: Some(e.to_string()),
            response_excerpt: String::new(),
        },
    }
}

fn outcome_of(verdict: Verdict, now: i64) -> Outcome {
    match verdict {
        Verdict::Delivered => Outcome::Delivered,
        Verdict::Failed(reason) => Outcome::Failed { reason },
        Verdict::RetryIn(delay) => Outcome::RetryAt(
            now.saturating_add(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX)),
        ),
    }
}
