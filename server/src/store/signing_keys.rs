//! Key pairs for JWT client assertions, one current key per key set.

use super::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyRow {
    pub key_set: String,
    pub kid: String,
    pub bits: i64,
    pub public_pem: String,
    pub jwk_n: String,
    pub jwk_e: String,
    /// Sealed PKCS#8 DER.
    pub private_key: Vec<u8>,
    pub created_at: i64,
}

const COLUMNS: &str = "key_set, kid, bits, public_pem, jwk_n, jwk_e, private_key, created_at";

pub async fn get(db: &Db, key_set: &str) -> sqlx::Result<Option<KeyRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM signing_keys WHERE key_set = ?1"
    ))
    .bind(key_set)
    .fetch_optional(db)
    .await
}

/// Stores `key` as its key set's current key, replacing any earlier one.
pub async fn put(db: &Db, key: &KeyRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO signing_keys (key_set, kid, bits, public_pem, jwk_n, jwk_e, private_key, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (key_set) DO UPDATE SET kid = excluded.kid, bits = excluded.bits,
             public_pem = excluded.public_pem, jwk_n = excluded.jwk_n, jwk_e = excluded.jwk_e,
             private_key = excluded.private_key, created_at = excluded.created_at",
    )
    .bind(&key.key_set)
    .bind(&key.kid)
    .bind(key.bits)
    .bind(&key.public_pem)
    .bind(&key.jwk_n)
    .bind(&key.jwk_e)
    .bind(&key.private_key)
    .bind(key.created_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Deletes key sets created before `before` that no template refers to: keys generated in a form
/// that was never saved.
pub async fn delete_unused(db: &Db, before: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query(
        "DELETE FROM signing_keys WHERE created_at < ?1 AND key_set NOT IN (
             SELECT json_extract(auth_config, '$.jwt.key_set') FROM webhook_templates
             WHERE auth_kind = 'oauth2' AND json_extract(auth_config, '$.jwt.key_set') IS NOT NULL)",
    )
    .bind(before)
    .execute(db)
    .await?
    .rows_affected())
}
