//! Publish/subscribe across the replicas of an app: a message published on
//! a channel reaches every subscriber of that channel, in this process and
//! in every other process connected to the same backend. A chat whose
//! members are connected to two replicas is one chat.
//!
//! One interface, [`Broadcast`], over three backends, chosen by URL
//! ([`Broadcast::connect`]):
//!
//! - `memory://` (or [`Broadcast::memory`]): this process only, no server
//!   ([`memory`], which is also the local fan-out of the other two);
//! - `redis://host:port`: Redis pub/sub (cargo feature `redis`);
//! - `postgres://...`: PostgreSQL's `LISTEN`/`NOTIFY` (cargo feature
//!   `postgres`).
//!
//! Each process holds one backend connection for all its subscribers, and
//! fans each message out locally. A lost connection is made again, with a
//! logged warning and growing pauses; messages published while it was
//! down are not seen by this process (pub/sub keeps nothing).
//!
//! Guarantees are pub/sub's: at most once, in the backend's order for one
//! publisher, no order across publishers. A subscriber that falls more
//! than [`Broadcast::connect_with_capacity`] messages behind is dropped with a
//! logged warning rather than growing memory: its [`Subscription::recv`]
//! returns `None`. For work that must not be lost, use durable jobs.
//!
//! ```
//! use fastrs::broadcast::Broadcast;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), fastrs::broadcast::BroadcastError> {
//! let broadcast = Broadcast::memory();
//! let mut news = broadcast.subscribe("news").await?;
//! broadcast.publish("news", "hello").await?;
//! assert_eq!(news.recv().await.unwrap().payload(), "hello");
//! # Ok(())
//! # }
//! ```

pub mod memory;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "redis")]
pub mod redis;
mod remote;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{mpsc, oneshot};

use crate::response::BoxError;
use memory::Hub;
use remote::{Interest, Publish};

/// How many messages a subscriber may fall behind before it is dropped,
/// unless [`Broadcast::connect_with_capacity`] says otherwise.
pub const DEFAULT_CAPACITY: usize = 1024;

/// The longest channel name, in bytes (PostgreSQL's `NOTIFY` payload,
/// which carries the name, is limited; Redis is not).
pub const MAX_CHANNEL_LEN: usize = 200;

/// A handle on the publish/subscribe backend: cheap to clone, shared by
/// every request (an app-scoped dependency, or app state).
#[derive(Clone)]
pub struct Broadcast {
    shared: Arc<Shared>,
}

struct Shared {
    hub: Arc<Hub>,
    backend: Backend,
}

/// Where messages go when published.
#[cfg_attr(not(any(feature = "redis", feature = "postgres")), allow(dead_code))]
enum Backend {
    /// Straight to this process's subscribers.
    Memory,
    /// To a server; they come back to this process's subscribers through
    /// the backend's listening task.
    Remote {
        publisher: Box<dyn Publish>,
        /// Tells the listening task which channels are wanted.
        interest: mpsc::UnboundedSender<Interest>,
    },
}

impl fmt::Debug for Broadcast {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let backend = match &self.shared.backend {
            Backend::Memory => "memory",
            Backend::Remote { publisher, .. } => publisher.name(),
        };
        f.debug_struct("Broadcast")
            .field("backend", &backend)
            .finish_non_exhaustive()
    }
}

impl Broadcast {
    /// Publish/subscribe inside this process, no server.
    pub fn memory() -> Broadcast {
        Broadcast::in_memory(DEFAULT_CAPACITY)
    }

    fn in_memory(capacity: usize) -> Broadcast {
        Broadcast {
            shared: Arc::new(Shared {
                hub: Arc::new(Hub::new(capacity)),
                backend: Backend::Memory,
            }),
        }
    }

    /// The backend named by `url`: `memory://`, `redis://...` (feature
    /// `redis`) or `postgres://...` (feature `postgres`). Returns once the
    /// backend answers, so that a wrong URL fails the app's start.
    ///
    /// # Errors
    /// An unknown scheme, a backend this build was compiled without, or a
    /// server that does not answer.
    pub async fn connect(url: &str) -> Result<Broadcast, BroadcastError> {
        Broadcast::connect_with_capacity(url, DEFAULT_CAPACITY).await
    }

