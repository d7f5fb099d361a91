//! Server-sent events: [`EventStream`] sends a stream of `#[model]` values
//! or [`ServerSentEvent`]s as `text/event-stream`, in the format of
//! FastAPI's `EventSourceResponse`:
//!
//! - a model is one event, `data: ` and its JSON, then a blank line;
//! - a [`ServerSentEvent`] writes its comment (`: ` lines), `event:`,
//!   `data:` (its data as JSON, or its raw data as is, one `data:` line per
//!   line), `id:` and `retry:`, in that order, then a blank line;
//! - after 15 seconds without an event, a keep-alive comment `: ping`
//!   goes out, so proxies do not close an idle stream;
//! - `Cache-Control: no-cache` and `X-Accel-Buffering: no` (nginx must not
//!   buffer it).
//!
//! The stream is polled only as the client reads and is dropped when the
//! client leaves: whatever produced it stops there.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use http::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use http::StatusCode;
use http_body::Frame;
use serde::Serialize;
use serde_json::{json, Value};

use super::{Body, BoxError, IntoResponse, Response};
use crate::model::{Components, Model};

/// The keep-alive comment FastAPI sends on an idle stream.
const KEEP_ALIVE: &[u8] = b": ping\n\n";

/// FastAPI's default time between keep-alive comments.
const KEEP_ALIVE_EVERY: Duration = Duration::from_secs(15);

/// One event of a stream, with every field of the SSE format (FastAPI's
/// `ServerSentEvent`). Yield these from an [`EventStream`] to name events,
/// give ids and a retry time, or send text that is not JSON.
///
/// ```
/// use fastrs::response::ServerSentEvent;
///
/// let event = ServerSentEvent::new().data(&"hello").event("greeting").id("1");
/// assert_eq!(event.to_string(), "event: greeting\ndata: \"hello\"\nid: 1\n\n");
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerSentEvent {
    data: Option<Result<String, String>>,
    event: Option<String>,
    id: Option<String>,
    retry: Option<u64>,
    comment: Option<String>,
}

impl ServerSentEvent {
    /// An event with no field set: an empty event.
    pub fn new() -> Self {
        Self::default()
    }

    /// The payload, as JSON (a string is sent quoted: `data: "hello"`, as
    /// FastAPI sends it). A value that cannot be written as JSON ends the
    /// stream, logged, when the event is sent.
    pub fn data<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        self.data =
            Some(serde_json::to_string(&crate::model::Finite(value)).map_err(|e| e.to_string()));
        self
    }

    /// The payload as it is, not JSON (FastAPI's `raw_data`): text, an HTML
    /// fragment, a CSV line. Each line of it becomes one `data:` line.
    pub fn raw_data(mut self, text: impl Into<String>) -> Self {
        self.data = Some(Ok(text.into()));
        self
    }

    /// The event type (`addEventListener(type, ...)` in a browser): one
    /// line. One with a line break ends the stream, logged, when sent.
    pub fn event(mut self, event: impl Into<String>) -> Self {
        self.event = Some(event.into());
        self
    }

    /// The event id, sent back by a browser as `Last-Event-ID` when it
    /// reconnects: one line, without NUL.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// How long a browser waits before reconnecting, in milliseconds.
    pub fn retry(mut self, milliseconds: u64) -> Self {
        self.retry = Some(milliseconds);
        self
    }

    /// A comment (`: ` lines), ignored by clients.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// The event in the wire format, or why it cannot be sent.
    fn encode(&self) -> Result<String, String> {
        let single_line = |name: &str, value: &Option<String>| match value {
            Some(v) if v.contains(['\r', '\n']) => {
                Err(format!("SSE '{name}' must be a single line"))
            }
            _ => Ok(()),
        };
        single_line("event", &self.event)?;
        single_line("id", &self.id)?;
        if self.id.as_ref().is_some_and(|id| id.contains('\0')) {
            return Err("SSE 'id' must not contain null characters".into());
        }
        let mut out = String::new();
        if let Some(comment) = &self.comment {
            for line in lines(comment) {
                out.push_str(": ");
                out.push_str(line);
                out.push('\n');
            }
        }
        if let Some(event) = &self.event {
            out.push_str(&format!("event: {event}\n"));
        }
        if let Some(data) = &self.data {
            let data = data
                .as_ref()
                .map_err(|e| format!("SSE data could not be written as JSON: {e}"))?;
            for line in lines(data) {
                out.push_str("data: ");
                out.push_str(line);
                out.push('\n');
            }
        }
        if let Some(id) = &self.id {
            out.push_str(&format!("id: {id}\n"));
        }
        if let Some(retry) = self.retry {
            out.push_str(&format!("retry: {retry}\n"));
        }
        out.push('\n');
        Ok(out)
    }
}

