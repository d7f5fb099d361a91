//! The `outbox` table: emails the service has sent.

use sqlx::Row;

use super::Db;

/// Records an email as sent.
pub async fn insert(
    db: &Db,
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
    .execute(&db.0)
    .await?;
    Ok(())
}

/// The recipients and subjects sent, oldest first.
pub async fn sent(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT recipient, subject FROM outbox ORDER BY id")
        .fetch_all(&db.0)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("recipient")?, r.try_get("subject")?)))
        .collect()
}
