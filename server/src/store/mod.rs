//! The database: opening SQLite (WAL, foreign keys, busy timeout), migrations, and the queries, one file
//! per table family. This module is the only place with SQL.

pub mod campaigns;
pub mod deliveries;
pub mod ingest;
pub mod oauth_tokens;
pub mod outbox;
pub mod profiles;
pub mod segments;
pub mod sessions;
pub mod settings;
pub mod signing_keys;
pub mod templates;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub type Db = SqlitePool;

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

/// A trivial query: does the database answer?
pub async fn ping(db: &Db) -> sqlx::Result<()> {
    sqlx::query("SELECT 1").execute(db).await.map(drop)
}

/// Whether an error is a UNIQUE constraint violation (SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if matches!(e.code().as_deref(), Some("2067") | Some("1555")))
}

/// Current time as unix milliseconds, the one time convention of the database.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
