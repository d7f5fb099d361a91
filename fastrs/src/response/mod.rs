//! Responses: [`IntoResponse`] for everything an endpoint may return, and
//! the helpers that build JSON and text answers. The body type itself is
//! [`crate::body::Body`].
//!
//! Return types and what they send:
//!
//! | returned | status | body |
//! |---|---|---|
//! | [`Json<T>`](crate::response::Json), `serde_json::Value`, a `#[model]` | the endpoint's `status` (200) | JSON |
//! | `String`, `&'static str` | the endpoint's `status` | `text/plain; charset=utf-8` |
//! | [`Html`], [`PlainText`] | the endpoint's `status` | `text/html`, `text/plain` |
//! | [`Redirect`] | 307 (or the one chosen) | empty, with `location` |
//! | [`StreamingResponse`] | the endpoint's `status` | chunks as a stream yields them |
//! | [`EventStream`] | the endpoint's `status` | server-sent events |
//! | [`JsonLines`] | the endpoint's `status` | `application/jsonl`, one model per line |
//! | [`FileResponse`] | 200, or 206 for a `Range` | a file, with `ETag` and `Last-Modified` |
//! | `()` | the endpoint's `status` | `null` as JSON, as FastAPI sends for `None` |
//! | `(StatusCode, T)` | the given status | `T`'s body |
//! | `http::Response<B>` | its own | its own |
//! | [`HttpError`](crate::error::HttpError) | its own | `{"detail": ...}` |
//! | `Result<T, E>` | `T` or `E` as above | |
//!
//! A 204 or 304 answer never carries a body.

use std::convert::Infallible;

mod cookie;
#[cfg(feature = "static-files")]
pub(crate) mod file;
mod jsonl;
mod sse;
mod stream;
mod text;

pub use cookie::{ResponseCookies, SameSite, SetCookie};
#[cfg(feature = "static-files")]
pub(crate) use file::answer_request;
#[cfg(feature = "static-files")]
#[cfg_attr(docsrs, doc(cfg(feature = "static-files")))]
pub use file::FileResponse;
pub use jsonl::JsonLines;
pub use sse::{EventStream, ServerSentEvent, SseItem};
pub use stream::{from_channel, iter, Channel, Chunk, Iter, StreamingResponse};
pub use text::{text_as, Html, PlainText, Redirect, TextClass};

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_TYPE};
use http::StatusCode;
use http_body_util::BodyExt;
use serde::Serialize;

pub use crate::body::{Body, BoxError};

/// The response type of every fastrs handler.
pub type Response = http::Response<Body>;

/// An answer that ends a request before its handler runs: what an
/// extractor or a provider returns instead of a value (an `HttpError`, a
/// body over the limit). Boxed, so that the futures that carry it stay
/// small on the path where nothing is rejected.
#[derive(Debug)]
pub struct Rejection(Box<Response>);

impl From<Response> for Rejection {
    fn from(response: Response) -> Self {
        Rejection(Box::new(response))
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
    note = "return Json<T>, a #[model] type (or a Vec, Option or String-keyed map of them), serde_json::Value, String, Html, PlainText, Redirect, StreamingResponse, EventStream, JsonLines, FileResponse, (), (StatusCode, T), http::Response, HttpError, or Result<T, E> of those",
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

/// The return types that are sent as the response class `C` says, for
/// `#[endpoint(..., response_class = C)]`: `C` itself (whatever it holds),
/// text (`String`, `&'static str`) when `C` is a [`TextClass`], a raw
/// `http::Response` or a [`StreamingResponse`] (whose media type is set at
/// run time), and `Result`s and `(StatusCode, _)` of those.
///
/// A class of one's own implements it for itself: `impl SendsAs<Xml> for
/// Xml {}`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not sent as `{C}`, the endpoint's response_class",
    label = "the documented media type would not be the one sent",
    note = "return `{C}` itself; text (a String or &str) is sent as Html, PlainText or another TextClass; a StreamingResponse or http::Response sets its own content type; or drop `response_class` and let the return type document itself"
)]
pub trait SendsAs<C>: IntoResponse {
    /// Sends the value as `C`, with the endpoint's `status` unless the value
    /// has its own.
    fn send_as(self, status: StatusCode) -> Response
    where
        Self: Sized,
    {
        self.into_response_with_status(status)
    }
}

