//! Dependency injection: `Depends<T>`, providers, scopes, the per-request
//! cache, cleanup, and overrides (FastAPI's `Depends`).
//!
//! A provider is an `async fn` (or a struct of parameters) marked
//! `#[dependency]`. The macro turns it into `fn name()` returning a hidden
//! unit struct implementing [`Provider`] (whose arguments are read by the
//! same pipeline as an endpoint's, [`crate::pipeline`]), and keys its output
//! type to it with [`Dependency`], so an argument `db: Depends<Db>` finds its
//! provider by type, at compile time: a type with no provider is a compile
//! error. The marker parameter `M` of [`Dependency`] lets any type be
//! provided, `Option<String>` included, as long as one provider provides it.
//!
//! `Depends<T>` is an ordinary extractor ([`FromRequest`]) of kind
//! [`ArgKind::Dependency`]: the pipeline resolves it before the parameters.
//! Resolving runs the provider (or its override) at most once per request
//! (request scope, unless the use opts out of the cache), once per app (app
//! scope: built once even when many first requests race, cleaned up at
//! shutdown), or at every use (transient). If any of the provider's inputs
//! failed validation it is not run (its errors are reported); an
//! `HttpError` it returns answers the request at once (so it wins over
//! validation errors of its siblings, as in FastAPI).
//!
//! A chain of providers whose types are known resolves as one future (no
//! box per provider), so a cycle among them does not build. Invariants
//! kept at startup (route registration, overrides): no dependency cycle
//! through what only the registration sees, and an app-scoped provider
//! takes no request parameter and depends on app-scoped providers only.
//! Each violation panics with the chain named. App-scoped values that
//! registered routes use are read without a lock.

use std::any::TypeId;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use http::StatusCode;

use crate::decl::ParamSpec;
use crate::error::{HttpError, PendingError};
use crate::extract::{Arg, ArgKind, FromRequest, RequestContext, RequiredScopes};
use crate::model::ValidationErrors;
use crate::response::{IntoResponse, Rejection, Response};
use crate::state::Shared;

pub use crate::decl::{ProviderInfo, Scope};
pub use crate::state::{Cleanup, CleanupFuture, CleanupTime, Outcome, Yield};

/// A future boxed for a provider.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A value from a dependency, deref'd to the value.
///
/// A value that only one user in the request asks for is held as is, with
/// no allocation of its own; a value two users share (the per-request cache,
/// an app-scoped value) is held in an `Arc`. Which providers of an endpoint
/// are shared is found when the endpoint is made.
#[derive(Debug)]
pub struct Depends<T>(Held<T>);

#[derive(Debug)]
enum Held<T> {
    Own(T),
    Shared(Arc<T>),
}

impl<T> Depends<T> {
    /// Wraps a value (for calling an endpoint's function directly in tests).
    pub fn new(value: T) -> Self {
        Depends(Held::Own(value))
    }

    /// The value, cloned out if other users share it.
    pub fn into_inner(self) -> T
    where
        T: Clone,
    {
        match self.0 {
            Held::Own(value) => value,
            Held::Shared(shared) => Arc::try_unwrap(shared).unwrap_or_else(|s| (*s).clone()),
        }
    }

    /// The value in an `Arc`, to hand to work that outlives the request
    /// (a background task) when `T` is not `Clone`. A shared value (an
    /// app-scoped one, say) is the `Arc` it already is; a value held as is
    /// moves into a new one.
    ///
    /// ```
    /// # use fastrs::prelude::*;
    /// # use std::sync::Mutex;
    /// pub struct Log(Mutex<Vec<String>>);
    ///
    /// #[dependency(scope = "app")]
    /// async fn log() -> Log { Log(Mutex::new(Vec::new())) }
    ///
    /// #[endpoint(POST "/work")]
    /// async fn work(log: Depends<Log>, tasks: BackgroundTasks) -> &'static str {
    ///     let log = log.into_arc();
    ///     tasks.add_task(move || async move { log.0.lock().unwrap().push("done".into()) });
    ///     "accepted"
    /// }
    /// ```
    pub fn into_arc(self) -> Arc<T> {
        match self.0 {
            Held::Own(value) => Arc::new(value),
            Held::Shared(shared) => shared,
        }
    }

