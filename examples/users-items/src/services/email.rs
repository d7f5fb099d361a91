//! Sending email. This example "sends" by writing to the `outbox` table,
//! from a background task after the response; a real deployment would
//! hand the message to a durable queue (the task is lost if the process
//! stops before it runs).

use crate::repositories::{self, Db};

/// The welcome email of a new user.
pub async fn send_welcome(db: Db, recipient: String) {
    let body = format!("Welcome, {recipient}! Log in at /token to get started.");
    if let Err(error) = repositories::outbox::insert(&db, &recipient, "Welcome", &body).await {
        eprintln!("users-items: the welcome email to {recipient} was not sent: {error}");
    }
}
