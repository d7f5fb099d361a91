//! The HTTP body type of requests and responses, [`Body`], and the work
//! that runs once a response body has been sent ([`Body::then`]: dependency
//! cleanups after the response, background work).
//!
//! The common cases (empty, one buffer, hyper's incoming body) carry no
//! allocation of their own; anything else is boxed.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::BodyExt;

/// Errors from a streaming body, boxed.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

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
