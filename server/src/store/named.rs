//! Tables of named definitions: a unique name, the definition's JSON as saved, and when it was
//! created and updated. Saved segments (`segments`) and linked content (`linked_content`) are such
//! tables; what else each needs (who uses it) lives in its own file.

use super::Db;

#[derive(Debug, Clone, Copy)]
pub struct NamedTable(&'static str);

pub const SEGMENTS: NamedTable = NamedTable("segments");
pub const LINKED_CONTENT: NamedTable = NamedTable("linked_content");

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NamedRow {
    pub id: i64,
    pub name: String,
    /// The definition's JSON, as saved.
    pub definition: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, name, definition, created_at, updated_at";

impl NamedTable {
    pub fn name(self) -> &'static str {
        self.0
    }

    /// Every row, by name.
    pub async fn list(self, db: &Db) -> sqlx::Result<Vec<NamedRow>> {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM {} ORDER BY name COLLATE NOCASE",
            self.0
        ))
        .fetch_all(db)
        .await
    }

    pub async fn get(self, db: &Db, id: i64) -> sqlx::Result<Option<NamedRow>> {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM {} WHERE id = ?", self.0))
            .bind(id)
            .fetch_optional(db)
            .await
    }

    /// The rows with these names (those that exist).
    pub async fn with_names(self, db: &Db, names: &[String]) -> sqlx::Result<Vec<NamedRow>> {
        let names = serde_json::to_string(names).unwrap_or_else(|_| "[]".into());
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM {} WHERE name IN (SELECT value FROM json_each(?)) ORDER BY name",
            self.0
        ))
        .bind(names)
        .fetch_all(db)
        .await
    }

    /// The new row's id; a name already taken is a unique-constraint error.
    pub async fn insert(
        self,
        db: &Db,
        name: &str,
        definition: &str,
        now: i64,
    ) -> sqlx::Result<i64> {
        sqlx::query_scalar(&format!(
            "INSERT INTO {} (name, definition, created_at, updated_at) VALUES (?, ?, ?, ?)
             RETURNING id",
            self.0
        ))
        .bind(name)
        .bind(definition)
        .bind(now)
        .bind(now)
        .fetch_one(db)
        .await
    }

    /// Whether the row exists (and was updated).
    pub async fn update(
        self,
        db: &Db,
        id: i64,
        name: &str,
        definition: &str,
        now: i64,
    ) -> sqlx::Result<bool> {
        let done = sqlx::query(&format!(
            "UPDATE {} SET name = ?, definition = ?, updated_at = ? WHERE id = ?",
            self.0
        ))
        .bind(name)
        .bind(definition)
        .bind(now)
        .bind(id)
        .execute(db)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Whether the row existed.
    pub async fn delete(self, db: &Db, id: i64) -> sqlx::Result<bool> {
        let done = sqlx::query(&format!("DELETE FROM {} WHERE id = ?", self.0))
            .bind(id)
            .execute(db)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
