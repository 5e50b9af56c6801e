//! What one claim takes: the templates with no limits together (up to the claim size), each limited
//! template apart (within its allowance, `throttle`), and nothing of the templates whose destination's
//! circuit is open (`breaker`).

use app::model::webhook::DeliveryLimits;

use super::throttle::Throttle;
use crate::breaker::Breakers;
use crate::store::claims::ClaimPlan;
use crate::store::{Db, templates};

/// A claim's plan, and what the dispatcher waits for when it claims nothing.
pub struct Round {
    pub plan: ClaimPlan,
    /// Templates whose deliveries cannot be taken now (full, or their circuit is open).
    pub waiting: Vec<i64>,
    /// When one of those may be taken again (a rate slot, a probe), unix ms.
    pub wake_at: Option<i64>,
}

pub async fn round(
    db: &Db,
    throttle: &Throttle,
    breakers: &Breakers,
    (now, template_saves): (i64, u64),
    limit: u32,
    in_flight: Vec<i64>,
) -> Round {
    if throttle.limits_due(now, template_saves) {
        refresh_limits(db, throttle, (now, template_saves)).await;
    }
    let (held, next_probe) = breakers.held_templates(now);
    let allowance = throttle.allowance(now);
    let apart = allowance
        .open
        .into_iter()
        .filter(|(template, _)| !held.contains(template))
        .map(|(template, room)| (template, room.min(limit)))
        .collect();
    let mut except_templates = throttle.limited();
    except_templates.extend(&held);
    let mut waiting = held;
    waiting.extend(allowance.full);
    let wake_at = match (next_probe, allowance.next_slot_at) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    Round {
        plan: ClaimPlan {
            limit,
            except_templates,
            apart,
            except_deliveries: in_flight,
        },
        waiting,
        wake_at,
    }
}

/// Reads the templates' limits again (`at`: the time and the count of template saves).
async fn refresh_limits(db: &Db, throttle: &Throttle, at: (i64, u64)) {
    match templates::limited(db).await {
        Ok(rows) => throttle.refresh(
            at,
            rows.into_iter().map(|(id, per_second, in_flight)| {
                let limit = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
                let limits = DeliveryLimits {
                    max_per_second: limit(per_second),
                    max_in_flight: limit(in_flight),
                };
                (id, limits)
            }),
        ),
        // The limits read last time stay in force.
        Err(e) => tracing::warn!(error = %e, "dispatcher: could not read the templates' limits"),
    }
}
