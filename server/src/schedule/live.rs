//! The live worker: decides live campaigns' triggers as they fall due — woken by ingestion the moment
//! an upload wrote triggers, or by its own timer for delayed ones — and ends live campaigns whose end
//! has passed.
//!
//! Error policy: a pass that fails (the database) is logged and tried again after a growing wait,
//! reported to `/healthz` meanwhile; nothing is lost, the triggers stay waiting in the database.

use std::sync::Arc;
use std::time::Duration;

use app::model::campaign::CampaignDraft;
use tokio::sync::watch;

use crate::Engine;
use crate::backoff::Backoff;
use crate::campaigns::{self, live};
use crate::store::{campaigns as campaigns_table, live as table};

/// The longest sleep, so a changed clock (or an end time) is noticed.
const MAX_SLEEP: Duration = Duration::from_secs(30);
pub const WORKER: &str = "live";

pub async fn run_live(engine: Arc<Engine>, mut stop: watch::Receiver<bool>) {
    let mut backoff = Backoff::new(Duration::from_millis(200), MAX_SLEEP);
    engine.health.ok(WORKER);
    loop {
        let sleep = match tick(&engine).await {
            Ok(next) => {
                backoff.reset();
                engine.health.ok(WORKER);
                next
            }
            Err(e) => {
                engine.health.failing(WORKER);
                tracing::error!(error = %e, "live worker: deciding triggers failed; trying again");
                backoff.next_wait()
            }
        };
        tokio::select! {
            () = tokio::time::sleep(sleep) => {}
            () = engine.live_wake.notified() => {}
            _ = stop.changed() => break,
        }
    }
}

/// Decides everything due, ends what has ended; returns how long to sleep.
async fn tick(engine: &Engine) -> anyhow::Result<Duration> {
    while live::decide_due(engine).await? > 0 {}
    end_past_campaigns(engine).await?;
    let now = engine.clock.now_ms();
    Ok(table::next_due(&engine.db).await?.map_or(MAX_SLEEP, |at| {
        Duration::from_millis(u64::try_from(at - now).unwrap_or(0)).min(MAX_SLEEP)
    }))
}

async fn end_past_campaigns(engine: &Engine) -> anyhow::Result<()> {
    let now = engine.clock.now_ms();
    let mut ended = false;
    for row in table::live_campaigns(&engine.db).await? {
        let Ok(draft) = serde_json::from_str::<CampaignDraft>(&row.definition) else {
            continue;
        };
        if crate::live::window(&draft.live, &engine.zone)
            .1
            .is_some_and(|end| end <= now)
        {
            ended |= campaigns_table::end_live(&engine.db, row.id, now).await?;
            tracing::info!(campaign = row.id, "live campaign ended");
        }
    }
    if ended {
        campaigns::refresh_live(engine).await?;
    }
    Ok(())
}
