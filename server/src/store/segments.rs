//! What segments read from the database: profiles and events a page at a time (to build the segment
//! index), and what the segment builder offers (event names, property names of recent events).

use super::Db;

/// Recent events sampled for their property names.
const PROPERTY_SAMPLE: i64 = 200;

/// A profile as the segment index keeps it.
#[derive(Debug, sqlx::FromRow)]
pub struct ProfileRow {
    pub id: i64,
    pub identity: Option<String>,
    pub email: Option<String>,
    pub profile_data: String,
}

#[derive(Debug, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub profile_id: i64,
    pub name: String,
    pub ts: i64,
    pub data: String,
}

pub async fn profiles_after(db: &Db, after: i64, limit: i64) -> sqlx::Result<Vec<ProfileRow>> {
    sqlx::query_as(
        "SELECT id, identity, email, profile_data FROM profiles WHERE id > ?1 ORDER BY id LIMIT ?2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn events_after(db: &Db, after: i64, limit: i64) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as(
        "SELECT id, profile_id, name, ts, data FROM events WHERE id > ?1 ORDER BY id LIMIT ?2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await
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