    fn shared(value: Arc<T>) -> Self {
        Depends(Held::Shared(value))
    }
}

/// A clone of a value held as is clones the value; of a shared value,
/// the `Arc`. (For a `T` that is not `Clone`, [`Depends::into_arc`].)
impl<T: Clone> Clone for Depends<T> {
    fn clone(&self) -> Self {
        match &self.0 {
            Held::Own(value) => Depends(Held::Own(value.clone())),
            Held::Shared(shared) => Depends(Held::Shared(shared.clone())),
        }
    }
}

impl<T> std::ops::Deref for Depends<T> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.0 {
            Held::Own(value) => value,
            Held::Shared(shared) => shared,
        }
    }
}

/// The outcome of running a provider.
pub enum Provided<T> {
    /// The value, with its cleanup if any.
    Value(T, Option<Cleanup>),
    /// Its inputs were invalid; the errors are recorded. Not run.
    Invalid,
    /// It answered the request (an `HttpError`).
    Failed(Rejection),
}

impl<T> Provided<T> {
    /// From a provider function returning `T`.
    pub fn value(value: T) -> Self {
        Provided::Value(value, None)
    }

    /// From a provider function returning `Yield<T>`.
    pub fn with_cleanup(value: Yield<T>) -> Self {
        let (value, cleanup) = value.into_parts();
        Provided::Value(value, Some(cleanup))
    }

    /// From a provider function returning `Result<T, E>`.
    pub fn result<E: IntoResponse>(result: Result<T, E>) -> Self {
        match result {
            Ok(value) => Provided::value(value),
            Err(error) => Provided::Failed(error.into_response().into()),
        }
    }

    /// From a provider function returning `Result<Yield<T>, E>`.
    pub fn result_with_cleanup<E: IntoResponse>(result: Result<Yield<T>, E>) -> Self {
        match result {
            Ok(value) => Provided::with_cleanup(value),
            Err(error) => Provided::Failed(error.into_response().into()),
        }
    }

    fn map<U>(self, f: impl FnOnce(T) -> U) -> Provided<U> {
        match self {
            Provided::Value(value, cleanup) => Provided::Value(f(value), cleanup),
            Provided::Invalid => Provided::Invalid,
            Provided::Failed(response) => Provided::Failed(response),
        }
    }
}

/// A dependency provider: what `#[dependency]` makes of a function or struct.
pub trait Provider: Send + Sync + 'static {
    /// The provided type.
    type Output: Send + Sync + 'static;

    /// Its scope (cheap: read on every resolution).
    fn scope(&self) -> Scope;

    /// What the provider declares.
    fn info(&self) -> ProviderInfo;

    /// True when [`Provider::provide`]'s future is ready the first time it
    /// is polled: `#[dependency]` says so of a function that never awaits
    /// (as for endpoints, read from its tokens), returns no `Yield`, and
    /// whose arguments are all read at once
    /// ([`FromRequest::reads_at_once`]). Then an endpoint that depends on
    /// it may be answered in place ([`crate::pipeline::AnswerAtOnce`]).
    /// False by default; a `true` that does not hold costs the request a
    /// logged `500`, never a hang.
    fn reads_at_once(&self) -> bool {
        false
    }

    /// Runs the provider for a request: its dependencies, its parameters,
    /// then its function (see [`crate::pipeline::provide`]). The future is
    /// not boxed: a chain of providers whose types are known resolves as
    /// one future.
    fn provide<'a>(
        &'a self,
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> impl Future<Output = Provided<Self::Output>> + Send + 'a;
}

