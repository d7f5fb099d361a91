//! [`BackgroundTasks`]: work that runs after the response has been sent
//! (FastAPI's `BackgroundTasks`).
//!
//! An argument of type `BackgroundTasks`, in an endpoint or in any of its
//! providers, is the same list for the whole request. Its tasks run one
//! after the other, in the order they were added, once the response body
//! has been handed to the connection, and after the request's
//! after-response dependency cleanups (so, as in FastAPI since 0.106, a
//! task does not borrow a request-scoped resource: give it what it needs).
//!
//! A task that returns an error or panics is logged; as in Starlette, the
//! request's later tasks do not run, and nothing else is affected (the
//! response has been sent; other requests' tasks run as usual). On SIGTERM
//! the server waits for running tasks within its shutdown deadline: they
//! belong to a response that is still being sent. A task is lost if the
//! process dies: for work that must happen, use a job queue.
//!
//! How it is built on the pipeline, as any argument kind is: an extractor
//! (kind `Parameter`, no OpenAPI description) that keeps the list in the
//! request's extensions and, the first time, registers one after-response
//! cleanup that runs the list.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use super::{Arg, FromRequest, RequestContext};
use crate::model::ValidationErrors;
use crate::response::Rejection;
use crate::state::{Cleanup, CleanupTime};

/// A task, type-erased: what `add_task` and `add_blocking` store.
type Task = Box<dyn FnOnce() -> Pin<Box<dyn Future<Output = TaskResult> + Send>> + Send>;

/// How a task ended: `Ok`, or an error to log.
type TaskResult = Result<(), String>;

/// What a task's future may return: `()`, or a `Result` whose error is
/// logged.
pub trait TaskOutcome: Send + 'static {
    /// The outcome, with the error as text.
    fn into_result(self) -> TaskResult;
}

impl TaskOutcome for () {
    fn into_result(self) -> TaskResult {
        Ok(())
    }
}

impl<E: std::fmt::Display + Send + 'static> TaskOutcome for Result<(), E> {
    fn into_result(self) -> TaskResult {
        self.map_err(|e| e.to_string())
    }
}

/// Tasks to run after the response has been sent.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::extract::BackgroundTasks;
///
/// #[endpoint(POST "/send-notification/{email}")]
/// async fn send_notification(email: String, tasks: BackgroundTasks) -> Json<serde_json::Value> {
///     tasks.add_task(move || async move {
///         println!("message to {email}");
///     });
///     Json(serde_json::json!({"message": "Message sent"}))
/// }
/// ```
#[derive(Clone, Default)]
pub struct BackgroundTasks(Arc<Mutex<Vec<Task>>>);

impl BackgroundTasks {
    /// Adds an async task: `task()` is called, and its future awaited, after
    /// the response has been sent. It may return `()` or `Result<(), E>`.
    pub fn add_task<F, Fut>(&self, task: F)
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: TaskOutcome,
    {
        self.push(Box::new(move || {
            Box::pin(async move { task().await.into_result() })
        }));
    }

    /// Adds a blocking task (file or CPU work), run on tokio's blocking
    /// threads after the response has been sent, in its turn.
    pub fn add_blocking<F, R>(&self, task: F)
    where
        F: FnOnce() -> R + Send + 'static,
        R: TaskOutcome,
    {
        self.push(Box::new(move || {
            Box::pin(async move {
                match tokio::task::spawn_blocking(move || task().into_result()).await {
                    Ok(result) => result,
                    Err(error) => Err(panic_text(error)),
                }
            })
        }));
    }

    /// How many tasks are waiting.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when no task is waiting.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    fn push(&self, task: Task) {
        self.lock().push(task);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Task>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs the tasks in order; a failing one is logged and ends the run.
    async fn run(self) {
        let tasks = std::mem::take(&mut *self.lock());
        for task in tasks {
            // Each task runs in a tokio task of its own, so that a panic is
            // caught and reported instead of unwinding through the server.
            let outcome = match tokio::spawn(task()).await {
                Ok(result) => result,
                Err(error) => Err(panic_text(error)),
            };
            if let Err(error) = outcome {
                crate::log::error!(
                    "a background task failed; the request's later tasks are skipped: {error}"
                );
                return;
            }
        }
    }
}

fn panic_text(error: tokio::task::JoinError) -> String {
    match error.try_into_panic() {
        Ok(panic) => {
            let text = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".to_owned());
            format!("it panicked: {text}")
        }
        Err(error) => format!("it was cancelled: {error}"),
    }
}

impl FromRequest for BackgroundTasks {
    type Value = BackgroundTasks;

    fn reads_at_once(_: &Arg<BackgroundTasks>) -> bool {
        true
    }

    async fn from_request(
        cx: &mut RequestContext,
        _: &Arg<BackgroundTasks>,
        _: &mut ValidationErrors,
    ) -> Result<Option<Self>, Rejection> {
        if let Some(tasks) = cx.extensions().get::<BackgroundTasks>() {
            return Ok(Some(tasks.clone()));
        }
        let tasks = BackgroundTasks::default();
        cx.extensions_mut().insert(tasks.clone());
        let run = tasks.clone();
        // Registered first, so that it runs last: after-response cleanups
        // run last registered first.
        let cleanup = Cleanup::new(CleanupTime::AfterResponse, move |_| async move {
            run.run().await;
            Ok(())
        });
        cx.cleanups.insert(0, cleanup);
        Ok(Some(tasks))
    }
}
