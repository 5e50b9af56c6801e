//! The recorder: writes the dispatcher's results as they come, many per transaction.
//!
//! Error policy. A batch that fails because the database is failing (busy, locked, I/O, full) is
//! tried again after a growing wait, for as long as it takes: its results stay in memory, the bounded
//! channel makes the senders wait, so the dispatcher claims nothing new meanwhile, and `/healthz`
//! reports the recorder failing. A batch that fails for any other reason is never retried as a
//! whole: its results are recorded one by one, and one that still fails is dropped with an error in
//! the log (its delivery stays claimed, so it is sent again once its lease ends: at least once).

use std::time::Duration;

use tokio::sync::mpsc;

use super::in_flight::InFlight;
use crate::Engine;
use crate::backoff::Backoff;
use crate::store::{self, results};
use results::Recorded;

/// Most results written by one transaction.
pub const RECORD_BATCH: usize = 512;
pub const WORKER: &str = "recorder";

pub async fn run(engine: &Engine, mut results: mpsc::Receiver<Recorded>, in_flight: InFlight) {
    let mut batch = Vec::with_capacity(RECORD_BATCH);
    while results.recv_many(&mut batch, RECORD_BATCH).await > 0 {
        let written = {
            let _turn = engine.writes.enter().await;
            // Results that arrived while this waited for its turn join the batch: fewer, bigger
            // transactions when the database is busy.
            while batch.len() < RECORD_BATCH {
                match results.try_recv() {
                    Ok(result) => batch.push(result),
                    Err(_) => break,
                }
            }
            results::record(&engine.db, &batch, engine.clock.now_ms()).await
        };
        let retries = match written {
            Ok(summary) => {
                engine.health.ok(WORKER);
                note_stale(&summary);
                summary.retries
            }
            Err(e) => recover(engine, &batch, e).await,
        };
        in_flight.remove(batch.iter().map(|r| r.delivery_id));
        if retries {
            engine.dispatch_wake.notify_one();
        }
        batch.clear();
    }
}

/// Writes a batch whose first write failed with `error`; `true` if a delivery now waits for a retry.
async fn recover(engine: &Engine, batch: &[Recorded], error: sqlx::Error) -> bool {
    if store::is_transient(&error) {
        engine.health.failing(WORKER);
        tracing::warn!(error = %error, "recorder: the database is failing; trying again");
    }
    match write_patiently(engine, batch).await {
        Ok(retries) => retries,
        Err(e) => {
            tracing::error!(error = %e, results = batch.len(), "recorder: a batch of results could not be written; writing them one by one");
            let mut retries = false;
            for result in batch {
                match write_patiently(engine, std::slice::from_ref(result)).await {
                    Ok(r) => retries |= r,
                    Err(e) => tracing::error!(
                        error = %e,
                        delivery = result.delivery_id,
                        "recorder: dropped the result of a delivery; it is sent again when its claim expires"
                    ),
                }
            }
            retries
        }
    }
}

/// Writes `results`, waiting out a failing database; `Err` only for other errors.
async fn write_patiently(engine: &Engine, results: &[Recorded]) -> sqlx::Result<bool> {
    let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(10));
    loop {
        let written = {
            let _turn = engine.writes.enter().await;
            results::record(&engine.db, results, engine.clock.now_ms()).await
        };
        match written {
            Ok(summary) => {
                engine.health.ok(WORKER);
                note_stale(&summary);
                return Ok(summary.retries);
            }
            Err(e) if store::is_transient(&e) => {
                engine.health.failing(WORKER);
                let wait = backoff.next_wait();
                tracing::warn!(error = %e, ?wait, "recorder: the database is failing; trying again");
                tokio::time::sleep(wait).await;
            }
            Err(e) => return Err(e),
        }
    }
}

fn note_stale(summary: &results::RecordSummary) {
    if summary.stale > 0 {
        tracing::debug!(
            stale = summary.stale,
            "recorder: results of superseded or cancelled claims were left out"
        );
    }
}
