//! Reading profiles and a summary of their events (`GET /1/profile.json`).

use super::Db;

#[derive(Debug, Clone, Copy)]
pub enum ProfileKey<'a> {
    Identity(&'a str),
    Email(&'a str),
    ObjectId(&'a str),
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfileRow {
    pub id: i64,
    pub identity: Option<String>,
    pub object_id: String,
    pub email: Option<String>,
    pub profile_data: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventSummary {
    pub name: String,
    pub count: i64,
    pub first_ts: i64,
    pub last_ts: i64,
}

const COLUMNS: &str = "id, identity, object_id, email, profile_data";

/// The profile named by `key`; for an e-mail shared by several profiles, the most recently updated.
pub async fn find(db: &Db, key: ProfileKey<'_>) -> sqlx::Result<Option<ProfileRow>> {
    let (filter, value) = match key {
        ProfileKey::Identity(v) => ("identity = ?1", v),
        ProfileKey::Email(v) => ("email = ?1", v),
        ProfileKey::ObjectId(v) => ("object_id = ?1", v),
    };
    let sql =
        format!("SELECT {COLUMNS} FROM profiles WHERE {filter} ORDER BY updated_at DESC LIMIT 1");
    sqlx::query_as(&sql).bind(value).fetch_optional(db).await
}

/// Per event name: how often the profile did it, first and last time (unix ms).
pub async fn event_summary(db: &Db, profile_id: i64) -> sqlx::Result<Vec<EventSummary>> {
    sqlx::query_as(
        "SELECT name, COUNT(*) AS count, MIN(ts) AS first_ts, MAX(ts) AS last_ts
         FROM events WHERE profile_id = ?1 GROUP BY name ORDER BY name",
    )
    .bind(profile_id)
    .fetch_all(db)
    .await
}
