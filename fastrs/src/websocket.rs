//! WebSockets (FastAPI's `@app.websocket` and `WebSocket`): the
//! [`WebSocket`] argument of a `#[websocket("/path")]` route, the session
//! that runs once the handshake is answered, and the connection's reader
//! and writer.
//!
//! A WebSocket route is an endpoint answering a GET handshake. Its
//! parameters and dependencies are read as an HTTP endpoint's are; when
//! one fails, the handshake is refused with a `403` and an empty body, as
//! uvicorn refuses a FastAPI session closed before `accept()` (1008 there).
//! Any handshake the app does not accept (no such route, a route that is
//! not a WebSocket) gets the same `403`.
//!
//! Otherwise the route answers `101 Switching Protocols` and its function
//! runs as the session: request-scoped dependencies stay alive until it
//! returns, then their cleanups run. When it returns, the connection is
//! closed with `1000`; when it returns an error other than the client's
//! disconnect, with `1011`, logged. Frames are read and written by
//! tokio-tungstenite: messages over the size limit (1 MiB by default)
//! close the connection with `1009`, malformed frames with `1002`, and
//! pings are answered.
//!
//! Writing goes through a per-connection task fed by a bounded queue, so
//! that other tasks can send to this client ([`WebSocket::sender`], a
//! chat's broadcast) without waiting for the session to read.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use http::header::{HeaderValue, CONNECTION, SEC_WEBSOCKET_ACCEPT, SEC_WEBSOCKET_KEY, UPGRADE};
use http::StatusCode;
use hyper_util::rt::TokioIo;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::{self, Message as Frame};
use tokio_tungstenite::WebSocketStream;

use crate::error::HttpError;
use crate::extract::{Arg, FromRequest, RequestContext};
use crate::model::ValidationErrors;
use crate::response::{Body, IntoResponse, Rejection, Response};
use crate::state::{Cleanup, Outcome};

/// The largest message (and frame) a client may send, by default.
pub const DEFAULT_MAX_MESSAGE: usize = crate::state::DEFAULT_WEBSOCKET_MAX_MESSAGE;

/// How many messages may wait to be written to one client.
const QUEUE: usize = 64;

type Stream = WebSocketStream<TokioIo<hyper::upgrade::Upgraded>>;

/// A message received or sent: text or bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A text message.
    Text(String),
    /// A binary message.
    Binary(Bytes),
}

/// Why a WebSocket call failed: the client left (FastAPI's
/// `WebSocketDisconnect`), or the connection was closed by the server
/// (a message too big, a malformed frame, a message of the wrong kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebSocketError {
    /// The client closed the connection with `code` and `reason` (`1006`
    /// when it went away without a close frame).
    Disconnected {
        /// The close code.
        code: u16,
        /// The close reason.
        reason: String,
    },
    /// The server closed the connection with `code`, for `reason`.
    Closed {
        /// The close code sent.
        code: u16,
        /// Why.
        reason: String,
    },
}

impl WebSocketError {
    /// The close code.
    pub fn code(&self) -> u16 {
        match self {
            WebSocketError::Disconnected { code, .. } | WebSocketError::Closed { code, .. } => {
                *code
            }
        }
    }

    fn gone() -> Self {
        WebSocketError::Disconnected {
            code: 1006,
            reason: String::new(),
        }
    }
}

impl std::fmt::Display for WebSocketError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebSocketError::Disconnected { code, reason } => {
                write!(f, "the client disconnected ({code}) {reason}")
            }
            WebSocketError::Closed { code, reason } => {
                write!(f, "the connection was closed ({code}): {reason}")
            }
        }
    }
}

impl std::error::Error for WebSocketError {}

/// What the writer task is asked to do.
enum Outgoing {
    Frame(Frame),
    Close(u16, String),
}

/// What the pipeline needs to answer the handshake and start the
/// connection: left in the request by the [`WebSocket`] extractor.
struct Handshake {
    upgrade: hyper::upgrade::OnUpgrade,
    /// The session runner's own way to send the final close.
    closer: WebSocketSender,
    reader: oneshot::Sender<SplitStream<Stream>>,
    outgoing: mpsc::Receiver<Outgoing>,
    max_message: usize,
}

