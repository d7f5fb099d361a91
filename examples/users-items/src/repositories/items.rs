//! The `items` table. Every query is scoped to the owner, so another
//! user's item is never read, changed or deleted.

use sqlx::Row;

use super::Db;

/// A stored item.
pub struct ItemRow {
    /// The id.
    pub id: i64,
    /// The owner's id.
    pub owner_id: i64,
    /// The title.
    pub title: String,
    /// The description.
    pub description: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

const COLUMNS: &str = "id, owner_id, title, description, created_at";

fn row(row: &sqlx::any::AnyRow) -> Result<ItemRow, sqlx::Error> {
    Ok(ItemRow {
        id: row.try_get("id")?,
        owner_id: row.try_get("owner_id")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Inserts an item of `owner_id`.
pub async fn insert(
    db: &Db,
    owner_id: i64,
    title: &str,
    description: Option<&str>,
) -> Result<ItemRow, sqlx::Error> {
    let inserted = sqlx::query(&format!(
        "INSERT INTO items (owner_id, title, description, created_at) VALUES ($1, $2, $3, $4) RETURNING {COLUMNS}"
    ))
    .bind(owner_id)
    .bind(title)
    .bind(description)
    .bind(super::now())
    .fetch_one(db.writes())
    .await?;
    row(&inserted)
}

/// `owner_id`'s items, oldest first, `skip` then at most `limit`, those
/// whose title contains `q` (any case) when given.
pub async fn list(
    db: &Db,
    owner_id: i64,
    q: Option<&str>,
    skip: i64,
    limit: i64,
) -> Result<Vec<ItemRow>, sqlx::Error> {
    // `%`, `_` and `\` in `q` are literal characters, not patterns.
    let pattern = q.map(|q| {
        let escaped = q
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{}%", escaped.to_lowercase())
    });
    let mut reader = db.reader().await?;
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM items WHERE owner_id = $1 \
         AND ($2 IS NULL OR LOWER(title) LIKE $3 ESCAPE '\\') \
         ORDER BY id LIMIT $4 OFFSET $5"
    ))
    .bind(owner_id)
    .bind(pattern.clone())
    .bind(pattern)
    .bind(limit)
    .bind(skip)
    .fetch_all(reader.conn())
    .await;
    reader.done(rows)?.iter().map(row).collect()
}

/// `owner_id`'s item `id`.
pub async fn get(db: &Db, owner_id: i64, id: i64) -> Result<Option<ItemRow>, sqlx::Error> {
    let mut reader = db.reader().await?;
    let found = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM items WHERE owner_id = $1 AND id = $2"
    ))
    .bind(owner_id)
    .bind(id)
    .fetch_optional(reader.conn())
    .await;
    reader.done(found)?.as_ref().map(row).transpose()
}

/// Writes the item's title and description; `None` when `owner_id` has
/// no item `id`.
pub async fn update(
    db: &Db,
    owner_id: i64,
    id: i64,
    title: &str,
    description: Option<&str>,
) -> Result<Option<ItemRow>, sqlx::Error> {
    let found = sqlx::query(&format!(
        "UPDATE items SET title = $1, description = $2 WHERE owner_id = $3 AND id = $4 RETURNING {COLUMNS}"
    ))
    .bind(title)
    .bind(description)
    .bind(owner_id)
    .bind(id)
    .fetch_optional(db.writes())
    .await?;
    found.as_ref().map(row).transpose()
}

/// Deletes `owner_id`'s item `id`; false when there was none.
pub async fn delete(db: &Db, owner_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM items WHERE owner_id = $1 AND id = $2")
        .bind(owner_id)
        .bind(id)
        .execute(db.writes())
        .await?;
    Ok(done.rows_affected() > 0)
}
