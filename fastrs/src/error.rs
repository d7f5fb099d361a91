//! Errors a handler returns: [`HttpError`] for an HTTP answer, and
//! [`Error`] for any other error, which the app maps to a response with a
//! handler registered once (`App::error_handler`,
//! FastAPI's exception handlers) or answers with a logged 500.
//!
//! How an [`Error`] reaches its handler: turning it into a response parks it
//! in the response's extensions ([`PendingError`]); the app looks there after
//! the endpoint returns and asks the handler registered for the error's
//! type. No extension means no error, so the happy path pays nothing.

use std::any::TypeId;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde_json::Value;

use http::request::Parts;

use crate::model::{ValidationError, ValidationErrors};
use crate::response::{internal_server_error, json_response, IntoResponse, Response};

/// An HTTP error: a status, a `detail` (any JSON value) and extra headers.
/// Answers `{"detail": detail}`, as FastAPI's `HTTPException` does.
///
/// ```
/// use fastrs::HttpError;
/// use fastrs::http::StatusCode;
///
/// let error = HttpError::new(StatusCode::NOT_FOUND, "Item not found")
///     .with_header("x-error", "There goes my error");
/// assert_eq!(error.status(), StatusCode::NOT_FOUND);
/// ```
#[derive(Debug, Clone)]
pub struct HttpError(Box<HttpErrorParts>);

/// Boxed so that `Result<T, HttpError>` stays small on the happy path.
#[derive(Debug, Clone)]
struct HttpErrorParts {
    status: StatusCode,
    detail: Value,
    headers: HeaderMap,
}

impl HttpError {
    /// An error with `status` and `detail`.
    pub fn new(status: StatusCode, detail: impl Into<Value>) -> Self {
        HttpError(Box::new(HttpErrorParts {
            status,
            detail: detail.into(),
            headers: HeaderMap::new(),
        }))
    }

    /// An error whose detail is the status's reason phrase (`"Not Found"`),
    /// as FastAPI does when no detail is given.
    pub fn from_status(status: StatusCode) -> Self {
        HttpError::new(status, status.canonical_reason().unwrap_or(""))
    }

    /// Adds a header to the error response.
    ///
    /// # Panics
    /// If the name or value is not a valid header; both are written by the
    /// programmer, not sent by a client.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("valid header name");
        let value = HeaderValue::from_str(value).expect("valid header value");
        self.0.headers.append(name, value);
        self
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The detail.
    pub fn detail(&self) -> &Value {
        &self.0.detail
    }

    /// The extra headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.0.headers
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.0.status, self.0.detail)
    }
}

impl std::error::Error for HttpError {}

impl HttpError {
    /// FastAPI's answer: `{"detail": detail}` with the status and headers.
    fn default_response(&self) -> Response {
        #[derive(serde::Serialize)]
        struct Detail<'a> {
            detail: &'a Value,
        }
        let mut response = json_response(
            self.0.status,
            &Detail {
                detail: &self.0.detail,
            },
        );
        response.headers_mut().extend(self.0.headers.clone());
        response
    }
}

/// FastAPI's answer, `{"detail": ...}`. The error rides along in the
/// response, so that an app's handler for `HttpError` (FastAPI's
/// `HTTPException` handler) can answer instead.
impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut response = self.default_response();
        response
            .extensions_mut()
            .insert(PendingError::answered(Error::new(self)));
        response
    }
}

/// An `HttpError` ends a request as its answer.
impl From<HttpError> for crate::response::Rejection {
    fn from(error: HttpError) -> Self {
        error.into_response().into()
    }
}

/// The validation errors of a request (FastAPI's `RequestValidationError`),
/// as an app's validation-error handler receives them. Its own answer is
/// FastAPI's 422 `{"detail": [...]}`.
#[derive(Debug)]
pub struct RequestValidationError {
    errors: ValidationErrors,
    body: Option<Value>,
}

impl RequestValidationError {
    /// The errors of a request.
    pub fn new(errors: ValidationErrors) -> Self {
        RequestValidationError { errors, body: None }
    }

    /// The same errors, with the body the request sent.
    pub fn with_body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// The errors, in FastAPI's order.
    pub fn errors(&self) -> &[ValidationError] {
        self.errors.as_slice()
    }

    /// The body the request sent, as its validation read it (FastAPI's
    /// `exc.body`): the JSON value, the text of a body that is not JSON or
    /// could not be decoded, or `None` when the endpoint read no body or
    /// the body was not the reason to look (a form, say).
    pub fn body(&self) -> Option<&Value> {
        self.body.as_ref()
    }

    /// The errors as FastAPI's `detail` list: `[{"type", "loc", "msg",
    /// "input", "ctx"?}, ...]`.
    pub fn detail(&self) -> Value {
        serde_json::to_value(&self.errors).map_or(Value::Null, |mut v| v["detail"].take())
    }
}

impl fmt::Display for RequestValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} validation error(s)", self.errors.as_slice().len())
    }
}