/// An app-scoped value built before the app: the replacement of an
/// app-scoped provider that hands out this value (configuration read in
/// `main`, a test's database in a temporary directory), as axum's `State`
/// or FastAPI's `app.state`.
///
/// ```
/// use fastrs::di::Given;
/// use fastrs::prelude::*;
///
/// pub struct Config { greeting: String }
///
/// #[dependency(scope = "app")]
/// async fn config() -> Config {
///     Config { greeting: "hello".into() }
/// }
///
/// #[endpoint(GET "/")]
/// async fn root(config: Depends<Config>) -> String {
///     config.greeting.clone()
/// }
///
/// let read_in_main = Config { greeting: "bonjour".into() };
/// let app = App::new()
///     .route(root)
///     .dependency_override(config, move || Given::new(read_in_main));
/// ```
pub struct Given<T>(std::sync::Mutex<Option<T>>);

impl<T> Given<T> {
    /// The provider of `value`.
    pub fn new(value: T) -> Self {
        Given(std::sync::Mutex::new(Some(value)))
    }
}

impl<T: Send + Sync + 'static> Provider for Given<T> {
    type Output = T;

    fn scope(&self) -> Scope {
        Scope::App
    }

    fn info(&self) -> ProviderInfo {
        ProviderInfo {
            name: std::any::type_name::<T>(),
            id: TypeId::of::<Given<T>>(),
            scope: Scope::App,
            params: Vec::new(),
            dependencies: Vec::new,
            describe: crate::decl::Describe::nothing(),
        }
    }

    fn provide<'a>(
        &'a self,
        _: &'a mut RequestContext,
        _: &'a mut ValidationErrors,
    ) -> impl Future<Output = Provided<T>> + Send + 'a {
        // App-scoped: built once, then served from the app's slot.
        let value = self.0.lock().unwrap_or_else(|p| p.into_inner()).take();
        async move {
            match value {
                Some(value) => Provided::value(value),
                None => Provided::Failed(crate::response::internal_server_error().into()),
            }
        }
    }
}

/// Keys a type to its provider; implemented by `#[dependency]`. `M` is a
/// marker type of the provider's crate.
#[diagnostic::on_unimplemented(
    message = "no `#[dependency]` provides `{Self}`",
    label = "`Depends<{Self}>` needs a provider",
    note = "add `#[dependency]` to an async fn that returns `{Self}` (or `Result<{Self}, E>`, `Yield<{Self}>`), or to a struct `{Self}`",
    note = "if `{Self}` is a #[dependency] function (FastAPI's `Depends({Self})`), name the type it returns instead: `Depends<TheType>`"
)]
pub trait Dependency<M>: Sized + Send + Sync + 'static {
    /// The `TypeId` of the provider's type: the key of the cache and of
    /// overrides.
    fn provider_id() -> TypeId;

    /// The provider's scope.
    fn scope() -> Scope;

    /// What the provider declares.
    fn provider_info() -> ProviderInfo;

    /// True when the provider is resolved at once
    /// ([`Provider::reads_at_once`]); false by default.
    fn reads_at_once() -> bool {
        false
    }

    /// Runs the provider (an unboxed future: see [`Provider::provide`]).
    fn provide<'a>(
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> impl Future<Output = Provided<Self>> + Send + 'a;
}

/// The info of the provider of `T`.
pub fn info_of<T: Dependency<M>, M>() -> ProviderInfo {
    T::provider_info()
}

/// The provider of `T`, found through its [`Dependency`] key, as an
/// [`ErasedProvider`] (no allocation: a zero-sized value).
struct Keyed<T, M>(PhantomData<fn() -> (T, M)>);

impl<T: Dependency<M>, M> ErasedProvider for Keyed<T, M> {
    fn erased_id(&self) -> TypeId {
        T::provider_id()
    }
    fn erased_scope(&self) -> Scope {
        T::scope()
    }
    fn erased_info(&self) -> ProviderInfo {
        T::provider_info()
    }
    fn provide_erased<'a>(
        &'a self,
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> BoxFuture<'a, Provided<Shared>> {
        Box::pin(async move {
            T::provide(cx, errors)
                .await
                .map(|value| Arc::new(value) as Shared)
        })
    }
}

