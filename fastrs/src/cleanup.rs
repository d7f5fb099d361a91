//! Cleanup code handed back with a value: [`Yield`] (FastAPI's dependency
//! with `yield`), the [`Outcome`] it sees, and when it runs.
//!
//! A request-scoped value's cleanup runs when its request ends (after the
//! response by default, or before it, where it may change the answer); an
//! app-scoped value's cleanup runs once, at shutdown. Both are the same
//! [`Cleanup`], kept by whoever owns the value's lifetime: the request
//! context or the app's [`state`](crate::state).

use std::future::Future;
use std::pin::Pin;

use http::StatusCode;

use crate::error::{HttpError, PendingError};

/// A future boxed for a cleanup.
pub type CleanupFuture = Pin<Box<dyn Future<Output = Result<(), HttpError>> + Send + 'static>>;

/// When a request-scoped cleanup runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CleanupTime {
    /// After the response body has been sent (the default).
    AfterResponse,
    /// Before the response is sent, so the cleanup can change it.
    BeforeResponse,
}

/// What a cleanup learns about the request it ran in.
pub struct Outcome {
    status: StatusCode,
    error: Option<PendingError>,
}

impl Outcome {
    /// The outcome of a response with `status`, and the handler's error
    /// while it has not been answered yet.
    pub(crate) fn new(status: StatusCode, error: Option<PendingError>) -> Self {
        Outcome { status, error }
    }

    /// The status of the response (a failure is 4xx/5xx). At shutdown, for
    /// an app-scoped value, `200 OK`.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// True when the handler failed (an error status).
    pub fn failed(&self) -> bool {
        self.status.is_client_error() || self.status.is_server_error()
    }

    /// The error the handler returned, if it is an `E` and the cleanup runs
    /// before the response (after it, the error has been answered).
    pub fn error<E: std::error::Error + 'static, R>(&self, f: impl FnOnce(Option<&E>) -> R) -> R {
        match &self.error {
            Some(pending) => pending.with(|error| f(error.and_then(|e| e.downcast_ref::<E>()))),
            None => f(None),
        }
    }
}

/// A pending cleanup: the code and when it runs.
pub struct Cleanup {
    run: Box<dyn FnOnce(&Outcome) -> CleanupFuture + Send>,
    /// When it runs, for a request-scoped value.
    pub time: CleanupTime,
}

impl Cleanup {
    /// Runs the cleanup with what it should know of the request.
    pub fn run(self, outcome: &Outcome) -> CleanupFuture {
        (self.run)(outcome)
    }
}

/// A provided value with cleanup code (FastAPI's dependency with `yield`).
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::di::Yield;
///
/// struct Db;
///
/// #[dependency]
/// async fn db() -> Yield<Db> {
///     Yield::new(Db, |_outcome| async { /* close the connection */ Ok(()) })
/// }
/// ```
pub struct Yield<T> {
    value: T,
    cleanup: Cleanup,
}

impl<T> Yield<T> {
    /// `value`, with `cleanup` to run after the response has been sent (for
    /// an app-scoped value: at shutdown). The cleanup is called with the
    /// request's [`Outcome`] and may answer an `HttpError` (used only when it
    /// runs before the response).
    pub fn new<F, Fut>(value: T, cleanup: F) -> Self
    where
        F: FnOnce(&Outcome) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), HttpError>> + Send + 'static,
    {
        Yield {
            value,
            cleanup: Cleanup {
                run: Box::new(move |outcome| Box::pin(cleanup(outcome))),
                time: CleanupTime::AfterResponse,
            },
        }
    }

    /// Runs the cleanup before the response is sent, so that it can turn
    /// the handler's error into an `HttpError`.
    pub fn before_response(mut self) -> Self {
        self.cleanup.time = CleanupTime::BeforeResponse;
        self
    }

    /// The value and its cleanup.
    pub fn into_parts(self) -> (T, Cleanup) {
        (self.value, self.cleanup)
    }
}