impl<T: Into<Bytes>, U> SendsAs<Html<U>> for Html<T> {}
impl<T: Into<Bytes>, U> SendsAs<PlainText<U>> for PlainText<T> {}
impl<T: SseItem, U> SendsAs<EventStream<U>> for EventStream<T> {}
impl<T: crate::model::Model + Serialize + Send + 'static, U> SendsAs<JsonLines<U>>
    for JsonLines<T>
{
}
impl SendsAs<Redirect> for Redirect {}
#[cfg(feature = "static-files")]
impl SendsAs<FileResponse> for FileResponse {}
impl<C> SendsAs<C> for Response {}
impl<C> SendsAs<C> for StreamingResponse {}
impl<C: TextClass> SendsAs<C> for String {
    fn send_as(self, status: StatusCode) -> Response {
        text::text_as::<C>(Bytes::from(self), status)
    }
}
impl<C: TextClass> SendsAs<C> for &'static str {
    fn send_as(self, status: StatusCode) -> Response {
        text::text_as::<C>(Bytes::from_static(self.as_bytes()), status)
    }
}
impl<C, T: SendsAs<C>, E: IntoResponse> SendsAs<C> for Result<T, E> {
    fn send_as(self, status: StatusCode) -> Response {
        match self {
            Ok(value) => value.send_as(status),
            Err(error) => error.into_response(),
        }
    }
}
impl<C, T: SendsAs<C>> SendsAs<C> for (StatusCode, T) {
    fn send_as(self, _: StatusCode) -> Response {
        self.1.send_as(self.0)
    }
}

/// Text an endpoint returns without saying its class: `String`,
/// `&'static str`, and `Result`s and `(StatusCode, _)` of them. A router's
/// or app's `default_response_class` decides how it is sent.
pub trait TextAnswer {}

impl TextAnswer for String {}
impl TextAnswer for &'static str {}
impl<T: TextAnswer, E> TextAnswer for Result<T, E> {}
impl<T: TextAnswer> TextAnswer for (StatusCode, T) {}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        *self.0
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

/// What a response that needs the request's head to be complete carries:
/// a file answer applies the request's `Range` and conditional headers.
/// The endpoint's pipeline calls it once the handler has answered (a
/// WebSocket's `101`, which needs the whole request context, carries
/// `extract::CompleteWithRequest` instead).
///
/// A function pointer set by the code that makes such a response, rather
/// than a call the pipeline makes itself: an app that never sends a file
/// does not link the code that reads one.
#[derive(Clone, Copy)]
pub(crate) struct CompleteWithHead(pub(crate) fn(Response, &http::request::Parts) -> Response);

/// A response with `status`, `content-type` and `body`; the body is dropped
/// for statuses that must not have one (the content type stays, as FastAPI
/// sends it on a 204). The content type is checked on every call; with a
/// `HeaderValue` made once, [`with_content_type`] skips that.
pub fn with_body(status: StatusCode, content_type: &'static str, body: Bytes) -> Response {
    with_content_type(status, HeaderValue::from_static(content_type), body)
}

/// [`with_body`] with a content type already made: no byte of it is
/// checked again. Pass a constant (`const { HeaderValue::from_static(..) }`)
/// on a hot path.
pub fn with_content_type(status: StatusCode, content_type: HeaderValue, body: Bytes) -> Response {
    let no_body = status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED;
    let body = if no_body {
        Body::empty()
    } else {
        Body::full(body)
    };
    let (mut head, ()) = http::Response::new(()).into_parts();
    head.headers.insert(CONTENT_TYPE, content_type);
    head.status = status;
    Response::from_parts(head, body)
}

/// `response` with `status`: what a `#[responses]` variant with a status of
/// its own sends, whatever its value chose.
pub fn with_status(mut response: Response, status: StatusCode) -> Response {
    *response.status_mut() = status;
    response
}

/// An answer of `status` alone, with an empty body: a `#[responses]`
/// variant without a value (FastAPI's `Response(status_code=...)`).
pub fn bare_status(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    if status != StatusCode::NO_CONTENT && status != StatusCode::NOT_MODIFIED {
        response
            .headers_mut()
            .insert(http::header::CONTENT_LENGTH, HeaderValue::from_static("0"));
    }
    response
}

