//! Responses: the [`Body`] type, and [`IntoResponse`] for everything an
//! endpoint may return.
//!
//! Return types and what they send:
//!
//! | returned | status | body |
//! |---|---|---|
//! | [`Json<T>`](crate::Json), `serde_json::Value`, a `#[model]` | the endpoint's `status` (200) | JSON |
//! | `String`, `&'static str` | the endpoint's `status` | `text/plain; charset=utf-8` |
//! | `()` | the endpoint's `status` | `null` as JSON, as FastAPI sends for `None` |
//! | `(StatusCode, T)` | the given status | `T`'s body |
//! | `http::Response<B>` | its own | its own |
//! | [`HttpError`](crate::HttpError) | its own | `{"detail": ...}` |
//! | `Result<T, E>` | `T` or `E` as above | |
//!
//! A 204 or 304 answer never carries a body.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_TYPE};
use http::StatusCode;
use http_body::{Frame, SizeHint};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::BodyExt;
use serde::Serialize;

/// Errors from a streaming body, boxed.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The response type of every fastrs handler.
pub type Response = http::Response<Body>;

/// A response body: empty, one buffer, or a boxed stream (from a tower layer
/// or a streaming response). The common cases carry no allocation of their own.
#[derive(Debug, Default)]
pub struct Body(BodyInner);

#[derive(Debug, Default)]
enum BodyInner {
    #[default]
    Empty,
    Full(Option<Bytes>),
    Incoming(hyper::body::Incoming),
    Boxed(UnsyncBoxBody<Bytes, BoxError>),
    Then(Box<ThenBody>),
}

/// A body followed by work to do once it has been sent (dependency cleanup).
struct ThenBody {
    body: Body,
    then: Option<Pin<Box<dyn std::future::Future<Output = ()> + Send>>>,
}

impl std::fmt::Debug for ThenBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThenBody")
            .field("body", &self.body)
            .finish_non_exhaustive()
    }
}

impl Drop for ThenBody {
    fn drop(&mut self) {
        // The client went away before the end: run the work anyway.
        if let Some(then) = self.then.take() {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(then);
            }
        }
    }
}

impl Body {
    /// A body with no bytes.
    pub const fn empty() -> Self {
        Body(BodyInner::Empty)
    }

    /// A body made of one buffer.
    pub fn full(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        if bytes.is_empty() {
            Body::empty()
        } else {
            Body(BodyInner::Full(Some(bytes)))
        }
    }