    /// [`Broadcast::connect`], with subscribers dropped once they fall
    /// `capacity` messages behind.
    ///
    /// # Errors
    /// As [`Broadcast::connect`].
    pub async fn connect_with_capacity(
        url: &str,
        capacity: usize,
    ) -> Result<Broadcast, BroadcastError> {
        if capacity == 0 {
            return Err(BroadcastError::Url(
                "a subscriber keeps at least 1 message: the capacity is at least 1".into(),
            ));
        }
        let scheme = url.split_once("://").map_or(url, |(scheme, _)| scheme);
        match scheme {
            "memory" => Ok(Broadcast::in_memory(capacity)),
            "redis" | "rediss" => Broadcast::redis(url, capacity).await,
            "postgres" | "postgresql" => Broadcast::postgres(url, capacity).await,
            _ => Err(BroadcastError::Url(format!(
                "{url:?}: a broadcast URL starts with memory://, redis:// or postgres://"
            ))),
        }
    }

    #[cfg(feature = "redis")]
    async fn redis(url: &str, capacity: usize) -> Result<Broadcast, BroadcastError> {
        let hub = Arc::new(Hub::new(capacity));
        let (publisher, interest) = redis::start(url, hub.clone()).await?;
        Ok(Broadcast::remote(hub, Box::new(publisher), interest))
    }

    #[cfg(not(feature = "redis"))]
    async fn redis(_: &str, _: usize) -> Result<Broadcast, BroadcastError> {
        Err(BroadcastError::Url(
            "this build has no Redis backend: enable fastrs's cargo feature `redis`".into(),
        ))
    }

    #[cfg(feature = "postgres")]
    async fn postgres(url: &str, capacity: usize) -> Result<Broadcast, BroadcastError> {
        let hub = Arc::new(Hub::new(capacity));
        let (publisher, interest) = postgres::start(url, hub.clone()).await?;
        Ok(Broadcast::remote(hub, Box::new(publisher), interest))
    }

    #[cfg(not(feature = "postgres"))]
    async fn postgres(_: &str, _: usize) -> Result<Broadcast, BroadcastError> {
        Err(BroadcastError::Url(
            "this build has no PostgreSQL backend: enable fastrs's cargo feature `postgres`".into(),
        ))
    }

    #[cfg(any(feature = "redis", feature = "postgres"))]
    fn remote(
        hub: Arc<Hub>,
        publisher: Box<dyn Publish>,
        interest: mpsc::UnboundedSender<Interest>,
    ) -> Broadcast {
        Broadcast {
            shared: Arc::new(Shared {
                hub,
                backend: Backend::Remote {
                    publisher,
                    interest,
                },
            }),
        }
    }

    /// Sends `message` to every subscriber of `channel`, here and in
    /// every process on the same backend. Nobody listening is not an
    /// error: the message is gone.
    ///
    /// # Errors
    /// A channel name that is empty, longer than [`MAX_CHANNEL_LEN`] or
    /// holds a line break; a message too large for the backend
    /// (PostgreSQL: about 8,000 bytes); a backend that does not answer
    /// after one new connection.
    pub async fn publish(
        &self,
        channel: &str,
        message: impl Into<String>,
    ) -> Result<(), BroadcastError> {
        check_channel(channel)?;
        let message = message.into();
        match &self.shared.backend {
            Backend::Memory => {
                self.shared.hub.deliver(channel, message.into());
                Ok(())
            }
            Backend::Remote { publisher, .. } => publisher.publish(channel, &message).await,
        }
    }

    /// Publishes `value` as JSON text.
    ///
    /// # Errors
    /// As [`Broadcast::publish`], and a value that is not JSON.
    pub async fn publish_json<T: serde::Serialize + ?Sized>(
        &self,
        channel: &str,
        value: &T,
    ) -> Result<(), BroadcastError> {
        let text =
            serde_json::to_string(value).map_err(|e| BroadcastError::Message(e.to_string()))?;
        self.publish(channel, text).await
    }

    /// Subscribes to `channel`: the subscription receives what is
    /// published from now on, until it is dropped. With a remote backend,
    /// returns once the backend delivers the channel's messages.
    ///
    /// # Errors
    /// A channel name that is empty, too long or holds a line break.
    pub async fn subscribe(&self, channel: &str) -> Result<Subscription, BroadcastError> {
        check_channel(channel)?;
        let (channel, receiver, first) = self.shared.hub.subscribe(channel);
        if first {
            if let Backend::Remote { interest, .. } = &self.shared.backend {
                let (ready, subscribed) = oneshot::channel();
                let asked = interest.send(Interest::Subscribe {
                    channel: channel.clone(),
                    ready,
                });
                // The listening task subscribes whenever it is connected;
                // when it is reconnecting, the wait ends at its next
                // connection, bounded so that a subscriber is never stuck.
                if asked.is_ok() {
                    let _ = tokio::time::timeout(Duration::from_secs(5), subscribed).await;
                }
            }
        }
        Ok(Subscription {
            receiver,
            channel,
            shared: self.shared.clone(),
        })
    }

