//! A group of uploads (those waiting when the writer comes to write) in one transaction.
//!
//! Each upload must be stored whole or not at all, and one that fails must not take the others with
//! it — yet it practically never fails (its records were validated; what is left is a broken
//! database or disk, which fails the others too). So the group is written without a savepoint per
//! upload (a savepoint copies every page an upload changes, to roll it back alone: a sixth of the
//! writer's time for uploads of distinct users); if an upload fails, the whole group rolls back and
//! each upload is written again in a transaction of its own, where the failing one fails alone.

use rusqlite::{Connection, ErrorCode, TransactionBehavior};

use super::writer::Job;
use super::{Stored, WriteError, batch};

/// What became of each upload of a group, in order.
pub(super) type Outcomes = Vec<Result<Stored, WriteError>>;

/// Writes `jobs`; each upload's outcome, or the error that rolled back all of them.
pub(super) fn write(db: &mut Connection, jobs: &[Job]) -> rusqlite::Result<Outcomes> {
    match write_once(db, jobs) {
        // The write lock is taken first (`BEGIN IMMEDIATE`), so a busy database is rare (a lock held
        // past the busy timeout); the group rolled back whole and is tried once more.
        Err(e) if is_busy(&e) => {
            tracing::warn!(error = %e, "upload: the database was busy; trying once more");
            write_once(db, jobs)
        }
        outcomes => outcomes,
    }
}

fn write_once(db: &mut Connection, jobs: &[Job]) -> rusqlite::Result<Outcomes> {
    match together(db, jobs)? {
        Ok(stored) => Ok(stored.into_iter().map(Ok).collect()),
        Err(e) if jobs.len() == 1 => Ok(vec![Err(e.into())]),
        // Nothing of the group was written. Each upload alone: whatever goes wrong is then that
        // upload's only — a busy database, even a panic — since the uploads before it are committed
        // and must not be told otherwise (nor retried).
        Err(_) => Ok(jobs
            .iter()
            .map(|job| {
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| alone(db, job))) {
                    Ok(Ok(Ok(stored))) => Ok(stored),
                    Ok(Ok(Err(e)) | Err(e)) => Err(e.into()),
                    // Unwound through the upload's transaction, whose drop rolled it back.
                    Err(_) => Err(WriteError::Panicked),
                }
            })
            .collect()),
    }
}

/// `jobs` in one transaction: every upload stored, or the error of the first that failed and
/// nothing written. `Err` for a busy database or a failed commit (nothing written either).
fn together(db: &mut Connection, jobs: &[Job]) -> rusqlite::Result<rusqlite::Result<Vec<Stored>>> {
    let tx = begin(db)?;
    let mut stored = Vec::with_capacity(jobs.len());
    for job in jobs {
        match batch::store(&tx, &job.records, &job.users, &job.triggers, job.now) {
            Ok(upload) => stored.push(upload),
            Err(e) if is_busy(&e) => return Err(e),
            // Dropped without `commit`, the transaction rolls back.
            Err(e) => return Ok(Err(e)),
        }
    }
    tx.commit()?;
    Ok(Ok(stored))
}

/// One upload in a transaction of its own: stored, or its error and nothing written. `Err` for a
/// busy database or a failed commit (nothing written either).
fn alone(db: &mut Connection, job: &Job) -> rusqlite::Result<rusqlite::Result<Stored>> {
    let tx = begin(db)?;
    match batch::store(&tx, &job.records, &job.users, &job.triggers, job.now) {
        Ok(stored) => {
            tx.commit()?;
            Ok(Ok(stored))
        }
        Err(e) if is_busy(&e) => Err(e),
        Err(e) => Ok(Err(e)),
    }
}

/// IMMEDIATE takes the write lock at once: a deferred transaction that reads first fails with
/// SQLITE_BUSY_SNAPSHOT when another connection wrote meanwhile, which waiting cannot mend.
fn begin(db: &mut Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    db.transaction_with_behavior(TransactionBehavior::Immediate)
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}
