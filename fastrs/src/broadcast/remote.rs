//! What the server backends (Redis, PostgreSQL) share: the way they
//! publish ([`Publish`]), the messages that tell their listening task which
//! channels are wanted ([`Interest`]), and the listening task itself
//! ([`listen`]): connect, serve the connection until it is lost, log it,
//! and connect again with growing pauses, until every handle is gone.
#![cfg_attr(not(any(feature = "redis", feature = "postgres")), allow(dead_code))]

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::memory::Hub;
use super::BroadcastError;
use crate::di::BoxFuture;

/// A remote backend's way of publishing.
pub(crate) trait Publish: Send + Sync {
    /// The backend's name, for `Debug`.
    fn name(&self) -> &'static str;

    /// Sends `message` on `channel` to every process listening.
    fn publish<'a>(
        &'a self,
        channel: &'a str,
        message: &'a str,
    ) -> BoxFuture<'a, Result<(), BroadcastError>>;
}

/// A change in the channels this process subscribes to, for the listening
/// task of a remote backend. The task compares it with the hub at the
/// time it reads it, so that changes applied out of order do not leave a
/// channel subscribed without subscribers, or the reverse.
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
pub(crate) enum Interest {
    /// A channel gained its first local subscriber; `ready` is told once
    /// the backend delivers its messages.
    Subscribe {
        channel: Arc<str>,
        ready: oneshot::Sender<()>,
    },
    /// A channel lost its last local subscriber.
    Unsubscribe(Arc<str>),
}

/// How one connection's life ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Ended {
    /// Every handle is gone: the task ends.
    Closed,
    /// The connection is gone: connect again.
    Lost,
}

/// What the listening task needs from a backend.
pub(crate) trait Listener: Send + Sync + 'static {
    /// One listening connection.
    type Connection: Send;

    /// The server's name, in log lines.
    const SERVER: &'static str;

    /// Makes a listening connection.
    fn connect(&self) -> impl Future<Output = Result<Self::Connection, String>> + Send;

    /// Serves `connection` until it is lost or every handle is gone:
    /// follows `wanted`, tells the subscribers in `waiting` (and those who
    /// ask later) once their channels are delivered, and hands each
    /// message to `hub`.
    fn serve(
        &self,
        connection: Self::Connection,
        hub: &Hub,
        wanted: &mut mpsc::UnboundedReceiver<Interest>,
        waiting: &mut Vec<oneshot::Sender<()>>,
    ) -> impl Future<Output = Ended> + Send;
}

/// The listening task of a backend, from its `first` connection on.
pub(crate) async fn listen<L: Listener>(
    backend: L,
    first: L::Connection,
    hub: Arc<Hub>,
    mut wanted: mpsc::UnboundedReceiver<Interest>,
) {
    let mut connection = Some(first);
    // Subscribers waiting for a connection.
    let mut waiting: Vec<oneshot::Sender<()>> = Vec::new();
    let mut backoff = Backoff::new();
    loop {
        let current = match connection.take() {
            Some(current) => current,
            None => match backend.connect().await {
                Ok(current) => {
                    crate::log::info!("the broadcast is connected to {} again", L::SERVER);
                    backoff = Backoff::new();
                    current
                }
                Err(error) => {
                    crate::log::warning!(
                        "the broadcast cannot reach {} ({error}); trying again",
                        L::SERVER
                    );
                    tokio::select! {
                        () = backoff.wait() => {}
                        interest = wanted.recv() => match interest {
                            None => return,
                            Some(Interest::Subscribe { ready, .. }) => waiting.push(ready),
                            // Not subscribed anywhere while disconnected.
                            Some(Interest::Unsubscribe(_)) => {}
                        },
                    }
                    continue;
                }
            },
        };
        if backend
            .serve(current, &hub, &mut wanted, &mut waiting)
            .await
            == Ended::Closed
        {
            return;
        }
        crate::log::warning!(
            "the broadcast lost its {} connection; connecting again",
            L::SERVER
        );
    }
}

/// Pauses between attempts to reach a lost backend: 100 ms, doubling, at
/// most 5 s.
struct Backoff(Duration);

impl Backoff {
    fn new() -> Backoff {
        Backoff(Duration::from_millis(100))
    }

    /// Waits the current pause, and doubles the next.
    async fn wait(&mut self) {
        tokio::time::sleep(self.0).await;
        self.0 = (self.0 * 2).min(Duration::from_secs(5));
    }
}