/// The wire format; an event that cannot be sent writes nothing.
impl std::fmt::Display for ServerSentEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.encode().unwrap_or_default())
    }
}

/// The lines of `text`, split on the SSE line ends (`\r\n`, `\n`, `\r`),
/// keeping a trailing empty line, as FastAPI splits them.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let text = rest?;
        match text.find(['\r', '\n']) {
            Some(at) => {
                let skip = if text[at..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&text[at + skip..]);
                Some(&text[..at])
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

/// What an [`EventStream`] may carry: a `#[model]` (one `data:` event of
/// its JSON) or a [`ServerSentEvent`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as a server-sent event",
    label = "not a #[model] or a ServerSentEvent",
    note = "an EventStream carries #[model] values (each sent as `data: <json>`) or fastrs::response::ServerSentEvent"
)]
pub trait SseItem: Send + 'static {
    /// The event in the wire format, or why it cannot be sent.
    fn encode(self) -> Result<String, String>;

    /// The documented schema of one event (OpenAPI's `itemSchema`).
    fn item_schema(components: &mut Components) -> Value;
}

/// The schema FastAPI documents for one event (OpenAPI 3.2's
/// server-sent event shape).
fn event_schema(data: Value) -> Value {
    json!({
        "type": "object",
        "properties": {
            "data": data,
            "event": {"type": "string"},
            "id": {"type": "string"},
            "retry": {"type": "integer", "minimum": 0},
        },
    })
}

impl SseItem for ServerSentEvent {
    fn encode(self) -> Result<String, String> {
        ServerSentEvent::encode(&self)
    }

    fn item_schema(_: &mut Components) -> Value {
        event_schema(json!({"type": "string"}))
    }
}

impl<M: Model + Serialize + Send + 'static> SseItem for M {
    fn encode(self) -> Result<String, String> {
        let json = serde_json::to_string(&crate::model::Finite(&self))
            .map_err(|e| format!("SSE data could not be written as JSON: {e}"))?;
        Ok(format!("data: {json}\n\n"))
    }

    fn item_schema(components: &mut Components) -> Value {
        let mut schema = event_schema(json!({
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": M::json_schema(components),
        }));
        schema["required"] = json!(["data"]);
        schema
    }
}

/// A stream of server-sent events (FastAPI's `EventSourceResponse` with a
/// generator endpoint): `text/event-stream`, one event per item, a
/// keep-alive comment when idle. `T` is a `#[model]` or
/// [`ServerSentEvent`]; the stream is boxed, so the return type names
/// only `T`.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::response::{iter, EventStream};
///
/// #[model]
/// struct Item {
///     name: String,
///     price: f64,
/// }
///
/// #[endpoint(GET "/events")]
/// async fn events() -> EventStream<Item> {
///     EventStream::new(iter((0..3).map(|i| Item {
///         name: format!("item {i}"),
///         price: i as f64 + 0.5,
///     })))
/// }
/// ```
pub struct EventStream<T = ServerSentEvent> {
    stream: Pin<Box<dyn Stream<Item = T> + Send>>,
    keep_alive: Option<Duration>,
}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("keep_alive", &self.keep_alive)
            .finish_non_exhaustive()
    }
}

impl<T: SseItem> EventStream<T> {
    /// Sends each item of `stream` as an event.
    pub fn new<S>(stream: S) -> Self
    where
        S: Stream<Item = T> + Send + 'static,
    {
        EventStream {
            stream: Box::pin(stream),
            keep_alive: Some(KEEP_ALIVE_EVERY),
        }
    }

    /// The time without an event after which a keep-alive comment is sent
    /// (15 seconds by default; `None`: never).
    pub fn keep_alive(mut self, every: Option<Duration>) -> Self {
        self.keep_alive = every;
        self
    }
}

impl<T: SseItem> IntoResponse for EventStream<T> {
    fn into_response(self) -> Response {
        self.into_response_with_status(StatusCode::OK)
    }

