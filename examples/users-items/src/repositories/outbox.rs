//! The `outbox` table: the emails the service sends, each written in the
//! transaction of what it announces, with when it was delivered and how
//! many times delivery was tried; and `sent_email`, the stand-in mail
//! sender's record, one row per outbox email.

use sqlx::AnyConnection;
use sqlx::Row;

use super::Db;

/// One email to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// Its outbox id.
    pub id: i64,
    /// Who it is for.
    pub recipient: String,
    /// Its subject line.
    pub subject: String,
    /// Its text.
    pub body: String,
}

/// Records an email, in the caller's transaction; returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    recipient: &str,
    subject: &str,
    body: &str,
) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO outbox (recipient, subject, body, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(super::now())
    .fetch_one(conn)
    .await?;
    row.try_get("id")
}

/// The email `id` if it is not delivered yet.
pub async fn undelivered(db: &Db, id: i64) -> Result<Option<Email>, sqlx::Error> {
    let mut reader = db.reader().await?;
    let row = sqlx::query(
        "SELECT id, recipient, subject, body FROM outbox WHERE id = $1 AND delivered_at IS NULL",
    )
    .bind(id)
    .fetch_optional(reader.conn())
    .await;
    reader
        .done(row)?
        .map(|row| {
            Ok(Email {
                id: row.try_get("id")?,
                recipient: row.try_get("recipient")?,
                subject: row.try_get("subject")?,
                body: row.try_get("body")?,
            })
        })
        .transpose()
}

/// Counts one delivery attempt of `id`.
pub async fn count_attempt(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET attempts = attempts + 1 WHERE id = $1")
        .bind(id)
        .execute(db.writes())
        .await?;
    Ok(())
}

/// Marks `id` delivered.
pub async fn mark_delivered(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET delivered_at = $1 WHERE id = $2")
        .bind(super::now())
        .bind(id)
        .execute(db.writes())
        .await?;
    Ok(())
}

/// The stand-in mail sender's record of `email`: written once whatever
/// the number of tries (the outbox id is unique, as a real mail API's
/// idempotency key would be).
pub async fn record_sent(db: &Db, email: &Email) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sent_email (outbox_id, recipient, subject, body, sent_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (outbox_id) DO NOTHING",
    )
    .bind(email.id)
    .bind(&email.recipient)
    .bind(&email.subject)
    .bind(&email.body)
    .bind(super::now())
    .execute(db.writes())
    .await?;
    Ok(())
}

/// The recipients and subjects recorded, oldest first.
pub async fn sent(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    let mut reader = db.reader().await?;
    let rows = sqlx::query("SELECT recipient, subject FROM outbox ORDER BY id")
        .fetch_all(reader.conn())
        .await;
    reader
        .done(rows)?
        .iter()
        .map(|r| Ok((r.try_get("recipient")?, r.try_get("subject")?)))
        .collect()
}

/// How each email stands: `(outbox id, delivered, attempts, times the
/// mail sender recorded it)`, oldest first.
pub async fn deliveries(db: &Db) -> Result<Vec<(i64, bool, i64, i64)>, sqlx::Error> {
    let mut reader = db.reader().await?;
    let rows = sqlx::query(
        "SELECT o.id, CAST(CASE WHEN o.delivered_at IS NULL THEN 0 ELSE 1 END AS BIGINT) AS delivered, \
           o.attempts, \
           (SELECT COUNT(*) FROM sent_email s WHERE s.outbox_id = o.id) AS sent \
         FROM outbox o ORDER BY o.id",
    )
    .fetch_all(reader.conn())
    .await;
    reader
        .done(rows)?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get::<i64, _>("delivered")? == 1,
                r.try_get("attempts")?,
                r.try_get("sent")?,
            ))
        })
        .collect()
}
