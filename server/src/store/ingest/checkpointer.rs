//! Checkpoints of the WAL the ingest writer fills, on a thread and a connection of their own. A
//! checkpoint copies the WAL's pages back into the database file; run by the writer's own commit
//! (SQLite's autocheckpoint) it held up every upload of that group, here it runs beside the writer.
//! PASSIVE: it takes no lock the writer waits for; what it cannot copy yet, the next one does.

use std::path::Path;
use std::sync::mpsc;

use rusqlite::Connection;

/// Records committed between two checkpoints: a few MB of WAL, so hot index pages are copied once for
/// many commits, and the WAL stays small.
const RECORDS_BETWEEN_CHECKPOINTS: usize = 10_000;

/// The writer's side: counts what was committed and asks for a checkpoint now and then. The thread
/// ends when this is dropped.
pub(super) struct Checkpointer {
    due: mpsc::SyncSender<()>,
    committed: usize,
}

impl Checkpointer {
    /// Starts the thread, with its own connection to the database file at `path`.
    pub fn start(path: &Path) -> rusqlite::Result<Self> {
        let db = Connection::open(path)?;
        // One request waiting is enough: a checkpoint copies whatever the WAL holds by then.
        let (due, requests) = mpsc::sync_channel(1);
        let spawned = std::thread::Builder::new()
            .name("ingest-checkpoint".into())
            .spawn(move || {
                while requests.recv().is_ok() {
                    if let Err(e) = db.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                        tracing::warn!(error = %e, "ingestion: a WAL checkpoint failed");
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "ingestion: no checkpoint thread; SQLite checkpoints");
        }
        Ok(Self { due, committed: 0 })
    }

    /// Notes that `records` were committed.
    pub fn committed(&mut self, records: usize) {
        self.committed += records;
        if self.committed >= RECORDS_BETWEEN_CHECKPOINTS {
            self.committed = 0;
            // Full: a checkpoint is already asked for. Gone: the thread could not start, and the
            // writer's autocheckpoint backstop (`writer::open`) copies instead.
            let _ = self.due.try_send(());
        }
    }
}