/// The marker of [`Depends`]'s extractor impl.
pub struct ViaDependency<M>(PhantomData<fn() -> M>);

impl<T: Dependency<M>, M: 'static> FromRequest<ViaDependency<M>> for Depends<T> {
    type Value = ();

    const KIND: ArgKind = ArgKind::Dependency;

    fn from_request<'a>(
        cx: &'a mut RequestContext,
        arg: &'a Arg<()>,
        errors: &'a mut ValidationErrors,
    ) -> impl Future<Output = Result<Option<Self>, Rejection>> + Send + 'a {
        resolve::<T, M>(cx, arg.spec, errors)
    }

    /// At once when the provider is, and no security scopes are added
    /// (those are resolved in a future of their own). An app-scoped value
    /// is read at once only once it is built: the app checks that before
    /// it answers a request in place, since a first request may wait for
    /// another that is building it.
    fn reads_at_once(arg: &Arg<()>) -> bool {
        arg.spec.scopes.is_empty() && T::reads_at_once()
    }

    fn describe(arg: &Arg<()>, doc: &mut crate::decl::OperationDoc<'_>) {
        doc.scoped_dependency(&info_of::<T, M>(), arg.spec.scopes);
    }

    fn provider() -> Option<ProviderInfo> {
        Some(info_of::<T, M>())
    }
}

/// A provider of any type, for app, router and route dependencies (whose
/// values are discarded) and for overrides.
#[derive(Clone)]
pub struct AnyProvider(Arc<dyn ErasedProvider>);

impl AnyProvider {
    /// Erases `provider`'s type.
    pub fn new<P: Provider>(provider: P) -> Self {
        AnyProvider(Arc::new(provider))
    }

    /// What the provider declares.
    pub fn info(&self) -> ProviderInfo {
        self.0.erased_info()
    }

    /// Runs the provider for its effect, with the cache: `Err` is an answer
    /// that ends the request.
    pub async fn run(
        &self,
        cx: &mut RequestContext,
        errors: &mut ValidationErrors,
    ) -> Result<(), Rejection> {
        let (id, scope) = (self.0.erased_id(), self.0.erased_scope());
        obtain(id, scope, &*self.0, true, cx, errors)
            .await
            .map(|_| ())
    }
}

/// The object-safe face of a [`Provider`].
trait ErasedProvider: Send + Sync {
    fn erased_id(&self) -> TypeId;
    fn erased_scope(&self) -> Scope;
    fn erased_info(&self) -> ProviderInfo;
    fn provide_erased<'a>(
        &'a self,
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> BoxFuture<'a, Provided<Shared>>;
}

impl<P: Provider> ErasedProvider for P {
    fn erased_id(&self) -> TypeId {
        TypeId::of::<P>()
    }
    fn erased_scope(&self) -> Scope {
        self.scope()
    }
    fn erased_info(&self) -> ProviderInfo {
        self.info()
    }
    fn provide_erased<'a>(
        &'a self,
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> BoxFuture<'a, Provided<Shared>> {
        Box::pin(async move {
            self.provide(cx, errors)
                .await
                .map(|value| Arc::new(value) as Shared)
        })
    }
}

/// Stores `replacement` as the override of the provider `original`.
pub(crate) fn insert_override(
    overrides: &mut std::collections::HashMap<TypeId, Box<dyn std::any::Any + Send + Sync>>,
    original: TypeId,
    replacement: AnyProvider,
) {
    overrides.insert(original, Box::new(replacement));
}

/// The override of the provider `id`, if the app has one.
fn override_of(cx: &RequestContext, id: TypeId) -> Option<AnyProvider> {
    let overrides = &cx.app().overrides;
    if overrides.is_empty() {
        return None;
    }
    overrides.get(&id)?.downcast_ref::<AnyProvider>().cloned()
}

/// Why an app-scoped value could not be built.
enum NotBuilt {
    Invalid,
    Failed(Rejection),
}

