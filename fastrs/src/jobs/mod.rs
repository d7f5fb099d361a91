//! Durable jobs: work that must happen, written to the database in the
//! same transaction as the data it belongs to (the transactional outbox),
//! and run by workers in this process or in others, with retries.
//!
//! The queue is a table, `fastrs_jobs`, in the app's own database:
//! SQLite (cargo feature `sqlite`, one process) or PostgreSQL (feature
//! `postgres`, any number of worker processes, which share the work with
//! `FOR UPDATE SKIP LOCKED`). Through sqlx's `Any` pool, so that the queue
//! shares the pool (and, on SQLite, the one connection) of an app that
//! picks its database by URL.
//!
//! - A job is a serde type with a name ([`Job`]).
//! - [`enqueue`] writes one with any sqlx connection or transaction: it is
//!   there if and only if the transaction commits. [`Queue::enqueue`]
//!   writes one on its own.
//! - A [`Worker`] claims due jobs, runs their handlers ([`Worker::handle`])
//!   a few at a time, deletes each that succeeds, and puts back one that
//!   fails (an error or a panic) with a growing delay ([`RetryPolicy`]).
//!   After the last attempt a job is parked: kept with its last error,
//!   listed by [`Queue::parked`], run again after [`Queue::requeue`].
//!
//! Delivery is at least once: a worker that dies while running a job (a
//! killed process) leaves it claimed until its lease ends
//! ([`Worker::lease`]), and then another worker runs it again. Handlers
//! must therefore be idempotent: do nothing the second time (check, or
//! write with a unique key). Jobs run in no guaranteed order.

#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::FutureExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::AnyPool;
use sqlx::Row;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::di::BoxFuture;
use crate::response::BoxError;

/// The table the jobs live in.
pub const TABLE: &str = "fastrs_jobs";

/// A kind of job: its data, stored as JSON, and its name, which says which
/// handler runs it (keep it when renaming the type: stored jobs carry it).
///
/// ```
/// use fastrs::jobs::Job;
///
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct SendWelcome {
///     outbox_id: i64,
/// }
///
/// impl Job for SendWelcome {
///     const NAME: &'static str = "send_welcome";
/// }
/// ```
pub trait Job: Serialize + DeserializeOwned + Send + 'static {
    /// The name stored with each job of this kind.
    const NAME: &'static str;
}

/// The database a queue lives in; each has its own SQL where they differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(all(feature = "sqlite", feature = "postgres")), allow(dead_code))]
enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    fn schema(self) -> &'static str {
        match self {
            #[cfg(feature = "sqlite")]
            Dialect::Sqlite => sqlite::SCHEMA,
            #[cfg(feature = "postgres")]
            Dialect::Postgres => postgres::SCHEMA,
            #[allow(unreachable_patterns)]
            _ => unreachable!("a queue is made only for a compiled-in database"),
        }
    }

    /// The claim statement for `kinds` kinds: `$1` the lease's end, `$2`
    /// now, `$3` how many, then the kinds.
    fn claim(self, kinds: usize) -> String {
        let kinds = (0..kinds)
            .map(|i| format!("${}", i + 4))
            .collect::<Vec<_>>()
            .join(", ");
        let lock = match self {
            // Other workers skip the rows this one is claiming.
            Dialect::Postgres => "FOR UPDATE SKIP LOCKED",
            // SQLite has one writer at a time: a claim is never shared.
            Dialect::Sqlite => "",
        };
        format!(
            "UPDATE fastrs_jobs SET attempts = attempts + 1, locked_until = $1 \
             WHERE id IN (SELECT id FROM fastrs_jobs \
                WHERE state = 'queued' AND run_at <= $2 \
                AND (locked_until IS NULL OR locked_until <= $2) \
                AND kind IN ({kinds}) \
                ORDER BY run_at, id LIMIT $3 {lock}) \
             RETURNING id, kind, payload, attempts"
        )
    }
}

/// A job queue on a database: enqueue, list what is parked, and make
/// workers. Cheap to clone.
#[derive(Clone)]
pub struct Queue {
    pool: AnyPool,
    dialect: Dialect,
}

impl fmt::Debug for Queue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue")
            .field("dialect", &self.dialect)
            .finish_non_exhaustive()
    }
}

