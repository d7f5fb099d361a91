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

use super::remote::{self, Ended, Interest, Listener, Publish};
use super::BroadcastError;
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
    tokio::spawn(remote::listen(
        Listening(url.to_owned()),
        listener,
        hub,
        wanted,
    ));
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

/// PostgreSQL's listening connections, for `remote::listen`.
struct Listening(String);

impl Listener for Listening {
    type Connection = PgListener;
    const SERVER: &'static str = "PostgreSQL";

    async fn connect(&self) -> Result<PgListener, String> {
        listener(&self.0).await.map_err(|e| e.to_string())
    }

    /// Delivers notifications until the connection is lost. Every channel
    /// is listened to already: a subscriber is told so at once.
    async fn serve(
        &self,
        mut listener: PgListener,
        hub: &Hub,
        wanted: &mut mpsc::UnboundedReceiver<Interest>,
        waiting: &mut Vec<oneshot::Sender<()>>,
    ) -> Ended {
        for ready in waiting.drain(..) {
            let _ = ready.send(());
        }
        loop {
            // `try_recv` is cancel-safe: it consumes a message only once
            // it has all of it.
            tokio::select! {
                interest = wanted.recv() => match interest {
                    None => return Ended::Closed,
                    Some(Interest::Subscribe { ready, .. }) => { let _ = ready.send(()); }
                    Some(Interest::Unsubscribe(_)) => {}
                },
                received = listener.try_recv() => match received {
                    Ok(Some(notification)) => deliver(hub, notification.payload()),
                    Ok(None) => return Ended::Lost,
                    Err(error) => {
                        crate::log::warning!("the broadcast's PostgreSQL listener failed: {error}");
                        return Ended::Lost;
                    }
                },
            }
        }
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
