//! The `segments` table (a `named` table): deleting a saved segment, and the campaigns that target them.

use super::Db;

pub use super::named::{NamedRow as SavedSegmentRow, SEGMENTS};

/// Deletes the segment unless a campaign that may still evaluate it (not completed or stopped)
/// targets it: `Err` with those campaigns' names, `Ok(false)` if there was no such segment. The
/// check and the delete are one statement, so a campaign saved meanwhile cannot slip between them.
pub async fn delete(db: &Db, id: i64) -> sqlx::Result<Result<bool, Vec<String>>> {
    let mut tx = super::begin_write(db).await?;
    let users: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT name FROM campaigns WHERE {TARGETS} AND status NOT IN ('completed', 'stopped')
         ORDER BY id"
    ))
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    if !users.is_empty() {
        return Ok(Err(users));
    }
    let deleted = sqlx::query("DELETE FROM segments WHERE id = ?1")
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    tx.commit().await?;
    Ok(Ok(deleted))
}

/// The names of the campaigns that target segment `id`, by campaign id.
pub async fn used_by(db: &Db) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT json_extract(definition, '$.who.segment_id') AS segment, name FROM campaigns
         WHERE segment IS NOT NULL ORDER BY id",
    )
    .fetch_all(db)
    .await
}

/// The condition "the campaign targets saved segment ?1".
const TARGETS: &str = "json_extract(definition, '$.who.segment_id') = ?1";
