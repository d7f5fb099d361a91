//! JSON Lines: [`JsonLines`] streams `#[model]` values as
//! `application/jsonl`, one JSON value per line, as FastAPI streams the
//! items an endpoint yields. The document gives one line's schema as the
//! media type's `itemSchema`. The stream is polled only as the client
//! reads and is dropped when the client leaves.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http::header::{HeaderValue, CONTENT_TYPE};
use http::StatusCode;
use http_body::Frame;
use serde::Serialize;

use super::{Body, BoxError, IntoResponse, Response};
use crate::model::Model;

/// A stream of `#[model]` values sent as JSON Lines (FastAPI's generator
/// endpoint that yields items): `application/jsonl`, each item's JSON and
/// a line break. The stream is boxed, so the return type names only `T`.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::response::{iter, JsonLines};
///
/// #[model]
/// struct Item {
///     name: String,
///     description: Option<String>,
/// }
///
/// #[endpoint(GET "/items/stream")]
/// async fn stream_items() -> JsonLines<Item> {
///     JsonLines::new(iter(["Plumbus", "Portal Gun"].map(|name| Item {
///         name: name.to_owned(),
///         description: None,
///     })))
/// }
/// ```
pub struct JsonLines<T> {
    stream: Pin<Box<dyn Stream<Item = T> + Send>>,
}

impl<T> std::fmt::Debug for JsonLines<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonLines").finish_non_exhaustive()
    }
}

impl<T: Model + Serialize + Send + 'static> JsonLines<T> {
    /// Sends each item of `stream` as one line.
    pub fn new<S>(stream: S) -> Self
    where
        S: Stream<Item = T> + Send + 'static,
    {
        JsonLines {
            stream: Box::pin(stream),
        }
    }
}

impl<T: Model + Serialize + Send + 'static> IntoResponse for JsonLines<T> {
    fn into_response(self) -> Response {
        self.into_response_with_status(StatusCode::OK)
    }

    fn into_response_with_status(self, status: StatusCode) -> Response {
        let mut response = Response::new(Body::new(LinesBody {
            stream: self.stream,
        }));
        *response.status_mut() = status;
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/jsonl"));
        response
    }
}

/// The body of a [`JsonLines`]: each item's JSON and a line break.
struct LinesBody<T> {
    stream: Pin<Box<dyn Stream<Item = T> + Send>>,
}

impl<T: Serialize> http_body::Body for LinesBody<T> {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        match std::task::ready!(this.stream.as_mut().poll_next(cx)) {
            Some(item) => {
                let line = serde_json::to_vec(&crate::model::Finite(&item)).map(|mut line| {
                    line.push(b'\n');
                    Frame::data(Bytes::from(line))
                });
                Poll::Ready(Some(line.map_err(|error| {
                    crate::log::error!("JSON Lines stream stopped: {error}");
                    error.into()
                })))
            }
            None => Poll::Ready(None),
        }
    }
}
