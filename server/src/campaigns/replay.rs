//! Replaying a campaign's failed deliveries (the delivery log's Replay buttons, `campaigns/replay`).

use app::model::campaign_report::ReplayOut;
use app::model::{CampaignId, DeliveryId};

use super::get;
use crate::Engine;
use crate::error::{EngineError, EngineResult};
use crate::store::deliveries;

/// Puts campaign `id`'s failed deliveries (`delivery_ids`, or all) back in the outbox with their
/// webhook-id and a fresh retry budget; their new attempts follow the old ones in the log.
pub async fn replay(
    engine: &Engine,
    id: CampaignId,
    delivery_ids: Option<Vec<DeliveryId>>,
) -> EngineResult<ReplayOut> {
    let ids: Option<Vec<i64>> = delivery_ids.map(|ids| ids.iter().map(|d| d.0).collect());
    let replayed = {
        let _turn = engine.writes.enter().await;
        deliveries::replay(&engine.db, id.0, ids.as_deref(), engine.clock.now_ms()).await?
    };
    let Some(replayed) = replayed else {
        let current = get(engine, id).await?;
        return Err(EngineError::conflict(format!(
            "A {} campaign sends nothing; its deliveries cannot be replayed.",
            current.status.label().to_lowercase()
        )));
    };
    if replayed == 0 {
        return Err(EngineError::conflict(
            "There is no failed delivery to replay (a request that could not be rendered is never sent, and one older than the retention period has no body left).",
        ));
    }
    engine.dispatch_wake.notify_one();
    tracing::info!(campaign = id.0, replayed, "replayed failed deliveries");
    Ok(ReplayOut { replayed })
}
