//! Serving an [`App`] over TCP with hyper: HTTP/1.1 and HTTP/2, a real
//! header-read timeout, a first-bytes timeout, HTTP/2 keep-alive pings, a
//! cap on concurrent connections, and graceful shutdown.
//!
//! hyper disables its header-read timeout unless a `Timer` is installed; we
//! install one per connection (`header_timer`: one tokio timer per
//! connection rather than one per request), so a client that sends half a
//! request head and stalls is disconnected after
//! [`ServerConfig::header_read_timeout`](crate::app::ServerConfig).
//! On SIGINT or SIGTERM the listener closes at once, in-flight requests run
//! to completion within the shutdown deadline, idle keep-alive connections
//! are closed, the app's shutdown hooks and app-scoped cleanups run
//! ([`App::shut_down`]), and `serve` returns.

use std::borrow::Cow;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};

use crate::app::connection_clock::{ConnectionClock, ConnectionTimer, HeaderDeadline};
use hyper_util::server::conn::auto;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::app::{App, AppFuture};
use crate::response::Body;

impl App {
    /// Serves the app on `HOST:PORT` from the environment (default
    /// `127.0.0.1:8000`) until SIGINT or SIGTERM, then shuts down gracefully.
    ///
    /// Run with the argument `openapi` (`cargo run --example params --
    /// openapi`), it prints the OpenAPI document instead and returns, so the
    /// API can be committed and diffed.
    ///
    /// # Errors
    /// When `PORT` is not a port number or the address cannot be bound.
    pub async fn serve(self) -> io::Result<()> {
        if std::env::args().nth(1).as_deref() == Some("openapi") {
            let document =
                serde_json::to_string_pretty(&self.openapi()).map_err(io::Error::other)?;
            println!("{document}");
            return Ok(());
        }
        let host = std::env::var("HOST").unwrap_or_else(|_| "127.0.0.1".to_owned());
        let port = match std::env::var("PORT") {
            Ok(port) => port.parse::<u16>().map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("PORT must be a port number, not {port:?}"),
                )
            })?,
            Err(_) => 8000,
        };
        let listener = TcpListener::bind((host.as_str(), port)).await?;
        self.serve_with(listener, shutdown_signal()).await
    }

    /// Serves the app on `listener` until `shutdown` completes, then shuts
    /// down gracefully. For tests and for embedding.
    ///
    /// The app's lifespan brackets the serving: [`App::start`] runs before
    /// the first connection is accepted, and [`App::shut_down`] after the
    /// in-flight requests have finished (or the deadline has passed).
    ///
    /// # Errors
    /// When the listener's address cannot be read, or the app cannot start
    /// (the message names the startup step that failed).
    pub async fn serve_with(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> io::Result<()> {
        let address = listener.local_addr()?;
        if let Err(error) = self.start().await {
            crate::log::error!("{error}");
            return Err(io::Error::other(error));
        }
        announce(address, self.shared.docs.swagger_url());
        let config = self.server.clone();
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http2()
            .timer(TokioTimer::new())
            .keep_alive_interval(Some(config.http2_keep_alive))
            .keep_alive_timeout(config.http2_keep_alive);
        // Connections are told to finish (graceful shutdown: HTTP/2's
        // GOAWAY, HTTP/1's last response) when the server stops, or when
        // they have been idle for the idle timeout; the server waits for
        // them by taking back every connection slot.
        let (stop_connections, stopping) = tokio::sync::watch::channel(false);
        let slots = Arc::new(tokio::sync::Semaphore::new(config.max_connections));
        let mut accept_errors = RateLimitedLog::default();
        let mut refusals = RateLimitedLog::default();
        tokio::pin!(shutdown);
        loop {
            let (stream, peer) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, peer)) => (stream, Some(peer)),
                    Err(error) => {
                        // Out of file descriptors and the like: back off,
                        // say so at most once a second, go on.
                        accept_errors.log(|n| format!("accept failed ({n} times): {error}"));
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                // Refused at once (closed), not left hanging.
                refusals.log(|n| {
                    format!(
                        "the limit of {} connections is reached; {n} new connection(s) closed",
                        config.max_connections
                    )
                });
                drop(stream);
                continue;
            };
            let _ = stream.set_nodelay(true);
            let peer = peer.filter(|_| self.shared.proxies.configured());
            let requests = Arc::new(AtomicU64::new(0));
            let service = HyperService(self.clone(), peer, requests.clone());
            let io = FirstBytes::new(stream, config.first_bytes_timeout);
            let header = config
                .header_read_timeout
                .map(|timeout| (HeaderDeadline::new(), timeout));
            let connection = with_header_timer(&builder, header.as_ref())
                .serve_connection_with_upgrades(TokioIo::new(io), service)
                .into_owned();
            let stopping = stopping.clone();
            let clock = ConnectionClock::new(requests, config.idle_timeout, header);
            tokio::spawn(async move {
                serve_until_idle(connection, clock, stopping).await;
                drop(slot);
            });
        }
        drop(listener);
        crate::log::info!("shutting down: waiting for in-flight requests");
        // In-flight requests, then the work they left running after their
        // responses (cleanups, background tasks), within one deadline.
        let state = self.shared.state.clone();
        let _ = stop_connections.send(true);
        let all = u32::try_from(config.max_connections).unwrap_or(u32::MAX);
        let drained = async move {
            let _every_connection_ended = slots.acquire_many(all).await;
            state.after_response.idle().await;
        };
        if tokio::time::timeout(config.shutdown_timeout, drained)
            .await
            .is_err()
        {
            crate::log::error!(
                "shutdown deadline of {:?} passed; closing remaining connections",
                config.shutdown_timeout
            );
        }
        self.shut_down().await;
        Ok(())
    }
}