impl std::error::Error for RequestValidationError {}

/// A 422 with the errors as its `detail`: FastAPI's answer, for a handler
/// that validates something itself (`fastrs::model::updated`,
/// `fastrs::model::from_json`) and returns `HttpError`.
impl From<ValidationErrors> for HttpError {
    fn from(errors: ValidationErrors) -> Self {
        HttpError::from(RequestValidationError::new(errors))
    }
}

/// The same 422, from the request's own validation errors.
impl From<RequestValidationError> for HttpError {
    fn from(error: RequestValidationError) -> Self {
        HttpError::new(StatusCode::UNPROCESSABLE_ENTITY, error.detail())
    }
}

impl IntoResponse for RequestValidationError {
    fn into_response(self) -> Response {
        json_response(StatusCode::UNPROCESSABLE_ENTITY, &self.errors)
    }
}

/// Any error a handler may return with `?`; the app maps it to a response
/// with the handler registered for its type, or answers 500.
///
/// ```
/// use fastrs::prelude::*;
///
/// #[derive(Debug)]
/// struct Unicorn(String);
/// impl std::fmt::Display for Unicorn {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         write!(f, "unicorn {}", self.0)
///     }
/// }
/// impl std::error::Error for Unicorn {}
///
/// #[endpoint(GET "/unicorns/{name}")]
/// async fn unicorn(name: String) -> Result<String, fastrs::Error> {
///     Err(Unicorn(name).into())
/// }
///
/// let app = App::new().route(unicorn).error_handler(|e: Unicorn| {
///     (StatusCode::IM_A_TEAPOT, Json(serde_json::json!({"message": e.0})))
/// });
/// ```
pub struct Error {
    inner: Box<dyn std::error::Error + Send + Sync + 'static>,
    type_id: TypeId,
}

impl Error {
    /// Wraps an error.
    pub fn new<E: std::error::Error + Send + Sync + 'static>(error: E) -> Self {
        Error {
            inner: Box::new(error),
            type_id: TypeId::of::<E>(),
        }
    }

    /// The wrapped error, if it is an `E`.
    pub fn downcast_ref<E: std::error::Error + 'static>(&self) -> Option<&E> {
        self.inner.downcast_ref()
    }

    /// Takes the wrapped error out, if it is an `E`.
    pub fn downcast<E: std::error::Error + 'static>(self) -> Result<E, Self> {
        let type_id = self.type_id;
        self.inner
            .downcast::<E>()
            .map(|boxed| *boxed)
            .map_err(|inner| Error { inner, type_id })
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for Error {
    fn from(error: E) -> Self {
        Error::new(error)
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let mut response = internal_server_error();
        response.extensions_mut().insert(PendingError::new(self));
        response
    }
}

/// An [`Error`] on its way from a handler to the app's error handlers,
/// carried in the response's extensions.
#[derive(Clone)]
pub struct PendingError {
    error: Arc<Mutex<Option<Error>>>,
    /// True when the response already is the error's own answer (an
    /// `HttpError`), used when no handler is registered for it.
    answered: bool,
}

impl PendingError {
    fn new(error: Error) -> Self {
        PendingError {
            error: Arc::new(Mutex::new(Some(error))),
            answered: false,
        }
    }

    fn answered(error: Error) -> Self {
        PendingError {
            answered: true,
            ..PendingError::new(error)
        }
    }

    fn take(&self) -> Option<Error> {
        self.error.lock().ok().and_then(|mut slot| slot.take())
    }

    /// Looks at the error, if it has not been answered yet.
    pub(crate) fn with<R>(&self, f: impl FnOnce(Option<&Error>) -> R) -> R {
        match self.error.lock() {
            Ok(slot) => f(slot.as_ref()),
            Err(_) => f(None),
        }
    }
}

type Handler = Box<dyn Fn(&Parts, Error) -> Response + Send + Sync>;

/// A function that answers an error of type `E`: `Fn(E) -> R` or, to read
/// the request's method, URI and headers, `Fn(&Parts, E) -> R`, where `R` is
/// any response. `M` tells the two forms apart.
pub trait ErrorHandler<E, M>: Send + Sync + 'static {
    /// Answers `error`, raised while handling the request `head`.
    fn answer(&self, head: &Parts, error: E) -> Response;
}

impl<E, R, F> ErrorHandler<E, (R,)> for F
where
    R: IntoResponse,
    F: Fn(E) -> R + Send + Sync + 'static,
{
    fn answer(&self, _: &Parts, error: E) -> Response {
        self(error).into_response()
    }
}

impl<E, R, F> ErrorHandler<E, (Parts, R)> for F
where
    R: IntoResponse,
    F: Fn(&Parts, E) -> R + Send + Sync + 'static,
{
    fn answer(&self, head: &Parts, error: E) -> Response {
        self(head, error).into_response()
    }
}

/// The app's exception handlers, by error type.
#[derive(Default)]
pub(crate) struct ErrorHandlers {
    by_type: HashMap<TypeId, Handler>,
}

