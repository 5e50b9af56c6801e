//! Running segment queries: counting who qualifies, and what the segment builder offers (event names,
//! property names of recent events).

use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, Sqlite};

use super::Db;

/// A value bound to a `?` of the query, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Text(String),
    Int(i64),
    Real(f64),
}

/// `SELECT profile_id FROM events ...`: one row per qualifying profile.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentQuery {
    pub sql: String,
    pub binds: Vec<Bind>,
}

/// Recent events sampled for their property names.
const PROPERTY_SAMPLE: i64 = 200;

/// The query's parameters as sqlx arguments, followed by `extra`.
pub fn arguments(query: &SegmentQuery, extra: &[Bind]) -> SqliteArguments<'static> {
    let mut args = SqliteArguments::default();
    for bind in query.binds.iter().chain(extra) {
        // Adding a value to SQLite arguments cannot fail (no size limits to hit here).
        let _ = match bind {
            Bind::Text(s) => args.add(s.clone()),
            Bind::Int(i) => args.add(*i),
            Bind::Real(r) => args.add(*r),
        };
    }
    args
}

/// How many profiles qualify.
pub async fn count(db: &Db, query: &SegmentQuery) -> sqlx::Result<u64> {
    let sql = format!("SELECT count(*) FROM ({})", query.sql);
    let n: i64 = sqlx::query_scalar_with::<Sqlite, i64, _>(&sql, arguments(query, &[]))
        .fetch_one(db)
        .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Names of the events ingested so far, most recently seen first.
pub async fn event_names(db: &Db) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT name FROM event_names ORDER BY last_seen DESC, name LIMIT 1000")
        .fetch_all(db)
        .await
}

/// Property names found on the most recent events called `event`, sorted.
pub async fn event_properties(db: &Db, event: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT j.key FROM
           (SELECT data FROM events WHERE name = ?1 ORDER BY ts DESC LIMIT ?2) AS e,
           json_each(e.data) AS j
         ORDER BY j.key",
    )
    .bind(event)
    .bind(PROPERTY_SAMPLE)
    .fetch_all(db)
    .await
}
