//! [`Endpoint`]: what `#[endpoint]` turns a function into.
//!
//! The macro replaces `async fn read_item(...)` with `fn read_item()`,
//! which returns a hidden unit struct implementing [`Endpoint`] (the original
//! function is its `call`). [`App::route(read_item)`](crate::App::route) calls
//! it, so registration is explicit, a route that is never registered is a
//! dead-code warning, and, `read_item` being a plain function, a variable may
//! still be called `read_item`.

use std::future::Future;
use std::pin::Pin;

use http::{Method, StatusCode};

use crate::extract::{ParamSpec, RequestContext};
use crate::response::Response;

/// The future an endpoint returns: boxed once per request.
pub type ResponseFuture = Pin<Box<dyn Future<Output = Response> + Send + 'static>>;

/// Everything known about an endpoint at compile time: its route, its
/// options and its parameters. Read when the route is registered and by the
/// OpenAPI generator.
#[derive(Debug, Clone)]
pub struct EndpointInfo {
    /// The HTTP method.
    pub method: Method,
    /// The path template (`/files/{file_path:path}`), with the router's
    /// prefix once registered.
    pub path: String,
    /// The function name.
    pub name: &'static str,
    /// `summary`; by default the function name in title case.
    pub summary: Option<&'static str>,
    /// `description`; by default the doc comment.
    pub description: Option<&'static str>,
    /// `tags`, then the router's.
    pub tags: Vec<&'static str>,
    /// The status of a successful response.
    pub status: StatusCode,
    /// `deprecated`.
    pub deprecated: bool,
    /// `operation_id`; by default derived from the name, path and method.
    pub operation_id: Option<&'static str>,
    /// `include_in_schema`.
    pub include_in_schema: bool,
    /// The declared arguments (path, query, header, cookie, body).
    pub params: &'static [&'static ParamSpec],
    /// The dependencies: the route's `dependencies = [...]`, then the
    /// `Depends` arguments, in declaration order.
    pub dependencies: &'static [fn() -> crate::di::ProviderInfo],
    /// Reports the inputs (dependencies' included) to the OpenAPI document.
    pub describe: fn(&mut crate::openapi::OperationDoc<'_>),
    /// The schema of a successful response.
    pub response_schema: fn(&mut crate::openapi::Components) -> Option<serde_json::Value>,
    /// Other documented responses: `responses = [...]`, then those the
    /// error type declares.
    pub responses: fn(&mut crate::openapi::Components) -> Vec<crate::openapi::ResponseDoc>,
}

/// A route handler. Implemented by `#[endpoint]`; implement it by hand only
/// for something the macro cannot express.
pub trait Endpoint: Send + Sync + 'static {
    /// What the endpoint declares.
    fn info(&self) -> EndpointInfo;

    /// Handles one request.
    fn handle(&self, cx: RequestContext) -> ResponseFuture;
}

/// The status for `#[endpoint(..., status = N)]`; the macro checks that `N`
/// is a valid code, so the fallback to 200 is never taken.
pub fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::OK)
}
