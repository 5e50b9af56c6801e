//! The access token each OAuth template's deliveries share, sealed.

use super::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    pub fingerprint: Vec<u8>,
    pub sealed: Vec<u8>,
    pub renew_at: i64,
}

pub async fn get(db: &Db, template_id: i64) -> sqlx::Result<Option<TokenRow>> {
    sqlx::query_as("SELECT fingerprint, sealed, renew_at FROM oauth_tokens WHERE template_id = ?1")
        .bind(template_id)
        .fetch_optional(db)
        .await
}

/// Stores the template's token. A template deleted meanwhile stores nothing.
pub async fn put(db: &Db, template_id: i64, row: &TokenRow, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO oauth_tokens (template_id, fingerprint, sealed, renew_at, updated_at)
         SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM webhook_templates WHERE id = ?1)
         ON CONFLICT (template_id) DO UPDATE SET fingerprint = excluded.fingerprint,
             sealed = excluded.sealed, renew_at = excluded.renew_at, updated_at = excluded.updated_at",
    )
    .bind(template_id)
    .bind(&row.fingerprint)
    .bind(&row.sealed)
    .bind(row.renew_at)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}
