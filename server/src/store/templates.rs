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
    /// The Standard Webhooks signing secret (`whsec_…`), sealed; and the one it replaced, honoured
    /// until `previous_signing_until` (unix ms).
    pub signing_secret: Option<Vec<u8>>,
    pub previous_signing_secret: Option<Vec<u8>>,
    pub previous_signing_until: Option<i64>,
    pub max_per_second: Option<i64>,
    pub max_in_flight: Option<i64>,
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
    pub max_per_second: Option<i64>,
    pub max_in_flight: Option<i64>,
    pub signing: SigningWrite,
}

/// The signing secrets as written: sealed, the previous one with its end (unix ms).
#[derive(Debug, Clone)]
pub struct SigningWrite {
    pub secret: Vec<u8>,
    pub previous: Option<(Vec<u8>, i64)>,
}

const COLUMNS: &str = "id, name, url, method, headers, auth_kind, auth_config, auth_secrets,
    signing_secret, previous_signing_secret, previous_signing_until, max_per_second, max_in_flight,
    created_at, updated_at";

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
         (name, url, method, headers, auth_kind, auth_config, auth_secrets, signing_secret,
          previous_signing_secret, previous_signing_until, max_per_second, max_in_flight, created_at,
          updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13) RETURNING id",
    )
    .bind(&t.name)
    .bind(&t.url)
    .bind(t.method)
    .bind(&t.headers)
    .bind(t.auth_kind)
    .bind(&t.auth_config)
    .bind(&t.auth_secrets)
    .bind(&t.signing.secret)
    .bind(t.signing.previous.as_ref().map(|(s, _)| s))
    .bind(t.signing.previous.as_ref().map(|(_, until)| until))
    .bind(t.max_per_second)
    .bind(t.max_in_flight)
    .bind(now)
    .fetch_one(db)
    .await
}

/// `false` when no template has this id. The signing secrets are left as they are (they change only by
/// `set_signing`).
pub async fn update(db: &Db, id: i64, t: &TemplateWrite, now: i64) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "UPDATE webhook_templates SET name = ?2, url = ?3, method = ?4, headers = ?5, auth_kind = ?6,
         auth_config = ?7, auth_secrets = ?8, max_per_second = ?9, max_in_flight = ?10,
         updated_at = ?11 WHERE id = ?1",
    )
    .bind(id)
    .bind(&t.name)
    .bind(&t.url)
    .bind(t.method)
    .bind(&t.headers)
    .bind(t.auth_kind)
    .bind(&t.auth_config)
    .bind(&t.auth_secrets)
    .bind(t.max_per_second)
    .bind(t.max_in_flight)
    .bind(now)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Writes template `id`'s signing secrets; `false` when no template has this id.
pub async fn set_signing(db: &Db, id: i64, signing: &SigningWrite) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "UPDATE webhook_templates SET signing_secret = ?2, previous_signing_secret = ?3,
         previous_signing_until = ?4 WHERE id = ?1",
    )
    .bind(id)
    .bind(&signing.secret)
    .bind(signing.previous.as_ref().map(|(s, _)| s))
    .bind(signing.previous.as_ref().map(|(_, until)| until))
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The delivery limits of the templates that have any: `(id, max_per_second, max_in_flight)`.
pub async fn limited(db: &Db) -> sqlx::Result<Vec<(i64, Option<i64>, Option<i64>)>> {
    sqlx::query_as(
        "SELECT id, max_per_second, max_in_flight FROM webhook_templates
         WHERE max_per_second IS NOT NULL OR max_in_flight IS NOT NULL",
    )
    .fetch_all(db)
    .await
}

/// Templates without a signing secret (made before signing existed).
pub async fn without_signing_secret(db: &Db) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM webhook_templates WHERE signing_secret IS NULL")
        .fetch_all(db)
        .await
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
