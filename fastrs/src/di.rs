//! Dependency injection: `Depends<T>`, providers, scopes, the per-request
//! cache, cleanup, and overrides (FastAPI's `Depends`).
//!
//! A provider is an `async fn` (or a struct of parameters) marked
//! `#[dependency]`. The macro turns it into `fn name()` returning a hidden
//! unit struct implementing [`Provider`], and keys its output type to it with [`Dependency`], so an
//! argument `db: Depends<Db>` finds its provider by type, at compile time: a
//! type with no provider is a compile error. The marker parameter `M` of
//! [`Dependency`] lets any type be provided, `Option<String>` included, as
//! long as one provider provides it.
//!
//! Per request, in this order: the app's dependencies, the router's, the
//! route's (`dependencies = [...]`), then the arguments'. Each provider's
//! own dependencies resolve first, then its parameters are extracted; if any
//! of them failed validation it is not run (its errors are reported), else it
//! runs, and an `HttpError` it returns answers the request at once (so it wins
//! over validation errors of its siblings, as in FastAPI).
//!
//! Invariants kept at startup (route registration): no dependency cycle,
//! and an app-scoped provider takes no request parameter and depends on
//! app-scoped providers only. Each violation panics with the chain named.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use http::StatusCode;

use crate::error::{HttpError, PendingError};
use crate::extract::{ParamSpec, RequestContext};
use crate::model::ValidationErrors;
use crate::response::{IntoResponse, Response};

/// A future boxed for a provider.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A value from a dependency. Cached values are shared between every user
/// in the request, so `Depends` holds an `Arc` and derefs to the value.
#[derive(Debug)]
pub struct Depends<T>(Arc<T>);

impl<T> Depends<T> {
    /// Wraps a value (for calling an endpoint's function directly in tests).
    pub fn new(value: T) -> Self {
        Depends(Arc::new(value))
    }

    /// The value, cloned out if other users share it.
    pub fn into_inner(self) -> T
    where
        T: Clone,
    {
        Arc::try_unwrap(self.0).unwrap_or_else(|shared| (*shared).clone())
    }
}

impl<T> Clone for Depends<T> {
    fn clone(&self) -> Self {
        Depends(self.0.clone())
    }
}

impl<T> std::ops::Deref for Depends<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// How long a provided value lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Once per request, shared by every user in it (the default).
    Request,
    /// Once for the app, shared by all requests: settings, pools.
    App,
    /// Every use runs the provider again.
    Transient,
}

/// When a cleanup runs.
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
    /// The status of the response (a failure is 4xx/5xx).
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

type CleanupFn = Box<dyn FnOnce(&Outcome) -> BoxFuture<'static, Result<(), HttpError>> + Send>;

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
    cleanup: CleanupFn,
    time: CleanupTime,
}

impl<T> Yield<T> {
    /// `value`, with `cleanup` to run after the response has been sent.
    /// The cleanup is called with the request's [`Outcome`] and may answer
    /// an `HttpError` (used only when it runs before the response).
    pub fn new<F, Fut>(value: T, cleanup: F) -> Self
    where
        F: FnOnce(&Outcome) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), HttpError>> + Send + 'static,
    {
        Yield {
            value,
            cleanup: Box::new(move |outcome| Box::pin(cleanup(outcome))),
            time: CleanupTime::AfterResponse,
        }
    }

    /// Runs the cleanup before the response is sent, so that it can turn
    /// the handler's error into an `HttpError`.
    pub fn before_response(mut self) -> Self {
        self.time = CleanupTime::BeforeResponse;
        self
    }
}

/// The outcome of running a provider.
pub enum Provided<T> {
    /// The value, with its cleanup if any.
    Value(T, Option<(CleanupFn, CleanupTime)>),
    /// Its inputs were invalid; the errors are recorded. Not run.
    Invalid,
    /// It answered the request (an `HttpError`).
    Failed(Response),
}

impl<T> Provided<T> {
    /// From a provider function returning `T`.
    pub fn value(value: T) -> Self {
        Provided::Value(value, None)
    }

    /// From a provider function returning `Yield<T>`.
    pub fn with_cleanup(value: Yield<T>) -> Self {
        Provided::Value(value.value, Some((value.cleanup, value.time)))
    }

    /// From a provider function returning `Result<T, E>`.
    pub fn result<E: IntoResponse>(result: Result<T, E>) -> Self {
        match result {
            Ok(value) => Provided::value(value),
            Err(error) => Provided::Failed(error.into_response()),
        }
    }

    /// From a provider function returning `Result<Yield<T>, E>`.
    pub fn result_with_cleanup<E: IntoResponse>(result: Result<Yield<T>, E>) -> Self {
        match result {
            Ok(value) => Provided::with_cleanup(value),
            Err(error) => Provided::Failed(error.into_response()),
        }
    }
}

