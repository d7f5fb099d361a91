//! [`Endpoint`]: what the route table holds for each route.
//!
//! `#[endpoint]` replaces `async fn read_item(...)` with `fn read_item()`
//! returning an `impl Endpoint` made by [`crate::pipeline::endpoint`] (the
//! original function is called from it). [`App::route(read_item)`](crate::App::route)
//! calls it, so registration is explicit, a route that is never registered
//! is a dead-code warning, and, `read_item` being a plain function, a
//! variable may still be called `read_item`. The docs pages are endpoints
//! too ([`crate::openapi::ui`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::di::AnyProvider;
use crate::extract::RequestContext;
use crate::response::Response;

pub use crate::decl::EndpointInfo;

/// The future an endpoint returns: boxed once per request.
pub type ResponseFuture = Pin<Box<dyn Future<Output = Response> + Send + 'static>>;

/// The dependencies a route runs before its own: the app's, then its
/// routers' (outermost first). Each list is `None` when empty, so that a
/// route without them pays nothing.
#[derive(Clone, Default)]
pub struct Inherited {
    /// The app's dependencies (`App::dependency`).
    pub(crate) app: Option<Arc<[AnyProvider]>>,
    /// The routers' dependencies (`Router::dependency`), outermost first.
    pub(crate) routers: Option<Arc<[AnyProvider]>>,
}

impl Inherited {
    /// Every inherited dependency, in the order they run.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &AnyProvider> {
        let app = self.app.iter().flat_map(|a| a.iter());
        app.chain(self.routers.iter().flat_map(|r| r.iter()))
    }
}

/// A route handler. Made by `#[endpoint]` (through
/// [`crate::pipeline::endpoint`]); implement it by hand only for something
/// the macro cannot express.
pub trait Endpoint: Send + Sync + 'static {
    /// What the endpoint declares.
    fn info(&self) -> EndpointInfo;

    /// Handles one request, after running the `inherited` dependencies.
    fn handle(&self, cx: RequestContext, inherited: Inherited) -> ResponseFuture;
}

/// The status for `#[endpoint(..., status = N)]`; the macro checks that `N`
/// is a valid code, so the fallback to 200 is never taken.
pub fn status(code: u16) -> http::StatusCode {
    http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::OK)
}
