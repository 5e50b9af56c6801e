//! The database: opening SQLite (WAL, foreign keys, busy timeout), migrations, and the queries, one file
//! per table family. This module is the only place with SQL.

pub mod activity;
pub mod campaigns;
pub mod claims;
pub mod conversions;
mod counters;
pub mod deliveries;
pub mod delivery_pages;
pub mod ingest;
pub mod live;
pub mod lock;
pub mod named;
pub mod oauth_tokens;
pub mod outbox;
pub mod profiles;
pub mod results;
pub mod retention;
pub mod runs;
pub mod saved_segments;
pub mod segments;
pub mod sessions;
pub mod settings;
pub mod signing_keys;
pub mod templates;
pub mod users;
pub mod write_gate;

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub type Db = SqlitePool;

/// Rows per multi-row statement (at most 11 bound values per row, far below SQLite's limit).
const ROWS_PER_STATEMENT: usize = 100;

/// Opens (creating if missing) the database and brings its schema up to date.
pub async fn open(database_url: &str) -> anyhow::Result<Db> {
    let options = SqliteConnectOptions::from_str(database_url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // In WAL mode NORMAL survives a process crash with every committed transaction; only a power loss
        // can lose the last few. FULL would fsync on every commit.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    if let Some(parent) = options.get_filename().parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    sqlx::migrate!("../migrations").run(&pool).await?;
    Ok(pool)
}

/// The file of the database at `database_url`. Ingestion writes on a connection of its own, which
/// can share only a file with the pool: an in-memory database is refused with a clear message.
pub fn file_of(database_url: &str) -> anyhow::Result<PathBuf> {
    let options = SqliteConnectOptions::from_str(database_url)?;
    let in_memory = database_url.contains(":memory:") || database_url.contains("mode=memory");
    if in_memory || options.get_filename().as_os_str().is_empty() {
        anyhow::bail!(
            "the database {database_url} is in memory; Hookline needs a file, such as \
             sqlite://data/hookline.db"
        );
    }
    Ok(options.get_filename().to_path_buf())
}

/// A trivial query: does the database answer?
pub async fn ping(db: &Db) -> sqlx::Result<()> {
    sqlx::query("SELECT 1").execute(db).await.map(drop)
}

/// Starts a write transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`). A deferred
/// `BEGIN` that reads before it writes fails with `SQLITE_BUSY_SNAPSHOT` when another writer committed
/// meanwhile, and SQLite's busy handler cannot help it; an immediate one waits its turn instead.
pub async fn begin_write(db: &Db) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    db.begin_with("BEGIN IMMEDIATE").await
}

/// Whether an error is SQLite being busy or locked (any `SQLITE_BUSY*` / `SQLITE_LOCKED*` code, including
/// `SQLITE_BUSY_SNAPSHOT`), or the pool running out of time: trying again later may succeed.
fn is_busy(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(e) => e
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|code| matches!(code & 0xff, 5 | 6)),
        sqlx::Error::PoolTimedOut => true,
        _ => false,
    }
}

/// Whether an error says the database itself is failing (busy, locked, I/O, full, unopenable, pool
/// gone) rather than that one statement was wrong: what to wait out rather than drop.
pub fn is_transient(error: &sqlx::Error) -> bool {
    if is_busy(error) {
        return true;
    }
    match error {
        sqlx::Error::Database(e) => e
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|code| matches!(code & 0xff, 10 | 13 | 14)),
        sqlx::Error::Io(_) | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_file_is_found_in_the_url_and_an_in_memory_database_is_refused() {
        assert_eq!(
            file_of("sqlite://data/hookline.db").unwrap(),
            PathBuf::from("data/hookline.db")
        );
        for url in ["sqlite::memory:", "sqlite://h.db?mode=memory"] {
            let refused = file_of(url).unwrap_err().to_string();
            assert!(refused.contains("is in memory"), "{url}: {refused}");
        }
    }
}
