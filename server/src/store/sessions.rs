//! Dashboard sessions, stored by the SHA-256 of their cookie token.

use app::model::UserId;
use app::model::session::UserOut;

use super::Db;

pub async fn insert(
    db: &Db,
    token_hash: &[u8],
    user: UserId,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(token_hash)
        .bind(user.0)
        .bind(now)
        .bind(expires_at)
        .execute(db)
        .await?;
    Ok(())
}

/// The user of a live (unexpired) session.
pub async fn find_user(db: &Db, token_hash: &[u8], now: i64) -> sqlx::Result<Option<UserOut>> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT u.id, u.email FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ?1 AND s.expires_at > ?2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(id, email)| UserOut {
        id: UserId(id),
        email,
    }))
}

pub async fn delete(db: &Db, token_hash: &[u8]) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?1")
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete_expired(db: &Db, now: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= ?1")
        .bind(now)
        .execute(db)
        .await?
        .rows_affected())
}