    /// Wraps any `http_body::Body` (for instance the one a tower layer produced).
    pub fn new<B>(body: B) -> Self
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        Body(BodyInner::Boxed(body.map_err(Into::into).boxed_unsync()))
    }

    /// Any body as a fastrs body: a [`Body`] or hyper's `Incoming` as they
    /// are, anything else boxed.
    pub fn from_any<B>(body: B) -> Self
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let mut slot = Some(body);
        let any = &mut slot as &mut dyn std::any::Any;
        if let Some(body) = any.downcast_mut::<Option<Body>>().and_then(Option::take) {
            return body;
        }
        if let Some(body) = any
            .downcast_mut::<Option<hyper::body::Incoming>>()
            .and_then(Option::take)
        {
            return Body::incoming(body);
        }
        match slot {
            Some(body) => Body::new(body),
            None => Body::empty(),
        }
    }

    /// `body`, then `then` once the last byte has been handed to the
    /// connection (or, if the client leaves early, when the body is dropped).
    pub fn then(body: Body, then: Pin<Box<dyn std::future::Future<Output = ()> + Send>>) -> Self {
        Body(BodyInner::Then(Box::new(ThenBody {
            body,
            then: Some(then),
        })))
    }

    /// A request body as hyper received it (no boxing).
    pub fn incoming(body: hyper::body::Incoming) -> Self {
        Body(BodyInner::Incoming(body))
    }

    /// Reads the whole body into one buffer.
    pub async fn collect_bytes(self) -> Result<Bytes, BoxError> {
        match self.0 {
            BodyInner::Empty => Ok(Bytes::new()),
            BodyInner::Full(bytes) => Ok(bytes.unwrap_or_default()),
            BodyInner::Incoming(body) => Ok(body.collect().await?.to_bytes()),
            BodyInner::Boxed(body) => Ok(body.collect().await?.to_bytes()),
            then @ BodyInner::Then(_) => Ok(BodyExt::collect(Body(then)).await?.to_bytes()),
        }
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match &mut self.get_mut().0 {
            BodyInner::Empty => Poll::Ready(None),
            BodyInner::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            BodyInner::Incoming(body) => Pin::new(body).poll_frame(cx).map_err(Into::into),
            BodyInner::Boxed(body) => Pin::new(body).poll_frame(cx),
            BodyInner::Then(then) => {
                if let Some(frame) = std::task::ready!(Pin::new(&mut then.body).poll_frame(cx)) {
                    return Poll::Ready(Some(frame));
                }
                if let Some(work) = then.then.as_mut() {
                    std::task::ready!(work.as_mut().poll(cx));
                    then.then = None;
                }
                Poll::Ready(None)
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.0 {
            BodyInner::Empty => true,
            BodyInner::Full(bytes) => bytes.is_none(),
            BodyInner::Incoming(body) => body.is_end_stream(),
            BodyInner::Boxed(body) => body.is_end_stream(),
            BodyInner::Then(then) => then.then.is_none() && then.body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.0 {
            BodyInner::Empty => SizeHint::with_exact(0),
            BodyInner::Full(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            BodyInner::Incoming(body) => body.size_hint(),
            BodyInner::Boxed(body) => body.size_hint(),
            BodyInner::Then(then) => then.body.size_hint(),
        }
    }
}

/// Something an endpoint can return.
///
/// ```
/// use fastrs::{IntoResponse, Json};
/// use fastrs::http::StatusCode;
///
/// let response = (StatusCode::CREATED, Json(serde_json::json!({"id": 1}))).into_response();
/// assert_eq!(response.status(), StatusCode::CREATED);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from an endpoint",
    label = "this type does not turn into a response",
    note = "return Json<T>, a #[model] type, serde_json::Value, String, (), (StatusCode, T), http::Response, HttpError, or Result<T, E> of those",
    note = "for your own error type, implement `fastrs::IntoResponse` for it, or return `fastrs::Error` and register `App::error_handler`"
)]
pub trait IntoResponse {
    /// Builds the response.
    fn into_response(self) -> Response;

    /// Builds the response for an endpoint whose declared success status is
    /// `status` (`#[endpoint(..., status = 201)]`). Values that carry their
    /// own status (a raw response, `(StatusCode, T)`, an error) ignore it.
    fn into_response_with_status(self, status: StatusCode) -> Response
    where
        Self: Sized,
    {
        let _ = status;
        self.into_response()
    }
}

impl IntoResponse for Response {
    fn into_response(self) -> Response {
        self
    }
}

/// Bodies that a raw `http::Response<B>` may carry.
pub trait IntoBody {
    /// Converts into a fastrs [`Body`].
    fn into_body(self) -> Body;
}

impl IntoBody for () {
    fn into_body(self) -> Body {
        Body::empty()
    }
}
impl IntoBody for String {
    fn into_body(self) -> Body {
        Body::full(self)
    }
}
impl IntoBody for &'static str {
    fn into_body(self) -> Body {
        Body::full(self)
    }
}
impl IntoBody for Vec<u8> {
    fn into_body(self) -> Body {
        Body::full(self)
    }
}
impl IntoBody for Bytes {
    fn into_body(self) -> Body {
        Body::full(self)
    }
}
impl IntoBody for http_body_util::Full<Bytes> {
    fn into_body(self) -> Body {
        Body::new(self.map_err(|never: Infallible| -> BoxError { match never {} }))
    }
}

macro_rules! raw_response {
    ($($b:ty),*) => {$(
        impl IntoResponse for http::Response<$b> {
            fn into_response(self) -> Response {
                self.map(IntoBody::into_body)
            }
        }
    )*};
}
raw_response!(
    (),
    String,
    &'static str,
    Vec<u8>,
    Bytes,
    http_body_util::Full<Bytes>
);

/// A response with `status`, `content-type` and `body`; the body is dropped
/// for statuses that must not have one (the content type stays, as FastAPI
/// sends it on a 204).
pub fn with_body(status: StatusCode, content_type: &'static str, body: Bytes) -> Response {
    let no_body = status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED;
    let mut response = Response::new(if no_body {
        Body::empty()
    } else {
        Body::full(body)
    });
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    *response.status_mut() = status;
    response
}

/// A JSON response of `value` with `status`; a value that cannot be
/// serialized is a 500, logged.
pub fn json_response<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => with_body(status, "application/json", Bytes::from(bytes)),
        Err(error) => {
            crate::log::error!("response body could not be serialized to JSON: {error}");
            internal_server_error()
        }
    }
}

