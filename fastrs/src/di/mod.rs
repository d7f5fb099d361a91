//! Dependency injection: providers, how a `Depends` argument finds and
//! resolves one, scopes, the per-request cache, lending, cleanup, and
//! overrides (FastAPI's `Depends`).
//!
//! A provider is a function (async, or plain and run on the blocking pool),
//! a struct of parameters, or a configured value
//! ([`ConfiguredProvider`](crate::pipeline::ConfiguredProvider)),
//! marked `#[dependency]`. For a function `get_db` the macro makes a
//! provider type (implementing [`Provider`], whose arguments are read by
//! the same pipeline as an endpoint's, [`crate::pipeline`], and
//! [`StaticProvider`]) and names it `get_db` in types, as [`Named`], so
//! that an argument names it: `Depends<Db, get_db>`, which
//! `#[depends(get_db)] db: Db` spells (FastAPI's `Depends(get_db)`). It
//! also keys its output type to it with [`Dependency`], so that
//! `Depends<Db>` finds the one provider of `Db` by type. Each spelling has
//! its extractor impl, resolved at compile time: a type with no provider,
//! a provider named for another type, and a type two providers give asked
//! for by type are compile errors (one each), while two providers of one
//! type never clash otherwise.
//!
//! `Depends` and `DependsMut` are ordinary extractors ([`FromRequest`]) of
//! kind [`ArgKind::Dependency`]: the pipeline resolves them before the
//! parameters; how each holds its value (as is, shared, lent) is
//! `values.rs`'s.
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

use crate::decl::ParamSpec;
use crate::error::PendingError;
use crate::extract::{Arg, ArgKind, FromRequest, RequestContext, RequiredScopes};
use crate::model::ValidationErrors;
use crate::response::{IntoResponse, Rejection, Response};
use crate::state::Shared;
use crate::traces::Step;

mod values;

pub use crate::decl::{ProviderInfo, Scope};
pub use crate::state::{Cleanup, CleanupFuture, CleanupTime, Outcome, Yield};
pub use values::{ByType, Depends, DependsMut};

use crate::state::LendSlot;
use values::{Exclusive, Held, Lease};

/// A future boxed for a provider.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

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

/// What names a provider to [`App::dependency_override`](crate::App::dependency_override),
/// [`App::dependency`](crate::App::dependency), [`Router::dependency`](crate::Router::dependency),
/// [`App::startup`](crate::App::startup) and `#[endpoint(dependencies = [...])]`:
/// a `#[dependency]` function by its name (`get_db`), a closure making a
/// provider (`move || Given::new(value)`), a provider value, or a
/// configured provider by reference (`&CHECKER`, a `static` marked
/// `#[dependency]`).
pub trait IntoProvider<M> {
    /// The provider.
    type Provider: Provider;

    /// The provider.
    fn into_provider(self) -> Self::Provider;
}

/// The marker of [`IntoProvider`] for a function or closure.
pub struct FromFunction;

/// The marker of [`IntoProvider`] for a provider value.
pub struct Itself;

impl<F: FnOnce() -> P, P: Provider> IntoProvider<FromFunction> for F {
    type Provider = P;

    fn into_provider(self) -> P {
        self()
    }
}

impl<P: Provider> IntoProvider<Itself> for P {
    type Provider = P;

    fn into_provider(self) -> P {
        self
    }
}

/// A static marked `#[dependency]` whose type is a configured provider
/// ([`ConfiguredProvider`](crate::pipeline::ConfiguredProvider)): the
/// macro gives the static this type, which derefs to the configuration,
/// so that `&CHECKER` names the provider where a provider is given
/// (`App::dependency_override(&CHECKER, ...)`, FastAPI's
/// `app.dependency_overrides[checker]`). `P` is the provider's type, also
/// named `CHECKER` (`Depends<bool, CHECKER>`).
pub struct Configured<P, C> {
    value: C,
    provider: PhantomData<fn() -> P>,
}

impl<P, C> Configured<P, C> {
    /// The configuration `value`, as the provider `P`.
    pub const fn new(value: C) -> Self {
        Configured {
            value,
            provider: PhantomData,
        }
    }
}

impl<P, C> std::ops::Deref for Configured<P, C> {
    type Target = C;
    fn deref(&self) -> &C {
        &self.value
    }
}

