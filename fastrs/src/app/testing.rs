//! [`TestClient`]: drives an [`App`] in-process, with no socket.
//!
//! Requests go through the same dispatch as served ones (routing, error
//! handlers, panics, layers), so a test sees exactly what a client would.
//! WebSocket sessions ([`TestClient::websocket`]) run over an in-memory
//! connection served by hyper, as over TCP.
//!
//! ```
//! use fastrs::prelude::*;
//! use fastrs::testing::TestClient;
//!
//! #[endpoint(GET "/items/{item_id}")]
//! async fn read_item(item_id: i64) -> Json<serde_json::Value> {
//!     Json(serde_json::json!({"item_id": item_id}))
//! }
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let client = TestClient::new(App::new().route(read_item));
//! let response = client.get("/items/5").await;
//! assert_eq!(response.status(), 200);
//! assert_eq!(response.json::<serde_json::Value>(), serde_json::json!({"item_id": 5}));
//! # });
//! ```

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::app::App;
use crate::response::Body;

#[cfg(feature = "websockets")]
#[cfg_attr(docsrs, doc(cfg(feature = "websockets")))]
pub use super::test_websocket::{TestWebSocket, TestWebSocketRequest};

/// An in-process client for an [`App`].
///
/// It runs the app's lifespan as a server does: the startup steps before
/// the first request ([`App::start`]; a failing start panics with its
/// message, or use [`TestClient::start`] to see the error), and the
/// shutdown hooks and app-scoped cleanups when asked
/// ([`TestClient::shutdown`]).
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::testing::TestClient;
///
/// #[endpoint(GET "/items/{item_id}")]
/// async fn read_item(item_id: i64) -> Json<serde_json::Value> {
///     Json(serde_json::json!({"item_id": item_id}))
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let client = TestClient::new(App::new().route(read_item));
/// let answer = client.get("/items/5").await;
/// assert_eq!(answer.status(), 200);
/// assert_eq!(answer.text(), r#"{"item_id":5}"#);
/// let invalid = client.get("/items/five").await;
/// assert_eq!(invalid.status(), 422);
/// # }
/// ```
pub struct TestClient {
    app: App,
}

impl TestClient {
    /// A client for `app`; the app starts before the first request.
    pub fn new(app: App) -> Self {
        TestClient { app }
    }

    /// A client for `app`, started now.
    ///
    /// # Errors
    /// The app's [`StartupError`](crate::app::StartupError).
    pub async fn start(app: App) -> Result<Self, crate::app::StartupError> {
        app.start().await?;
        Ok(TestClient { app })
    }

    /// Runs the app's shutdown hooks and the cleanups of its app-scoped
    /// values, as a server does after the last request.
    pub async fn shutdown(&self) {
        self.app.shut_down().await;
    }

    /// The app under test.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// A request with any method.
    pub fn request(&self, method: Method, uri: &str) -> TestRequest<'_> {
        TestRequest {
            app: &self.app,
            method,
            uri: uri.to_owned(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    /// A GET request.
    pub fn get(&self, uri: &str) -> TestRequest<'_> {
        self.request(Method::GET, uri)
    }
    /// A POST request.
    pub fn post(&self, uri: &str) -> TestRequest<'_> {
        self.request(Method::POST, uri)
    }
    /// A PUT request.
    pub fn put(&self, uri: &str) -> TestRequest<'_> {
        self.request(Method::PUT, uri)
    }
    /// A PATCH request.
    pub fn patch(&self, uri: &str) -> TestRequest<'_> {
        self.request(Method::PATCH, uri)
    }
    /// A DELETE request.
    pub fn delete(&self, uri: &str) -> TestRequest<'_> {
        self.request(Method::DELETE, uri)
    }
    /// A HEAD request.
    pub fn head(&self, uri: &str) -> TestRequest<'_> {
        self.request(Method::HEAD, uri)
    }
    /// An OPTIONS request.
    pub fn options(&self, uri: &str) -> TestRequest<'_> {
        self.request(Method::OPTIONS, uri)
    }
}

/// A request being built; `.await` it (or call [`send`](Self::send)) to get
/// the [`TestResponse`].
#[must_use = "a request does nothing until it is awaited"]
pub struct TestRequest<'a> {
    app: &'a App,
    method: Method,
    uri: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
}

