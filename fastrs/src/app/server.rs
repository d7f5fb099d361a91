//! Serving an [`App`] over TCP with hyper: HTTP/1.1 (and HTTP/2 with the
//! `http2` feature, with keep-alive pings), a real header-read timeout, a
//! first-bytes timeout, a cap on concurrent connections, and graceful
//! shutdown.
//!
//! The header-read timeout and the idle timeout are kept by each
//! connection's clock (`connection_clock.rs`) from what the connection
//! counts (heads received, responses done, writes), checked at the ticks
//! of one thread per server, not by hyper's per-request timer nor by a
//! tokio timer per connection, so a client that sends half a request head and
//! stalls is disconnected after
//! [`ServerConfig::header_read_timeout`](crate::app::ServerConfig) at no
//! cost to the requests that do arrive.
//! On SIGINT or SIGTERM the listener closes at once, in-flight requests run
//! to completion within the shutdown deadline, idle keep-alive connections
//! are closed, the app's shutdown hooks and app-scoped cleanups run
//! ([`App::shut_down`]), and `serve` returns.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::rt::TokioIo;

use crate::app::connection_clock::{
    Activity, Alarm, ConnectionClock, CountedBody, CountedResponse, TickedBy, Ticker,
};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::app::access_log::{AccessSink, ConnectionLog, Logged};
use crate::app::{App, AppFuture};
use crate::response::Body;

