//! Data access: SQL against SQLite or PostgreSQL through sqlx's `Any`
//! driver, one module per table. Placeholders are `$1`, `$2`, ... in
//! increasing order, which both databases read the same way.

pub mod items;
pub mod outbox;
pub mod readers;
pub mod users;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyConnection;
use sqlx::AnyPool;
use std::sync::{Arc, Mutex};

use readers::{Reader, Readers};

/// The connections, shared by every request: those that read and a pool
/// that writes. SQLite has one writer: writes take its one write
/// connection, and reads any of its read connections, so that readers run
/// side by side (in WAL mode a reader never waits for the writer).
#[derive(Clone)]
pub struct Db {
    reads: Arc<Readers>,
    writes: AnyPool,
}

impl Db {
    /// A connection to read with, for one query: give it back with
    /// [`Reader::done`].
    pub async fn reader(&self) -> Result<Reader<'_>, sqlx::Error> {
        self.reads.get().await
    }

    /// The pool to write with (and to read what must be read in the same
    /// transaction as a write).
    pub fn writes(&self) -> &AnyPool {
        &self.writes
    }
}

// ANCHOR: tx
/// One request's transaction, begun at its first query (a request that
/// writes nothing holds no connection), then committed or rolled back
/// once, by whoever owns it: the `transaction` dependency's cleanup.
///
/// Every provided value is `Sync`; a connection is `Send` only, so it is
/// kept in a `Mutex` reached through `get_mut` alone (`&mut self`), which
/// never locks.
pub struct Tx {
    pool: AnyPool,
    open: Mutex<Option<sqlx::Transaction<'static, sqlx::Any>>>,
}

impl Tx {
    /// A transaction on `db`, not begun yet.
    pub fn new(db: &Db) -> Self {
        Tx {
            pool: db.writes().clone(),
            open: Mutex::new(None),
        }
    }

    /// The transaction's connection, beginning it if needed.
    pub async fn conn(&mut self) -> Result<&mut AnyConnection, sqlx::Error> {
        let open = self.open.get_mut().unwrap_or_else(|p| p.into_inner());
        if open.is_none() {
            *open = Some(self.pool.begin().await?);
        }
        Ok(open.as_mut().expect("begun above"))
    }

    /// Commits what was written (nothing to do if nothing was).
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.open.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(tx) => tx.commit().await,
            None => Ok(()),
        }
    }

    /// Drops what was written.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self.open.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(tx) => tx.rollback().await,
            None => Ok(()),
        }
    }
}
// ANCHOR_END: tx

/// The service's database, as its settings name it (the data directory
/// created for a SQLite file), connected and migrated.
pub async fn open(
    settings: &crate::core::config::Settings,
) -> Result<Db, crate::core::errors::Internal> {
    use crate::core::errors::Internal;
    if settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir).map_err(|e| Internal(e.to_string()))?;
    }
    connect(&settings.database_url(), settings.database_pool_size)
        .await
        .map_err(|e| Internal(format!("database {}: {e}", settings.database_url())))
}

// ANCHOR: connect
/// Connects to `url` (`sqlite://...` or `postgres://...`) with at most
/// `pool_size` read connections, and runs the migrations of that
/// database.
///
/// Reads take [`Readers`]: each query's connection goes back as it is,
/// where sqlx's pool pings a connection it takes back (one more round
/// trip to the database per query).
///
/// SQLite is opened in WAL mode with `synchronous = NORMAL` (as Rails 8
/// configures its SQLite apps): readers never wait for the writer, and
/// a commit is not flushed to disk on its own, so that writes are 20 times
/// faster; a commit survives the process crashing, and may be lost if the
/// machine loses power just after it. SQLite has one writer: one
/// connection writes, and the read connections only read (`query_only`).
/// On PostgreSQL, writes have a pool of `pool_size` of their own.
pub async fn connect(url: &str, pool_size: u32) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let postgres = url.starts_with("postgres:") || url.starts_with("postgresql:");
    let writes = if postgres {
        let pool = pool_options(pool_size).connect(url).await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        pool
    } else {
        let pool = pool_options(1)
            .after_connect(|conn, _| Box::pin(sqlite_pragmas(conn, false)))
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        pool
    };
    let reads = Readers::connect(url, pool_size, !postgres).await?;
    Ok(Db {
        reads: Arc::new(reads),
        writes,
    })
}

/// At most `max` connections, none pinged before each use: a round trip
/// per query (`GET /items/{id}` on PostgreSQL served 11.4k requests/s with
/// it, 14.2k without). A connection the server dropped fails that one
/// query and is replaced.
fn pool_options(max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .test_before_acquire(false)
}

/// A SQLite connection's settings: WAL, `synchronous = NORMAL`, and for a
/// read connection `query_only`, so that a write sent to it by mistake
/// fails instead of competing with the writer.
async fn sqlite_pragmas(conn: &mut AnyConnection, read_only: bool) -> Result<(), sqlx::Error> {
    use sqlx::Executor;
    conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
        .await?;
    if read_only {
        conn.execute("PRAGMA query_only = ON").await?;
    }
    Ok(())
}
// ANCHOR_END: connect

/// Now, as stored: RFC 3339 text with microseconds, in UTC.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// A stored time, read back.
pub fn parse_time(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_default()
}
