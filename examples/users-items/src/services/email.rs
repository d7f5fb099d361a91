//! Email. Registration records the welcome email in the `outbox` table,
//! and the job that delivers it in the job queue, in the same transaction
//! as the user: all are written or none, so a user is never left without
//! their email, nor an email without its user or its delivery.
//!
//! A worker (in the server, or a `users-items worker` process) runs the
//! job. It may run twice (a worker killed after sending and before the job
//! was marked done): delivering is idempotent, and an email delivered
//! already is not sent again.

use fastrs::jobs::{self, Job};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use crate::core::errors::Internal;
use crate::repositories::{self, outbox, Db};

// ANCHOR: job
/// The job: deliver the outbox email `outbox_id`.
#[derive(Debug, Serialize, Deserialize)]
pub struct DeliverEmail {
    /// The email's id in the outbox.
    pub outbox_id: i64,
}

impl Job for DeliverEmail {
    const NAME: &'static str = "deliver_email";
}

/// Records the welcome email of `recipient` and its delivery job, in the
/// caller's transaction.
pub async fn queue_welcome(conn: &mut AnyConnection, recipient: &str) -> Result<(), Internal> {
    let body = format!("Welcome, {recipient}! Log in at /token to get started.");
    let outbox_id = repositories::outbox::insert(conn, recipient, "Welcome", &body).await?;
    jobs::enqueue(conn, &DeliverEmail { outbox_id }).await?;
    Ok(())
}
// ANCHOR_END: job

// ANCHOR: deliver
/// Delivers one outbox email, once: an email delivered already is left
/// alone, and the mail sender records each email once however often it is
/// asked.
pub async fn deliver(db: &Db, job: DeliverEmail) -> Result<(), sqlx::Error> {
    let Some(email) = outbox::undelivered(db, job.outbox_id).await? else {
        return Ok(());
    };
    outbox::count_attempt(db, email.id).await?;
    send(db, &email).await?;
    outbox::mark_delivered(db, email.id).await
}
// ANCHOR_END: deliver

/// The stand-in mail sender: it records what it sends in `sent_email`
/// (a real one would call a mail API with the outbox id as its
/// idempotency key).
async fn send(db: &Db, email: &outbox::Email) -> Result<(), sqlx::Error> {
    outbox::record_sent(db, email).await
}