impl App {
    /// Serves the app on `HOST:PORT` from the environment (default
    /// `127.0.0.1:8000`) until SIGINT or SIGTERM, then shuts down gracefully.
    /// `ROOT_PATH` is the prefix a proxy serves it under, unless the code
    /// set one ([`App::root_path`]).
    ///
    /// Run with the argument `openapi` (`cargo run --example params --
    /// openapi`), it prints the OpenAPI document instead and returns, so the
    /// API can be committed and diffed.
    ///
    /// # Errors
    /// When `PORT` is not a port number or the address cannot be bound.
    pub async fn serve(self) -> io::Result<()> {
        if std::env::args().nth(1).as_deref() == Some("openapi") {
            let served = self.shared.docs.served(&self.openapi());
            let document = serde_json::to_string_pretty(&served).map_err(io::Error::other)?;
            println!("{document}");
            return Ok(());
        }
        if let Ok(prefix) = std::env::var("ROOT_PATH") {
            // The code's root path wins, as FastAPI's `root_path` wins
            // over uvicorn's `--root-path`.
            if let Some(prefix) = super::normalized_root_path(&prefix) {
                let _ = self.shared.state.root_path.set(prefix);
            }
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
        let builder = protocol::builder(&config);
        // Connections are told to finish (graceful shutdown: HTTP/2's
        // GOAWAY, HTTP/1's last response) when the server stops, or when
        // they have been idle for the idle timeout; the server waits for
        // them by taking back every connection slot.
        let (stop_connections, stopping) = tokio::sync::watch::channel(false);
        // The connections' timeouts are checked at the ticks of one thread,
        // not by a tokio timer per connection.
        let ticker = Ticker::start(ConnectionClock::tick(
            config.idle_timeout,
            config.header_read_timeout,
        ))?;
        let access = AccessSink::start(
            &config.access_log,
            self.shared.docs.asset_paths(),
            self.shared.request_ids,
        );
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
            let activity = Arc::new(Activity::default());
            let service = HyperService {
                app: self.clone(),
                peer,
                activity: activity.clone(),
                access: access.as_ref().map(|sink| sink.for_connection(peer)),
            };
            let io = ConnectionIo::new(stream, config.first_bytes_timeout, activity.clone());
            let connection = protocol::serve(&builder, TokioIo::new(io), service);
            let stopping = stopping.clone();
            let clock = ConnectionClock::new(
                activity,
                config.idle_timeout,
                config.header_read_timeout,
                std::time::Instant::now(),
            );
            let ticked_by = ticker.connections();
            tokio::spawn(async move {
                serve_until_idle(connection, clock, ticked_by, stopping).await;
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
        if let Some(access) = access {
            // Joins the log's thread: off the runtime's threads.
            let _ = tokio::task::spawn_blocking(move || access.stop()).await;
        }
        #[cfg(feature = "opentelemetry")]
        if let Some(traces) = self.shared.traces.clone() {
            // Waits for the exporter: off the runtime's threads.
            let _ = tokio::task::spawn_blocking(move || traces.flush()).await;
        }
        Ok(())
    }
}

/// Serves one connection until it ends. It is told to finish (hyper's
/// graceful shutdown: HTTP/2's GOAWAY, the end of HTTP/1's keep-alive;
/// requests in flight complete) when the server stops, or when its clock
/// finds it idle (no request started for the idle timeout). Without this,
/// HTTP/2 keep-alive pings would keep an idle connection open forever.
/// When the clock finds that it waited too long for a request head, it is
/// ended (dropped: closed without an answer, as hyper's own header-read
/// timeout does). The clock (checked at the server's ticks) and the stop
/// signal are watched in this same task, and looked at only when one of
/// them woke it ([`SideWake`]): the wakes for the connection's own I/O, one
/// or more per request, poll the connection alone.
async fn serve_until_idle<C, E>(
    connection: C,
    mut clock: ConnectionClock,
    ticked_by: TickedBy,
    mut stopping: tokio::sync::watch::Receiver<bool>,
) where
    C: Future<Output = Result<(), E>> + Graceful,
    E: std::fmt::Display,
{
    let mut connection = std::pin::pin!(connection);
    let mut finishing = *stopping.borrow();
    if finishing {
        connection.as_mut().shut_down();
    }
    let mut stop = std::pin::pin!(stopping.changed());
    let side = Arc::new(SideWake::default());
    let side_waker = std::task::Waker::from(side.clone());
    let _ticked = ticked_by.register(side_waker.clone());
    std::future::poll_fn(|cx| loop {
        // The connection first: it is what nearly every wake is for.
        if let Poll::Ready(result) = connection.as_mut().poll(cx) {
            if let Err(error) = result {
                tracing::debug!(error = %error, "connection ended with an error");
            }
            return Poll::Ready(());
        }
        // Registered before the flag is read: a side wake after the read
        // wakes the task again.
        side.task.register(cx.waker());
        if !side.woken.swap(false, Ordering::AcqRel) {
            return Poll::Pending;
        }
        let mut finish = false;
        match clock.check(std::time::Instant::now()) {
            Some(Alarm::HeadTimedOut) => {
                tracing::debug!(
                    "connection closed: no request head within the header-read timeout"
                );
                return Poll::Ready(());
            }
            Some(Alarm::Idle) => finish = true,
            None => {}
        }
        let mut side_cx = Context::from_waker(&side_waker);
        if !finishing && stop.as_mut().poll(&mut side_cx).is_ready() {
            finish = true;
        }
        if !finish || finishing {
            return Poll::Pending;
        }
        finishing = true;
        connection.as_mut().shut_down();
        // Polled again at once: shutting down may end it now.
        side.woken.store(true, Ordering::Release);
    })
    .await
}

/// The waker of a connection's ticks and stop signal: it marks that one of
/// them woke the connection's task, then wakes the task.
struct SideWake {
    woken: AtomicBool,
    task: futures_util::task::AtomicWaker,
}

impl Default for SideWake {
    /// Marked woken, so that the first poll checks the clock and listens
    /// for the stop signal.
    fn default() -> Self {
        SideWake {
            woken: AtomicBool::new(true),
            task: futures_util::task::AtomicWaker::new(),
        }
    }
}

impl std::task::Wake for SideWake {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.task.wake();
    }
}

/// A connection that can be told to finish its work and close.
trait Graceful {
    fn shut_down(self: Pin<&mut Self>);
}

impl Graceful for protocol::Connection {
    fn shut_down(self: Pin<&mut Self>) {
        self.graceful_shutdown();
    }
}

/// The protocol a connection is served with: HTTP/1.1 (by default), or
/// HTTP/1.1 and HTTP/2 told apart by the connection's first bytes (the
/// `http2` feature). Either way the header-read timeout is the connection
/// clock's, not hyper's, and upgrades (WebSockets) are served.
#[cfg(not(feature = "http2"))]
mod protocol {
    use super::{HyperService, TokioIo};
    use crate::app::ServerConfig;
    use hyper::server::conn::http1;

    pub(super) type Builder = http1::Builder;
    pub(super) type Connection =
        http1::UpgradeableConnection<TokioIo<super::ConnectionIo>, HyperService>;

    pub(super) fn builder(_config: &ServerConfig) -> Builder {
        let mut builder = http1::Builder::new();
        builder.header_read_timeout(None);
        builder
    }

    pub(super) fn serve(
        builder: &Builder,
        io: TokioIo<super::ConnectionIo>,
        service: HyperService,
    ) -> Connection {
        builder.serve_connection(io, service).with_upgrades()
    }
}

#[cfg(feature = "http2")]
mod protocol {
    use super::{HyperService, TokioIo};
    use crate::app::ServerConfig;
    use hyper_util::rt::{TokioExecutor, TokioTimer};
    use hyper_util::server::conn::auto;

    pub(super) type Builder = auto::Builder<TokioExecutor>;
    pub(super) type Connection = auto::UpgradeableConnection<
        'static,
        TokioIo<super::ConnectionIo>,
        HyperService,
        TokioExecutor,
    >;

    pub(super) fn builder(config: &ServerConfig) -> Builder {
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http2()
            .timer(TokioTimer::new())
            .keep_alive_interval(Some(config.http2_keep_alive))
            .keep_alive_timeout(config.http2_keep_alive);
        builder.http1().header_read_timeout(None);
        builder
    }

    pub(super) fn serve(
        builder: &Builder,
        io: TokioIo<super::ConnectionIo>,
        service: HyperService,
    ) -> Connection {
        builder
            .serve_connection_with_upgrades(io, service)
            .into_owned()
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

/// A connection's socket as hyper reads and writes it. It closes the
/// connection (a read error) when its first 24 bytes, what tells HTTP/1
/// from HTTP/2, do not arrive in time: without that, a client that
/// connects and sends nothing, or a part of the HTTP/2 preface, would hold
/// a connection until the header-read timeout, and forever on HTTP/2. It
/// tells the connection's [`Activity`] when those bytes are HTTP/2's
/// preface, and counts writes (progress, for the header-read timeout).
struct ConnectionIo {
    stream: TcpStream,
    /// How many of the first bytes have arrived (at most the preface's
    /// length), and whether they are HTTP/2's preface so far.
    received: usize,
    preface_so_far: bool,
    deadline: Option<Pin<Box<tokio::time::Sleep>>>,
    activity: Arc<Activity>,
}

/// What an HTTP/2 connection starts with; its length tells HTTP/1 from
/// HTTP/2.
const PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

impl ConnectionIo {
    fn new(stream: TcpStream, first_bytes_timeout: Duration, activity: Arc<Activity>) -> Self {
        ConnectionIo {
            stream,
            received: 0,
            preface_so_far: true,
            deadline: Some(Box::pin(tokio::time::sleep(first_bytes_timeout))),
            activity,
        }
    }

    /// Looks at `bytes`, the next ones read while the first 24 have not
    /// all arrived.
    fn first_bytes(&mut self, bytes: &[u8]) {
        let wanted = &PREFACE[self.received..];
        let seen = bytes.len().min(wanted.len());
        self.preface_so_far &= bytes[..seen] == wanted[..seen];
        self.received += seen;
        if self.received == PREFACE.len() {
            self.deadline = None;
            if self.preface_so_far {
                self.activity.speaks_http2();
            }
        }
    }
}

impl AsyncRead for ConnectionIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.stream).poll_read(cx, buf);
        if this.deadline.is_some() {
            this.first_bytes(&buf.filled()[before..]);
            if let Some(deadline) = &mut this.deadline {
                if polled.is_pending() && deadline.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the first bytes of the connection did not arrive in time",
                    )));
                }
            }
        }
        polled
    }
}

