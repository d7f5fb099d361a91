//! Any tower service adapted to the app's types ([`Layered`]): its body
//! becomes a [`Body`] and its errors become logged 500s. What wraps the
//! app's layers, a router's layers and mounted services.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::Request;
use tower::ServiceExt;
use tower_service::Service;

use crate::response::{internal_server_error, Body, BoxError, Response};

/// A layer's service, adapted back to the app's types: its body becomes a
/// [`Body`] and its errors become logged 500s. Used for the app's layers
/// and a router's.
#[derive(Clone)]
pub(crate) struct Layered<S>(pub(crate) S);

impl<S, B> Service<Request<Body>> for Layered<S>
where
    S: Service<Request<Body>, Response = http::Response<B>> + Clone + Send + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let service = self.0.clone();
        Box::pin(async move {
            Ok(match service.oneshot(request).await {
                Ok(response) => response.map(Body::from_any),
                Err(error) => {
                    let error: BoxError = error.into();
                    crate::log::error!("a layer failed: {error}");
                    internal_server_error()
                }
            })
        })
    }
}