/// Runs `provider` (with the cache and the scope of provider `id`): the
/// core of every type-erased resolution. `Ok(None)` when its inputs were
/// invalid.
async fn obtain(
    id: TypeId,
    scope: Scope,
    provider: &dyn ErasedProvider,
    use_cache: bool,
    cx: &mut RequestContext,
    errors: &mut ValidationErrors,
) -> Result<Option<Shared>, Rejection> {
    let replacement = override_of(cx, id);
    let provider: &dyn ErasedProvider = match &replacement {
        Some(replacement) => &*replacement.0,
        None => provider,
    };
    if scope == Scope::App {
        return app_value(id, provider, cx, errors).await;
    }
    let cached = use_cache && scope == Scope::Request;
    if cached {
        if let Some(value) = cx.cache.get((id, cx.scopes_key())) {
            return Ok(Some(value.clone()));
        }
    }
    match provider.provide_erased(cx, errors).await {
        Provided::Value(value, cleanup) => {
            cx.cleanups.extend(cleanup);
            if cached {
                cx.cache.insert((id, cx.scopes_key()), value.clone());
            }
            Ok(Some(value))
        }
        Provided::Invalid => Ok(None),
        Provided::Failed(response) => Err(response),
    }
}

/// The app-scoped value of provider `id`: built by the first request that
/// asks (the others wait for it), its cleanup kept for shutdown.
async fn app_value(
    id: TypeId,
    provider: &dyn ErasedProvider,
    cx: &mut RequestContext,
    errors: &mut ValidationErrors,
) -> Result<Option<Shared>, Rejection> {
    let slot = cx.app().slot(id);
    if let Some(value) = slot.get() {
        return Ok(Some(value.clone()));
    }
    let built = slot
        .get_or_try_init(|| async {
            match provider.provide_erased(cx, errors).await {
                Provided::Value(value, cleanup) => {
                    if let Some(cleanup) = cleanup {
                        cx.app().keep_cleanup(cleanup);
                    }
                    Ok(value)
                }
                Provided::Invalid => Err(NotBuilt::Invalid),
                Provided::Failed(response) => Err(NotBuilt::Failed(response)),
            }
        })
        .await;
    match built {
        Ok(value) => Ok(Some(value.clone())),
        Err(NotBuilt::Invalid) => Ok(None),
        Err(NotBuilt::Failed(response)) => Err(response),
    }
}

/// Resolves `Depends<T>` as the argument `spec` declares it (its cache
/// option, its scopes): what the extractor of [`Depends`] does.
///
/// The common case (request scope, no override, no scopes) runs the typed
/// provider directly, its future inside this one (no box), and hands its
/// value over as is, unless the endpoint says that another user
/// will ask for it: then it goes in an `Arc`, into the cache.
pub(crate) async fn resolve<T: Dependency<M>, M>(
    cx: &mut RequestContext,
    spec: &'static ParamSpec,
    errors: &mut ValidationErrors,
) -> Result<Option<Depends<T>>, Rejection> {
    if !spec.scopes.is_empty() {
        return resolve_scoped::<T, M>(cx, spec, errors).await;
    }
    let use_cache = spec.use_cache;
    let id = T::provider_id();
    let scope = T::scope();
    if scope == Scope::App && cx.app().overrides.is_empty() {
        // Shared state, built: one map lookup and an `Arc` clone.
        if let Some(value) = cx.app().built(id) {
            return downcast(value.clone()).map(Some);
        }
    }
    if scope == Scope::App || !cx.app().overrides.is_empty() {
        return resolve_shared::<T, M>(id, scope, use_cache, cx, errors).await;
    }
    let cached = use_cache && scope == Scope::Request;
    if cached {
        if let Some(value) = cx.cache.get((id, cx.scopes_key())) {
            return downcast(value.clone()).map(Some);
        }
    }
    match T::provide(cx, errors).await {
        Provided::Value(value, cleanup) => {
            cx.cleanups.extend(cleanup);
            if cached && cx.sharing.shares(id) {
                let value = Arc::new(value);
                cx.cache.insert((id, cx.scopes_key()), value.clone());
                Ok(Some(Depends::shared(value)))
            } else {
                Ok(Some(Depends(Held::Own(value))))
            }
        }
        Provided::Invalid => Ok(None),
        Provided::Failed(response) => Err(response),
    }
}