/// What a provider declares: its name, scope, parameters and dependencies.
#[derive(Debug, Clone)]
pub struct ProviderInfo {
    /// The function or struct name.
    pub name: &'static str,
    /// The provider's type, the key of the cache and of overrides.
    pub id: TypeId,
    /// Its scope.
    pub scope: Scope,
    /// Its own parameters (path, query, header, cookie, body).
    pub params: &'static [&'static ParamSpec],
    /// Its dependencies, in declaration order.
    pub dependencies: &'static [fn() -> ProviderInfo],
    /// Reports its inputs (and its dependencies') to the OpenAPI document.
    pub describe: fn(&mut crate::openapi::OperationDoc<'_>),
}

/// A dependency provider: what `#[dependency]` makes of a function or struct.
pub trait Provider: Send + Sync + 'static {
    /// The provided type.
    type Output: Send + Sync + 'static;

    /// What the provider declares.
    fn info(&self) -> ProviderInfo;

    /// Runs the provider for a request: its dependencies, its parameters,
    /// then its function.
    fn provide<'a>(
        &'a self,
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> BoxFuture<'a, Provided<Self::Output>>;
}

/// Keys a type to its provider; implemented by `#[dependency]`. `M` is a
/// marker type of the provider's crate.
#[diagnostic::on_unimplemented(
    message = "no `#[dependency]` provides `{Self}`",
    label = "`Depends<{Self}>` needs a provider",
    note = "add `#[dependency]` to an async fn that returns `{Self}` (or `Result<{Self}, E>`, `Yield<{Self}>`), or to a struct `{Self}`"
)]
pub trait Dependency<M>: Sized + Send + Sync + 'static {
    /// What the provider of `Self` declares.
    fn provider_info() -> ProviderInfo;

    /// Runs the provider of `Self`.
    fn provide<'a>(
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> BoxFuture<'a, Provided<Self>>;
}

/// The info of the provider of `T`; named in generated code.
pub fn info_of<T: Dependency<M>, M>() -> ProviderInfo {
    T::provider_info()
}

/// The provider of `T`, found through its [`Dependency`] key.
struct Keyed<T, M>(std::marker::PhantomData<fn() -> (T, M)>);

impl<T: Dependency<M>, M: 'static> ErasedProvider for Keyed<T, M> {
    fn info(&self) -> ProviderInfo {
        T::provider_info()
    }
    fn provide_erased<'a>(
        &'a self,
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> BoxFuture<'a, Provided<Arc<dyn Any + Send + Sync>>> {
        Box::pin(async move {
            match T::provide(cx, errors).await {
                Provided::Value(v, cleanup) => {
                    Provided::Value(Arc::new(v) as Arc<dyn Any + Send + Sync>, cleanup)
                }
                Provided::Invalid => Provided::Invalid,
                Provided::Failed(r) => Provided::Failed(r),
            }
        })
    }
}

/// A provider with its output type erased: for app, router and route
/// dependencies, and for overrides.
pub(crate) trait ErasedProvider: Send + Sync {
    fn info(&self) -> ProviderInfo;
    fn provide_erased<'a>(
        &'a self,
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> BoxFuture<'a, Provided<Arc<dyn Any + Send + Sync>>>;
}

impl<P: Provider> ErasedProvider for P {
    fn info(&self) -> ProviderInfo {
        Provider::info(self)
    }
    fn provide_erased<'a>(
        &'a self,
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> BoxFuture<'a, Provided<Arc<dyn Any + Send + Sync>>> {
        Box::pin(async move {
            match self.provide(cx, errors).await {
                Provided::Value(v, cleanup) => {
                    Provided::Value(Arc::new(v) as Arc<dyn Any + Send + Sync>, cleanup)
                }
                Provided::Invalid => Provided::Invalid,
                Provided::Failed(r) => Provided::Failed(r),
            }
        })
    }
}

/// App-wide dependency state: overrides and app-scoped values.
#[derive(Default)]
pub(crate) struct DiState {
    pub(crate) overrides: HashMap<TypeId, Arc<dyn ErasedProvider>>,
    app_values: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
    /// Dependencies every route runs first (the app's).
    pub(crate) app_dependencies: Vec<Arc<dyn ErasedProvider>>,
}

/// Per-request dependency state: the cache and the pending cleanups.
#[derive(Default)]
pub(crate) struct RequestDi {
    cache: Vec<(TypeId, Arc<dyn Any + Send + Sync>)>,
    cleanups: Vec<(CleanupFn, CleanupTime)>,
}

