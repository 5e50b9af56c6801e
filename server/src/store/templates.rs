//! Webhook templates.

use super::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TemplateRow {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub method: String,
    /// JSON array of `{"name","value"}`.
    pub headers: String,
    pub auth_kind: String,
    /// JSON: the non-secret part of the authentication.
    pub auth_config: String,
    /// The secret part, sealed by `SecretBox`.
    pub auth_secrets: Option<Vec<u8>>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The columns a create or update writes.
#[derive(Debug, Clone)]
pub struct TemplateWrite {
    pub name: String,
    pub url: String,
    pub method: &'static str,
    pub headers: String,
    pub auth_kind: &'static str,
    pub auth_config: String,
    pub auth_secrets: Option<Vec<u8>>,
}

const COLUMNS: &str =
    "id, name, url, method, headers, auth_kind, auth_config, auth_secrets, created_at, updated_at";

pub async fn list(db: &Db) -> sqlx::Result<Vec<TemplateRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM webhook_templates ORDER BY name COLLATE NOCASE"
    ))
    .fetch_all(db)
    .await
}

pub async fn get(db: &Db, id: i64) -> sqlx::Result<Option<TemplateRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM webhook_templates WHERE id = ?1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Whether another template (not `except`) has this name, ignoring case.
pub async fn name_taken(db: &Db, name: &str, except: Option<i64>) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM webhook_templates WHERE name = ?1 AND id IS NOT ?2)",
    )
    .bind(name)
    .bind(except)
    .fetch_one(db)
    .await
}

pub async fn insert(db: &Db, t: &TemplateWrite, now: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO webhook_templates
         (name, url, method, headers, auth_kind, auth_config, auth_secrets, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id",
    )
    .bind(&t.name)
    .bind(&t.url)
    .bind(t.method)
    .bind(&t.headers)
    .bind(t.auth_kind)
    .bind(&t.auth_config)
    .bind(&t.auth_secrets)
    .bind(now)
    .fetch_one(db)
    .await
}

/// `false` when no template has this id.
pub async fn update(db: &Db, id: i64, t: &TemplateWrite, now: i64) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "UPDATE webhook_templates SET name = ?2, url = ?3, method = ?4, headers = ?5, auth_kind = ?6,
         auth_config = ?7, auth_secrets = ?8, updated_at = ?9 WHERE id = ?1",
    )
    .bind(id)
    .bind(&t.name)
    .bind(&t.url)
    .bind(t.method)
    .bind(&t.headers)
    .bind(t.auth_kind)
    .bind(&t.auth_config)
    .bind(&t.auth_secrets)
    .bind(now)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// `false` when no template has this id.
pub async fn delete(db: &Db, id: i64) -> sqlx::Result<bool> {
    Ok(sqlx::query("DELETE FROM webhook_templates WHERE id = ?1")
        .bind(id)
        .execute(db)
        .await?
        .rows_affected()
        == 1)
}