impl<P: StaticProvider, C> IntoProvider<Itself> for &'static Configured<P, C> {
    type Provider = P;

    fn into_provider(self) -> P {
        P::instance_value()
    }
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

/// A provider with one instance, known by its type: what `#[dependency]`
/// makes of a function (named in types as [`Named`], so that
/// `Depends<User, get_current_user>` names it), of a struct, or of a
/// configured static. Resolving a `Depends` argument calls it through its
/// type, with no value to carry.
pub trait StaticProvider: Provider {
    /// The provider.
    fn instance() -> &'static Self;

    /// The provider, as a value (it is a unit-like type).
    fn instance_value() -> Self;
}

/// Says that the provider `P` gives `Self`, so that `Depends<Self>` finds
/// `P` by type; implemented by `#[dependency]` for the type it provides.
/// When two providers give one type, `Depends<T>` is ambiguous (rustc
/// lists both): name the one to use, `Depends<T, provider>`.
#[diagnostic::on_unimplemented(
    message = "no `#[dependency]` provides `{Self}`",
    label = "`Depends<{Self}>` needs a provider",
    note = "add `#[dependency]` to an async fn that returns `{Self}` (or `Result<{Self}, E>`, `Yield<{Self}>`), or to a struct `{Self}`",
    note = "if `{Self}` is a #[dependency] function (FastAPI's `Depends({Self})`), write the type it returns first, then its name: `Depends<TheType, {Self}>`"
)]
pub trait Dependency<P>: Sized + Send + Sync + 'static {
    /// The provider (`P` itself).
    type Provider: StaticProvider<Output = Self>;
}

/// The info of the provider `P`.
pub fn info_of<P: StaticProvider>() -> ProviderInfo {
    P::instance().info()
}

/// A provider named in a type: `#[dependency] fn get_db` makes
/// `type get_db = Named<...>`, so that `Depends<Db, get_db>` (what
/// `#[depends(get_db)] db: Db` spells) names it. A type of its own, so
/// that a `Depends` names its provider or finds it by type ([`ByType`]),
/// never both: each has one extractor impl, and rustc's messages are the
/// ones of that impl.
pub struct Named<P>(PhantomData<fn() -> P>);

/// The advice for `Depends<get_db>` (FastAPI's `Depends(get_db)`): a
/// provider's name where the type of its value goes. No type implements
/// this trait, so the impls below never apply: they exist so that rustc,
/// looking for the provider of `Named<get_db>`, finds the one impl for it
/// and reports this trait's message, not a page about `Named`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is a provider, where `Depends` takes the type of its value",
    label = "write the type of the value first, then the provider: `Depends<TheType, provider>`",
    note = "FastAPI's `db = Depends(get_db)` is `#[depends(get_db)] db: Db` or `db: Depends<Db, get_db>`"
)]
pub trait ValueTypeFirst {}

/// See [`ValueTypeFirst`]: the impls that turn `Depends<get_db>` into its
/// advice. Never used for a value.
pub struct ProviderAsValue<P>(PhantomData<fn() -> P>);

impl<P: StaticProvider + ValueTypeFirst> Dependency<P> for Named<P> {
    type Provider = ProviderAsValue<P>;
}

impl<P: StaticProvider + ValueTypeFirst> StaticProvider for ProviderAsValue<P> {
    fn instance() -> &'static Self {
        &ProviderAsValue(PhantomData)
    }

    fn instance_value() -> Self {
        ProviderAsValue(PhantomData)
    }
}

impl<P: StaticProvider + ValueTypeFirst> Provider for ProviderAsValue<P> {
    type Output = Named<P>;

    fn scope(&self) -> Scope {
        P::instance().scope()
    }

    fn info(&self) -> ProviderInfo {
        P::instance().info()
    }

    fn provide<'a>(
        &'a self,
        _: &'a mut RequestContext,
        _: &'a mut ValidationErrors,
    ) -> impl Future<Output = Provided<Named<P>>> + Send + 'a {
        std::future::ready(Provided::value(Named(PhantomData)))
    }
}

/// The marker of the extractor impls of [`Depends`] and [`DependsMut`]
/// found by type.
pub struct ViaDependency<Q>(PhantomData<fn() -> Q>);

/// The marker of the extractor impls of [`Depends`] and [`DependsMut`]
/// that name their provider.
pub struct ViaProvider;

