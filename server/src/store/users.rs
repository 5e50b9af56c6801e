//! Dashboard accounts.

use app::model::UserId;
use app::model::session::UserOut;

use super::Db;

pub struct UserCredentials {
    pub user: UserOut,
    pub password_hash: String,
}

pub async fn any_exist(db: &Db) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users)")
        .fetch_one(db)
        .await
}

/// Creates the first account, atomically: `None` when an account exists already.
pub async fn create_first(
    db: &Db,
    email: &str,
    password_hash: &str,
    now: i64,
) -> sqlx::Result<Option<UserOut>> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, created_at)
         SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM users)
         RETURNING id",
    )
    .bind(email)
    .bind(password_hash)
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(id.map(|id| UserOut {
        id: UserId(id),
        email: email.to_owned(),
    }))
}

pub async fn find_by_email(db: &Db, email: &str) -> sqlx::Result<Option<UserCredentials>> {
    let row: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, email, password_hash FROM users WHERE email = ?1")
            .bind(email)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(id, email, password_hash)| UserCredentials {
        user: UserOut {
            id: UserId(id),
            email,
        },
        password_hash,
    }))
}