impl TestRequest<'_> {
    /// Adds a header (repeat the call to send a header twice).
    ///
    /// # Panics
    /// If the name or value is not a valid header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("valid header name");
        let value = HeaderValue::from_str(value).expect("valid header value");
        self.headers.append(name, value);
        self
    }

    /// Adds query parameters, URL-encoded, after any already in the URI.
    pub fn query(mut self, pairs: &[(&str, &str)]) -> Self {
        self.query.extend(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        self
    }

    /// Sends `value` as a JSON body with `Content-Type: application/json`.
    ///
    /// # Panics
    /// If `value` cannot be serialized.
    pub fn json<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        self.body = Bytes::from(serde_json::to_vec(value).expect("serializable JSON body"));
        self.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        self
    }

    /// Sends `pairs` as an `application/x-www-form-urlencoded` body
    /// (FastAPI's `TestClient.post(data=...)`).
    pub fn form(mut self, pairs: &[(&str, &str)]) -> Self {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.body = Bytes::from(body);
        self.headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        self
    }

    /// Sends `form` as a `multipart/form-data` body (FastAPI's
    /// `TestClient.post(files=..., data=...)`).
    pub fn multipart(mut self, form: Multipart) -> Self {
        let (content_type, body) = form.finish();
        self.body = body;
        let value = HeaderValue::from_str(&content_type).expect("valid multipart content type");
        self.headers.insert(CONTENT_TYPE, value);
        self
    }

    /// Sends raw bytes as the body (set the content type with `header`).
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// Sends the request through the app (starting the app first, if it
    /// has not started).
    ///
    /// # Panics
    /// If the URI is invalid, the response body cannot be read, or the app
    /// cannot start.
    pub async fn send(self) -> TestResponse {
        let mut uri = self.uri;
        if !self.query.is_empty() {
            let encoded = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&self.query)
                .finish();
            uri.push(if uri.contains('?') { '&' } else { '?' });
            uri.push_str(&encoded);
        }
        let mut request = Request::builder()
            .method(self.method)
            .uri(&uri)
            .header(http::header::HOST, "testserver")
            .body(Body::full(self.body))
            .expect("a valid request URI");
        request.headers_mut().extend(self.headers);
        if let Err(error) = self.app.start().await {
            panic!("{error}");
        }
        let response = match self.app.handle(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let (head, body) = response.into_parts();
        let body = body
            .collect_bytes()
            .await
            .expect("a readable response body");
        TestResponse {
            status: head.status,
            headers: head.headers,
            body,
        }
    }
}

impl<'a> IntoFuture for TestRequest<'a> {
    type Output = TestResponse;
    type IntoFuture = Pin<Box<dyn Future<Output = TestResponse> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A response received by a [`TestClient`].
#[derive(Debug, Clone)]
pub struct TestResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// Without the feature `websockets`: a compile error that names it.
impl TestClient {
    #[cfg(not(feature = "websockets"))]
    #[doc(hidden)]
    pub fn websocket<P: crate::feature_off::WebSocketsOn>(&self, path: P) {
        path.unavailable()
    }
}

impl TestResponse {
    #[cfg(feature = "websockets")]
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        TestResponse {
            status,
            headers,
            body,
        }
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// One header as text, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.body
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    ///
    /// # Panics
    /// If the body is not JSON of that shape; the message shows the body.
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "response body is not the expected JSON ({e}): {}",
                self.text()
            )
        })
    }
}

/// A `multipart/form-data` body for [`TestRequest::multipart`]: text
/// fields and files, in order.
///
/// ```
/// use fastrs::testing::Multipart;
///
/// let form = Multipart::new()
///     .text("note", "hi")
///     .file("files", "a.txt", "text/plain", "hello");
/// # let _ = form;
/// ```
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    body: Vec<u8>,
}

impl Multipart {
    const BOUNDARY: &'static str = "fastrs-test-boundary-7MA4YWxkTrZu0gW";

    /// An empty form.
    pub fn new() -> Self {
        Multipart::default()
    }

    fn part(mut self, disposition: &str, content_type: Option<&str>, content: &[u8]) -> Self {
        self.body
            .extend_from_slice(format!("--{}\r\n", Self::BOUNDARY).as_bytes());
        self.body.extend_from_slice(
            format!("Content-Disposition: form-data; {disposition}\r\n").as_bytes(),
        );
        if let Some(content_type) = content_type {
            self.body
                .extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
        }
        self.body.extend_from_slice(b"\r\n");
        self.body.extend_from_slice(content);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    /// Adds a text field.
    pub fn text(self, name: &str, value: &str) -> Self {
        self.part(&format!("name=\"{name}\""), None, value.as_bytes())
    }

    /// Adds a file part with its filename and content type.
    pub fn file(
        self,
        name: &str,
        filename: &str,
        content_type: &str,
        content: impl AsRef<[u8]>,
    ) -> Self {
        self.part(
            &format!("name=\"{name}\"; filename=\"{filename}\""),
            Some(content_type),
            content.as_ref(),
        )
    }

    /// The `Content-Type` header and the body.
    pub fn finish(mut self) -> (String, Bytes) {
        self.body
            .extend_from_slice(format!("--{}--\r\n", Self::BOUNDARY).as_bytes());
        (
            format!("multipart/form-data; boundary={}", Self::BOUNDARY),
            Bytes::from(self.body),
        )
    }
}