/// Milliseconds since the Unix epoch, as the table stores times.
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

impl Queue {
    /// Connects to `url` (`sqlite://...` or `postgres://...`) and creates
    /// the jobs table if it is not there.
    ///
    /// # Errors
    /// A URL of a database this build has no feature for, a database that
    /// does not answer, or a table that cannot be created.
    pub async fn connect(url: &str) -> Result<Queue, JobsError> {
        sqlx::any::install_default_drivers();
        let pool = AnyPool::connect(url).await?;
        let queue = Queue::new(pool)?;
        queue.migrate().await?;
        Ok(queue)
    }

    /// The queue in the database of `pool` (the app's own pool: jobs are
    /// then written in the app's transactions). Does not create the table:
    /// call [`Queue::migrate`] at start, or put the schema
    /// ([`sqlite::SCHEMA`], [`postgres::SCHEMA`]) in the app's migrations.
    ///
    /// # Errors
    /// A pool on a database this build has no feature for.
    pub fn new(pool: AnyPool) -> Result<Queue, JobsError> {
        let scheme = pool.connect_options().database_url.scheme().to_owned();
        let dialect = match scheme.as_str() {
            #[cfg(feature = "sqlite")]
            "sqlite" => Dialect::Sqlite,
            #[cfg(feature = "postgres")]
            "postgres" | "postgresql" => Dialect::Postgres,
            other => {
                return Err(JobsError::Database(format!(
                    "jobs need a database this build has: {other}:// is not one \
                     (fastrs's cargo features `sqlite` and `postgres`)"
                )))
            }
        };
        Ok(Queue { pool, dialect })
    }

