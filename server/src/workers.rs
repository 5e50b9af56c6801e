//! The background workers (scheduler, live worker, retention and dispatcher): started with the server, supervised while it
//! runs (a worker that panics is logged, reported to `/healthz` and restarted after a growing wait),
//! and stopped with it.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::Engine;
use crate::backoff::Backoff;
use crate::dispatch::worker::{self as dispatcher, run_dispatcher};
use crate::retention::{self, run_retention};
use crate::schedule::{self, run_scheduler};
use crate::store::claims;

pub struct Workers {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Starts the workers. The engine holds the database's lock, so no other process can have a
    /// request in flight: every claim left behind is released first.
    pub async fn start(engine: Arc<Engine>) -> anyhow::Result<Self> {
        let released = claims::release_all(&engine.db, engine.clock.now_ms()).await?;
        if released > 0 {
            tracing::info!(
                deliveries = released,
                "resuming deliveries left in flight by the last run"
            );
        }
        let (stop, stopped) = watch::channel(false);
        let tasks = vec![
            supervise(
                schedule::WORKER,
                engine.clone(),
                stopped.clone(),
                |e, s| async {
                    run_scheduler(e, s).await;
                    Ok(())
                },
            ),
            supervise(
                schedule::live::WORKER,
                engine.clone(),
                stopped.clone(),
                |e, s| async {
                    schedule::live::run_live(e, s).await;
                    Ok(())
                },
            ),
            supervise(
                retention::WORKER,
                engine.clone(),
                stopped.clone(),
                |e, s| async {
                    run_retention(e, s).await;
                    Ok(())
                },
            ),
            supervise(dispatcher::WORKER, engine, stopped, |e, s| {
                run_dispatcher(e, s)
            }),
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

/// Runs `worker` until it returns `Ok` (the process is stopping); restarts it when it fails or
/// panics.
fn supervise<F, Fut>(
    name: &'static str,
    engine: Arc<Engine>,
    mut stop: watch::Receiver<bool>,
    worker: F,
) -> JoinHandle<()>
where
    F: Fn(Arc<Engine>, watch::Receiver<bool>) -> Fut + Send + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    tokio::spawn(async move {
        let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));
        loop {
            let run = tokio::spawn(worker(engine.clone(), stop.clone())).await;
            let wait = backoff.next_wait();
            match run {
                Ok(Ok(())) => return,
                Ok(Err(e)) => {
                    tracing::error!(worker = name, error = %e, ?wait, "worker failed; restarting it");
                }
                Err(failure) if failure.is_panic() => {
                    let panic = failure.into_panic();
                    let message = panic
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "(no message)".to_owned());
                    tracing::error!(worker = name, panic = %message, ?wait, "worker panicked; restarting it");
                }
                Err(_) => {
                    tracing::error!(worker = name, ?wait, "worker was cancelled; restarting it");
                }
            }
            engine.health.dead(name);
            if *stop.borrow() {
                return;
            }
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return,
            }
        }
    })
}
