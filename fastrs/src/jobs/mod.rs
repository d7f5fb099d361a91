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
mod worker;

pub use worker::{RetryPolicy, Worker, WorkerHandle};

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::AnyPool;
use sqlx::Row;

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
            #[cfg(feature = "postgres")]
            Dialect::Postgres => postgres::CLAIM_LOCK,
            #[cfg(feature = "sqlite")]
            Dialect::Sqlite => sqlite::CLAIM_LOCK,
            #[allow(unreachable_patterns)]
            _ => unreachable!("a queue is made only for a compiled-in database"),
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
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

pub(crate) fn millis(duration: Duration) -> i64 {
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
        Worker::new(self.clone())
    }

    /// Claims up to `limit` due jobs of `kinds` for `lease`.
    pub(crate) async fn claim(
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
    pub(crate) async fn finish(&self, id: i64) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM fastrs_jobs WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A job failed: due again at `retry_at`, or parked when `None`.
    pub(crate) async fn fail(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<i64>,
    ) -> Result<(), sqlx::Error> {
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

/// A job a worker claimed.
pub(crate) struct Claimed {
    pub(crate) id: i64,
    pub(crate) kind: String,
    pub(crate) payload: String,
    pub(crate) attempts: i64,
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
    fn the_claim_skips_locked_rows_on_postgres_only() {
        let postgres = Dialect::Postgres.claim(2);
        assert!(postgres.contains("kind IN ($4, $5)"), "{postgres}");
        assert!(postgres.contains("FOR UPDATE SKIP LOCKED"));
        assert!(!Dialect::Sqlite.claim(1).contains("SKIP LOCKED"));
    }
}
