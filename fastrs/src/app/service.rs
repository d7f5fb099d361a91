//! The app as a tower `Service`, and tower layers around its routes.
//!
//! [`App::handle`] is the entry point of the server and of tests: straight
//! to [`dispatch`](super::dispatch) when the app has no layer, else through
//! the layer stack, whose innermost service is the dispatcher. A layer's
//! body becomes a [`Body`] and its errors become logged 500s.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::Request;
use tower::util::BoxCloneSyncService;
use tower::ServiceExt;
use tower_layer::Layer;
use tower_service::Service;

use super::dispatch::{dispatch, DispatchFuture};
use super::layered::Layered;
use super::request_id::Identified;
use super::{App, Shared};
use crate::response::{Body, BoxError, Response};

/// How a request enters an app ([`App::entry`]).
pub(crate) type Entry = fn(&App, Request<Body>, Option<std::net::SocketAddr>) -> AppFuture;

/// The service a tower layer wraps: the app's routes, type-erased.
pub type Routes = BoxCloneSyncService<Request<Body>, Response, Infallible>;

impl App {
    /// Wraps the app in a tower layer (tower-http's CORS, compression,
    /// tracing, timeouts...). Layers added later wrap the earlier ones.
    pub fn layer<L, S, B>(mut self, layer: L) -> Self
    where
        L: Layer<Routes, Service = S>,
        S: Service<Request<Body>, Response = http::Response<B>> + Clone + Send + Sync + 'static,
        S::Error: Into<BoxError>,
        S::Future: Send + 'static,
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let inner = self
            .layered
            .take()
            .unwrap_or_else(|| BoxCloneSyncService::new(Dispatcher(self.shared.clone())));
        let wrapped = Layered(layer.layer(inner));
        self.layered = Some(BoxCloneSyncService::new(wrapped));
        self
    }

    /// Runs `middleware(request, next)` around every request (FastAPI's
    /// `@app.middleware("http")`): call `next.run(request).await` to get the
    /// response, change it, return it. Middleware and layers added later
    /// wrap the earlier ones (see [`crate::middleware`]).
    ///
    /// ```
    /// use fastrs::prelude::*;
    ///
    /// let app = App::new().middleware(|request, next| async move {
    ///     let mut response = next.run(request).await;
    ///     response.headers_mut().insert("x-process", "done".parse().unwrap());
    ///     response
    /// });
    /// ```
    pub fn middleware<F, Fut>(self, middleware: F) -> Self
    where
        F: Fn(Request<Body>, crate::middleware::Next) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Response> + Send + 'static,
    {
        self.layer(crate::middleware::from_fn(middleware))
    }

    /// Handles one request: the entry point of the server and of tests.
    /// A WebSocket handshake that the app does not answer with `101` gets
    /// Starlette's refusal, `403` with no body.
    /// The client's address, for [`Client`](crate::extract::Client), is
    /// the one a [`PeerAddr`](super::PeerAddr) in the request's extensions
    /// names, if any (the server gives it beside the request instead).
    pub fn handle(&self, request: Request<Body>) -> AppFuture {
        self.handle_from(request, None)
    }

    /// [`App::handle`] for a request from `peer` (the server's call): the
    /// client's address reaches [`Client`](crate::extract::Client) without
    /// being put in the request's extensions, unless something that sees
    /// only the request needs it there (layers, middleware, a mounted app).
    pub(crate) fn handle_from(
        &self,
        request: Request<Body>,
        peer: Option<std::net::SocketAddr>,
    ) -> AppFuture {
        // Chosen when the app is built: the plain path pays no check.
        (self.shared.entry)(self, request, peer)
    }

    /// How requests enter the app: routed, or wrapped first (an id, the
    /// metrics).
    pub(crate) fn entry(&self) -> Entry {
        #[cfg(feature = "metrics")]
        if self.shared.metrics.is_some() {
            return App::wrapped;
        }
        #[cfg(feature = "opentelemetry")]
        if self.shared.traces.is_some() {
            return App::wrapped;
        }
        if self.shared.request_ids {
            App::wrapped
        } else {
            App::routed
        }
    }

    /// The request with an id (`App::request_ids`: given before the
    /// layers, so that middleware sees it too, and routed inside the
    /// request's span), traced (`App::traces`: routed in its server span)
    /// and measured (`App::metrics`) from before it is routed (an endpoint
    /// with nothing to wait for answers then). Apart from [`App::routed`],
    /// so that the plain path is as it was.
    fn wrapped(&self, mut request: Request<Body>, peer: Option<std::net::SocketAddr>) -> AppFuture {
        #[cfg(any(feature = "metrics", feature = "opentelemetry"))]
        let path = super::dispatch::decoded_path(request.uri().path());
        #[cfg(any(feature = "metrics", feature = "opentelemetry"))]
        let route = self.shared.routes.template_of(&path);
        #[cfg(feature = "metrics")]
        let measuring = self
            .shared
            .metrics
            .as_ref()
            .map(|metrics| metrics.start(request.method(), route));
        #[cfg(feature = "opentelemetry")]
        let server_span = self
            .shared
            .traces
            .as_ref()
            .map(|traces| traces.start(&request, peer, route));
        let id = self.shared.request_ids.then(|| {
            let proxies = &self.shared.state.proxies;
            super::request_id::assign(&mut request, peer, |p| proxies.trusts_ip(p.ip()))
        });
        let span = id.as_ref().and_then(super::request_id::span);
        let future = {
            #[cfg(feature = "opentelemetry")]
            let _current = server_span.as_ref().map(|s| s.enter());
            match &span {
                Some(span) => span.in_scope(|| self.routed(request, peer)),
                None => self.routed(request, peer),
            }
        };
        let future = match id {
            Some(id) => AppFuture::Wrapped(Box::pin(Identified::new(future, &id, span))),
            None => future,
        };
        #[cfg(feature = "opentelemetry")]
        let future = match server_span {
            Some(server_span) => AppFuture::Wrapped(Box::pin(server_span.of(future))),
            None => future,
        };
        #[cfg(feature = "metrics")]
        let future = match measuring {
            Some(measuring) => AppFuture::Wrapped(Box::pin(measuring.of(future))),
            None => future,
        };
        future
    }

    /// The request through the layers, or straight to the routes.
    pub(super) fn routed(
        &self,
        mut request: Request<Body>,
        peer: Option<std::net::SocketAddr>,
    ) -> AppFuture {
        let handshake = is_handshake(&request);
        let future = match &self.layered {
            Some(layers) => {
                // Layers see the client's address only in the extensions.
                super::dispatch::record_peer(request.extensions_mut(), peer);
                AppFuture::Layered(Box::pin(layers.clone().oneshot(request)))
            }
            None => AppFuture::Dispatch(dispatch(&self.shared, request, peer)),
        };
        if handshake {
            return handshake_future(future);
        }
        future
    }
}

