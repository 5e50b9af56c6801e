//! The background workers (scheduler and dispatcher): started with the server, stopped with it.

use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::Engine;
use crate::dispatch::worker::run_dispatcher;
use crate::schedule::run_scheduler;
use crate::store::deliveries;

pub struct Workers {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Workers {
    pub async fn start(engine: Arc<Engine>) -> anyhow::Result<Self> {
        let released = deliveries::release_all_claims(&engine.db).await?;
        if released > 0 {
            tracing::info!(
                deliveries = released,
                "resuming deliveries left in flight by the last run"
            );
        }
        let (stop, stopped) = watch::channel(false);
        let tasks = vec![
            tokio::spawn(run_scheduler(engine.clone(), stopped.clone())),
            tokio::spawn(run_dispatcher(engine, stopped)),
        ];
        Ok(Self { stop, tasks })
    }

    /// Stops claiming new work, then waits for the requests in flight to finish and be recorded.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}