/// The answer of an endpoint with a `response_model`: `value` is converted to
/// `M` as FastAPI does (serialized, then validated as `M`), so fields that `M`
/// does not declare never leave the server. A value that does not fit `M` is
/// a server bug: a logged 500, as FastAPI's `ResponseValidationError`.
pub fn model_response<M, T>(value: &T, status: StatusCode) -> Response
where
    M: crate::model::Validate + Serialize,
    T: Serialize + ?Sized,
{
    let json = match serde_json::to_value(value) {
        Ok(json) => json,
        Err(error) => {
            crate::log::error!("response could not be serialized: {error}");
            return internal_server_error();
        }
    };
    let mut errors = crate::model::ValidationErrors::new();
    let model = {
        let mut cx =
            crate::model::ValidateCx::new(crate::model::Location::Body, Vec::new(), &mut errors);
        M::validate(&json, &crate::model::Constraints::NONE, &mut cx)
    };
    match model {
        Some(model) => json_response(status, &model),
        None => {
            let detail = serde_json::to_string(&errors).unwrap_or_default();
            crate::log::error!("response does not match its response_model: {detail}");
            internal_server_error()
        }
    }
}

/// The plain-text 500 that FastAPI (Starlette) sends for an unhandled error.
pub fn internal_server_error() -> Response {
    with_body(
        StatusCode::INTERNAL_SERVER_ERROR,
        "text/plain; charset=utf-8",
        Bytes::from_static(b"Internal Server Error"),
    )
}

/// A JSON body: serializes `T` on the way out, deserializes it on the way in
/// (see [`crate::extract`]).
///
/// ```
/// use fastrs::prelude::*;
///
/// #[endpoint(GET "/")]
/// async fn root() -> Json<serde_json::Value> {
///     Json(serde_json::json!({"message": "Hello World"}))
/// }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Json<T>(pub T);

/// Serializes as the value it wraps.
impl<T: Serialize> Serialize for Json<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        json_response(StatusCode::OK, &self.0)
    }
    fn into_response_with_status(self, status: StatusCode) -> Response {
        json_response(status, &self.0)
    }
}

impl IntoResponse for serde_json::Value {
    fn into_response(self) -> Response {
        json_response(StatusCode::OK, &self)
    }
    fn into_response_with_status(self, status: StatusCode) -> Response {
        json_response(status, &self)
    }
}

impl IntoResponse for () {
    fn into_response(self) -> Response {
        self.into_response_with_status(StatusCode::OK)
    }
    fn into_response_with_status(self, status: StatusCode) -> Response {
        with_body(status, "application/json", Bytes::from_static(b"null"))
    }
}

const TEXT: &str = "text/plain; charset=utf-8";

impl IntoResponse for String {
    fn into_response(self) -> Response {
        with_body(StatusCode::OK, TEXT, Bytes::from(self))
    }
    fn into_response_with_status(self, status: StatusCode) -> Response {
        with_body(status, TEXT, Bytes::from(self))
    }
}

impl IntoResponse for &'static str {
    fn into_response(self) -> Response {
        with_body(StatusCode::OK, TEXT, Bytes::from_static(self.as_bytes()))
    }
    fn into_response_with_status(self, status: StatusCode) -> Response {
        with_body(status, TEXT, Bytes::from_static(self.as_bytes()))
    }
}

impl<T: IntoResponse> IntoResponse for (StatusCode, T) {
    fn into_response(self) -> Response {
        self.1.into_response_with_status(self.0)
    }
}

impl<T: IntoResponse, E: IntoResponse> IntoResponse for Result<T, E> {
    fn into_response(self) -> Response {
        match self {
            Ok(value) => value.into_response(),
            Err(error) => error.into_response(),
        }
    }
    fn into_response_with_status(self, status: StatusCode) -> Response {
        match self {
            Ok(value) => value.into_response_with_status(status),
            Err(error) => error.into_response(),
        }
    }
}

impl IntoResponse for Infallible {
    fn into_response(self) -> Response {
        match self {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn text(r: Response) -> String {
        String::from_utf8(r.into_body().collect_bytes().await.unwrap().to_vec()).unwrap()
    }

    #[tokio::test]
    async fn json_uses_the_declared_status_and_no_content_drops_the_body() {
        let r = Json(serde_json::json!({"a": 1})).into_response_with_status(StatusCode::CREATED);
        assert_eq!(r.status(), StatusCode::CREATED);
        assert_eq!(r.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(text(r).await, r#"{"a":1}"#);

        let r = Json(1).into_response_with_status(StatusCode::NO_CONTENT);
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        assert_eq!(r.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(text(r).await, "");
    }

    #[tokio::test]
    async fn an_explicit_status_wins_over_the_declared_one() {
        let r = (StatusCode::ACCEPTED, "queued").into_response_with_status(StatusCode::CREATED);
        assert_eq!(r.status(), StatusCode::ACCEPTED);
        assert_eq!(r.headers()[CONTENT_TYPE], TEXT);
        assert_eq!(text(r).await, "queued");
    }

    #[tokio::test]
    async fn unit_is_json_null_like_fastapi_none() {
        let r = ().into_response();
        assert_eq!(r.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(text(r).await, "null");
    }
}
