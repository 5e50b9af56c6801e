//! Key–value project settings.

use super::Db;

pub async fn get(db: &Db, key: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT value FROM settings WHERE key = ?1")
        .bind(key)
        .fetch_optional(db)
        .await
}

/// Stores `value` unless the key has one already; returns the value in effect.
pub async fn get_or_insert(db: &Db, key: &str, value: &str) -> sqlx::Result<String> {
    sqlx::query_scalar(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = value
         RETURNING value",
    )
    .bind(key)
    .bind(value)
    .fetch_one(db)
    .await
}