    /// Creates the jobs table and its index if they are not there (on
    /// PostgreSQL under an advisory lock, so that replicas starting
    /// together do not collide).
    ///
    /// # Errors
    /// The database's error.
    pub async fn migrate(&self) -> Result<(), JobsError> {
        let mut tx = self.pool.begin().await?;
        if self.dialect == Dialect::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(7245010613)")
                .execute(&mut *tx)
                .await?;
        }
        for statement in self.dialect.schema().split(';') {
            if !statement.trim().is_empty() {
                sqlx::query(statement).execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Writes `job` on its own, due now.
    ///
    /// # Errors
    /// The database's error.
    pub async fn enqueue<J: Job>(&self, job: &J) -> Result<(), JobsError> {
        enqueue(&self.pool, job).await
    }

    /// The jobs that failed every attempt, oldest first.
    ///
    /// # Errors
    /// The database's error.
    pub async fn parked(&self) -> Result<Vec<ParkedJob>, JobsError> {
        let rows = sqlx::query(
            "SELECT id, kind, payload, attempts, last_error FROM fastrs_jobs \
             WHERE state = 'parked' ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ParkedJob {
                    id: row.try_get("id")?,
                    kind: row.try_get("kind")?,
                    payload: row.try_get("payload")?,
                    attempts: row.try_get("attempts")?,
                    last_error: row
                        .try_get::<Option<String>, _>("last_error")?
                        .unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Puts a parked job back in the queue, due now, with its attempts
    /// counted from zero. False when no parked job has that id.
    ///
    /// # Errors
    /// The database's error.
    pub async fn requeue(&self, id: i64) -> Result<bool, JobsError> {
        let done = sqlx::query(
            "UPDATE fastrs_jobs SET state = 'queued', attempts = 0, run_at = $1, locked_until = NULL \
             WHERE id = $2 AND state = 'parked'"
        )
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// How many jobs wait (due or not, claimed or not), not counting the
    /// parked ones.
    ///
    /// # Errors
    /// The database's error.
    pub async fn pending(&self) -> Result<i64, JobsError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM fastrs_jobs WHERE state = 'queued'")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// A worker on this queue, with no handlers yet.
    pub fn worker(&self) -> Worker {
        Worker {
            queue: self.clone(),
            handlers: HashMap::new(),
            concurrency: 4,
            poll_interval: Duration::from_millis(500),
            lease: Duration::from_secs(60),
            retry: RetryPolicy::default(),
        }
    }

    /// Claims up to `limit` due jobs of `kinds` for `lease`.
    async fn claim(
        &self,
        kinds: &[&'static str],
        limit: usize,
        lease: Duration,
    ) -> Result<Vec<Claimed>, sqlx::Error> {
        let now = now_ms();
        let sql = self.dialect.claim(kinds.len());
        let mut query = sqlx::query(&sql)
            .bind(now.saturating_add(millis(lease)))
            .bind(now)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX));
        for kind in kinds {
            query = query.bind(*kind);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(Claimed {
                    id: row.try_get("id")?,
                    kind: row.try_get("kind")?,
                    payload: row.try_get("payload")?,
                    attempts: row.try_get("attempts")?,
                })
            })
            .collect()
    }

    /// A job ran: it is deleted.
    async fn finish(&self, id: i64) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM fastrs_jobs WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A job failed: due again at `retry_at`, or parked when `None`.
    async fn fail(&self, id: i64, error: &str, retry_at: Option<i64>) -> Result<(), sqlx::Error> {
        let query = match retry_at {
            Some(at) => sqlx::query(
                "UPDATE fastrs_jobs SET locked_until = NULL, last_error = $1, run_at = $2 WHERE id = $3"
            )
            .bind(error)
            .bind(at)
            .bind(id),
            None => sqlx::query(
                "UPDATE fastrs_jobs SET locked_until = NULL, last_error = $1, state = 'parked' WHERE id = $2"
            )
            .bind(error)
            .bind(id),
        };
        query.execute(&self.pool).await?;
        Ok(())
    }
}

/// Writes `job`, due now, with `executor`: a pool, a connection, or the
/// caller's transaction (`&mut *tx`), in which case the job exists if and
/// only if the transaction commits. Any sqlx database whose SQL takes `$1`
/// placeholders (PostgreSQL, SQLite, and sqlx's `Any` on either).
///
/// ```no_run
/// # use fastrs::jobs::{enqueue, Job};
/// # #[derive(serde::Serialize, serde::Deserialize)]
/// # struct SendWelcome { outbox_id: i64 }
/// # impl Job for SendWelcome { const NAME: &'static str = "send_welcome"; }
/// # async fn register(pool: sqlx::AnyPool) -> Result<(), Box<dyn std::error::Error>> {
/// let mut tx = pool.begin().await?;
/// // ... the user and the email, in `tx` ...
/// enqueue(&mut *tx, &SendWelcome { outbox_id: 1 }).await?;
/// tx.commit().await?;
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// A job that cannot be written as JSON; the database's error.
pub async fn enqueue<'c, J, E, DB>(executor: E, job: &J) -> Result<(), JobsError>
where
    J: Job,
    E: sqlx::Executor<'c, Database = DB>,
    DB: sqlx::Database,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let payload = serde_json::to_string(job).map_err(|e| JobsError::Payload(e.to_string()))?;
    let now = now_ms();
    sqlx::query::<DB>(
        "INSERT INTO fastrs_jobs (kind, payload, state, attempts, run_at, created_at) \
         VALUES ($1, $2, 'queued', 0, $3, $4)",
    )
    .bind(J::NAME.to_owned())
    .bind(payload)
    .bind(now)
    .bind(now)
    .execute(executor)
    .await?;
    Ok(())
}

/// A job that failed every attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParkedJob {
    /// Its id, for [`Queue::requeue`].
    pub id: i64,
    /// Its [`Job::NAME`].
    pub kind: String,
    /// Its data, as JSON.
    pub payload: String,
    /// How many times it ran.
    pub attempts: i64,
    /// What its last attempt answered.
    pub last_error: String,
}

struct Claimed {
    id: i64,
    kind: String,
    payload: String,
    attempts: i64,
}

/// How often, and after how long, a failed job runs again: after the
/// first failure `first_delay`, then twice the previous delay, at most
/// `max_delay`; after `max_attempts` runs it is parked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Runs before the job is parked (the first one included).
    pub max_attempts: i64,
    /// The pause after the first failure.
    pub first_delay: Duration,
    /// The longest pause.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 10 attempts, 1 s after the first failure, doubling up to 10 min.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(600),
        }
    }
}

impl RetryPolicy {
    /// The pause after the `attempts`-th failed run.
    pub fn delay(&self, attempts: i64) -> Duration {
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        self.first_delay
            .saturating_mul(1u32 << doublings)
            .min(self.max_delay)
    }
}

