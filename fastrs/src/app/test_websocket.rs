//! WebSocket sessions in tests (FastAPI's `TestClient.websocket_connect`):
//! [`TestClient::websocket`] serves the app over an in-memory connection
//! with hyper, as the server does, and connects to it with
//! tokio-tungstenite, so a session runs exactly as it would over TCP.

use std::time::Duration;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http::{HeaderMap, HeaderName, HeaderValue};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::io::DuplexStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::WebSocketStream;

use super::testing::{TestClient, TestResponse};
use super::App;
use crate::response::Body;

/// How long a test waits for a message before failing.
const PATIENCE: Duration = Duration::from_secs(10);

impl TestClient {
    /// A WebSocket handshake to `path` (FastAPI's
    /// `client.websocket_connect(path)`): add headers, then
    /// [`connect`](TestWebSocketRequest::connect).
    ///
    /// ```
    /// use fastrs::prelude::*;
    /// use fastrs::testing::TestClient;
    /// use fastrs::websocket::{WebSocket, WebSocketError};
    ///
    /// #[websocket("/echo")]
    /// async fn echo(mut ws: WebSocket) -> Result<(), WebSocketError> {
    ///     let text = ws.receive_text().await?;
    ///     ws.send_text(format!("You wrote: {text}")).await
    /// }
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let client = TestClient::new(App::new().route(echo));
    /// let mut ws = client.websocket("/echo").connect().await.unwrap();
    /// ws.send_text("hi").await;
    /// assert_eq!(ws.receive_text().await, "You wrote: hi");
    /// assert_eq!(ws.receive_close().await, (1000, String::new()));
    /// # });
    /// ```
    pub fn websocket(&self, path: &str) -> TestWebSocketRequest<'_> {
        TestWebSocketRequest {
            app: self.app(),
            path: path.to_owned(),
            headers: HeaderMap::new(),
        }
    }
}

/// A WebSocket handshake being built by [`TestClient::websocket`].
#[must_use = "a handshake does nothing until `connect` is awaited"]
pub struct TestWebSocketRequest<'a> {
    app: &'a App,
    path: String,
    headers: HeaderMap,
}

impl TestWebSocketRequest<'_> {
    /// Adds a header to the handshake (a token, a cookie).
    ///
    /// # Panics
    /// If the name or value is not a valid header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::try_from(name).expect("a valid header name");
        let value = HeaderValue::try_from(value).expect("a valid header value");
        self.headers.append(name, value);
        self
    }

    /// Performs the handshake. `Err` holds the refusal (a `403` when a
    /// parameter or a dependency failed, as FastAPI's client sees it).
    ///
    /// # Panics
    /// If the app cannot start or the path is not a valid URI.
    pub async fn connect(self) -> Result<TestWebSocket, TestResponse> {
        if let Err(error) = self.app.start().await {
            panic!("{error}");
        }
        let (client_io, server_io) = tokio::io::duplex(64 * 1024);
        let app = self.app.clone();
        tokio::spawn(async move {
            let service = InProcess(app);
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(server_io), service)
                .with_upgrades();
            let _ = connection.await;
        });
        let mut request = format!("ws://testserver{}", self.path)
            .into_client_request()
            .expect("a valid WebSocket path");
        request.headers_mut().extend(self.headers);
        match tokio_tungstenite::client_async(request, client_io).await {
            Ok((stream, _)) => Ok(TestWebSocket(stream)),
            Err(tungstenite::Error::Http(response)) => {
                let (head, body) = response.into_parts();
                Err(TestResponse::new(
                    head.status,
                    head.headers,
                    Bytes::from(body.unwrap_or_default()),
                ))
            }
            Err(error) => panic!("the WebSocket handshake failed: {error}"),
        }
    }
}

/// The app as hyper calls it over the test connection.
struct InProcess(App);