/// The builder of one connection: `builder`, given a header-read timer of
/// the connection's own when there is a header-read timeout (without a
/// timer hyper ignores the timeout).
fn with_header_timer<'b>(
    builder: &'b auto::Builder<TokioExecutor>,
    header: Option<&(Arc<HeaderDeadline>, Duration)>,
) -> Cow<'b, auto::Builder<TokioExecutor>> {
    match header {
        None => Cow::Borrowed(builder),
        Some((deadline, timeout)) => {
            let mut builder = builder.clone();
            builder
                .http1()
                .timer(ConnectionTimer(deadline.clone()))
                .header_read_timeout(*timeout);
            Cow::Owned(builder)
        }
    }
}

/// Serves one connection until it ends. It is told to finish (hyper's
/// graceful shutdown: HTTP/2's GOAWAY, the end of HTTP/1's keep-alive;
/// requests in flight complete) when the server stops, or when its clock
/// finds it idle (no request started for the idle timeout). Without this,
/// HTTP/2 keep-alive pings would keep an idle connection open forever.
/// The clock also fires the header-read timeout, so it is polled for as
/// long as the connection lives, in this same task.
async fn serve_until_idle<C>(
    connection: C,
    mut clock: ConnectionClock,
    mut stopping: tokio::sync::watch::Receiver<bool>,
) where
    C: Future<Output = Result<(), Box<dyn std::error::Error + Send + Sync>>> + Graceful,
{
    let mut connection = std::pin::pin!(connection);
    let mut finishing = *stopping.borrow();
    if finishing {
        connection.as_mut().shut_down();
    }
    loop {
        tokio::select! {
            // The connection first: it is what every wake is usually for.
            biased;
            result = connection.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(error = %error, "connection ended with an error");
                }
                return;
            }
            () = std::future::poll_fn(|cx| clock.poll_idle(cx)) => {
                if !finishing {
                    finishing = true;
                    connection.as_mut().shut_down();
                }
            }
            _ = stopping.changed(), if !finishing => {
                finishing = true;
                connection.as_mut().shut_down();
            }
        }
    }
}