/// The content types fastrs answers with, made at compile time: a
/// `HeaderValue::from_static` at run time checks every byte of its text,
/// which on a small route costs more than building the rest of the
/// response.
pub(crate) mod media {
    use http::HeaderValue;

    /// `text/plain; charset=utf-8`
    pub(crate) fn text_plain() -> HeaderValue {
        const { HeaderValue::from_static("text/plain; charset=utf-8") }
    }

    /// `text/html; charset=utf-8`
    pub(crate) fn text_html() -> HeaderValue {
        const { HeaderValue::from_static("text/html; charset=utf-8") }
    }

    /// `application/json`
    pub(crate) fn json() -> HeaderValue {
        const { HeaderValue::from_static("application/json") }
    }
}

/// A JSON response of `value` with `status`; a value that cannot be
/// serialized, or holds a float that is not finite (which JSON cannot
/// carry: serde_json would write `null`), is a 500, logged.
pub fn json_response<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    let written = JSON_BUFFER.with(|buffer| match buffer.try_borrow_mut() {
        Ok(mut buffer) => write_json(&mut buffer, value),
        // A `Serialize` impl that makes a JSON response of its own.
        Err(_) => write_json(&mut Vec::new(), value),
    });
    match written {
        Ok(bytes) => with_content_type(status, media::json(), bytes),
        Err(error) => {
            crate::log::error!("response body could not be serialized to JSON: {error}");
            internal_server_error()
        }
    }
}

/// The most bytes of a JSON body that are copied out of the thread's
/// buffer; a larger body takes the buffer's allocation with it.
const JSON_COPIED: usize = 4096;

thread_local! {
    /// Each thread's buffer for JSON bodies: written in place (it has
    /// grown to the bodies the thread writes), then copied into an
    /// allocation of the body's exact size, which `Bytes` takes over as
    /// it is. A fresh `Vec` for each body costs that allocation and one
    /// more: `Bytes` allocates a shared header for a `Vec` longer than its
    /// contents.
    static JSON_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Writes `value` into `buffer` (emptied first) and returns the body.
/// Past [`JSON_COPIED`] bytes the buffer's allocation leaves with the body,
/// or is dropped if the writing failed, so that a thread never keeps a
/// large one.
fn write_json<T: Serialize + ?Sized>(
    buffer: &mut Vec<u8>,
    value: &T,
) -> Result<Bytes, serde_json::Error> {
    buffer.clear();
    let written = serde_json::to_writer(&mut *buffer, &crate::model::Finite(value));
    if buffer.len() > JSON_COPIED {
        let body = std::mem::take(buffer);
        return written.map(|()| Bytes::from(body));
    }
    written.map(|()| Bytes::copy_from_slice(buffer))
}

/// The answer of an endpoint with a `response_model`: `value` is converted to
/// `M` as FastAPI does (serialized, then validated as `M`), so fields that `M`
/// does not declare never leave the server, and written out with `dump`'s
/// exclusions (`response_model_exclude_unset` and the others; "unset" is a
/// key that `value` did not write). A value that does not fit `M` is a
/// server bug: a logged 500, as FastAPI's `ResponseValidationError`.
pub fn model_response<M, T>(value: &T, status: StatusCode, dump: crate::model::Dump) -> Response
where
    M: crate::model::Validate + Serialize,
    T: Serialize + ?Sized,
{
    let json = match serde_json::to_value(crate::model::Finite(value)) {
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
    let Some(model) = model else {
        let detail = serde_json::to_string(&errors).unwrap_or_default();
        crate::log::error!("response does not match its response_model: {detail}");
        return internal_server_error();
    };
    if dump == crate::model::Dump::ALL {
        return json_response(status, &model);
    }
    match crate::model::dump::to_value_given(&model, dump, &json) {
        Ok(written) => json_response(status, &written),
        Err(error) => {
            crate::log::error!("response could not be serialized: {error}");
            internal_server_error()
        }
    }
}

/// The plain-text 500 that FastAPI (Starlette) sends for an unhandled error.
pub fn internal_server_error() -> Response {
    with_content_type(
        StatusCode::INTERNAL_SERVER_ERROR,
        media::text_plain(),
        Bytes::from_static(b"Internal Server Error"),
    )
}

/// A JSON body: serializes `T` on the way out, deserializes it on the way in
/// (see the `extract` module).
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

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

/// Collections of `#[model]` values, returned bare: FastAPI's
/// `-> list[Item]`, `-> dict[str, Item]` and `-> Item | None` (`null`).
macro_rules! model_collection_response {
    ($($t:ty),*) => {$(
        impl<M: crate::model::Model + Serialize> IntoResponse for $t {
            fn into_response(self) -> Response {
                json_response(StatusCode::OK, &self)
            }
            fn into_response_with_status(self, status: StatusCode) -> Response {
                json_response(status, &self)
            }
        }
    )*};
}
model_collection_response!(
    Vec<M>,
    Option<M>,
    std::collections::HashMap<String, M>,
    std::collections::BTreeMap<String, M>
);

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
        with_content_type(status, media::json(), Bytes::from_static(b"null"))
    }
}

