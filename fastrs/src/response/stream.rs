//! Streamed answers: [`StreamingResponse`] (FastAPI's `StreamingResponse`)
//! sends whatever a [`Stream`] yields, chunk by chunk, as the client reads.
//!
//! The stream is polled only when the connection can take more bytes, so a
//! client that reads slowly holds back the producer instead of making the
//! server buffer; when the client goes away, the stream is dropped and
//! whatever it owns with it.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http::header::{HeaderValue, CONTENT_TYPE};
use http::StatusCode;
use http_body::Frame;

use super::{Body, BoxError, IntoResponse, Response};

/// One piece of a streamed body: text or bytes, or a `Result` of them (an
/// error ends the body early, and the connection is closed so that the
/// client sees it was cut short).
pub trait Chunk: Send + 'static {
    /// The bytes to send, or why the stream stopped.
    fn into_bytes(self) -> Result<Bytes, BoxError>;
}

macro_rules! chunk {
    ($($t:ty),*) => {$(
        impl Chunk for $t {
            fn into_bytes(self) -> Result<Bytes, BoxError> {
                Ok(Bytes::from(self))
            }
        }
    )*};
}
chunk!(String, &'static str, Vec<u8>, Bytes, &'static [u8]);

impl<T: Chunk, E: Into<BoxError> + Send + 'static> Chunk for Result<T, E> {
    fn into_bytes(self) -> Result<Bytes, BoxError> {
        self.map_err(Into::into).and_then(Chunk::into_bytes)
    }
}

/// A stream of chunks as a response body.
struct StreamBody<S>(S);

impl<S> http_body::Body for StreamBody<S>
where
    S: Stream + Unpin,
    S::Item: Chunk,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        loop {
            return match std::task::ready!(Pin::new(&mut self.0).poll_next(cx)) {
                None => Poll::Ready(None),
                Some(chunk) => match chunk.into_bytes() {
                    // An empty chunk would read as the end to some clients.
                    Ok(bytes) if bytes.is_empty() => continue,
                    Ok(bytes) => Poll::Ready(Some(Ok(Frame::data(bytes)))),
                    Err(error) => Poll::Ready(Some(Err(error))),
                },
            };
        }
    }
}

/// A body made of what `stream` yields, sent as it comes.
pub(crate) fn stream_body<S>(stream: S) -> Body
where
    S: Stream + Send + 'static,
    S::Item: Chunk,
{
    Body::new(StreamBody(Box::pin(stream)))
}

/// The content type Starlette sends for `media_type`: text types get
/// `; charset=utf-8` unless they name a charset.
pub(crate) fn content_type(media_type: &str) -> Option<HeaderValue> {
    if media_type.starts_with("text/") && !media_type.contains("charset") {
        HeaderValue::try_from(format!("{media_type}; charset=utf-8")).ok()
    } else {
        HeaderValue::try_from(media_type).ok()
    }
}

/// A response whose body is a stream (FastAPI's `StreamingResponse`): the
/// chunks go out as they are produced, with chunked transfer encoding.
///
/// Any [`Stream`] of `String`, `&'static str`, `Vec<u8>` or `Bytes` (or of
/// `Result`s of them) will do; the media type is the content type sent
/// (`text/*` types get `; charset=utf-8`, as Starlette adds it). The
/// stream is boxed, so the return type can be named.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::response::StreamingResponse;
///
/// #[endpoint(GET "/stream")]
/// async fn stream() -> StreamingResponse {
///     let lines = (0..3).map(|i| format!("line {i}\n"));
///     StreamingResponse::new(fastrs::response::iter(lines), "text/plain")
/// }
/// ```
pub struct StreamingResponse {
    body: Body,
    media_type: Option<HeaderValue>,
    status: Option<StatusCode>,
}