/// Whether the request asks for a WebSocket session. hyper marks the
/// requests that may upgrade: the others (nearly all) pay one look at an
/// empty extension map.
#[cfg(feature = "websockets")]
fn is_handshake(request: &Request<Body>) -> bool {
    request
        .extensions()
        .get::<hyper::upgrade::OnUpgrade>()
        .is_some()
        && crate::websocket::is_handshake(request.headers())
}

/// Without the feature `websockets` a handshake is a request like any
/// other, as uvicorn treats one when no WebSocket library is installed.
#[cfg(not(feature = "websockets"))]
fn is_handshake(_: &Request<Body>) -> bool {
    false
}

/// A handshake's answer: anything but `101` becomes `403`.
#[cfg(feature = "websockets")]
fn refused_unless_switched(response: Response) -> Response {
    if response.status() == http::StatusCode::SWITCHING_PROTOCOLS {
        response
    } else {
        crate::websocket::refused()
    }
}

/// Without the feature no handshake is told apart: the answer is the
/// route's.
#[cfg(not(feature = "websockets"))]
fn refused_unless_switched(response: Response) -> Response {
    response
}

/// The future of a WebSocket handshake: anything but `101` becomes `403`.
#[cold]
fn handshake_future(future: AppFuture) -> AppFuture {
    AppFuture::Handshake(Box::pin(future))
}

impl<B> Service<Request<B>> for App
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = AppFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> AppFuture {
        self.handle(request.map(Body::from_any))
    }
}

/// The app's routes as the innermost service of a layer stack.
#[derive(Clone)]
struct Dispatcher(Arc<Shared>);

impl Service<Request<Body>> for Dispatcher {
    type Response = Response;
    type Error = Infallible;
    type Future = DispatchFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> DispatchFuture {
        // The peer, if known, is in the request's extensions.
        dispatch(&self.0, request, None)
    }
}

/// The future of [`App::handle`].
pub enum AppFuture {
    /// Straight to the routes.
    Dispatch(DispatchFuture),
    /// Through the layers.
    Layered(Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>),
    /// A WebSocket handshake: anything but `101` becomes a `403`.
    Handshake(Pin<Box<AppFuture>>),
    /// With the request's id (`App::request_ids`), or measured
    /// (`App::metrics`).
    Wrapped(Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>),
}

impl Future for AppFuture {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            AppFuture::Dispatch(future) => Pin::new(future).poll(cx),
            AppFuture::Layered(future) => future.as_mut().poll(cx),
            AppFuture::Wrapped(future) => future.as_mut().poll(cx),
            AppFuture::Handshake(future) => {
                let Ok(response) = std::task::ready!(future.as_mut().poll(cx));
                Poll::Ready(Ok(refused_unless_switched(response)))
            }
        }
    }
}