/// The extractor impls of a holder of a dependency's value: by type
/// (`$holder<T>`) and by named provider (`$holder<T, Named<P>>`). Each
/// resolves the provider before every parameter ([`ArgKind::Dependency`])
/// and documents its parameters.
macro_rules! dependency_extractor {
    ($holder:ident) => {
        impl<T: Dependency<Q>, Q: 'static> FromRequest<ViaDependency<Q>> for $holder<T> {
            dependency_extractor!(@body T::Provider);
        }

        impl<T, P> FromRequest<ViaProvider> for $holder<T, Named<P>>
        where
            T: Send + Sync + 'static,
            P: StaticProvider<Output = T>,
        {
            dependency_extractor!(@body P);
        }
    };
    (@body $provider:ty) => {
        type Value = ();

        const KIND: ArgKind = ArgKind::Dependency;

        fn from_request<'a>(
            cx: &'a mut RequestContext,
            arg: &'a Arg<()>,
            errors: &'a mut ValidationErrors,
        ) -> impl Future<Output = Result<Option<Self>, Rejection>> + Send + 'a {
            resolve::<$provider, Self>(cx, arg.spec, errors)
        }

        /// At once when the provider is, and no security scopes are
        /// added (those are resolved in a future of their own). An
        /// app-scoped value is read at once only once it is built: the
        /// app checks that before it answers a request in place, since
        /// a first request may wait for another that is building it.
        fn reads_at_once(arg: &Arg<()>) -> bool {
            arg.spec.scopes.is_empty() && <$provider>::instance().reads_at_once()
        }

        fn describe(arg: &Arg<()>, doc: &mut crate::decl::OperationDoc<'_>) {
            doc.scoped_dependency(&info_of::<$provider>(), arg.spec.scopes);
        }

        fn provider() -> Option<ProviderInfo> {
            Some(info_of::<$provider>())
        }
    };
}

dependency_extractor!(Depends);
dependency_extractor!(DependsMut);

/// How a resolved value is handed to its argument: [`Depends`] reads it
/// (as is, shared in an `Arc`, or lent), [`DependsMut`] has it alone (as
/// is, or lent).
pub(crate) trait Hold<T>: Sized + Send {
    /// True when the argument changes the value: it cannot be shared in an
    /// `Arc` with another user.
    const EXCLUSIVE: bool;

    /// The value, this argument's alone.
    fn own(value: T) -> Self;

    /// The value, lent from its slot.
    fn lease(lease: Lease<T>) -> Self;

    /// The value shared with other users (`None` when `EXCLUSIVE`).
    fn shared(value: Arc<T>) -> Option<Self>;
}

impl<T, P> Hold<T> for Depends<T, P>
where
    Depends<T, P>: Send,
{
    const EXCLUSIVE: bool = false;

    fn own(value: T) -> Self {
        Depends::held(Held::Own(value))
    }

    fn lease(lease: Lease<T>) -> Self {
        Depends::held(Held::Lent(Box::new(lease)))
    }

    fn shared(value: Arc<T>) -> Option<Self> {
        Some(Depends::held(Held::Shared(value)))
    }
}

