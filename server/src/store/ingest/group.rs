//! A group of uploads in one transaction, each in a savepoint of its own: an upload that fails rolls
//! back alone (its caller gets the error, nothing of it is written) and the others commit. An upload
//! alone in its group is the transaction itself.

use rusqlite::{Connection, ErrorCode, TransactionBehavior};

use super::writer::Job;
use super::{Stored, batch};

/// Writes `jobs` in one transaction; each upload's outcome, or the error that rolled back all of them.
pub(super) fn write(
    db: &mut Connection,
    jobs: &[Job],
) -> rusqlite::Result<Vec<rusqlite::Result<Stored>>> {
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

fn write_once(
    db: &mut Connection,
    jobs: &[Job],
) -> rusqlite::Result<Vec<rusqlite::Result<Stored>>> {
    // IMMEDIATE takes the write lock at once: a deferred transaction that reads first fails with
    // SQLITE_BUSY_SNAPSHOT when another connection wrote meanwhile, which waiting cannot mend.
    let mut tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let [job] = jobs {
        // Alone, the upload is the transaction: no savepoint, whose journal keeps the first version
        // of every page the upload changes. Dropped without `commit`, the transaction rolls back.
        return match batch::store(&tx, &job.records, &job.triggers, job.now) {
            Ok(stored) => {
                tx.commit()?;
                Ok(vec![Ok(stored)])
            }
            Err(e) if is_busy(&e) => Err(e),
            Err(e) => Ok(vec![Err(e)]),
        };
    }
    let mut outcomes = Vec::with_capacity(jobs.len());
    for job in jobs {
        // Dropped without `commit`, a savepoint rolls back to where it began.
        let upload = tx.savepoint()?;
        match batch::store(&upload, &job.records, &job.triggers, job.now) {
            Ok(stored) => {
                upload.commit()?;
                outcomes.push(Ok(stored));
            }
            Err(e) if is_busy(&e) => return Err(e),
            Err(e) => outcomes.push(Err(e)),
        }
    }
    tx.commit()?;
    Ok(outcomes)
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}