impl hyper::service::Service<http::Request<Incoming>> for InProcess {
    type Response = crate::response::Response;
    type Error = std::convert::Infallible;
    type Future = super::AppFuture;

    fn call(&self, request: http::Request<Incoming>) -> super::AppFuture {
        self.0.handle(request.map(Body::incoming))
    }
}

/// The client's end of a WebSocket session in a test. Each `receive_*`
/// waits up to 10 seconds and panics with what came instead, so a test
/// reads as the conversation it checks.
pub struct TestWebSocket(WebSocketStream<DuplexStream>);

impl std::fmt::Debug for TestWebSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestWebSocket").finish_non_exhaustive()
    }
}

impl TestWebSocket {
    /// Sends a text message.
    ///
    /// # Panics
    /// If the connection is closed.
    pub async fn send_text(&mut self, text: &str) {
        self.send(Message::text(text)).await;
    }

    /// Sends a binary message.
    ///
    /// # Panics
    /// If the connection is closed.
    pub async fn send_bytes(&mut self, bytes: &[u8]) {
        self.send(Message::binary(bytes.to_vec())).await;
    }

    /// Sends `value` as JSON text.
    ///
    /// # Panics
    /// If the value cannot be written as JSON or the connection is closed.
    pub async fn send_json<T: Serialize + ?Sized>(&mut self, value: &T) {
        let text = serde_json::to_string(value).expect("a value that is JSON");
        self.send(Message::text(text)).await;
    }

    /// Closes the session with `code` (1000: normal).
    ///
    /// # Panics
    /// If the connection is already closed.
    pub async fn close(&mut self, code: u16) {
        let frame = CloseFrame {
            code: CloseCode::from(code),
            reason: "".into(),
        };
        self.send(Message::Close(Some(frame))).await;
    }

    async fn send(&mut self, message: Message) {
        self.0
            .send(message)
            .await
            .unwrap_or_else(|e| panic!("sending on the WebSocket failed: {e}"));
    }

    /// The next message that is not a ping or a pong.
    ///
    /// # Panics
    /// If none comes within 10 seconds or the connection ends.
    pub async fn receive(&mut self) -> Message {
        loop {
            let next = tokio::time::timeout(PATIENCE, self.0.next())
                .await
                .unwrap_or_else(|_| panic!("no WebSocket message within {PATIENCE:?}"));
            match next {
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(message)) => return message,
                Some(Err(error)) => panic!("the WebSocket failed: {error}"),
                None => panic!("the WebSocket ended without a close frame"),
            }
        }
    }

    /// The next message, which must be text.
    ///
    /// # Panics
    /// If it is not text (the message is shown).
    pub async fn receive_text(&mut self) -> String {
        match self.receive().await {
            Message::Text(text) => text.as_str().to_owned(),
            other => panic!("expected a text message, got {other:?}"),
        }
    }

    /// The next message, which must be binary.
    ///
    /// # Panics
    /// If it is not binary.
    pub async fn receive_bytes(&mut self) -> Bytes {
        match self.receive().await {
            Message::Binary(bytes) => bytes,
            other => panic!("expected a binary message, got {other:?}"),
        }
    }

    /// The next message, read as JSON of type `T`.
    ///
    /// # Panics
    /// If it is not JSON of that shape.
    pub async fn receive_json<T: DeserializeOwned>(&mut self) -> T {
        let text = self.receive_text().await;
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("the message is not the expected JSON ({e}): {text}"))
    }

    /// Waits for the server's close frame: its code and reason (1005 when
    /// it gave none).
    ///
    /// # Panics
    /// If a message other than a close comes first.
    pub async fn receive_close(&mut self) -> (u16, String) {
        match self.receive().await {
            Message::Close(Some(frame)) => {
                (u16::from(frame.code), frame.reason.as_str().to_owned())
            }
            Message::Close(None) => (1005, String::new()),
            other => panic!("expected the connection to close, got {other:?}"),
        }
    }
}
