//! The scheduler: starts each scheduled campaign when its time comes. It sleeps until the next one is
//! due (or a publish wakes it), with a bounded sleep so a changed clock is noticed.

pub mod local_time;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::Engine;
use crate::campaigns::{run, stored};
use crate::store::{self, campaigns as table};

const MAX_SLEEP: Duration = Duration::from_secs(30);

pub async fn run_scheduler(engine: Arc<Engine>, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(e) = start_due(&engine).await {
            tracing::error!(error = %e, "scheduler: could not start due campaigns");
        }
        let sleep = match table::next_scheduled_at(&engine.db).await {
            Ok(Some(at)) => Duration::from_millis(u64::try_from(at - store::now_ms()).unwrap_or(0))
                .min(MAX_SLEEP),
            Ok(None) => MAX_SLEEP,
            Err(e) => {
                tracing::error!(error = %e, "scheduler: could not read the schedule");
                MAX_SLEEP
            }
        };
        tokio::select! {
            () = tokio::time::sleep(sleep) => {}
            () = engine.schedule_wake.notified() => {}
            _ = stop.changed() => break,
        }
    }
}

async fn start_due(engine: &Engine) -> anyhow::Result<()> {
    for id in table::due(&engine.db, store::now_ms()).await? {
        let Some(row) = table::get(&engine.db, id).await? else {
            continue;
        };
        let campaign = stored::to_out(row).map_err(anyhow::Error::msg)?;
        run::run(engine, id, &campaign.draft).await?;
    }
    Ok(())
}