    /// How many subscribers `channel` has in this process.
    pub fn subscribers(&self, channel: &str) -> usize {
        self.shared.hub.subscribers(channel)
    }
}

fn check_channel(channel: &str) -> Result<(), BroadcastError> {
    if channel.is_empty() || channel.len() > MAX_CHANNEL_LEN || channel.contains(['\n', '\r']) {
        return Err(BroadcastError::Channel(format!(
            "{channel:?}: a channel name is 1 to {MAX_CHANNEL_LEN} bytes, without line breaks"
        )));
    }
    Ok(())
}

/// One message, as a subscriber receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    channel: Arc<str>,
    payload: Arc<str>,
}

impl Message {
    /// The channel it was published on.
    pub fn channel(&self) -> &str {
        &self.channel
    }

    /// What was published.
    pub fn payload(&self) -> &str {
        &self.payload
    }

    /// The payload read as JSON.
    ///
    /// # Errors
    /// A payload that is not JSON of `T`'s shape.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.payload)
    }
}

/// What one subscriber receives from one channel, until it is dropped
/// (dropping the last subscription of a channel unsubscribes this process
/// from it).
pub struct Subscription {
    receiver: tokio::sync::broadcast::Receiver<Message>,
    channel: Arc<str>,
    shared: Arc<Shared>,
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

impl Subscription {
    /// The channel subscribed to.
    pub fn channel(&self) -> &str {
        &self.channel
    }

    /// The next message; `None` when this subscriber fell too far behind
    /// and was dropped (logged), or the broadcast is gone.
    pub async fn recv(&mut self) -> Option<Message> {
        match self.receiver.recv().await {
            Ok(message) => Some(message),
            Err(RecvError::Lagged(missed)) => {
                crate::log::warning!(
                    "a subscriber of the broadcast channel {:?} fell {missed} messages behind and was dropped",
                    self.channel
                );
                None
            }
            Err(RecvError::Closed) => None,
        }
    }

    /// The messages as a stream (for a server-sent events answer, say).
    pub fn into_stream(self) -> impl futures_core::Stream<Item = Message> + Send + 'static {
        futures_util::stream::unfold(self, |mut subscription| async move {
            let message = subscription.recv().await?;
            Some((message, subscription))
        })
    }

    /// Sends each message's text to `socket` from a task of its own, until
    /// the returned guard is dropped (when the WebSocket session ends) or
    /// the client is gone: the usual way to put a WebSocket client on a
    /// channel while the session reads what the client writes.
    #[cfg(feature = "websockets")]
    #[cfg_attr(docsrs, doc(cfg(feature = "websockets")))]
    pub fn forward_to(self, socket: crate::websocket::WebSocketSender) -> Forwarding {
        let mut subscription = self;
        let task = tokio::spawn(async move {
            while let Some(message) = subscription.recv().await {
                if socket.send_text(message.payload()).await.is_err() {
                    break;
                }
            }
        });
        Forwarding(task)
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let last = self.shared.hub.unsubscribe(&self.channel);
        if last {
            if let Backend::Remote { interest, .. } = &self.shared.backend {
                let _ = interest.send(Interest::Unsubscribe(self.channel.clone()));
            }
        }
    }
}

/// A running [`Subscription::forward_to`]: the forwarding stops, and the
/// subscription ends, when this is dropped.
#[derive(Debug)]
pub struct Forwarding(tokio::task::JoinHandle<()>);

impl Drop for Forwarding {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What went wrong with a broadcast.
#[derive(Debug)]
#[non_exhaustive]
pub enum BroadcastError {
    /// The URL names no backend this build has.
    Url(String),
    /// The channel name is not one a backend takes.
    Channel(String),
    /// The message cannot be sent as it is.
    Message(String),
    /// The backend did not answer.
    Backend(BoxError),
}

impl fmt::Display for BroadcastError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BroadcastError::Url(why) => write!(f, "broadcast URL: {why}"),
            BroadcastError::Channel(why) => write!(f, "broadcast channel: {why}"),
            BroadcastError::Message(why) => write!(f, "broadcast message: {why}"),
            BroadcastError::Backend(error) => write!(f, "broadcast backend: {error}"),
        }
    }
}

impl std::error::Error for BroadcastError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BroadcastError::Backend(error) => Some(&**error),
            _ => None,
        }
    }
}
