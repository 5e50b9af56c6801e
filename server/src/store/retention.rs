//! Retention: the bodies and attempts of deliveries made before a cutoff are deleted, a small batch
//! per transaction. Deliveries are visited once each, in id order (the order they were made), from a
//! cursor kept in `settings`; one still pending when visited (its campaign is paused) keeps its body,
//! as it may yet be sent. The delivery rows stay, with their status, counts and failure reason, so the
//! campaign's statistics and failures by reason do not change.

use super::{Db, begin_write};

const CURSOR: &str = "retention_through";

/// What one batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Batch {
    /// Deliveries whose body and attempts were deleted.
    pub pruned: u64,
    /// Whether more deliveries made before the cutoff may follow.
    pub more: bool,
}

/// Prunes up to `limit` deliveries made before `cutoff` (unix ms) after the cursor, at `now`.
pub async fn prune_batch(db: &Db, cutoff: i64, limit: u32, now: i64) -> sqlx::Result<Batch> {
    let mut tx = begin_write(db).await?;
    let cursor: i64 =
        sqlx::query_scalar("SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?1")
            .bind(CURSOR)
            .fetch_optional(&mut *tx)
            .await?
            .unwrap_or(0);
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, status, created_at FROM deliveries WHERE id > ?1 ORDER BY id LIMIT ?2",
    )
    .bind(cursor)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    let old: Vec<&(i64, String, i64)> = rows
        .iter()
        .take_while(|(_, _, made)| *made < cutoff)
        .collect();
    let Some(last) = old.last().map(|(id, _, _)| *id) else {
        return Ok(Batch::default());
    };
    let finished: Vec<i64> = old
        .iter()
        .filter(|(_, status, _)| status != "pending")
        .map(|(id, _, _)| *id)
        .collect();
    let ids = serde_json::to_string(&finished).unwrap_or_else(|_| "[]".into());
    sqlx::query(
        "DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT value FROM json_each(?1))",
    )
    .bind(&ids)
    .execute(&mut *tx)
    .await?;
    let pruned = sqlx::query(
        "UPDATE deliveries SET body = x'', query = NULL, pruned_at = ?2
         WHERE id IN (SELECT value FROM json_each(?1)) AND status != 'pending'",
    )
    .bind(&ids)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(CURSOR)
    .bind(last.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Batch {
        pruned,
        more: old.len() == rows.len() && rows.len() == usize::try_from(limit).unwrap_or(usize::MAX),
    })
}
