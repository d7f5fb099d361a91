//! Email. Registration records the welcome email in the `outbox` table in
//! the same transaction as the user: both are written or neither is, so a
//! user is never left without their email, nor an email without its user.
//! (Delivering the outbox is a job for a worker, not for the request.)

use sqlx::AnyConnection;

use crate::repositories;

/// Records the welcome email of `recipient`, in the caller's transaction.
pub async fn queue_welcome(conn: &mut AnyConnection, recipient: &str) -> Result<(), sqlx::Error> {
    let body = format!("Welcome, {recipient}! Log in at /token to get started.");
    repositories::outbox::insert(conn, recipient, "Welcome", &body).await
}
