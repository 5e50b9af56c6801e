//! One Hookline process per database: an exclusive lock on a file beside the SQLite file, held for
//! the life of the process. Start-up releases every delivery claim left behind (no request can be in
//! flight when no other process runs), which is only safe while the lock is held.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Mutex;

use sqlx::sqlite::SqliteConnectOptions;

/// The lock on a database; released when dropped (or when the process ends, however it ends).
pub struct DbLock {
    file: Mutex<Option<File>>,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another Hookline process is using the database {database} (it holds the lock file {lock}): \
         stop it first, or give this one another HOOKLINE_DATABASE_URL"
    )]
    Held { database: String, lock: String },
    #[error("cannot create the lock file {lock}: {source}")]
    Io {
        lock: String,
        source: std::io::Error,
    },
    #[error("the database URL is not valid: {0}")]
    BadUrl(String),
}

impl DbLock {
    /// Takes the lock of the database at `database_url` (nothing to lock for an in-memory database).
    pub fn acquire(database_url: &str) -> Result<Self, LockError> {
        let options = SqliteConnectOptions::from_str(database_url)
            .map_err(|e| LockError::BadUrl(e.to_string()))?;
        let database = options.get_filename();
        let in_memory = database_url.contains(":memory:") || database_url.contains("mode=memory");
        if in_memory || database.as_os_str().is_empty() {
            return Ok(Self {
                file: Mutex::new(None),
            });
        }
        let lock = lock_path(database);
        let io = |source| LockError::Io {
            lock: lock.display().to_string(),
            source,
        };
        if let Some(parent) = lock.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(Self {
                file: Mutex::new(Some(file)),
            }),
            Err(TryLockError::WouldBlock) => Err(LockError::Held {
                database: database.display().to_string(),
                lock: lock.display().to_string(),
            }),
            Err(TryLockError::Error(e)) => Err(io(e)),
        }
    }

    /// Gives the lock back before the process ends (a clean shutdown, or a test starting the server
    /// again in the same process).
    pub fn release(&self) {
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.take();
    }
}

fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_database_is_refused_until_the_first_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("h.db").display());
        let first = DbLock::acquire(&url).unwrap();
        let second = DbLock::acquire(&url).err().expect("refused");
        assert!(
            second.to_string().contains("another Hookline process"),
            "{second}"
        );
        first.release();
        DbLock::acquire(&url).expect("free again");
        DbLock::acquire("sqlite::memory:").expect("nothing to lock");
    }
}
