//! The campaign list's one answer: each campaign's row with its trend, and the project's clock.

use std::collections::HashMap;

use app::model::campaign_list::{CampaignRowOut, CampaignsOverviewOut};

use crate::Engine;
use crate::error::EngineResult;
use crate::time::zone_clock::zone_clock;

pub async fn overview(engine: &Engine) -> EngineResult<CampaignsOverviewOut> {
    let mut trends: HashMap<_, _> = super::charts::trends(&engine.db)
        .await?
        .into_iter()
        .map(|trend| (trend.id, trend))
        .collect();
    let campaigns = super::list(engine)
        .await?
        .into_iter()
        .map(|campaign| {
            let trend = trends.remove(&campaign.id);
            CampaignRowOut::new(campaign, trend)
        })
        .collect();
    let clock = zone_clock(
        &engine.config.time_zone,
        &engine.zone,
        engine.clock.now_ms(),
    );
    Ok(CampaignsOverviewOut { campaigns, clock })
}
