//! One writer at a time, in this process. SQLite has a single writer; two write transactions that
//! collide wait in SQLite's busy handler, which sleeps in steps of milliseconds. The busy paths
//! (ingestion, claims, recording results, writing an outbox) queue on this async lock instead, in
//! arrival order, which costs microseconds. Rare writers (sessions, templates) rely on the busy
//! handler.

use std::sync::Arc;

use tokio::sync::{Mutex, MutexGuard};

#[derive(Clone, Default)]
pub struct WriteGate(Arc<Mutex<()>>);

impl WriteGate {
    /// Waits for this process's turn to write.
    pub async fn enter(&self) -> MutexGuard<'_, ()> {
        self.0.lock().await
    }

    /// The same, from a thread outside the async runtime (the ingest writer's).
    pub fn blocking_enter(&self) -> MutexGuard<'_, ()> {
        self.0.blocking_lock()
    }
}
