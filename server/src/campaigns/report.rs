//! The campaign page's data: statistics, failures grouped by reason, and the delivery log with every
//! attempt.

use std::collections::HashMap;

use app::model::campaign_report::{
    AttemptOut, CampaignReportOut, DELIVERY_LOG_LIMIT, DeliveryOut, DeliveryStatus,
    FailureReasonOut,
};
use app::model::{CampaignId, DeliveryId};

use super::get;
use crate::Engine;
use crate::error::EngineResult;
use crate::store::deliveries::{self, AttemptRow};

pub async fn report(engine: &Engine, id: CampaignId) -> EngineResult<CampaignReportOut> {
    let campaign = get(engine, id).await?;
    let failures = deliveries::failures_by_reason(&engine.db, id.0)
        .await?
        .into_iter()
        .map(|f| FailureReasonOut {
            reason: f.reason,
            requests: u64::try_from(f.requests).unwrap_or(0),
            users: u64::try_from(f.users).unwrap_or(0),
        })
        .collect();
    let (rows, attempts) = deliveries::log(&engine.db, id.0, DELIVERY_LOG_LIMIT).await?;
    let mut attempts_of: HashMap<i64, Vec<AttemptOut>> = HashMap::new();
    for a in attempts {
        attempts_of
            .entry(a.delivery_id)
            .or_default()
            .push(attempt_out(a));
    }
    let deliveries = rows
        .into_iter()
        .map(|d| {
            let status = DeliveryStatus::parse(&d.status).unwrap_or(DeliveryStatus::Pending);
            DeliveryOut {
                id: DeliveryId(d.id),
                webhook_id: d.webhook_id,
                status,
                users: u32::try_from(d.users).unwrap_or(u32::MAX),
                failure_reason: d.failure_reason,
                next_attempt_at: (status == DeliveryStatus::Pending).then_some(d.next_attempt_at),
                attempts: attempts_of.remove(&d.id).unwrap_or_default(),
            }
        })
        .collect();
    Ok(CampaignReportOut {
        campaign,
        failures,
        deliveries,
    })
}

fn attempt_out(a: AttemptRow) -> AttemptOut {
    AttemptOut {
        number: u32::try_from(a.number).unwrap_or(0),
        at: a.started_at,
        status: a.status.and_then(|s| u16::try_from(s).ok()),
        latency_ms: a.latency_ms.and_then(|l| u64::try_from(l).ok()),
        error: a.error,
        response_excerpt: a.response_excerpt,
    }
}