impl<T, P> Hold<T> for DependsMut<T, P>
where
    DependsMut<T, P>: Send,
{
    const EXCLUSIVE: bool = true;

    fn own(value: T) -> Self {
        DependsMut::held(Exclusive::Own(value))
    }

    fn lease(lease: Lease<T>) -> Self {
        DependsMut::held(Exclusive::Lent(Box::new(lease)))
    }

    fn shared(_: Arc<T>) -> Option<Self> {
        None
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
            let provided = if crate::traces::on() {
                let run = self.provide(cx, errors);
                crate::traces::step(|| self.info().name, Step::Dependency, run).await
            } else {
                self.provide(cx, errors).await
            };
            match provided {
                Provided::Value(value, cleanup) => {
                    // A lent value is stored in the slot its cleanup takes
                    // it back from.
                    let stored: Shared = match cleanup.as_ref().and_then(Cleanup::lent_slot) {
                        Some(slot) => {
                            slot.put(value);
                            slot
                        }
                        None => Arc::new(value),
                    };
                    Provided::Value(stored, cleanup)
                }
                Provided::Invalid => Provided::Invalid,
                Provided::Failed(response) => Provided::Failed(response),
            }
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
                Provided::Value(_, Some(cleanup)) if cleanup.lends.is_some() => {
                    crate::log::error!(
                        "the app-scoped dependency `{}` returns `Yield::lend`: a value every request shares is never lent to one; answered 500\nhelp: return `Yield::new`, or make it request-scoped",
                        provider.erased_info().name
                    );
                    Err(NotBuilt::Failed(
                        crate::response::internal_server_error().into(),
                    ))
                }
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

/// Resolves the value of the provider `P` as the argument `spec` declares
/// it (its cache option, its scopes), held as `H` (a [`Depends`] or a
/// [`DependsMut`]): what the extractors of both do.
///
/// The common case (request scope, no override, no scopes) runs the typed
/// provider directly, its future inside this one (no box), and hands its
/// value over as is, unless the endpoint says that another user
/// will ask for it: then it goes into the cache, in an `Arc` (or, when
/// this argument changes it, a [`LendSlot`] each user takes it from in
/// turn). A value its provider lends ([`Yield::lend`]) always goes in a
/// slot, where its cleanup takes it back.
pub(crate) async fn resolve<P: StaticProvider, H: Hold<P::Output>>(
    cx: &mut RequestContext,
    spec: &'static ParamSpec,
    errors: &mut ValidationErrors,
) -> Result<Option<H>, Rejection> {
    if !spec.scopes.is_empty() {
        return resolve_scoped::<P, H>(cx, spec, errors).await;
    }
    let use_cache = spec.use_cache;
    let provider = P::instance();
    let id = TypeId::of::<P>();
    let scope = provider.scope();
    if scope == Scope::App && cx.app().overrides.is_empty() {
        // Shared state, built: one map lookup and an `Arc` clone.
        if let Some(value) = cx.app().built(id) {
            return stored::<P, H>(value.clone()).map(Some);
        }
    }
    if scope == Scope::App || !cx.app().overrides.is_empty() {
        return resolve_shared::<P, H>(scope, use_cache, cx, errors).await;
    }
    let cached = use_cache && scope == Scope::Request;
    if cached {
        let key = (id, cx.scopes_key());
        if H::EXCLUSIVE {
            if let Some(entry) = cx.cache.get_mut(key) {
                lend_from_now_on::<P::Output>(entry);
            }
        }
        if let Some(value) = cx.cache.get(key) {
            return stored::<P, H>(value.clone()).map(Some);
        }
    }
    let provided = if crate::traces::on() {
        let run = provider.provide(cx, errors);
        crate::traces::step(|| provider.info().name, Step::Dependency, run).await
    } else {
        provider.provide(cx, errors).await
    };
    match provided {
        Provided::Value(value, None) => {
            if cached && cx.sharing.shares(id) {
                keep::<P, H>(value, (id, cx.scopes_key()), cx)
            } else {
                Ok(Some(H::own(value)))
            }
        }
        Provided::Value(value, Some(cleanup)) => {
            let lent = cleanup.lent_slot::<P::Output>();
            cx.cleanups.push(cleanup);
            let key = (id, cx.scopes_key());
            match lent {
                // A lent value always lives in its slot, where its cleanup
                // takes it back.
                Some(slot) => {
                    slot.put(value);
                    if cached {
                        cx.cache.insert(key, slot.clone());
                    }
                    lease::<P, H>(slot).map(Some)
                }
                None if cached && cx.sharing.shares(id) => keep::<P, H>(value, key, cx),
                None => Ok(Some(H::own(value))),
            }
        }
        Provided::Invalid => Ok(None),
        Provided::Failed(response) => Err(response),
    }
}

/// Keeps a value that other users of the request will ask for in the
/// cache under `key`: in an `Arc` that they share, or, for a user that
/// changes it, in a slot that each takes it from in turn.
fn keep<P: StaticProvider, H: Hold<P::Output>>(
    value: P::Output,
    key: crate::state::CacheKey,
    cx: &mut RequestContext,
) -> Result<Option<H>, Rejection> {
    if H::EXCLUSIVE {
        let slot = Arc::new(LendSlot::holding(value));
        cx.cache.insert(key, slot.clone());
        lease::<P, H>(slot).map(Some)
    } else {
        let value = Arc::new(value);
        cx.cache.insert(key, value.clone());
        Ok(H::shared(value))
    }
}

/// Turns a cached value that earlier users only read (an `Arc`) into one
/// lent from a slot, for a user that changes it: possible when no earlier
/// user still holds it (the cache's `Arc` is the only one). Otherwise the
/// entry stays, and [`stored`] refuses to lend it.
fn lend_from_now_on<T: Send + Sync + 'static>(entry: &mut Shared) {
    if !entry.is::<T>() || Arc::strong_count(entry) != 1 {
        return;
    }
    let read = std::mem::replace(entry, Arc::new(()));
    let value = read
        .downcast::<T>()
        .ok()
        .and_then(|v| Arc::try_unwrap(v).ok());
    if let Some(value) = value {
        *entry = Arc::new(LendSlot::holding(value));
    }
}

/// The value stored for provider `P` (an app-scoped value, a cached one,
/// an override's), held as `H`: an `Arc` of the value is shared, a slot
/// lends it. What cannot be held so is a bug in the app, never the
/// client's doing: a logged 500, naming the provider.
fn stored<P: StaticProvider, H: Hold<P::Output>>(value: Shared) -> Result<H, Rejection> {
    let value = match value.downcast::<P::Output>() {
        Ok(shared) => {
            return H::shared(shared).ok_or_else(|| {
                misused::<P>(
                    "is asked for as `&mut` while another user of the request still reads it (or it is app-scoped)",
                    "take it as `&T` everywhere, or have every user take it as `&mut`",
                )
            });
        }
        Err(value) => value,
    };
    match value.downcast::<LendSlot<P::Output>>() {
        Ok(slot) => lease::<P, H>(slot),
        Err(_) => Err(misused::<P>(
            "was replaced by an override that provides another type",
            "give `App::dependency_override` a replacement of the same type",
        )),
    }
}

/// The value of `slot`, lent to this user, unless another holds it.
fn lease<P: StaticProvider, H: Hold<P::Output>>(
    slot: Arc<LendSlot<P::Output>>,
) -> Result<H, Rejection> {
    Lease::take(slot).map(H::lease).ok_or_else(|| {
        misused::<P>(
            "is lent to another user of this request, who still holds it",
            "a provider that takes it should not keep it in the value it returns",
        )
    })
}

/// A dependency used in a way the app cannot serve: logged with the
/// provider's name and what to do, answered 500.
#[cold]
fn misused<P: StaticProvider>(what: &str, help: &str) -> Rejection {
    crate::log::error!(
        "the value of the dependency `{}` {what}; answered 500\nhelp: {help}",
        P::instance().info().name
    );
    crate::response::internal_server_error().into()
}

/// [`resolve`] under the scopes `spec` adds: what the provider (and its
/// own dependencies) see as [`SecurityScopes`](crate::security::SecurityScopes)
/// and document on their security schemes.
fn resolve_scoped<'a, P: StaticProvider, H: Hold<P::Output>>(
    cx: &'a mut RequestContext,
    spec: &'static ParamSpec,
    errors: &'a mut ValidationErrors,
) -> BoxFuture<'a, Result<Option<H>, Rejection>> {
    Box::pin(async move {
        let outer = cx.scopes.take();
        let mut list = outer.as_ref().map_or_else(Vec::new, |s| s.list.clone());
        list.extend_from_slice(spec.scopes);
        let key = scopes_key(&list);
        cx.scopes = Some(Box::new(RequiredScopes { list, key }));
        let inner = if spec.use_cache { &CACHED } else { &UNCACHED };
        let resolved = resolve::<P, H>(cx, inner, errors).await;
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
fn resolve_shared<'a, P: StaticProvider, H: Hold<P::Output>>(
    scope: Scope,
    use_cache: bool,
    cx: &'a mut RequestContext,
    errors: &'a mut ValidationErrors,
) -> BoxFuture<'a, Result<Option<H>, Rejection>> {
    Box::pin(async move {
        let id = TypeId::of::<P>();
        if scope == Scope::App && cx.app().overrides.is_empty() {
            if let Some(value) = cx.app().slot(id).get() {
                return stored::<P, H>(value.clone()).map(Some);
            }
        }
        match obtain(id, scope, P::instance(), use_cache, cx, errors).await? {
            Some(value) => stored::<P, H>(value).map(Some),
            None => Ok(None),
        }
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
