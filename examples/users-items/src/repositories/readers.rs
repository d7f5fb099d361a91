//! The read connections: lent to one query at a time and taken back at
//! once, with no round trip to the database in between.
//!
//! sqlx's pool pings every connection as it comes back (a `Sync` and its
//! answer on PostgreSQL, a message to the connection's thread and back on
//! SQLite), so that a read of one query cost two round trips. A reader
//! here goes back to the idle list as it is, and is closed instead when
//! its query failed for want of a working connection (the server went
//! away, the socket broke) or when it was dropped mid-query (a request
//! cancelled), so that a broken connection serves one failed query and
//! is then replaced. A connection that waited idle for
//! [`Readers::PING_AFTER_IDLE`] or longer is pinged before it is lent
//! (and replaced if the ping fails), so that a database restarted while
//! the service was quiet costs no failed query; under load, none is.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use sqlx::{AnyConnection, Connection};
use tokio::sync::{Semaphore, SemaphorePermit};

/// At most `size` read connections, opened when first needed.
pub struct Readers {
    url: String,
    sqlite: bool,
    /// Each with the time it was given back.
    idle: Mutex<Vec<(AnyConnection, Instant)>>,
    permits: Semaphore,
    ping_after_idle: Duration,
}

/// One read connection, lent until [`Reader::done`]. A reader dropped
/// without it (its request cancelled mid-query) closes its connection,
/// which may still hold the answer.
pub struct Reader<'a> {
    conn: Option<AnyConnection>,
    readers: &'a Readers,
    _permit: SemaphorePermit<'a>,
}

impl Readers {
    /// How long a connection may wait idle and still be lent without a
    /// ping.
    pub const PING_AFTER_IDLE: Duration = Duration::from_secs(30);

    /// Read connections to `url`, at most `size` at once; one is opened
    /// now, so that a database that cannot be reached fails at startup.
    pub async fn connect(url: &str, size: u32, sqlite: bool) -> Result<Readers, sqlx::Error> {
        let readers = Readers {
            url: url.to_owned(),
            sqlite,
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(size.max(1) as usize),
            ping_after_idle: Readers::PING_AFTER_IDLE,
        };
        let first = readers.open().await?;
        readers.idle().push((first, Instant::now()));
        Ok(readers)
    }

    /// Pings connections idle for `idle` or longer before lending them, in
    /// place of [`Readers::PING_AFTER_IDLE`].
    pub fn ping_after_idle(mut self, idle: Duration) -> Readers {
        self.ping_after_idle = idle;
        self
    }

    /// A connection, when one is free (waits otherwise).
    pub async fn get(&self) -> Result<Reader<'_>, sqlx::Error> {
        let permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let idle = self.idle().pop();
        let conn = match idle {
            Some((conn, since)) if since.elapsed() < self.ping_after_idle => conn,
            Some((mut conn, _)) => match conn.ping().await {
                Ok(()) => conn,
                Err(_) => self.open().await?,
            },
            None => self.open().await?,
        };
        Ok(Reader {
            conn: Some(conn),
            readers: self,
            _permit: permit,
        })
    }

    async fn open(&self) -> Result<AnyConnection, sqlx::Error> {
        let mut conn = AnyConnection::connect(&self.url).await?;
        if self.sqlite {
            super::sqlite_pragmas(&mut conn, true).await?;
        }
        Ok(conn)
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<(AnyConnection, Instant)>> {
        self.idle.lock().unwrap_or_else(|p| p.into_inner())
    }
}

// ANCHOR: lend
impl Reader<'_> {
    /// The connection, to run a query on.
    pub fn conn(&mut self) -> &mut AnyConnection {
        self.conn
            .as_mut()
            .expect("taken only by done, which consumes the reader")
    }

    /// Gives the connection back, or closes it when `result` says it no
    /// longer works; returns `result`.
    pub fn done<T>(mut self, result: Result<T, sqlx::Error>) -> Result<T, sqlx::Error> {
        let works = match &result {
            Ok(_) => true,
            Err(error) => still_works_after(error),
        };
        if let Some(conn) = self.conn.take().filter(|_| works) {
            self.readers.idle().push((conn, Instant::now()));
        }
        result
    }
}
// ANCHOR_END: lend

/// Whether a connection whose query failed with `error` can run the next
/// one: the database refused the query, or its answer did not fit the
/// row read; not when the connection itself failed, nor when PostgreSQL
/// said it is ending the session (SQLSTATE class 08, connection
/// exception, or 57, operator intervention: a backend terminated, the
/// server shutting down).
fn still_works_after(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(refused) => !refused
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57")),
        sqlx::Error::RowNotFound
        | sqlx::Error::ColumnNotFound(_)
        | sqlx::Error::ColumnIndexOutOfBounds { .. }
        | sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::TypeNotFound { .. } => true,
        _ => false,
    }
}
