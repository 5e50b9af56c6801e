//! The `segments` table: saved segments, and the campaigns that target them.

use super::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SavedSegmentRow {
    pub id: i64,
    pub name: String,
    /// The segment JSON, as saved.
    pub definition: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, name, definition, created_at, updated_at";

pub async fn list(db: &Db) -> sqlx::Result<Vec<SavedSegmentRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM segments ORDER BY name COLLATE NOCASE"
    ))
    .fetch_all(db)
    .await
}

pub async fn get(db: &Db, id: i64) -> sqlx::Result<Option<SavedSegmentRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM segments WHERE id = ?1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The new segment's id; a name already taken is a unique-constraint error.
pub async fn insert(db: &Db, name: &str, definition: &str, now: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO segments (name, definition, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
         RETURNING id",
    )
    .bind(name)
    .bind(definition)
    .bind(now)
    .fetch_one(db)
    .await
}

/// Whether the segment exists (and was updated).
pub async fn update(
    db: &Db,
    id: i64,
    name: &str,
    definition: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE segments SET name = ?2, definition = ?3, updated_at = ?4 WHERE id = ?1",
    )
    .bind(id)
    .bind(name)
    .bind(definition)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

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