type Handler = Arc<dyn Fn(String) -> BoxFuture<'static, Result<(), String>> + Send + Sync>;

/// Runs the jobs of the kinds it has handlers for: build it with
/// [`Queue::worker`] and [`Worker::handle`], then [`Worker::spawn`] it in
/// this process (a server's own worker) or [`Worker::run_until`] a signal
/// (a worker process).
pub struct Worker {
    queue: Queue,
    handlers: HashMap<&'static str, Handler>,
    concurrency: usize,
    poll_interval: Duration,
    lease: Duration,
    retry: RetryPolicy,
}

impl fmt::Debug for Worker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut kinds: Vec<_> = self.handlers.keys().collect();
        kinds.sort();
        f.debug_struct("Worker")
            .field("kinds", &kinds)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl Worker {
    /// Runs jobs of kind `J` with `handler`. An `Err` (any error that
    /// converts into a boxed one) or a panic is a failed attempt.
    ///
    /// # Panics
    /// When `J::NAME` has a handler already.
    pub fn handle<J, F, Fut, E>(mut self, handler: F) -> Self
    where
        J: Job,
        F: Fn(J) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxError>,
    {
        let handler: Handler =
            Arc::new(
                move |payload: String| match serde_json::from_str::<J>(&payload) {
                    Ok(job) => {
                        let run = handler(job);
                        Box::pin(async move { run.await.map_err(|e| e.into().to_string()) })
                    }
                    Err(error) => {
                        let error = format!("the stored data is not a {}: {error}", J::NAME);
                        Box::pin(async move { Err(error) })
                    }
                },
            );
        let kind = J::NAME;
        assert!(
            self.handlers.insert(kind, handler).is_none(),
            "fastrs: the job kind {kind:?} has two handlers"
        );
        self
    }

    /// How many jobs run at once (4 unless set).
    ///
    /// # Panics
    /// When `jobs` is 0.
    pub fn concurrency(mut self, jobs: usize) -> Self {
        assert!(jobs > 0, "fastrs: a worker runs at least one job at a time");
        self.concurrency = jobs;
        self
    }

    /// How long an idle worker waits before it looks for due jobs again
    /// (500 ms unless set).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// How long a claimed job is this worker's (60 s unless set): a
    /// worker that dies leaves its jobs to others after that long, and a
    /// job that runs longer may be run by another worker too.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// How failed jobs are retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Runs in a task of its own until [`WorkerHandle::stop`] (or until
    /// every clone of the handle is dropped).
    pub fn spawn(self) -> WorkerHandle {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(self.run(stopped));
        WorkerHandle {
            inner: Arc::new(HandleInner {
                stop,
                task: tokio::sync::Mutex::new(Some(task)),
            }),
        }
    }

    /// Runs until `shutdown` completes (a signal, say), then lets the jobs
    /// it is running finish.
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) {
        let (stop, stopped) = watch::channel(false);
        let run = self.run(stopped);
        tokio::pin!(run);
        tokio::select! {
            () = &mut run => return,
            () = shutdown => {}
        }
        let _ = stop.send(true);
        run.await;
    }

    async fn run(self, mut stopped: watch::Receiver<bool>) {
        let mut kinds: Vec<&'static str> = self.handlers.keys().copied().collect();
        kinds.sort_unstable();
        if kinds.is_empty() {
            crate::log::warning!("a job worker with no handlers has nothing to run");
        }
        let worker = Arc::new(self);
        let mut running: JoinSet<()> = JoinSet::new();
        let mut failing = false;
        while !*stopped.borrow() {
            let free = worker.concurrency - running.len();
            if free > 0 && !kinds.is_empty() {
                match worker.queue.claim(&kinds, free, worker.lease).await {
                    Ok(jobs) => {
                        if failing {
                            crate::log::info!("the job worker reaches its database again");
                            failing = false;
                        }
                        let more = jobs.len() == free;
                        for job in jobs {
                            running.spawn(worker.clone().execute(job));
                        }
                        if more {
                            // More may be due: claim again once a slot is free.
                            continue;
                        }
                    }
                    Err(error) => {
                        if !failing {
                            crate::log::warning!(
                                "the job worker cannot claim jobs ({error}); trying again"
                            );
                        }
                        failing = true;
                    }
                }
            }
            // A job ends (a slot is free), the next poll, or the stop.
            tokio::select! {
                Some(_) = running.join_next(), if !running.is_empty() => {}
                () = tokio::time::sleep(worker.poll_interval) => {}
                changed = stopped.changed() => {
                    // Every handle dropped: stop as if asked.
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
        // Stopping: the jobs already running finish.
        while running.join_next().await.is_some() {}
    }

    /// Runs one claimed job and records how it went.
    async fn execute(self: Arc<Self>, job: Claimed) {
        let outcome = match self.handlers.get(job.kind.as_str()) {
            Some(handler) => match AssertUnwindSafe(handler(job.payload)).catch_unwind().await {
                Ok(outcome) => outcome,
                Err(panic) => Err(format!("the handler panicked: {}", panic_text(&*panic))),
            },
            None => Err(format!("no handler for {:?}", job.kind)),
        };
        let recorded = match outcome {
            Ok(()) => self.queue.finish(job.id).await,
            Err(error) => {
                let retry_at = (job.attempts < self.retry.max_attempts)
                    .then(|| now_ms().saturating_add(millis(self.retry.delay(job.attempts))));
                match retry_at {
                    Some(_) => crate::log::warning!(
                        "the job {} #{} failed (attempt {}): {error}; it will run again",
                        job.kind,
                        job.id,
                        job.attempts
                    ),
                    None => crate::log::error!(
                        "the job {} #{} failed its last attempt ({}): {error}; it is parked",
                        job.kind,
                        job.id,
                        job.attempts
                    ),
                }
                self.queue.fail(job.id, &error, retry_at).await
            }
        };
        if let Err(error) = recorded {
            // The lease ends and the job runs again: at least once.
            crate::log::warning!(
                "the job {} #{} ran but its outcome was not recorded ({error}); it will run again",
                job.kind,
                job.id
            );
        }
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "(no message)".to_owned()
    }
}

/// A worker running in a task ([`Worker::spawn`]). Cheap to clone.
#[derive(Clone, Debug)]
pub struct WorkerHandle {
    inner: Arc<HandleInner>,
}

#[derive(Debug)]
struct HandleInner {
    stop: watch::Sender<bool>,
    task: tokio::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl WorkerHandle {
    /// Stops claiming jobs and waits for the running ones to finish.
    pub async fn stop(&self) {
        let _ = self.inner.stop.send(true);
        if let Some(task) = self.inner.task.lock().await.take() {
            if let Err(error) = task.await {
                crate::log::error!("the job worker ended badly: {error}");
            }
        }
    }
}

/// What went wrong with a job queue.
#[derive(Debug)]
#[non_exhaustive]
pub enum JobsError {
    /// The database cannot hold a queue in this build.
    Database(String),
    /// The job cannot be stored as JSON.
    Payload(String),
    /// The database answered an error.
    Sql(sqlx::Error),
}

impl From<sqlx::Error> for JobsError {
    fn from(error: sqlx::Error) -> Self {
        JobsError::Sql(error)
    }
}

impl fmt::Display for JobsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobsError::Database(why) => write!(f, "job queue: {why}"),
            JobsError::Payload(why) => write!(f, "job data: {why}"),
            JobsError::Sql(error) => write!(f, "job queue: {error}"),
        }
    }
}

impl std::error::Error for JobsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JobsError::Sql(error) => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_the_most() {
        let policy = RetryPolicy {
            max_attempts: 5,
            first_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
        };
        let delays: Vec<_> = (1..=5).map(|n| policy.delay(n).as_millis()).collect();
        assert_eq!(delays, [100, 200, 400, 500, 500]);
        assert_eq!(
            RetryPolicy::default().delay(1_000),
            Duration::from_secs(600)
        );
    }

    #[test]
    fn the_claim_skips_locked_rows_on_postgres_only() {
        let postgres = Dialect::Postgres.claim(2);
        assert!(postgres.contains("kind IN ($4, $5)"), "{postgres}");
        assert!(postgres.contains("FOR UPDATE SKIP LOCKED"));
        assert!(!Dialect::Sqlite.claim(1).contains("SKIP LOCKED"));
    }
}
