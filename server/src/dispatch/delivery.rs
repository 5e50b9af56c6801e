//! One claimed delivery: its request built, authorised and sent (unless its campaign was stopped in the
//! meantime), and the result judged, ready for the recorder.

use std::sync::Arc;
use std::time::Duration;

use super::retry::{Verdict, judge};
use crate::Engine;
use crate::campaigns::target::Target;
use crate::outbound::Answer;
use crate::outgoing::{Failure, send};
use crate::store::claims::{self, Claimed};
use crate::store::results::{AttemptRecord, Outcome, Recorded};

/// A campaign's target, loaded once per claim batch, or why it has none.
pub type TargetResult = Arc<Result<Target, String>>;

/// Makes attempt `attempts + 1` of `delivery`; `None` if its claim is no longer this dispatcher's
/// (then nothing was sent).
pub async fn attempt(
    engine: &Engine,
    delivery: &Claimed,
    target: &TargetResult,
) -> Option<Recorded> {
    if !keep_claim(engine, delivery).await {
        return None;
    }
    Some(attempt_claimed(engine, delivery, target).await)
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

async fn attempt_claimed(engine: &Engine, delivery: &Claimed, target: &TargetResult) -> Recorded {
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
            return recorded(Some(attempt), Outcome::Failed { reason });
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
        return recorded(None, Outcome::Halted);
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
    );
    let finished_at = engine.clock.now_ms();
    recorded(
        Some(attempt_of(number, started_at, finished_at, &result)),
        outcome_of(verdict, finished_at),
    )
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