impl AsyncWrite for ConnectionIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.stream).poll_write(cx, data);
        if let Poll::Ready(Ok(1..)) = written {
            this.activity.wrote();
        }
        written
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
        let this = self.get_mut();
        let written = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(1..)) = written {
            this.activity.wrote();
        }
        written
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

/// The app as hyper calls it, for one connection: hyper's body goes in
/// unboxed, with the peer's address beside it (for [`Client`](crate::extract::Client),
/// without an allocation; it goes into the request's extensions only on
/// the paths that need it there); each request's head and response are
/// counted on the connection's [`Activity`] (for its timeouts).
struct HyperService {
    app: App,
    peer: Option<SocketAddr>,
    activity: Arc<Activity>,
    /// The server's access log, when on.
    access: Option<ConnectionLog>,
}

impl hyper::service::Service<http::Request<Incoming>> for HyperService {
    type Response = http::Response<CountedBody>;
    type Error = Infallible;
    type Future = CountedResponse<Logged<AppFuture>>;

    fn call(&self, request: http::Request<Incoming>) -> Self::Future {
        self.activity.head_received();
        let logged = self
            .access
            .as_ref()
            .and_then(|access| access.pending(&request));
        let request = request.map(Body::incoming);
        let answer = self.app.handle_from(request, self.peer);
        self.activity.count_response(Logged::new(answer, logged))
    }
}
