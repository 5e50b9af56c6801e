//! The retention worker: every hour (and soon after start) it deletes the bodies and attempts of
//! deliveries made more than `HOOKLINE_RETENTION_DAYS` ago (`store::retention`), a small batch per
//! write turn with a pause between batches, so sending and ingestion never wait behind it.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::Engine;
use crate::store::retention::{self, Batch};

pub const WORKER: &str = "retention";
/// Deliveries per transaction: a few milliseconds of writing.
const BATCH: u32 = 500;
/// Left to the other writers between two batches.
const BREATHER: Duration = Duration::from_millis(20);
const FIRST_PASS_AFTER: Duration = Duration::from_secs(60);
const PASS_EVERY: Duration = Duration::from_secs(3600);
const DAY_MS: i64 = 86_400_000;

/// Runs until `stop`. Does nothing when retention is off (`HOOKLINE_RETENTION_DAYS=0`).
pub async fn run_retention(engine: Arc<Engine>, mut stop: watch::Receiver<bool>) {
    if engine.config.retention_days == 0 {
        return;
    }
    let mut wait = FIRST_PASS_AFTER;
    loop {
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
        wait = PASS_EVERY;
        match pass(&engine, Some(&mut stop)).await {
            Ok(0) => engine.health.ok(WORKER),
            Ok(pruned) => {
                engine.health.ok(WORKER);
                tracing::info!(
                    deliveries = pruned,
                    "retention: deleted old delivery bodies and attempts"
                );
            }
            Err(e) => {
                engine.health.failing(WORKER);
                tracing::error!(error = %e, "retention: could not delete old deliveries; trying again in an hour");
            }
        }
    }
}

/// One pass: every delivery made before the retention period, batch after batch. Returns how many
/// were pruned. Stops early when `stop` changes.
pub async fn pass(
    engine: &Engine,
    mut stop: Option<&mut watch::Receiver<bool>>,
) -> sqlx::Result<u64> {
    let days = i64::from(engine.config.retention_days);
    let mut pruned = 0;
    loop {
        let now = engine.clock.now_ms();
        let batch = {
            let _turn = engine.writes.enter().await;
            retention::prune_batch(&engine.db, now - days * DAY_MS, BATCH, now).await?
        };
        let Batch { pruned: n, more } = batch;
        pruned += n;
        if !more || stop.as_ref().is_some_and(|s| *s.borrow()) {
            return Ok(pruned);
        }
        if let Some(stop) = stop.as_mut() {
            tokio::select! {
                () = tokio::time::sleep(BREATHER) => {}
                _ = stop.changed() => return Ok(pruned),
            }
        } else {
            tokio::time::sleep(BREATHER).await;
        }
    }
}