/// Runs `provider` (or its override), with the cache: the core of every
/// resolution. `Ok(None)` when its inputs were invalid.
async fn run(
    id: TypeId,
    scope: Scope,
    provider: &dyn ErasedProvider,
    use_cache: bool,
    cx: &mut RequestContext,
    errors: &mut ValidationErrors,
) -> Result<Option<Arc<dyn Any + Send + Sync>>, Response> {
    let state = cx.di_state();
    let overridden = state.overrides.get(&id).cloned();
    let provider: &dyn ErasedProvider = match &overridden {
        Some(replacement) => &**replacement,
        None => provider,
    };
    if scope == Scope::App {
        if let Some(value) = state
            .app_values
            .lock()
            .ok()
            .and_then(|m| m.get(&id).cloned())
        {
            return Ok(Some(value));
        }
    }
    let cached = use_cache && scope == Scope::Request;
    if cached {
        if let Some((_, value)) = cx.di.cache.iter().find(|(key, _)| *key == id) {
            return Ok(Some(value.clone()));
        }
    }
    match provider.provide_erased(cx, errors).await {
        Provided::Value(value, cleanup) => {
            if let Some(cleanup) = cleanup {
                cx.di.cleanups.push(cleanup);
            }
            if scope == Scope::App {
                if let Ok(mut values) = state.app_values.lock() {
                    values.entry(id).or_insert_with(|| value.clone());
                }
            } else if cached {
                cx.di.cache.push((id, value.clone()));
            }
            Ok(Some(value))
        }
        Provided::Invalid => Ok(None),
        Provided::Failed(response) => Err(response),
    }
}

/// Resolves `Depends<T>`: called by the code `#[endpoint]` and
/// `#[dependency]` generate for each `Depends` argument.
///
/// The common case (request scope, no override) runs the typed provider
/// directly: one boxed future and one `Arc` per provider and request.
pub async fn resolve<T: Dependency<M>, M: 'static>(
    cx: &mut RequestContext,
    use_cache: bool,
    errors: &mut ValidationErrors,
) -> Result<Option<Depends<T>>, Response> {
    let info = T::provider_info();
    if info.scope == Scope::App || cx.has_overrides() {
        let provider = Keyed::<T, M>(std::marker::PhantomData);
        return match run(info.id, info.scope, &provider, use_cache, cx, errors).await? {
            Some(value) => downcast(value).map(Some),
            None => Ok(None),
        };
    }
    let cached = use_cache && info.scope == Scope::Request;
    if cached {
        if let Some((_, value)) = cx.di.cache.iter().find(|(key, _)| *key == info.id) {
            return downcast(value.clone()).map(Some);
        }
    }
    match T::provide(cx, errors).await {
        Provided::Value(value, cleanup) => {
            if let Some(cleanup) = cleanup {
                cx.di.cleanups.push(cleanup);
            }
            let value = Arc::new(value);
            if cached {
                cx.di.cache.push((info.id, value.clone()));
            }
            Ok(Some(Depends(value)))
        }
        Provided::Invalid => Ok(None),
        Provided::Failed(response) => Err(response),
    }
}

// The `Err` is the response, returned at once (a server bug, never the client's).
#[allow(clippy::result_large_err)]
fn downcast<T: Send + Sync + 'static>(
    value: Arc<dyn Any + Send + Sync>,
) -> Result<Depends<T>, Response> {
    value.downcast::<T>().map(Depends).map_err(|_| {
        crate::log::error!(
            "dependency override for `{}` provided another type",
            std::any::type_name::<T>()
        );
        HttpError::from_status(StatusCode::INTERNAL_SERVER_ERROR).into_response()
    })
}

/// Runs a provider whose value is not used (`dependencies = [...]`).
pub async fn run_for_effect<P: Provider>(
    provider: &P,
    cx: &mut RequestContext,
    errors: &mut ValidationErrors,
) -> Result<(), Response> {
    let scope = Provider::info(provider).scope;
    run(TypeId::of::<P>(), scope, provider, true, cx, errors)
        .await
        .map(|_| ())
}

/// Runs the app's and the router's dependencies of the matched route.
pub async fn run_route_dependencies(
    cx: &mut RequestContext,
    errors: &mut ValidationErrors,
) -> Result<(), Response> {
    if !cx.has_inherited_dependencies() {
        return Ok(());
    }
    let state = cx.di_state();
    let inherited = cx.inherited_dependencies();
    let inherited = inherited.iter().flat_map(|i| i.iter());
    for provider in state.app_dependencies.iter().chain(inherited) {
        let info = provider.info();
        run(info.id, info.scope, &**provider, true, cx, errors).await?;
    }
    Ok(())
}

