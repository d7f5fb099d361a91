//! Middleware: code around every request of an app. A plain async
//! function ([`App::middleware`](crate::app::App::middleware), FastAPI's
//! `@app.middleware("http")`), and FastAPI's [`Cors`], [`GZip`] and
//! [`TrustedHost`] middlewares with their options and answers.
//!
//! All three are tower layers over the app's routes, so they stack with
//! any other tower layer in one order: **the last added is the outermost**
//! (it sees the request first and the response last), as Starlette's
//! `add_middleware` and axum's `Router::layer` order them. An app that
//! adds CORS, then GZip, then a function, runs the function first, then
//! GZip, then CORS, then the route.

mod cors;
#[cfg(feature = "compression")]
mod gzip;
mod trusted_host;

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::Request;
use tower::util::BoxCloneSyncService;
use tower::ServiceExt;
use tower_layer::Layer;
use tower_service::Service;

use crate::body::Body;
use crate::response::Response;

pub use cors::Cors;
#[cfg(feature = "compression")]
#[cfg_attr(docsrs, doc(cfg(feature = "compression")))]
pub use gzip::GZip;
pub use trusted_host::TrustedHost;

/// The service a middleware wraps: the rest of the app, type-erased.
pub type Inner = BoxCloneSyncService<Request<Body>, Response, Infallible>;

/// A boxed response future.
pub type ResponseFuture = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

/// The rest of the app, as a middleware function sees it: call
/// [`Next::run`] to pass the request on and get its response.
pub struct Next(Inner);

impl Next {
    /// Passes `request` to the rest of the app.
    pub async fn run(self, request: Request<Body>) -> Response {
        match self.0.oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    }
}

/// Reads the whole body of `request`, at most `limit` bytes, and gives the
/// request back with the same body: a middleware can look at the body
/// (FastAPI's `await request.body()` in a middleware) and the handler
/// still reads it. A body past `limit` is answered 413, as the app's own
/// body limit answers.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::middleware::read_body;
///
/// let app = App::new().middleware(|request, next| async move {
///     let (request, body) = match read_body(request, 1024 * 1024).await {
///         Ok(read) => read,
///         Err(too_large) => return too_large,
///     };
///     println!("{} bytes in", body.len());
///     next.run(request).await
/// });
/// ```
///
/// # Errors
/// The response to send instead: 413 past `limit`, 400 for a body that
/// could not be read.
pub async fn read_body(
    request: Request<Body>,
    limit: usize,
) -> Result<(Request<Body>, bytes::Bytes), Response> {
    use crate::response::IntoResponse;
    use http_body_util::BodyExt;
    let (head, body) = request.into_parts();
    match http_body_util::Limited::new(body, limit).collect().await {
        Ok(collected) => {
            let bytes = collected.to_bytes();
            Ok((Request::from_parts(head, Body::full(bytes.clone())), bytes))
        }
        Err(error) if error.is::<http_body_util::LengthLimitError>() => {
            Err(crate::extract::payload_too_large(limit).into_response())
        }
        Err(_) => Err(crate::error::HttpError::new(
            http::StatusCode::BAD_REQUEST,
            "The request body could not be read",
        )
        .into_response()),
    }
}

/// What a middleware does around one request: given the request and the
/// rest of the app, the response. Every middleware here (a function,
/// [`Cors`], [`GZip`], [`TrustedHost`]) is one, served by [`AroundService`].
pub trait Around: Send + Sync + 'static {
    /// Answers `request`, calling `next` for the rest of the app (or not).
    fn around(self: Arc<Self>, request: Request<Body>, next: Next) -> BoxFuture<'static, Response>;
}

/// A future boxed for a middleware.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The tower service of a middleware: the middleware and the rest of the
/// app.
pub struct AroundService<A> {
    around: Arc<A>,
    inner: Inner,
}

impl<A> AroundService<A> {
    /// The service of `around` over `inner`.
    pub(crate) fn new(around: A, inner: Inner) -> Self {
        AroundService {
            around: Arc::new(around),
            inner,
        }
    }
}

impl<A> Clone for AroundService<A> {
    fn clone(&self) -> Self {
        AroundService {
            around: self.around.clone(),
            inner: self.inner.clone(),
        }
    }
}

impl<A: Around> Service<Request<Body>> for AroundService<A> {
    type Response = Response;
    type Error = Infallible;
    type Future = AroundFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> AroundFuture {
        AroundFuture(
            self.around
                .clone()
                .around(request, Next(self.inner.clone())),
        )
    }
}

/// The future of an [`AroundService`]: the middleware's, as tower wants it
/// (no second box).
pub struct AroundFuture(BoxFuture<'static, Response>);

impl Future for AroundFuture {
    type Output = Result<Response, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.0.as_mut().poll(cx).map(Ok)
    }
}

/// A middleware function as a tower layer: what `App::middleware` adds.
pub struct FromFn<F>(Arc<F>);

impl<F> Clone for FromFn<F> {
    fn clone(&self) -> Self {
        FromFn(self.0.clone())
    }
}

/// Makes `f` a tower layer: `f(request, next)` is called for every
/// request.
pub fn from_fn<F, Fut>(f: F) -> FromFn<F>
where
    F: Fn(Request<Body>, Next) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response> + Send + 'static,
{
    FromFn(Arc::new(f))
}

/// The function of a [`FromFn`] layer, shared by its services.
pub struct Function<F>(Arc<F>);

impl<F, Fut> Around for Function<F>
where
    F: Fn(Request<Body>, Next) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response> + Send + 'static,
{
    fn around(self: Arc<Self>, request: Request<Body>, next: Next) -> BoxFuture<'static, Response> {
        Box::pin((self.0)(request, next))
    }
}

impl<F, Fut> Layer<Inner> for FromFn<F>
where
    F: Fn(Request<Body>, Next) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response> + Send + 'static,
{
    type Service = AroundService<Function<F>>;

    fn layer(&self, inner: Inner) -> Self::Service {
        AroundService::new(Function(self.0.clone()), inner)
    }
}

/// Appends `value` to a response's `Vary` header, as Starlette does
/// (`Vary: Origin, Accept-Encoding`).
pub(crate) fn add_vary(headers: &mut http::HeaderMap, value: &str) {
    let existing: Vec<String> = headers
        .get_all(http::header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    let joined = existing
        .iter()
        .map(String::as_str)
        .chain([value])
        .collect::<Vec<_>>()
        .join(", ");
    if let Ok(joined) = http::HeaderValue::from_str(&joined) {
        headers.insert(http::header::VARY, joined);
    }
}
