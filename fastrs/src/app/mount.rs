//! Mounting (FastAPI's `app.mount`): any tower `Service` (another fastrs
//! [`App`], an axum `Router`, tower-http's `ServeDir`, fastrs's
//! [`StaticFiles`](crate::static_files::StaticFiles)) answers every path
//! under a prefix.
//!
//! A mount is consulted when no route of the app matches the path, as in
//! Starlette, where routes are registered before mounts. The mounted
//! service sees the path without the prefix (and the query as sent); the
//! prefix is in the request's [`MountedAt`] extension, which a mounted
//! fastrs app uses for its docs page and as the `servers` entry of its own
//! OpenAPI document, as FastAPI does for a sub-application. The prefix
//! alone is redirected (307) to the prefix with a slash, to the scheme and
//! host the client used (behind a trusted proxy, the forwarded ones), as
//! the app's own slash redirects.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{HeaderValue, LOCATION};
use http::uri::PathAndQuery;
use http::{Request, StatusCode, Uri};
use tower::util::BoxCloneSyncService;
use tower::ServiceExt;
use tower_service::Service;

use super::layered::Layered;
use super::App;
use crate::response::{Body, BoxError, Response};

/// The path prefix a request was mounted under (all of it, for mounts
/// within mounts): what FastAPI calls the sub-application's `root_path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountedAt(pub Arc<str>);

/// A service mounted under a prefix.
#[derive(Clone)]
pub(crate) struct Mount {
    prefix: String,
    service: BoxCloneSyncService<Request<Body>, Response, Infallible>,
}

/// What a mount does with a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Claim {
    /// The prefix itself: redirect to the prefix with a slash.
    Prefix,
    /// Under the prefix.
    Rest,
}

/// Where the client reached the app: `scheme://host`, as a redirect names
/// it (behind a trusted proxy, the forwarded scheme and host). Set on a
/// request handed to a mounted service, whose redirects need it (of
/// fastrs's own services, `StaticFiles`, with the feature `static-files`).
#[derive(Debug, Clone)]
pub(crate) struct Origin(
    #[cfg_attr(not(feature = "static-files"), allow(dead_code))] pub(crate) String,
);

impl Mount {
    /// Whether `path` (as sent, not decoded) is this mount's.
    pub(crate) fn claims(&self, path: &str) -> Option<Claim> {
        match path.strip_prefix(self.prefix.as_str()) {
            Some("") => Some(Claim::Prefix),
            Some(rest) if rest.starts_with('/') => Some(Claim::Rest),
            _ => None,
        }
    }

    /// Hands the request to the mounted service, its path without the
    /// prefix; `origin` is where the client reached the app.
    pub(crate) fn forward(
        &self,
        mut head: http::request::Parts,
        body: Body,
        origin: String,
    ) -> crate::pipeline::ResponseFuture {
        let rest = &head.uri.path()[self.prefix.len()..];
        let path_and_query = match head.uri.query() {
            Some(query) => format!("{rest}?{query}"),
            None => rest.to_owned(),
        };
        let mut parts = head.uri.clone().into_parts();
        parts.path_and_query = PathAndQuery::try_from(path_and_query).ok();
        if let Ok(uri) = Uri::from_parts(parts) {
            head.uri = uri;
        }
        let outer = head.extensions.get::<MountedAt>().map(|m| m.0.clone());
        let prefix = match outer {
            Some(outer) => format!("{outer}{}", self.prefix),
            None => self.prefix.clone(),
        };
        head.extensions.insert(MountedAt(prefix.into()));
        // A mount within a mount keeps the outermost app's view.
        if head.extensions.get::<Origin>().is_none() {
            head.extensions.insert(Origin(origin));
        }
        let service = self.service.clone();
        let request = Request::from_parts(head, body);
        Box::pin(async move {
            match service.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            }
        })
    }
}

/// Starlette's 307 to the same URL with `/` added to its path, the path
/// as the client sees it (`origin`, then `path`).
pub(crate) fn redirect_with_slash(origin: &str, path: &str, query: Option<&str>) -> Response {
    let location = match query {
        Some(query) => format!("{origin}{path}/?{query}"),
        None => format!("{origin}{path}/"),
    };
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::TEMPORARY_REDIRECT;
    if let Ok(location) = HeaderValue::try_from(location) {
        response.headers_mut().insert(LOCATION, location);
    }
    response
}

impl App {
    /// Serves every path under `prefix` with `service` (FastAPI's
    /// `app.mount(prefix, app)`): another fastrs `App` (with its own
    /// OpenAPI document and docs page under the prefix), fastrs's
    /// [`StaticFiles`](crate::static_files::StaticFiles), or any tower
    /// service (an axum `Router`, tower-http's `ServeDir`). Routes of this
    /// app win over a mount for the same path.
    ///
    /// ```
    /// use fastrs::prelude::*;
    /// use fastrs::static_files::StaticFiles;
    ///
    /// #[endpoint(GET "/sub")]
    /// async fn read_sub() -> Json<serde_json::Value> {
    ///     Json(serde_json::json!({"message": "Hello World from sub API"}))
    /// }
    ///
    /// let app = App::new()
    ///     .mount("/subapi", App::new().route(read_sub))
    ///     .mount("/static", StaticFiles::new("static").html(true));
    /// # let _ = app;
    /// ```
    ///
    /// # Panics
    /// If `prefix` does not start with `/`, is `/` alone, or ends with `/`.
    pub fn mount<S, B>(mut self, prefix: &str, service: S) -> Self
    where
        S: Service<Request<Body>, Response = http::Response<B>> + Clone + Send + Sync + 'static,
        S::Error: Into<BoxError>,
        S::Future: Send + 'static,
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        if !prefix.starts_with('/') || prefix == "/" || prefix.ends_with('/') {
            panic!(
                "fastrs: mount `{prefix}`: a mount's prefix starts with `/` and does not end with one, for example \"/static\""
            );
        }
        let mount = Mount {
            prefix: prefix.to_owned(),
            service: BoxCloneSyncService::new(Layered(service)),
        };
        self.shared_mut("mount a service").mounts.push(mount);
        self
    }
}
