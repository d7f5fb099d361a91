//! The Redis backend (cargo feature `redis`), through the `redis` crate:
//! `PUBLISH` on a multiplexed connection, and one pub/sub connection per
//! process that is subscribed to exactly the channels with local
//! subscribers. Either connection, once lost, is made again (logged;
//! the listening one by `remote::listen`).

use std::collections::HashSet;
use std::sync::Arc;

use futures_util::StreamExt;
use redis::aio::{MultiplexedConnection, PubSub};
use redis::AsyncCommands;
use tokio::sync::{mpsc, oneshot, Mutex};

use super::remote::{self, Ended, Interest, Listener, Publish};
use super::BroadcastError;
use crate::broadcast::memory::Hub;
use crate::di::BoxFuture;

/// Publishes on Redis.
pub(crate) struct Publisher {
    client: redis::Client,
    connection: Mutex<Option<MultiplexedConnection>>,
}

fn backend(error: redis::RedisError) -> BroadcastError {
    BroadcastError::Backend(Box::new(error))
}

/// Connects both connections (so that a wrong URL fails here) and starts
/// the listening task.
pub(crate) async fn start(
    url: &str,
    hub: Arc<Hub>,
) -> Result<(Publisher, mpsc::UnboundedSender<Interest>), BroadcastError> {
    let client = redis::Client::open(url).map_err(|e| BroadcastError::Url(e.to_string()))?;
    let pubsub = client.get_async_pubsub().await.map_err(backend)?;
    let connection = client
        .get_multiplexed_async_connection()
        .await
        .map_err(backend)?;
    let (interest, wanted) = mpsc::unbounded_channel();
    tokio::spawn(remote::listen(
        Listening(client.clone()),
        pubsub,
        hub,
        wanted,
    ));
    let publisher = Publisher {
        client,
        connection: Mutex::new(Some(connection)),
    };
    Ok((publisher, interest))
}

impl Publish for Publisher {
    fn name(&self) -> &'static str {
        "redis"
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
    /// `PUBLISH channel message`, on a new connection once if the current
    /// one is lost.
    async fn send(&self, channel: &str, message: &str) -> Result<(), BroadcastError> {
        let mut retried = false;
        loop {
            let mut connection = self.connection().await?;
            match connection.publish::<_, _, i64>(channel, message).await {
                Ok(_) => return Ok(()),
                Err(error) if !retried && lost(&error) => {
                    crate::log::warning!(
                        "the broadcast lost its Redis connection ({error}); connecting again"
                    );
                    *self.connection.lock().await = None;
                    retried = true;
                }
                Err(error) => return Err(backend(error)),
            }
        }
    }

    async fn connection(&self) -> Result<MultiplexedConnection, BroadcastError> {
        let mut current = self.connection.lock().await;
        if let Some(connection) = &*current {
            return Ok(connection.clone());
        }
        let connection = self
            .client
            .get_multiplexed_async_connection()
            .await
            .map_err(backend)?;
        *current = Some(connection.clone());
        Ok(connection)
    }
}

fn lost(error: &redis::RedisError) -> bool {
    error.is_io_error() || error.is_connection_dropped() || error.is_unrecoverable_error()
}

/// Redis's listening connections, for `remote::listen`.
struct Listening(redis::Client);

impl Listener for Listening {
    type Connection = PubSub;
    const SERVER: &'static str = "Redis";

    async fn connect(&self) -> Result<PubSub, String> {
        self.0.get_async_pubsub().await.map_err(|e| e.to_string())
    }

    /// Subscribes to the hub's channels, then follows the hub's changes
    /// and delivers messages until the connection is lost.
    async fn serve(
        &self,
        pubsub: PubSub,
        hub: &Hub,
        wanted: &mut mpsc::UnboundedReceiver<Interest>,
        waiting: &mut Vec<oneshot::Sender<()>>,
    ) -> Ended {
        let (mut sink, mut stream) = pubsub.split();
        let mut subscribed: HashSet<Arc<str>> = HashSet::new();
        for channel in hub.channels() {
            if sink.subscribe(&*channel).await.is_err() {
                return Ended::Lost;
            }
            subscribed.insert(channel);
        }
        for ready in waiting.drain(..) {
            let _ = ready.send(());
        }
        loop {
            tokio::select! {
                interest = wanted.recv() => match interest {
                    None => return Ended::Closed,
                    Some(Interest::Subscribe { channel, ready }) => {
                        if hub.has(&channel) && !subscribed.contains(&channel) {
                            if sink.subscribe(&*channel).await.is_err() {
                                waiting.push(ready);
                                return Ended::Lost;
                            }
                            subscribed.insert(channel);
                        }
                        let _ = ready.send(());
                    }
                    Some(Interest::Unsubscribe(channel)) => {
                        if !hub.has(&channel)
                            && subscribed.remove(&channel)
                            && sink.unsubscribe(&*channel).await.is_err()
                        {
                            return Ended::Lost;
                        }
                    }
                },
                message = stream.next() => match message {
                    None => return Ended::Lost,
                    Some(message) => match message.get_payload::<String>() {
                        Ok(payload) => hub.deliver(message.get_channel_name(), payload.into()),
                        Err(error) => crate::log::warning!(
                            "a broadcast message on {:?} is not text and was skipped: {error}",
                            message.get_channel_name()
                        ),
                    },
                },
            }
        }
    }
}
