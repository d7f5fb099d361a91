//! The `users` table.

use sqlx::AnyConnection;
use sqlx::Row;

use super::Db;

/// A stored user.
pub struct UserRow {
    /// The id.
    pub id: i64,
    /// The email, lower-cased.
    pub email: String,
    /// The argon2 hash.
    pub password_hash: String,
    /// RFC 3339.
    pub created_at: String,
}

fn row(row: &sqlx::any::AnyRow) -> Result<UserRow, sqlx::Error> {
    Ok(UserRow {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Inserts a user; `None` when the email is taken (the unique index
/// decides, so concurrent registrations cannot both win).
pub async fn insert(
    conn: &mut AnyConnection,
    email: &str,
    password_hash: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO users (email, password_hash, created_at) VALUES ($1, $2, $3) \
         RETURNING id, email, password_hash, created_at",
    )
    .bind(email)
    .bind(password_hash)
    .bind(super::now())
    .fetch_one(conn)
    .await;
    match result {
        Ok(inserted) => row(&inserted).map(Some),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(None),
        Err(error) => Err(error),
    }
}

/// The user with this (lower-cased) email.
pub async fn by_email(db: &Db, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    let mut reader = db.reader().await?;
    let found =
        sqlx::query("SELECT id, email, password_hash, created_at FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(reader.conn())
            .await;
    reader.done(found)?.as_ref().map(row).transpose()
}

// ANCHOR: by_id
/// The user with this id.
pub async fn by_id(db: &Db, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    let mut reader = db.reader().await?;
    let found = sqlx::query("SELECT id, email, password_hash, created_at FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(reader.conn())
        .await;
    reader.done(found)?.as_ref().map(row).transpose()
}
// ANCHOR_END: by_id