impl ErrorHandlers {
    /// Registers `handler` for `E`.
    ///
    /// # Errors
    /// When `E` has a handler already: the new one could never fire.
    pub(crate) fn insert<E, M, H>(&mut self, handler: H) -> Result<(), String>
    where
        E: std::error::Error + Send + Sync + 'static,
        H: ErrorHandler<E, M>,
    {
        let id = TypeId::of::<E>();
        if self.by_type.contains_key(&id) {
            return Err(format!(
                "an error handler for `{}` is registered twice; the second could never run\nhelp: register one handler per error type",
                std::any::type_name::<E>()
            ));
        }
        let erased: Handler = Box::new(move |head, error: Error| match error.downcast::<E>() {
            Ok(error) => handler.answer(head, error),
            Err(_) => internal_server_error(),
        });
        self.by_type.insert(id, erased);
        Ok(())
    }

    /// Replaces a response that carries a pending error with the response of
    /// that error's handler: the registered one, else `HttpError`'s own,
    /// else a logged 500.
    pub(crate) fn resolve(&self, mut response: Response, head: &Parts) -> Response {
        let Some(pending) = response.extensions_mut().remove::<PendingError>() else {
            return response;
        };
        let Some(error) = pending.take() else {
            return internal_server_error();
        };
        if let Some(handler) = self.by_type.get(&error.type_id) {
            return handler(head, error);
        }
        if pending.answered {
            return response;
        }
        match error.downcast::<HttpError>() {
            Ok(http) => http.default_response(),
            Err(error) => {
                crate::log::error!("unhandled error in handler: {error} ({error:?})");
                internal_server_error()
            }
        }
    }

    /// True when no handler is registered.
    pub(crate) fn is_empty(&self) -> bool {
        self.by_type.is_empty()
    }

    /// True when the pending error of `response` has a handler here (a
    /// router's handlers answer only for the types they know; the app's
    /// answer for the rest).
    pub(crate) fn handles_pending(&self, response: &Response) -> bool {
        response
            .extensions()
            .get::<PendingError>()
            .is_some_and(|pending| {
                pending.with(|e| e.is_some_and(|e| self.by_type.contains_key(&e.type_id)))
            })
    }

    /// True when invalid input has a handler here.
    pub(crate) fn handles_validation(&self) -> bool {
        self.by_type
            .contains_key(&TypeId::of::<RequestValidationError>())
    }

    /// The answer to a request whose inputs were invalid: the handler of
    /// [`RequestValidationError`], else FastAPI's 422.
    pub(crate) fn validation_failed(
        &self,
        head: &Parts,
        errors: ValidationErrors,
        body: Option<&Value>,
    ) -> Response {
        let mut error = RequestValidationError::new(errors);
        if self
            .by_type
            .contains_key(&TypeId::of::<RequestValidationError>())
        {
            // Only a handler reads it: the default answer does not copy it.
            error.body = body.cloned();
        }
        match self.by_type.get(&TypeId::of::<RequestValidationError>()) {
            Some(handler) => handler(head, Error::new(error)),
            None => error.into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Boom;
    impl fmt::Display for Boom {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("boom")
        }
    }
    impl std::error::Error for Boom {}

    fn head() -> Parts {
        http::Request::new(()).into_parts().0
    }

    #[test]
    fn a_second_handler_for_one_type_is_refused() {
        let mut handlers = ErrorHandlers::default();
        handlers.insert(|_: Boom| "one").unwrap();
        let refused = handlers.insert(|_: &Parts, _: Boom| "two").unwrap_err();
        assert!(refused.contains("registered twice"), "{refused}");
    }

    #[test]
    fn an_http_error_handler_sees_the_request_and_replaces_the_answer() {
        let mut handlers = ErrorHandlers::default();
        handlers
            .insert(|head: &Parts, e: HttpError| {
                (e.status(), format!("{} {}", head.method, e.detail()))
            })
            .unwrap();
        let response = handlers.resolve(
            HttpError::new(StatusCode::NOT_FOUND, "gone").into_response(),
            &head(),
        );
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            response.headers()["content-type"],
            "text/plain; charset=utf-8"
        );
    }

    #[test]
    fn a_registered_handler_answers_for_its_type() {
        let mut handlers = ErrorHandlers::default();
        handlers
            .insert(|_: Boom| (StatusCode::IM_A_TEAPOT, "teapot"))
            .unwrap();
        let response = handlers.resolve(Error::new(Boom).into_response(), &head());
        assert_eq!(response.status(), StatusCode::IM_A_TEAPOT);
    }

    #[test]
    fn an_unhandled_error_is_500_and_an_http_error_keeps_its_status() {
        let handlers = ErrorHandlers::default();
        let response = handlers.resolve(Error::new(Boom).into_response(), &head());
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let http = HttpError::new(StatusCode::NOT_FOUND, "nope").with_header("x-error", "yes");
        let response = handlers.resolve(Error::new(http).into_response(), &head());
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(response.headers()["x-error"], "yes");
    }
}