/// A connection that can be told to finish its work and close.
trait Graceful {
    fn shut_down(self: Pin<&mut Self>);
}

impl<I, S, E> Graceful for auto::UpgradeableConnection<'static, I, S, E>
where
    auto::UpgradeableConnection<'static, I, S, E>: Future,
    S: hyper::service::HttpService<Incoming>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    S::ResBody: http_body::Body + Send + 'static,
    <S::ResBody as http_body::Body>::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    E: hyper::rt::bounds::Http2ServerConnExec<S::Future, S::ResBody>,
{
    fn shut_down(self: Pin<&mut Self>) {
        self.graceful_shutdown();
    }
}

/// A log line at most once a second, counting what it stands for.
#[derive(Default)]
struct RateLimitedLog {
    last: Option<std::time::Instant>,
    count: u64,
}

impl RateLimitedLog {
    fn log(&mut self, line: impl FnOnce(u64) -> String) {
        self.count += 1;
        let now = std::time::Instant::now();
        if self
            .last
            .is_none_or(|last| now.duration_since(last) >= Duration::from_secs(1))
        {
            crate::log::error!("{}", line(self.count));
            self.last = Some(now);
            self.count = 0;
        }
    }
}

/// A new connection's stream, closed (a read error) when its first 24
/// bytes, what tells HTTP/1 from HTTP/2, do not arrive in time. Without
/// it, a client that connects and sends nothing, or a part of the HTTP/2
/// preface, holds a connection forever: hyper's header-read timeout starts
/// only once a protocol is chosen.
struct FirstBytes {
    stream: TcpStream,
    received: usize,
    deadline: Option<Pin<Box<tokio::time::Sleep>>>,
}

/// The length of the HTTP/2 preface, after which the protocol is known.
const PREFACE_LEN: usize = 24;

impl FirstBytes {
    fn new(stream: TcpStream, timeout: Duration) -> Self {
        FirstBytes {
            stream,
            received: 0,
            deadline: Some(Box::pin(tokio::time::sleep(timeout))),
        }
    }
}

impl AsyncRead for FirstBytes {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.stream).poll_read(cx, buf);
        if let Some(deadline) = &mut this.deadline {
            this.received += buf.filled().len() - before;
            if this.received >= PREFACE_LEN {
                this.deadline = None;
            } else if polled.is_pending() && deadline.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the first bytes of the connection did not arrive in time",
                )));
            }
        }
        polled
    }
}

impl AsyncWrite for FirstBytes {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, data)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// Says where the server listens and where its docs are (on stderr when no
/// `tracing` subscriber is installed, so a plain `cargo run` shows it too).
fn announce(address: SocketAddr, docs: Option<String>) {
    crate::log::info!("listening on http://{address} (press Ctrl+C to stop)");
    if let Some(docs) = docs {
        crate::log::info!("interactive API docs at http://{address}{docs}");
    }
}

/// Completes on SIGINT (Ctrl+C) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

/// The app as hyper's service: hyper's body goes in unboxed, and the peer's
/// address when the app trusts proxies (only then: it costs an allocation).
/// The app as hyper calls it, for one connection: the peer's address (when
/// proxies are trusted) and the connection's request count (for the idle
/// timeout).
struct HyperService(App, Option<SocketAddr>, Arc<AtomicU64>);

impl hyper::service::Service<http::Request<Incoming>> for HyperService {
    type Response = crate::response::Response;
    type Error = Infallible;
    type Future = AppFuture;

    fn call(&self, request: http::Request<Incoming>) -> AppFuture {
        self.2.fetch_add(1, Ordering::Relaxed);
        let mut request = request.map(Body::incoming);
        if let Some(peer) = self.1 {
            request.extensions_mut().insert(crate::app::PeerAddr(peer));
        }
        self.0.handle(request)
    }
}