/// [`resolve`] under the scopes `spec` adds: what the provider (and its
/// own dependencies) see as [`SecurityScopes`](crate::security::SecurityScopes)
/// and document on their security schemes.
fn resolve_scoped<'a, T: Dependency<M>, M>(
    cx: &'a mut RequestContext,
    spec: &'static ParamSpec,
    errors: &'a mut ValidationErrors,
) -> BoxFuture<'a, Result<Option<Depends<T>>, Rejection>> {
    Box::pin(async move {
        let outer = cx.scopes.take();
        let mut list = outer.as_ref().map_or_else(Vec::new, |s| s.list.clone());
        list.extend_from_slice(spec.scopes);
        let key = scopes_key(&list);
        cx.scopes = Some(Box::new(RequiredScopes { list, key }));
        let inner = if spec.use_cache { &CACHED } else { &UNCACHED };
        let resolved = resolve::<T, M>(cx, inner, errors).await;
        cx.scopes = outer;
        resolved
    })
}

/// A dependency argument with no option: [`resolve`] with the cache.
pub(crate) static CACHED: ParamSpec = ParamSpec::named("dependency");

/// A dependency argument with `use_cache = false`.
static UNCACHED: ParamSpec = ParamSpec {
    use_cache: false,
    ..ParamSpec::named("dependency")
};

/// The scopes as a set (order and repeats do not matter), hashed.
fn scopes_key(scopes: &[&'static str]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut sorted = scopes.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    sorted.hash(&mut hasher);
    hasher.finish() | 1
}

/// The rare paths of [`resolve`]: an app-scoped value, or a provider with
/// an override. A future of their own, so that the common path's stays
/// small.
fn resolve_shared<'a, T: Dependency<M>, M>(
    id: TypeId,
    scope: Scope,
    use_cache: bool,
    cx: &'a mut RequestContext,
    errors: &'a mut ValidationErrors,
) -> BoxFuture<'a, Result<Option<Depends<T>>, Rejection>> {
    Box::pin(async move {
        if scope == Scope::App && cx.app().overrides.is_empty() {
            if let Some(value) = cx.app().slot(id).get() {
                return downcast(value.clone()).map(Some);
            }
        }
        let provider = Keyed::<T, M>(PhantomData);
        match obtain(id, scope, &provider, use_cache, cx, errors).await? {
            Some(value) => downcast(value).map(Some),
            None => Ok(None),
        }
    })
}

/// The value as a `T`; an override that provided another type is a server
/// bug, answered with a logged 500, never the client's doing.
fn downcast<T: Send + Sync + 'static>(value: Shared) -> Result<Depends<T>, Rejection> {
    value.downcast::<T>().map(Depends::shared).map_err(|_| {
        crate::log::error!(
            "dependency override for `{}` provided another type",
            std::any::type_name::<T>()
        );
        HttpError::from_status(StatusCode::INTERNAL_SERVER_ERROR).into()
    })
}

/// Runs the request's before-response cleanups (last registered first),
/// which see the handler's error and may replace the response with an
/// `HttpError`.
/// [`cleanup_before_response`] has work only when this is true; checked
/// first, so that a request without such cleanups does not move its
/// response through it.
pub(crate) fn has_cleanups_before_response(cx: &RequestContext) -> bool {
    cx.cleanups
        .iter()
        .any(|c| c.time == CleanupTime::BeforeResponse)
}

///
/// Boxed: rare, and its state would otherwise make every endpoint's
/// future larger.
pub(crate) fn cleanup_before_response(
    cx: &mut RequestContext,
    response: Response,
) -> BoxFuture<'_, Response> {
    Box::pin(run_cleanups_before_response(cx, response))
}