    fn into_response_with_status(self, status: StatusCode) -> Response {
        let body = EventBody {
            idle: self
                .keep_alive
                .map(|every| (every, Box::pin(tokio::time::sleep(every)))),
            stream: self.stream,
        };
        let mut response = Response::new(Body::new(body));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/event-stream; charset=utf-8"),
        );
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
        response
    }
}

/// The body of an [`EventStream`]: the events, with keep-alive comments
/// in the silences.
struct EventBody<T> {
    stream: Pin<Box<dyn Stream<Item = T> + Send>>,
    /// The keep-alive period and the timer of the current silence.
    idle: Option<(Duration, Pin<Box<tokio::time::Sleep>>)>,
}

impl<T: SseItem> http_body::Body for EventBody<T> {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        match this.stream.as_mut().poll_next(cx) {
            Poll::Ready(Some(item)) => {
                if let Some((every, timer)) = &mut this.idle {
                    timer.as_mut().reset(tokio::time::Instant::now() + *every);
                }
                Poll::Ready(Some(match item.encode() {
                    Ok(event) => Ok(Frame::data(Bytes::from(event))),
                    Err(why) => {
                        crate::log::error!("event stream stopped: {why}");
                        Err(why.into())
                    }
                }))
            }
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => match &mut this.idle {
                Some((every, timer)) => {
                    std::task::ready!(timer.as_mut().poll(cx));
                    timer.as_mut().reset(tokio::time::Instant::now() + *every);
                    Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(KEEP_ALIVE)))))
                }
                None => Poll::Pending,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::iter;

    #[test]
    fn events_are_written_in_fastapi_order_with_one_data_line_per_line() {
        let event = ServerSentEvent::new()
            .comment("a\nb")
            .retry(5000)
            .id("2")
            .raw_data("one\r\ntwo\rthree\n")
            .event("farewell");
        assert_eq!(
            event.to_string(),
            ": a\n: b\nevent: farewell\ndata: one\ndata: two\ndata: three\ndata: \nid: 2\nretry: 5000\n\n"
        );
        assert_eq!(ServerSentEvent::new().comment("hi").to_string(), ": hi\n\n");
        assert_eq!(
            ServerSentEvent::new()
                .data(&serde_json::json!({"a": [1, 2]}))
                .to_string(),
            "data: {\"a\":[1,2]}\n\n"
        );
    }

    #[test]
    fn a_line_break_in_event_or_id_is_refused() {
        let bad = ServerSentEvent::new().event("a\nevent: forged");
        assert_eq!(
            bad.encode().unwrap_err(),
            "SSE 'event' must be a single line"
        );
        let bad = ServerSentEvent::new().id("1\r");
        assert_eq!(bad.encode().unwrap_err(), "SSE 'id' must be a single line");
        let bad = ServerSentEvent::new().id("1\0");
        assert_eq!(
            bad.encode().unwrap_err(),
            "SSE 'id' must not contain null characters"
        );
        assert_eq!(ServerSentEvent::new().data(&f64::NAN).to_string(), "");
    }

    #[tokio::test]
    async fn a_stream_is_sent_as_event_stream_with_fastapi_headers() {
        let events = iter([ServerSentEvent::new()
            .data(&"hello")
            .event("greeting")
            .id("1")]);
        let r = EventStream::new(events).into_response();
        assert_eq!(
            r.headers()[CONTENT_TYPE],
            "text/event-stream; charset=utf-8"
        );
        assert_eq!(r.headers()[CACHE_CONTROL], "no-cache");
        assert_eq!(r.headers()["x-accel-buffering"], "no");
        let body = r.into_body().collect_bytes().await.unwrap();
        assert_eq!(&body[..], b"event: greeting\ndata: \"hello\"\nid: 1\n\n");
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_stream_sends_a_keep_alive_comment_every_period() {
        use http_body_util::BodyExt;
        let (tx, rx) = tokio::sync::mpsc::channel(1);
        let mut body = EventStream::new(crate::response::from_channel(rx))
            .into_response()
            .into_body();
        let started = tokio::time::Instant::now();
        let frame = body.frame().await.unwrap().unwrap().into_data().unwrap();
        assert_eq!(&frame[..], KEEP_ALIVE);
        assert_eq!(started.elapsed(), KEEP_ALIVE_EVERY);
        tx.send(ServerSentEvent::new().raw_data("x")).await.unwrap();
        let frame = body.frame().await.unwrap().unwrap().into_data().unwrap();
        assert_eq!(&frame[..], b"data: x\n\n");
        drop(tx);
        assert!(body.frame().await.is_none());
    }
}