/// The client's end of a WebSocket session (FastAPI's `WebSocket`): the
/// argument of a `#[websocket]` route.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::websocket::{WebSocket, WebSocketError};
///
/// #[websocket("/echo")]
/// async fn echo(mut ws: WebSocket) -> Result<(), WebSocketError> {
///     loop {
///         let text = ws.receive_text().await?;
///         ws.send_text(format!("You wrote: {text}")).await?;
///     }
/// }
/// ```
pub struct WebSocket {
    reader: Reader,
    sender: WebSocketSender,
}

enum Reader {
    Waiting(oneshot::Receiver<SplitStream<Stream>>),
    Open(SplitStream<Stream>),
    Done,
}

impl std::fmt::Debug for WebSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebSocket").finish_non_exhaustive()
    }
}

/// A handle that sends to one client from anywhere (a chat's list of
/// members): cheap to clone; sending fails once the client is gone.
#[derive(Clone)]
pub struct WebSocketSender(mpsc::Sender<Outgoing>);

impl std::fmt::Debug for WebSocketSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebSocketSender").finish_non_exhaustive()
    }
}

impl WebSocketSender {
    /// Sends a text message.
    pub async fn send_text(&self, text: impl Into<String>) -> Result<(), WebSocketError> {
        self.send_frame(Frame::text(text.into())).await
    }

    /// Sends a binary message.
    pub async fn send_bytes(&self, bytes: impl Into<Bytes>) -> Result<(), WebSocketError> {
        self.send_frame(Frame::binary(bytes.into())).await
    }

    /// Sends `value` as a JSON text message (FastAPI's `send_json`).
    pub async fn send_json<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), WebSocketError> {
        let text = serde_json::to_string(&crate::model::Finite(value)).map_err(|e| {
            WebSocketError::Closed {
                code: 1011,
                reason: format!("the message could not be written as JSON: {e}"),
            }
        })?;
        self.send_frame(Frame::text(text)).await
    }

    /// Closes the connection with `code` and `reason` (after the messages
    /// already queued).
    pub async fn close(&self, code: u16, reason: &str) -> Result<(), WebSocketError> {
        self.0
            .send(Outgoing::Close(code, reason.to_owned()))
            .await
            .map_err(|_| WebSocketError::gone())
    }

    /// True once the connection's writer has stopped.
    pub fn is_closed(&self) -> bool {
        self.0.is_closed()
    }

    async fn send_frame(&self, frame: Frame) -> Result<(), WebSocketError> {
        self.0
            .send(Outgoing::Frame(frame))
            .await
            .map_err(|_| WebSocketError::gone())
    }
}

impl WebSocket {
    /// Waits until the connection is open (FastAPI's `accept()`). The
    /// handshake is answered as soon as the route's parameters and
    /// dependencies are read; every other method accepts first, so
    /// calling this is optional.
    pub async fn accept(&mut self) -> Result<(), WebSocketError> {
        self.reader().await.map(|_| ())
    }

    async fn reader(&mut self) -> Result<&mut SplitStream<Stream>, WebSocketError> {
        if let Reader::Waiting(waiting) = &mut self.reader {
            self.reader = match waiting.await {
                Ok(stream) => Reader::Open(stream),
                Err(_) => Reader::Done,
            };
        }
        match &mut self.reader {
            Reader::Open(stream) => Ok(stream),
            _ => Err(WebSocketError::gone()),
        }
    }

    /// Receives the next text or binary message (pings are answered on the
    /// way). `Err(Disconnected)` when the client leaves.
    pub async fn receive(&mut self) -> Result<Message, WebSocketError> {
        loop {
            let next = self.reader().await?.next().await;
            let failure = match next {
                Some(Ok(Frame::Text(text))) => return Ok(Message::Text(text.as_str().to_owned())),
                Some(Ok(Frame::Binary(bytes))) => return Ok(Message::Binary(bytes)),
                Some(Ok(Frame::Ping(_) | Frame::Pong(_) | Frame::Frame(_))) => continue,
                Some(Ok(Frame::Close(frame))) => {
                    self.reader = Reader::Done;
                    let (code, reason) = frame.map_or((1005, String::new()), |f| {
                        (u16::from(f.code), f.reason.as_str().to_owned())
                    });
                    return Err(WebSocketError::Disconnected { code, reason });
                }
                None => None,
                Some(Err(error)) => closing_code(&error),
            };
            self.reader = Reader::Done;
            return Err(match failure {
                Some((code, reason)) => {
                    // The writer may already be gone; the error says why.
                    let _ = self.sender.close(code, reason).await;
                    WebSocketError::Closed {
                        code,
                        reason: reason.to_owned(),
                    }
                }
                None => WebSocketError::gone(),
            });
        }
    }

