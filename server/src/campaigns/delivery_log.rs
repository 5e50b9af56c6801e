//! The delivery log: pages of a campaign's deliveries with their attempts, filtered, and the same as
//! CSV rows for the export.

use std::collections::HashMap;

use app::model::campaign_report::{AttemptOut, DeliveryOut, DeliveryStatus};
use app::model::delivery_log::{
    DELIVERY_PAGE_SIZE, DeliveryFilter, DeliveryPageOut, MAX_DELIVERY_PAGE,
};
use app::model::{CampaignId, DeliveryId};

use crate::error::{EngineError, EngineResult};
use crate::store::deliveries::{AttemptRow, DeliveryRow};
use crate::store::delivery_pages::{self, LogFilter};
use crate::store::{self, Db};

/// A page of campaign `id`'s deliveries older than `before`, newest first.
pub async fn page(
    db: &Db,
    id: CampaignId,
    filter: DeliveryFilter,
    before: Option<DeliveryId>,
    limit: Option<u32>,
) -> EngineResult<DeliveryPageOut> {
    if store::campaigns::get(db, id.0).await?.is_none() {
        return Err(EngineError::not_found(format!(
            "There is no campaign {id}."
        )));
    }
    let filter = log_filter(db, filter).await?;
    let limit = limit
        .unwrap_or(DELIVERY_PAGE_SIZE)
        .clamp(1, MAX_DELIVERY_PAGE);
    let (rows, attempts) =
        delivery_pages::page(db, id.0, &filter, before.map(|b| b.0), limit + 1).await?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    let mut deliveries = deliveries_out(rows, attempts);
    deliveries.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let total = u64::try_from(delivery_pages::count(db, id.0, &filter).await?).unwrap_or(0);
    Ok(DeliveryPageOut {
        next: more.then(|| deliveries.last().map(|d| d.id)).flatten(),
        deliveries,
        total,
    })
}

/// The store's filter: the user named by identity, email or object id, as their profiles.
pub async fn log_filter(db: &Db, filter: DeliveryFilter) -> EngineResult<LogFilter> {
    let filter = filter.normalized();
    let profiles = match &filter.user {
        Some(user) => Some(delivery_pages::profiles_named(db, user).await?),
        None => None,
    };
    Ok(LogFilter {
        status: filter.status.map(|s| s.as_str().to_owned()),
        reason: filter.reason,
        profiles,
    })
}

/// Deliveries as shown, each with its attempts.
pub fn deliveries_out(rows: Vec<DeliveryRow>, attempts: Vec<AttemptRow>) -> Vec<DeliveryOut> {
    let mut attempts_of: HashMap<i64, Vec<AttemptOut>> = HashMap::new();
    for a in attempts {
        attempts_of
            .entry(a.delivery_id)
            .or_default()
            .push(attempt_out(a));
    }
    rows.into_iter()
        .map(|d| {
            let status = DeliveryStatus::parse(&d.status).unwrap_or(DeliveryStatus::Pending);
            DeliveryOut {
                id: DeliveryId(d.id),
                webhook_id: d.webhook_id,
                status,
                users: u32::try_from(d.users).unwrap_or(u32::MAX),
                failure_reason: d.failure_reason,
                next_attempt_at: (status == DeliveryStatus::Pending).then_some(d.next_attempt_at),
                created_at: d.created_at,
                finished_at: d.finished_at,
                pruned_at: d.pruned_at,
                attempts: attempts_of.remove(&d.id).unwrap_or_default(),
            }
        })
        .collect()
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