impl std::fmt::Debug for StreamingResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamingResponse")
            .field("media_type", &self.media_type)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl StreamingResponse {
    /// Streams what `stream` yields, sent as `media_type`.
    pub fn new<S>(stream: S, media_type: &str) -> Self
    where
        S: Stream + Send + 'static,
        S::Item: Chunk,
    {
        StreamingResponse {
            body: stream_body(stream),
            media_type: content_type(media_type),
            status: None,
        }
    }

    /// Streams what `stream` yields with no `Content-Type` header, as
    /// Starlette's `StreamingResponse(content)` without a `media_type`
    /// (documented, under `response_class = StreamingResponse`, with no
    /// content, as FastAPI documents it).
    pub fn without_media_type<S>(stream: S) -> Self
    where
        S: Stream + Send + 'static,
        S::Item: Chunk,
    {
        StreamingResponse {
            body: stream_body(stream),
            media_type: None,
            status: None,
        }
    }

    /// Sends `status` instead of the endpoint's.
    pub fn status(mut self, status: StatusCode) -> Self {
        self.status = Some(status);
        self
    }
}

impl IntoResponse for StreamingResponse {
    fn into_response(self) -> Response {
        self.into_response_with_status(StatusCode::OK)
    }

    fn into_response_with_status(self, status: StatusCode) -> Response {
        let mut response = Response::new(self.body);
        *response.status_mut() = self.status.unwrap_or(status);
        if let Some(media_type) = self.media_type {
            response.headers_mut().insert(CONTENT_TYPE, media_type);
        }
        response
    }
}

/// A stream of the items of `iter`, each ready at once: the simplest
/// source for a [`StreamingResponse`] or an
/// [`EventStream`](super::EventStream). For items produced over time, use
/// any `Stream` (`tokio_stream`, `futures::stream::unfold`, a channel's
/// receiver wrapped as a stream, `async-stream`'s `stream!`).
pub fn iter<I: IntoIterator>(iter: I) -> Iter<I::IntoIter> {
    Iter(iter.into_iter())
}

/// The stream [`iter`] makes.
#[derive(Debug, Clone)]
pub struct Iter<I>(I);

impl<I: Iterator + Unpin> Stream for Iter<I> {
    type Item = I::Item;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<I::Item>> {
        Poll::Ready(self.0.next())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

/// A stream of what a channel receives, until every sender is gone: for a
/// producer task feeding a [`StreamingResponse`] or an
/// [`EventStream`](super::EventStream). When the client leaves, the
/// receiver is dropped and the producer's next `send` fails, so it can stop.
pub fn from_channel<T>(receiver: tokio::sync::mpsc::Receiver<T>) -> Channel<T> {
    Channel(receiver)
}

/// The stream [`from_channel`] makes.
#[derive(Debug)]
pub struct Channel<T>(tokio::sync::mpsc::Receiver<T>);

impl<T> Stream for Channel<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.0.poll_recv(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn chunks_are_sent_in_order_with_the_media_type_and_charset() {
        let lines = iter((0..3).map(|i| format!("line {i}\n")));
        let r = StreamingResponse::new(lines, "text/plain").into_response();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[CONTENT_TYPE], "text/plain; charset=utf-8");
        let body = r.into_body().collect_bytes().await.unwrap();
        assert_eq!(&body[..], b"line 0\nline 1\nline 2\n");
    }

    #[tokio::test]
    async fn a_binary_media_type_gets_no_charset_and_an_error_ends_the_body() {
        let chunks = iter([Ok(vec![1u8, 2]), Err(std::io::Error::other("disk gone"))]);
        let r = StreamingResponse::new(chunks, "application/octet-stream").into_response();
        assert_eq!(r.headers()[CONTENT_TYPE], "application/octet-stream");
        let error = r.into_body().collect_bytes().await.unwrap_err();
        assert_eq!(error.to_string(), "disk gone");
    }

    #[tokio::test]
    async fn a_stream_without_a_media_type_sends_no_content_type() {
        let r = StreamingResponse::without_media_type(iter(["a", "b"])).into_response();
        assert!(r.headers().get(CONTENT_TYPE).is_none());
        let body = r.into_body().collect_bytes().await.unwrap();
        assert_eq!(&body[..], b"ab");
    }
}
