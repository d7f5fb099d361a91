//! The `outbox` table: the emails the service sends, each written in the
//! transaction of what it announces.

use sqlx::AnyConnection;
use sqlx::Row;

use super::Db;

/// Records an email, in the caller's transaction.
pub async fn insert(
    conn: &mut AnyConnection,
    recipient: &str,
    subject: &str,
    body: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (recipient, subject, body, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(super::now())
    .execute(conn)
    .await?;
    Ok(())
}

/// The recipients and subjects recorded, oldest first.
pub async fn sent(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT recipient, subject FROM outbox ORDER BY id")
        .fetch_all(&db.0)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("recipient")?, r.try_get("subject")?)))
        .collect()
}
