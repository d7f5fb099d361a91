//! The app's lifespan (FastAPI's `lifespan`, `on_startup`, `on_shutdown`):
//! what runs before the first request and after the last.
//!
//! At start ([`App::start`], run by [`App::serve`] before it accepts a
//! connection and by [`TestClient`](crate::testing::TestClient) before its
//! first request), in registration order: the startup hooks and the eager
//! app-scoped dependencies ([`App::startup`]), so that a database that is
//! not there fails the start with a clear message instead of the first
//! request. The first failure stops the start.
//!
//! At shutdown ([`App::shut_down`], run by `serve` once in-flight requests
//! have finished or the deadline has passed): the shutdown hooks, last
//! registered first, then the cleanups of app-scoped values (`Yield`), last
//! built first. Each runs once, whatever calls `shut_down` again.

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};

use http_body_util::BodyExt;

use super::App;
use crate::di::{AnyProvider, BoxFuture, IntoProvider, Provider, Scope};
use crate::model::ValidationErrors;
use crate::response::{BoxError, IntoResponse};

type StartupHook = Box<dyn Fn() -> BoxFuture<'static, Result<(), BoxError>> + Send + Sync>;
type ShutdownHook = Box<dyn Fn() -> BoxFuture<'static, ()> + Send + Sync>;

/// One step of the start.
enum StartupStep {
    Hook(StartupHook),
    Build(AnyProvider),
}

/// The app's startup steps and shutdown hooks, and whether they ran.
#[derive(Default)]
pub(crate) struct Lifespan {
    startup: Vec<StartupStep>,
    shutdown: Vec<ShutdownHook>,
    started: tokio::sync::OnceCell<()>,
    stopped: AtomicBool,
}

/// Why the app could not start: which step failed, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartupError(String);

impl fmt::Display for StartupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the app could not start: {}", self.0)
    }
}

impl std::error::Error for StartupError {}

/// What a startup or shutdown hook returns: nothing (it cannot fail), or
/// a `Result` whose error converts into a boxed error (`std::io::Error`,
/// `sqlx::Error`, `String`, `fastrs::Error`...), so that a named function
/// with its own error type is a hook as it is.
pub trait HookOutcome: Send + 'static {
    /// The outcome as the app keeps it.
    fn into_result(self) -> Result<(), BoxError>;
}

impl HookOutcome for () {
    fn into_result(self) -> Result<(), BoxError> {
        Ok(())
    }
}

impl<E: Into<BoxError> + Send + 'static> HookOutcome for Result<(), E> {
    fn into_result(self) -> Result<(), BoxError> {
        self.map_err(Into::into)
    }
}

impl App {
    /// Runs `hook` at start, before the first request; an error stops the
    /// start (and `serve` returns it). A hook returns nothing, or a
    /// `Result<(), E>` with any error that converts into a boxed one.
    ///
    /// ```
    /// use fastrs::prelude::*;
    ///
    /// /// Checks that the upload folder is there (FastAPI's
    /// /// `@app.on_event("startup")`).
    /// async fn check_uploads() -> Result<(), std::io::Error> {
    ///     std::fs::metadata(std::env::temp_dir())?;
    ///     Ok(())
    /// }
    ///
    /// let app = App::new()
    ///     .on_startup(check_uploads)
    ///     .on_startup(|| async { println!("starting") });
    /// ```
    pub fn on_startup<F, Fut>(mut self, hook: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: HookOutcome,
    {
        let hook: StartupHook = Box::new(move || {
            let run = hook();
            Box::pin(async move { run.await.into_result() })
        });
        let lifespan = &mut self.shared_mut("add a startup hook").lifespan;
        lifespan.startup.push(StartupStep::Hook(hook));
        self
    }

    /// Runs `hook` at shutdown, after the last request (hooks run last
    /// registered first). As for [`App::on_startup`], a hook returns
    /// nothing or a `Result`; an error is logged, and the other hooks and
    /// cleanups still run.
    pub fn on_shutdown<F, Fut>(mut self, hook: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: HookOutcome,
    {
        let hook: ShutdownHook = Box::new(move || {
            let run = hook();
            Box::pin(async move {
                if let Err(error) = run.await.into_result() {
                    crate::log::error!("a shutdown hook failed: {error}");
                }
            })
        });
        let lifespan = &mut self.shared_mut("add a shutdown hook").lifespan;
        lifespan.shutdown.push(hook);
        self
    }

    /// Builds the app-scoped value of `provider` at start instead of at the
    /// first request that needs it: a provider that fails (a database that
    /// does not answer) fails the start, with its answer in the message.
    ///
    /// # Panics
    /// When `provider` is not app-scoped: only an app-scoped value outlives
    /// the start.
    pub fn startup<F, M>(mut self, provider: F) -> Self
    where
        F: IntoProvider<M>,
    {
        let provider = provider.into_provider();
        if provider.scope() != Scope::App {
            panic!(
                "fastrs: `App::startup({})` builds app-scoped values, and `{}` is not one\nhelp: declare it with #[dependency(scope = \"app\")]",
                provider.info().name,
                provider.info().name,
            );
        }
        crate::di::check_graph("the app's startup", &[provider.info()]);
        let lifespan = &mut self.shared_mut("add a startup dependency").lifespan;
        lifespan
            .startup
            .push(StartupStep::Build(AnyProvider::new(provider)));
        self
    }

    /// Runs the startup steps, once: later calls return at once (with
    /// `Ok` once a start has succeeded; a failed start is tried again).
    ///
    /// # Errors
    /// The first step that failed, named.
    pub async fn start(&self) -> Result<(), StartupError> {
        let lifespan = &self.shared.lifespan;
        lifespan
            .started
            .get_or_try_init(|| async {
                for step in &lifespan.startup {
                    match step {
                        StartupStep::Hook(hook) => {
                            hook()
                                .await
                                .map_err(|e| StartupError(format!("a startup hook failed: {e}")))?;
                        }
                        StartupStep::Build(provider) => self.build(provider).await?,
                    }
                }
                Ok(())
            })
            .await
            .map(|_| ())
    }

    async fn build(&self, provider: &AnyProvider) -> Result<(), StartupError> {
        let name = provider.info().name;
        let mut cx = self.context();
        let mut errors = ValidationErrors::new();
        if let Err(rejection) = provider.run(&mut cx, &mut errors).await {
            let response = rejection.into_response();
            let status = response.status();
            let body = match response.into_body().collect().await {
                Ok(body) => String::from_utf8_lossy(&body.to_bytes()).into_owned(),
                Err(_) => String::new(),
            };
            return Err(StartupError(format!(
                "the dependency `{name}` answered {status}: {body}"
            )));
        }
        if !errors.is_empty() {
            return Err(StartupError(format!(
                "the dependency `{name}` needs request input: {}",
                serde_json::to_string(&errors).unwrap_or_default()
            )));
        }
        Ok(())
    }

    /// Runs the shutdown hooks (last registered first), then the cleanups
    /// of app-scoped values (last built first). Runs once; a later call
    /// does nothing.
    pub async fn shut_down(&self) {
        let lifespan = &self.shared.lifespan;
        if lifespan.stopped.swap(true, Ordering::SeqCst) {
            return;
        }
        for hook in lifespan.shutdown.iter().rev() {
            hook().await;
        }
        self.shared.state.shut_down().await;
    }
}