    /// Receives a text message (FastAPI's `receive_text`). A binary
    /// message closes the connection with `1003` (unsupported data).
    pub async fn receive_text(&mut self) -> Result<String, WebSocketError> {
        match self.receive().await? {
            Message::Text(text) => Ok(text),
            Message::Binary(_) => Err(self.refuse(1003, "expected a text message").await),
        }
    }

    /// Receives a binary message (FastAPI's `receive_bytes`). A text
    /// message closes the connection with `1003`.
    pub async fn receive_bytes(&mut self) -> Result<Bytes, WebSocketError> {
        match self.receive().await? {
            Message::Binary(bytes) => Ok(bytes),
            Message::Text(_) => Err(self.refuse(1003, "expected a binary message").await),
        }
    }

    /// Receives a message holding JSON and reads it as `T` (FastAPI's
    /// `receive_json`, then a `TypeAdapter` or `serde`). A message that is
    /// not JSON of that shape closes the connection with `1007`. For a
    /// `#[model]` with Pydantic's error list, receive a
    /// `serde_json::Value` and validate it with
    /// [`model_validate`](crate::model::model_validate).
    pub async fn receive_json<T: DeserializeOwned>(&mut self) -> Result<T, WebSocketError> {
        let parsed = match self.receive().await? {
            Message::Text(text) => serde_json::from_str(&text),
            Message::Binary(bytes) => serde_json::from_slice(&bytes),
        };
        match parsed {
            Ok(value) => Ok(value),
            Err(_) => Err(self.refuse(1007, "the message is not valid JSON").await),
        }
    }

    /// Closes with `code` after a message the session cannot take.
    async fn refuse(&mut self, code: u16, reason: &str) -> WebSocketError {
        let _ = self.sender.close(code, reason).await;
        self.reader = Reader::Done;
        WebSocketError::Closed {
            code,
            reason: reason.to_owned(),
        }
    }

    /// Sends a text message.
    pub async fn send_text(&mut self, text: impl Into<String>) -> Result<(), WebSocketError> {
        self.sender.send_text(text).await
    }

    /// Sends a binary message.
    pub async fn send_bytes(&mut self, bytes: impl Into<Bytes>) -> Result<(), WebSocketError> {
        self.sender.send_bytes(bytes).await
    }

    /// Sends `value` as JSON text (FastAPI's `send_json`).
    pub async fn send_json<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<(), WebSocketError> {
        self.sender.send_json(value).await
    }

    /// Closes the connection with `code` and `reason` (FastAPI's
    /// `close(code, reason)`), after the messages already queued.
    pub async fn close(&mut self, code: u16, reason: &str) -> Result<(), WebSocketError> {
        self.reader = Reader::Done;
        self.sender.close(code, reason).await
    }

    /// A handle that sends to this client from elsewhere (a broadcast).
    pub fn sender(&self) -> WebSocketSender {
        self.sender.clone()
    }
}

/// The close code and reason for a read error, or `None` when the client
/// simply went away.
fn closing_code(error: &tungstenite::Error) -> Option<(u16, &'static str)> {
    use tungstenite::error::{CapacityError, ProtocolError};
    match error {
        tungstenite::Error::Capacity(CapacityError::MessageTooLong { .. }) => {
            Some((1009, "message too big"))
        }
        tungstenite::Error::Protocol(ProtocolError::ResetWithoutClosingHandshake)
        | tungstenite::Error::ConnectionClosed
        | tungstenite::Error::AlreadyClosed
        | tungstenite::Error::Io(_) => None,
        tungstenite::Error::Utf8(_) => Some((1007, "invalid UTF-8 in a text message")),
        _ => Some((1002, "protocol error")),
    }
}

/// True when the headers ask for a WebSocket (`Upgrade: websocket`).
pub(crate) fn is_handshake(headers: &http::HeaderMap) -> bool {
    headers
        .get(UPGRADE)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"))
}

