//! The PostgreSQL backend (cargo feature `postgres`), through sqlx:
//! `pg_notify` on a small pool, and one `LISTEN` connection per process.
//!
//! Every broadcast channel travels on one PostgreSQL channel,
//! [`PG_CHANNEL`], as `name` + line break + message, and each process keeps
//! what its subscribers want: `LISTEN` takes no parameters, and one
//! listened channel needs no bookkeeping when the connection is made
//! again. A `NOTIFY` payload is at most 7,999 bytes, name included.

use std::sync::Arc;

use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use tokio::sync::{mpsc, oneshot};

use super::{Backoff, BroadcastError, Interest, Publish};
use crate::broadcast::memory::Hub;
use crate::di::BoxFuture;

/// The PostgreSQL channel every broadcast message travels on.
pub const PG_CHANNEL: &str = "fastrs_broadcast";

/// PostgreSQL's limit on a `NOTIFY` payload, in bytes (less than 8,000).
pub const MAX_PAYLOAD: usize = 7999;

/// Publishes with `pg_notify`.
pub(crate) struct Publisher {
    pool: PgPool,
}

fn backend(error: sqlx::Error) -> BroadcastError {
    BroadcastError::Backend(Box::new(error))
}

/// Connects the publishing pool and the listener (so that a wrong URL
/// fails here) and starts the listening task.
pub(crate) async fn start(
    url: &str,
    hub: Arc<Hub>,
) -> Result<(Publisher, mpsc::UnboundedSender<Interest>), BroadcastError> {
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .connect(url)
        .await
        .map_err(backend)?;
    let listener = listener(url).await.map_err(backend)?;
    let (interest, wanted) = mpsc::unbounded_channel();
    tokio::spawn(listen(url.to_owned(), listener, hub, wanted));
    Ok((Publisher { pool }, interest))
}

async fn listener(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    // A lost connection ends `try_recv` with `None`, and this module
    // connects again (logged), rather than sqlx in the background.
    listener.eager_reconnect(false);
    listener.listen(PG_CHANNEL).await?;
    Ok(listener)
}

impl Publish for Publisher {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn publish<'a>(
        &'a self,
        channel: &'a str,
        message: &'a str,
    ) -> BoxFuture<'a, Result<(), BroadcastError>> {
        Box::pin(self.send(channel, message))
    }
}

impl Publisher {
    /// `pg_notify(PG_CHANNEL, name + "\n" + message)`. The pool replaces a
    /// lost connection by itself.
    async fn send(&self, channel: &str, message: &str) -> Result<(), BroadcastError> {
        let payload = format!("{channel}\n{message}");
        if payload.len() > MAX_PAYLOAD {
            return Err(BroadcastError::Message(format!(
                "{} bytes on channel {channel:?}: PostgreSQL's NOTIFY carries at most {MAX_PAYLOAD} bytes with the channel name",
                message.len()
            )));
        }
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(PG_CHANNEL)
            .bind(payload)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// The listening task: hands each notification to the hub, and listens
/// again on a new connection when the connection is lost. It ends when
/// every handle and subscription is gone.
async fn listen(
    url: String,
    first: PgListener,
    hub: Arc<Hub>,
    mut wanted: mpsc::UnboundedReceiver<Interest>,
) {
    let mut connection = Some(first);
    // Subscribers waiting for a connection.
    let mut waiting: Vec<oneshot::Sender<()>> = Vec::new();
    let mut backoff = Backoff::new();
    loop {
        let mut listener = match connection.take() {
            Some(listener) => listener,
            None => match self::listener(&url).await {
                Ok(listener) => {
                    crate::log::info!("the broadcast is listening on PostgreSQL again");
                    backoff = Backoff::new();
                    listener
                }
                Err(error) => {
                    crate::log::warning!(
                        "the broadcast cannot reach PostgreSQL ({error}); trying again"
                    );
                    tokio::select! {
                        () = backoff.wait() => {}
                        interest = wanted.recv() => match interest {
                            None => return,
                            Some(Interest::Subscribe { ready, .. }) => waiting.push(ready),
                            Some(Interest::Unsubscribe(_)) => {}
                        },
                    }
                    continue;
                }
            },
        };
        for ready in waiting.drain(..) {
            let _ = ready.send(());
        }
        loop {
            // `try_recv` is cancel-safe: it consumes a message only once
            // it has all of it.
            tokio::select! {
                interest = wanted.recv() => match interest {
                    None => return,
                    // Everything is listened to already.
                    Some(Interest::Subscribe { ready, .. }) => { let _ = ready.send(()); }
                    Some(Interest::Unsubscribe(_)) => {}
                },
                received = listener.try_recv() => match received {
                    Ok(Some(notification)) => deliver(&hub, notification.payload()),
                    Ok(None) => break,
                    Err(error) => {
                        crate::log::warning!("the broadcast's PostgreSQL listener failed: {error}");
                        break;
                    }
                },
            }
        }
        crate::log::warning!("the broadcast lost its PostgreSQL connection; listening again");
    }
}

fn deliver(hub: &Hub, payload: &str) {
    match payload.split_once('\n') {
        Some((channel, message)) => hub.deliver(channel, message.into()),
        None => crate::log::warning!(
            "a notification on {PG_CHANNEL} without a channel name was skipped"
        ),
    }
}
