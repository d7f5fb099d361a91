//! The request itself as an argument: [`RequestHead`] gives the method, URI,
//! version and headers (FastAPI's `request: Request`), for what no typed
//! parameter covers.

use http::{HeaderMap, Method, Uri, Version};

use super::{Arg, FromRequest, RequestContext};
use crate::model::ValidationErrors;
use crate::response::Rejection;

/// The request's method, URI, version and headers.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::extract::RequestHead;
///
/// #[endpoint(GET "/echo-path")]
/// async fn echo_path(request: RequestHead) -> String {
///     request.uri.path().to_owned()
/// }
/// ```
#[derive(Debug, Clone)]
pub struct RequestHead {
    /// The method.
    pub method: Method,
    /// The URI as sent (path and query).
    pub uri: Uri,
    /// The HTTP version.
    pub version: Version,
    /// The headers.
    pub headers: HeaderMap,
}

impl FromRequest for RequestHead {
    type Value = RequestHead;

    fn reads_at_once(_: &Arg<RequestHead>) -> bool {
        true
    }

    async fn from_request(
        cx: &mut RequestContext,
        _: &Arg<RequestHead>,
        _: &mut ValidationErrors,
    ) -> Result<Option<Self>, Rejection> {
        let head = cx.head();
        Ok(Some(RequestHead {
            method: head.method.clone(),
            uri: head.uri.clone(),
            version: head.version,
            headers: head.headers.clone(),
        }))
    }
}