impl IntoResponse for String {
    fn into_response(self) -> Response {
        with_content_type(StatusCode::OK, media::text_plain(), Bytes::from(self))
    }
    fn into_response_with_status(self, status: StatusCode) -> Response {
        with_content_type(status, media::text_plain(), Bytes::from(self))
    }
}

impl IntoResponse for &'static str {
    fn into_response(self) -> Response {
        with_content_type(
            StatusCode::OK,
            media::text_plain(),
            Bytes::from_static(self.as_bytes()),
        )
    }
    fn into_response_with_status(self, status: StatusCode) -> Response {
        with_content_type(
            status,
            media::text_plain(),
            Bytes::from_static(self.as_bytes()),
        )
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

    /// Bodies written through the thread's buffer: small and large, in
    /// turn (a large one takes the buffer with it), after a failed one, and
    /// from a `Serialize` impl that makes a JSON response of its own.
    #[tokio::test]
    async fn json_bodies_of_every_size_come_out_whole() {
        let large: Vec<u32> = (0..2000).collect();
        let large_text = serde_json::to_string(&large).unwrap();
        assert!(large_text.len() > JSON_COPIED);
        for _ in 0..2 {
            let small = json_response(StatusCode::OK, &serde_json::json!({"a": [1, 2]}));
            assert_eq!(text(small).await, r#"{"a":[1,2]}"#);
            let r = json_response(StatusCode::OK, &large);
            assert_eq!(text(r).await, large_text);
        }
        let bad = json_response(StatusCode::OK, &f64::NAN);
        assert_eq!(bad.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let r = json_response(StatusCode::OK, &"after");
        assert_eq!(text(r).await, r#""after""#);
        // A large body that fails part way leaves no large buffer behind.
        let failing: Vec<f64> = (0..2000).map(f64::from).chain([f64::NAN]).collect();
        let bad = json_response(StatusCode::OK, &failing);
        assert_eq!(bad.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let kept = JSON_BUFFER.with(|buffer| buffer.borrow().capacity());
        assert!(kept <= 2 * JSON_COPIED, "kept {kept} bytes");
        let r = json_response(StatusCode::OK, &"again");
        assert_eq!(text(r).await, r#""again""#);

        /// Serializes as the length of the JSON response it makes of `7`.
        struct Nested;
        impl Serialize for Nested {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let inner = json_response(StatusCode::OK, &7);
                let length = http_body::Body::size_hint(inner.body())
                    .exact()
                    .unwrap_or(0);
                s.serialize_u64(length)
            }
        }
        let r = json_response(StatusCode::OK, &[Nested, Nested]);
        assert_eq!(text(r).await, "[1,1]");
    }

    #[tokio::test]
    async fn an_explicit_status_wins_over_the_declared_one() {
        let r = (StatusCode::ACCEPTED, "queued").into_response_with_status(StatusCode::CREATED);
        assert_eq!(r.status(), StatusCode::ACCEPTED);
        assert_eq!(r.headers()[CONTENT_TYPE], "text/plain; charset=utf-8");
        assert_eq!(text(r).await, "queued");
    }

    #[tokio::test]
    async fn unit_is_json_null_like_fastapi_none() {
        let r = ().into_response();
        assert_eq!(r.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(text(r).await, "null");
    }
}
