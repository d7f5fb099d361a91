//! The durable jobs: the queue (a table in the service's database, see
//! `fastrs::jobs`) and the worker that runs them. One worker runs inside
//! the server unless `WORKER=off`; `users-items worker` runs workers only,
//! no HTTP, as many processes as wanted on one PostgreSQL database.

use fastrs::jobs::{Queue, Worker};

use crate::core::config::Settings;
use crate::core::errors::Internal;
use crate::repositories::{self, Db};
use crate::services::email::{self, DeliverEmail};

/// The queue in `db`, its table created if it is not there.
pub async fn queue(db: &Db) -> Result<Queue, Internal> {
    let queue = Queue::new(db.writes().clone())?;
    queue.migrate().await?;
    Ok(queue)
}

// ANCHOR: handlers
/// A worker with the service's jobs.
pub fn worker(queue: &Queue, db: &Db) -> Worker {
    let db = db.clone();
    queue.worker().handle(move |job: DeliverEmail| {
        let db = db.clone();
        async move { email::deliver(&db, job).await }
    })
}
// ANCHOR_END: handlers

/// `users-items worker`: runs the jobs until Ctrl+C or SIGTERM, then
/// lets the running ones finish.
pub async fn run(settings: Settings) -> Result<(), Internal> {
    let db = repositories::open(&settings).await?;
    let queue = queue(&db).await?;
    eprintln!("users-items worker: running jobs (press Ctrl+C to stop)");
    worker(&queue, &db)
        .run_until(fastrs::server::shutdown_signal())
        .await;
    eprintln!("users-items worker: stopped");
    Ok(())
}