/// Finishes a request: runs the before-response cleanups (last registered
/// first), which may replace the response with an `HttpError`, and attaches
/// the after-response ones to the body, to run once it has been sent.
pub async fn finish(cx: &mut RequestContext, mut response: Response) -> Response {
    if cx.di.cleanups.is_empty() {
        return response;
    }
    let cleanups = std::mem::take(&mut cx.di.cleanups);
    let mut after = Vec::new();
    for (cleanup, time) in cleanups.into_iter().rev() {
        if time == CleanupTime::AfterResponse {
            after.push(cleanup);
            continue;
        }
        let outcome = Outcome {
            status: response.status(),
            error: response.extensions().get::<PendingError>().cloned(),
        };
        if let Err(error) = cleanup(&outcome).await {
            response = error.into_response();
        }
    }
    if after.is_empty() {
        return response;
    }
    let status = response.status();
    let (head, body) = response.into_parts();
    let run_after = async move {
        let outcome = Outcome {
            status,
            error: None,
        };
        for cleanup in after {
            if let Err(error) = cleanup(&outcome).await {
                crate::log::error!("a dependency cleanup failed after the response: {error}");
            }
        }
    };
    Response::from_parts(head, crate::response::Body::then(body, Box::pin(run_after)))
}

/// Checks the dependency graph below `roots` at startup: no cycle, and
/// app-scoped providers take no request input. Panics naming the chain.
pub(crate) fn check_graph(route: &str, roots: &[ProviderInfo]) {
    fn visit(route: &str, info: &ProviderInfo, chain: &mut Vec<(TypeId, &'static str)>) {
        if let Some(start) = chain.iter().position(|(id, _)| *id == info.id) {
            let names: Vec<&str> = chain[start..]
                .iter()
                .map(|(_, n)| *n)
                .chain([info.name])
                .collect();
            panic!(
                "fastrs: dependency cycle in `{route}`: {}\nhelp: break the cycle; a provider cannot depend on itself, directly or not",
                names.join(" -> ")
            );
        }
        chain.push((info.id, info.name));
        for dependency in info.dependencies {
            let child = dependency();
            if info.scope == Scope::App && child.scope != Scope::App {
                panic!(
                    "fastrs: the app-scoped dependency `{}` depends on `{}`, which is not app-scoped\nhelp: make `{}` app-scoped, or `{}` request-scoped",
                    info.name, child.name, child.name, info.name
                );
            }
            visit(route, &child, chain);
        }
        if info.scope == Scope::App {
            if let Some(param) = info.params.first() {
                panic!(
                    "fastrs: the app-scoped dependency `{}` reads the request parameter `{}`\nhelp: an app-scoped value is built once, outside any request; make it request-scoped",
                    info.name, param.name
                );
            }
        }
        chain.pop();
    }
    for root in roots {
        visit(route, root, &mut Vec::new());
    }
}

impl crate::App {
    /// Resolves an app-scoped (or request-independent) dependency outside
    /// any request: for a CLI, a background job or a test.
    ///
    /// # Errors
    /// The provider's error response, or a 422 response if it needed
    /// request input.
    pub async fn resolve<T: Dependency<M>, M: 'static>(&self) -> Result<Depends<T>, Response> {
        let (head, ()) = http::Request::new(()).into_parts();
        let mut cx = RequestContext::new(
            head,
            crate::response::Body::empty(),
            Arc::from(Vec::new()),
            Vec::new(),
            0,
        )
        .with_app(self.di_state());
        let mut errors = ValidationErrors::new();
        match resolve::<T, M>(&mut cx, true, &mut errors).await? {
            Some(value) => Ok(value),
            None => Err(crate::extract::validation_failed(&errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "dependency cycle in `GET /x`: a -> b -> a")]
    fn a_cycle_is_named_at_startup() {
        struct A;
        struct B;
        fn a() -> ProviderInfo {
            ProviderInfo {
                name: "a",
                id: TypeId::of::<A>(),
                scope: Scope::Request,
                params: &[],
                dependencies: &[b],
                describe: |_| {},
            }
        }
        fn b() -> ProviderInfo {
            ProviderInfo {
                name: "b",
                id: TypeId::of::<B>(),
                scope: Scope::Request,
                params: &[],
                dependencies: &[a],
                describe: |_| {},
            }
        }
        check_graph("GET /x", &[a()]);
    }

    #[test]
    #[should_panic(
        expected = "the app-scoped dependency `settings` reads the request parameter `q`"
    )]
    fn an_app_scoped_provider_cannot_read_the_request() {
        static Q: ParamSpec = ParamSpec::named("q");
        static PARAMS: [&ParamSpec; 1] = [&Q];
        struct S;
        check_graph(
            "GET /x",
            &[ProviderInfo {
                name: "settings",
                id: TypeId::of::<S>(),
                scope: Scope::App,
                params: &PARAMS,
                dependencies: &[],
                describe: |_| {},
            }],
        );
    }
}