async fn run_cleanups_before_response(cx: &mut RequestContext, mut response: Response) -> Response {
    let (before, after): (Vec<_>, Vec<_>) = std::mem::take(&mut cx.cleanups)
        .into_iter()
        .partition(|c| c.time == CleanupTime::BeforeResponse);
    cx.cleanups = after;
    for cleanup in before.into_iter().rev() {
        let pending = response.extensions().get::<PendingError>().cloned();
        let outcome = Outcome::new(response.status(), pending);
        if let Err(error) = cleanup.run(&outcome).await {
            response = error.into_response();
        }
    }
    response
}

/// Attaches the request's after-response cleanups to the response body, to
/// run (last registered first) once it has been sent.
pub(crate) fn cleanup_after_response(cx: &mut RequestContext, response: Response) -> Response {
    if cx.cleanups.is_empty() {
        return response;
    }
    let after = std::mem::take(&mut cx.cleanups);
    let status = response.status();
    let (head, body) = response.into_parts();
    let running = cx.app().after_response.start();
    let run_after = async move {
        let _running = running;
        let outcome = Outcome::new(status, None);
        for cleanup in after.into_iter().rev() {
            if let Err(error) = cleanup.run(&outcome).await {
                crate::log::error!("a dependency cleanup failed after the response: {error}");
            }
        }
    };
    Response::from_parts(head, crate::body::Body::then(body, Box::pin(run_after)))
}

/// The app-scoped providers in the dependency graph below `roots`, each
/// once (a cycle is not followed).
pub(crate) fn app_scoped(roots: &[ProviderInfo]) -> Vec<TypeId> {
    fn visit(info: &ProviderInfo, chain: &mut Vec<TypeId>, found: &mut Vec<TypeId>) {
        if chain.contains(&info.id) {
            return;
        }
        if info.scope == Scope::App && !found.contains(&info.id) {
            found.push(info.id);
        }
        chain.push(info.id);
        for child in (info.dependencies)() {
            visit(&child, chain, found);
        }
        chain.pop();
    }
    let mut found = Vec::new();
    for root in roots {
        visit(root, &mut Vec::new(), &mut found);
    }
    found
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
        for child in (info.dependencies)() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_held_as_is_and_a_shared_value_read_clone_and_give_up_alike() {
        let own = Depends::new(String::from("own"));
        assert_eq!(own.len(), 3);
        assert_eq!(own.clone().into_inner(), "own");
        assert_eq!(*own.into_arc(), "own");

        let arc = Arc::new(String::from("shared"));
        let shared = Depends::shared(arc.clone());
        assert_eq!(&*shared, "shared");
        // The shared value's own `Arc`, not a copy.
        assert!(Arc::ptr_eq(&shared.clone().into_arc(), &arc));
        // Cloned out while another user holds it.
        assert_eq!(shared.into_inner(), "shared");
        assert_eq!(Arc::strong_count(&arc), 1);
    }
    use crate::decl::{Describe, ParamSpec};

    fn info(name: &'static str, id: TypeId, scope: Scope) -> ProviderInfo {
        ProviderInfo {
            name,
            id,
            scope,
            params: Vec::new(),
            dependencies: Vec::new,
            describe: Describe::nothing(),
        }
    }

    #[test]
    #[should_panic(expected = "dependency cycle in `GET /x`: a -> b -> a")]
    fn a_cycle_is_named_at_startup() {
        struct A;
        struct B;
        fn a() -> ProviderInfo {
            ProviderInfo {
                dependencies: || vec![b()],
                ..info("a", TypeId::of::<A>(), Scope::Request)
            }
        }
        fn b() -> ProviderInfo {
            ProviderInfo {
                dependencies: || vec![a()],
                ..info("b", TypeId::of::<B>(), Scope::Request)
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
        struct S;
        check_graph(
            "GET /x",
            &[ProviderInfo {
                params: vec![&Q],
                ..info("settings", TypeId::of::<S>(), Scope::App)
            }],
        );
    }
}
