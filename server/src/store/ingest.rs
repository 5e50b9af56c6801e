//! Writing an upload's valid records: profiles upserted by the id the record names, events appended.
//! One transaction per upload, so an upload is stored whole or not at all.

use std::collections::HashMap;

use rand::RngCore;
use sqlx::{Sqlite, Transaction};

use super::Db;
use crate::ingest::record::{Record, RecordBody, UserRef};

pub async fn store_batch(db: &Db, records: &[Record], now: i64) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    // A batch usually holds many records of few users: resolve each user once.
    let mut profile_ids: HashMap<&UserRef, i64> = HashMap::new();
    for record in records {
        let profile_id = match profile_ids.get(&record.user) {
            Some(id) => *id,
            None => {
                let id = upsert_profile(&mut tx, &record.user, now).await?;
                profile_ids.insert(&record.user, id);
                id
            }
        };
        match &record.body {
            RecordBody::Event { name, data } => {
                sqlx::query("INSERT INTO events (profile_id, name, ts, data, received_at) VALUES (?1, ?2, ?3, ?4, ?5)")
                    .bind(profile_id)
                    .bind(name)
                    .bind(record.ts_ms)
                    .bind(serde_json::Value::Object(data.clone()).to_string())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            RecordBody::Profile {
                email,
                push_token,
                data,
            } => {
                // json_patch is RFC 7396 merge: new keys are added, a null value removes its key.
                sqlx::query(
                    "UPDATE profiles SET email = coalesce(?2, email), push_token = coalesce(?3, push_token),
                     profile_data = json_patch(profile_data, ?4), updated_at = ?5 WHERE id = ?1",
                )
                .bind(profile_id)
                .bind(email)
                .bind(push_token)
                .bind(serde_json::Value::Object(data.clone()).to_string())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await
}

/// The profile's row id, creating the profile (with a new objectId) when the user is new.
async fn upsert_profile(
    tx: &mut Transaction<'_, Sqlite>,
    user: &UserRef,
    now: i64,
) -> sqlx::Result<i64> {
    let (sql, key) = match user {
        UserRef::Identity(id) => (
            "INSERT INTO profiles (identity, object_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (identity) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
            id,
        ),
        UserRef::Fbid(id) => (
            "INSERT INTO profiles (fbid, object_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (fbid) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
            id,
        ),
        UserRef::Gpid(id) => (
            "INSERT INTO profiles (gpid, object_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (gpid) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
            id,
        ),
        UserRef::ObjectId(id) => {
            return sqlx::query_scalar(
                "INSERT INTO profiles (object_id, created_at, updated_at) VALUES (?1, ?2, ?2)
                 ON CONFLICT (object_id) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
            )
            .bind(id)
            .bind(now)
            .fetch_one(&mut **tx)
            .await;
        }
    };
    sqlx::query_scalar(sql)
        .bind(key)
        .bind(new_object_id())
        .bind(now)
        .fetch_one(&mut **tx)
        .await
}

/// A CleverTap-like objectId: `__` and 32 hex digits.
fn new_object_id() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    let mut id = String::with_capacity(34);
    id.push_str("__");
    for b in bytes {
        id.push_str(&format!("{b:02x}"));
    }
    id
}