/// Starlette's answer to a handshake the app does not accept: `403`, no
/// body.
pub(crate) fn refused() -> Response {
    crate::response::with_content_type(
        StatusCode::FORBIDDEN,
        crate::response::media::text_plain(),
        Bytes::new(),
    )
}

impl FromRequest for WebSocket {
    type Value = WebSocket;

    async fn from_request(
        cx: &mut RequestContext,
        arg: &Arg<WebSocket>,
        _: &mut ValidationErrors,
    ) -> Result<Option<Self>, Rejection> {
        if !arg.spec.websocket_route {
            // In an #[endpoint], the function would wait for a session
            // that its own answer has to start: say so instead of hanging.
            crate::log::error!(
                "{}: a WebSocket argument belongs to a #[websocket(\"/path\")] route, not an #[endpoint]",
                cx.head().uri.path()
            );
            return Err(crate::response::internal_server_error().into());
        }
        let head = cx.head();
        let version_ok = head
            .headers
            .get("sec-websocket-version")
            .is_some_and(|v| v == "13");
        if !is_handshake(&head.headers)
            || !head.headers.contains_key(SEC_WEBSOCKET_KEY)
            || !version_ok
        {
            // A plain GET of a WebSocket route: Starlette's 404.
            return Err(HttpError::new(StatusCode::NOT_FOUND, "Not Found")
                .into_response()
                .into());
        }
        let Some(upgrade) = cx.extensions_mut().remove::<hyper::upgrade::OnUpgrade>() else {
            // No connection to take over (an in-process test client).
            return Err(
                HttpError::new(StatusCode::BAD_REQUEST, "WebSocket upgrade unavailable")
                    .into_response()
                    .into(),
            );
        };
        let (reader_tx, reader_rx) = oneshot::channel();
        let (outgoing_tx, outgoing_rx) = mpsc::channel(QUEUE);
        let max_message = cx.app().websocket_max_message;
        let sender = WebSocketSender(outgoing_tx);
        cx.extensions_mut()
            .insert(HandshakeSlot(Arc::new(Mutex::new(Some(Handshake {
                upgrade,
                closer: sender.clone(),
                reader: reader_tx,
                outgoing: outgoing_rx,
                max_message,
            })))));
        Ok(Some(WebSocket {
            reader: Reader::Waiting(reader_rx),
            sender,
        }))
    }
}

/// The handshake in the request's extensions (which need `Clone` and
/// `Sync`): taken once.
#[derive(Clone)]
struct HandshakeSlot(Arc<Mutex<Option<Handshake>>>);

/// What a session function may return: `()`, or a `Result` whose error
/// closes the connection with `1011` (unless it is the client's
/// disconnect, which needs no answer).
pub trait SessionEnd: Send + 'static {
    /// The close code and reason to send, `None` when none is needed.
    fn close(self) -> Option<(u16, String)>;
}

impl SessionEnd for () {
    fn close(self) -> Option<(u16, String)> {
        Some((1000, String::new()))
    }
}

impl<E: std::fmt::Display + Send + 'static> SessionEnd for Result<(), E> {
    fn close(self) -> Option<(u16, String)> {
        match self {
            Ok(()) => Some((1000, String::new())),
            Err(error) => {
                let any: &dyn std::any::Any = &error;
                match any.downcast_ref::<WebSocketError>() {
                    Some(WebSocketError::Disconnected { .. }) => None,
                    Some(WebSocketError::Closed { .. }) => None,
                    None => {
                        crate::log::error!("a WebSocket session failed: {error}");
                        Some((1011, String::new()))
                    }
                }
            }
        }
    }
}

type SessionFuture = Pin<Box<dyn Future<Output = Option<(u16, String)>> + Send>>;

/// The session a `#[websocket]` route's function makes, until the
/// pipeline starts it (taken once).
#[derive(Clone)]
struct PendingSession(Arc<Mutex<Option<SessionFuture>>>);

/// The answer of a `#[websocket]` route whose parameters were read: a
/// `101` whose session is `session` (called by the generated code).
pub fn session<F>(session: F) -> Response
where
    F: Future + Send + 'static,
    F::Output: SessionEnd,
{
    let future: SessionFuture = Box::pin(async move { session.await.close() });
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let extensions = response.extensions_mut();
    extensions.insert(PendingSession(Arc::new(Mutex::new(Some(future)))));
    extensions.insert(crate::extract::CompleteWithRequest(start));
    response
}

