//! The response handle: FastAPI's `response: Response` parameter. An
//! argument of an endpoint or of any of its dependencies through which
//! they set the status, headers and cookies of whatever the endpoint
//! returns (a model, `Json`, a `Result`'s success).
//!
//! Every handle of a request is one: what a dependency sets, the handler
//! sees and may change. The changes are applied when the handler's answer
//! is made: its status replaced, the headers and cookies added (FastAPI
//! extends the answer's headers with them). An answer that is an error (an
//! `HttpError`, a validation error, a `fastrs::Error`) gets none of them,
//! as FastAPI drops its sub-response when an exception is raised.

use std::sync::{Arc, Mutex, MutexGuard};

use http::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH};
use http::StatusCode;

use super::{Arg, FromRequest, RequestContext};
use crate::model::ValidationErrors;
use crate::response::{Body, Rejection, Response, ResponseCookies, SetCookie};

/// What the handles of one request changed.
#[derive(Debug, Default)]
pub(crate) struct ResponseChanges {
    status: Option<StatusCode>,
    headers: HeaderMap,
    cookies: Vec<SetCookie>,
}

/// FastAPI's `response: Response` parameter: set the status, headers and
/// cookies of whatever the endpoint returns.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::extract::ResponseHandle;
/// use fastrs::response::SetCookie;
///
/// #[endpoint(POST "/cookie-and-object/")]
/// async fn create_cookie(response: ResponseHandle) -> Json<serde_json::Value> {
///     response.set_cookie(SetCookie::new("fakesession", "fake-cookie-session-value"));
///     Json(serde_json::json!({"message": "Come to the dark side, we have cookies"}))
/// }
/// ```
#[derive(Debug, Clone)]
pub struct ResponseHandle(Arc<Mutex<ResponseChanges>>);

impl ResponseHandle {
    fn changes(&self) -> MutexGuard<'_, ResponseChanges> {
        // Each change is one assignment or push: a panic elsewhere leaves
        // the changes whole.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The answer's status, instead of the endpoint's (FastAPI's
    /// `response.status_code = 201`).
    pub fn set_status(&self, status: StatusCode) {
        self.changes().status = Some(status);
    }

    /// The status set so far, if any.
    pub fn status(&self) -> Option<StatusCode> {
        self.changes().status
    }

    /// Sets the header `name` (replacing what a handle set for it before);
    /// FastAPI's `response.headers["X-Cat-Dog"] = "alone in the world"`.
    pub fn insert_header(&self, name: HeaderName, value: HeaderValue) {
        self.changes().headers.insert(name, value);
    }

    /// Adds a value to the header `name`.
    pub fn append_header(&self, name: HeaderName, value: HeaderValue) {
        self.changes().headers.append(name, value);
    }

    /// Sets a cookie (Starlette's `response.set_cookie`).
    pub fn set_cookie(&self, cookie: SetCookie) {
        self.changes().cookies.push(cookie);
    }

    /// Tells the client to drop the cookie `name` set at `/` (Starlette's
    /// `response.delete_cookie`); for another path or domain, set
    /// [`SetCookie::removal`] with them.
    pub fn delete_cookie(&self, name: &str) {
        self.set_cookie(SetCookie::removal(name));
    }
}

impl FromRequest for ResponseHandle {
    type Value = ResponseHandle;

    fn reads_at_once(_: &Arg<ResponseHandle>) -> bool {
        true
    }

    async fn from_request(
        cx: &mut RequestContext,
        _: &Arg<ResponseHandle>,
        _: &mut ValidationErrors,
    ) -> Result<Option<Self>, Rejection> {
        let changes = cx.response_changes.get_or_insert_with(Default::default);
        Ok(Some(ResponseHandle(changes.clone())))
    }
}

/// Applies the request's handles to the handler's answer, unless it is an
/// error.
pub(crate) fn apply(cx: &mut RequestContext, response: &mut Response) {
    let Some(changes) = cx.response_changes.take() else {
        return;
    };
    if response
        .extensions()
        .get::<crate::error::PendingError>()
        .is_some()
    {
        return;
    }
    let changes = std::mem::take(&mut *changes.lock().unwrap_or_else(|p| p.into_inner()));
    if let Some(status) = changes.status {
        *response.status_mut() = status;
        let no_body = status.is_informational()
            || status == StatusCode::NO_CONTENT
            || status == StatusCode::NOT_MODIFIED;
        if no_body {
            // FastAPI empties the body of an answer that may have none.
            *response.body_mut() = Body::empty();
            response.headers_mut().remove(CONTENT_LENGTH);
        }
    }
    let mut last = None;
    for (name, value) in changes.headers {
        // `HeaderMap`'s iterator names a header once, then its other values.
        if let Some(name) = name {
            last = Some(name);
        }
        if let Some(name) = &last {
            response.headers_mut().append(name.clone(), value);
        }
    }
    for cookie in changes.cookies {
        response.set_cookie(cookie);
    }
}