/// Answers the handshake of a response made by [`session`] and starts the
/// connection and the session, which takes the request's cleanups with
/// it; any other response passes unchanged.
fn start(mut response: Response, cx: &mut RequestContext) -> Response {
    let Some(pending) = response.extensions_mut().remove::<PendingSession>() else {
        return response;
    };
    let handshake = cx
        .extensions_mut()
        .remove::<HandshakeSlot>()
        .and_then(|slot| slot.0.lock().ok()?.take());
    let session = pending.0.lock().ok().and_then(|mut s| s.take());
    let key = cx.head().headers.get(SEC_WEBSOCKET_KEY);
    let (Some(handshake), Some(session), Some(key)) = (handshake, session, key) else {
        crate::log::error!("a #[websocket] route without a WebSocket argument");
        return crate::response::internal_server_error();
    };
    let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
    let headers = response.headers_mut();
    headers.insert(UPGRADE, HeaderValue::from_static("websocket"));
    headers.insert(CONNECTION, HeaderValue::from_static("upgrade"));
    if let Ok(accept) = HeaderValue::try_from(accept) {
        headers.insert(SEC_WEBSOCKET_ACCEPT, accept);
    }
    let cleanups = std::mem::take(&mut cx.cleanups);
    let closer = handshake.closer.clone();
    #[cfg(feature = "metrics")]
    let open = cx.app().open_websockets.clone().map(OpenSession::new);
    tokio::spawn(connection(handshake));
    tokio::spawn(async move {
        #[cfg(feature = "metrics")]
        let _open = open;
        let (code, reason) = session.await.unwrap_or((1000, String::new()));
        // After what the session queued; the writer may be gone already
        // (the client left, or the session closed the connection itself).
        let _ = closer.close(code, &reason).await;
        drop(closer);
        run_cleanups(cleanups).await;
    });
    response
}

/// An open session, counted on the app's gauge until it ends (feature
/// `metrics`).
#[cfg(feature = "metrics")]
struct OpenSession(prometheus_client::metrics::gauge::Gauge);

#[cfg(feature = "metrics")]
impl OpenSession {
    fn new(gauge: prometheus_client::metrics::gauge::Gauge) -> OpenSession {
        gauge.inc();
        OpenSession(gauge)
    }
}

#[cfg(feature = "metrics")]
impl Drop for OpenSession {
    fn drop(&mut self) {
        self.0.dec();
    }
}

async fn run_cleanups(cleanups: Vec<Cleanup>) {
    let outcome = Outcome::new(StatusCode::SWITCHING_PROTOCOLS, None);
    for cleanup in cleanups.into_iter().rev() {
        if let Err(error) = cleanup.run(&outcome).await {
            crate::log::error!("a dependency cleanup failed after a WebSocket session: {error}");
        }
    }
}

/// Takes the connection over once hyper has sent the `101`, hands the
/// reading half to the session and writes what is queued until a close.
async fn connection(handshake: Handshake) {
    let Handshake {
        upgrade,
        closer,
        reader,
        mut outgoing,
        max_message,
    } = handshake;
    drop(closer);
    let Ok(upgraded) = upgrade.await else {
        return;
    };
    let config = WebSocketConfig::default()
        .max_message_size(Some(max_message))
        .max_frame_size(Some(max_message));
    let stream =
        WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, Some(config)).await;
    let (mut sink, read_half) = stream.split();
    if reader.send(read_half).is_err() {
        return;
    }
    write_until_closed(&mut sink, &mut outgoing).await;
}

async fn write_until_closed(
    sink: &mut SplitSink<Stream, Frame>,
    outgoing: &mut mpsc::Receiver<Outgoing>,
) {
    while let Some(next) = outgoing.recv().await {
        match next {
            Outgoing::Frame(frame) => {
                if sink.send(frame).await.is_err() {
                    return;
                }
            }
            Outgoing::Close(code, reason) => {
                let frame = CloseFrame {
                    code: CloseCode::from(code),
                    reason: reason.into(),
                };
                let _ = sink.send(Frame::Close(Some(frame))).await;
                let _ = sink.close().await;
                return;
            }
        }
    }
}
