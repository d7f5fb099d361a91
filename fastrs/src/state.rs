//! How long provided values live, and the app's state that outlives
//! requests.
//!
//! A provider can hand back a value with cleanup code ([`Yield`], FastAPI's
//! dependency with `yield`). A request-scoped value's [`Cleanup`] runs when
//! its request ends (after the response by default, or before it, where it
//! may change the answer, seeing the request's [`Outcome`]); an app-scoped
//! value's runs once, at shutdown.
//!
//! [`AppState`] is what every request of an app can reach: app-scoped
//! values, the cleanups to run at shutdown, provider overrides and the
//! exception handlers. Invariants:
//! - an app-scoped value is built at most once per app, however many
//!   requests ask for it at the same time: each has a [`OnceCell`] slot, and
//!   the first request builds while the others wait for it (a failed build
//!   leaves the slot empty, so the next request tries again);
//! - the cleanup of an app-scoped value runs once, at shutdown, after the
//!   in-flight requests have finished, in reverse order of building.
//!
//! A request's cache of the request-scoped values two of its users share
//! ([`RequestCache`]) lives here too, with which values of an endpoint are
//! shared ([`Sharing`], found from its providers when it is made).
//!
//! The state is a container: what an override or a value means is
//! the business of the `di` module, which stores them here type-erased (as
//! `http::Extensions` stores a request's extensions).

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::hash::{BuildHasherDefault, Hasher};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use http::StatusCode;

use tokio::sync::OnceCell;

use crate::decl::ProviderInfo;
use crate::error::{ErrorHandlers, HttpError, PendingError};

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
    /// For a value made with [`Yield::lend`]: the [`LendSlot`] the value
    /// lives in while the request lends it, where the cleanup takes it back.
    pub(crate) lends: Option<Shared>,
}

impl Cleanup {
    /// A cleanup running `run` at `time`.
    pub(crate) fn new<F, Fut>(time: CleanupTime, run: F) -> Self
    where
        F: FnOnce(&Outcome) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), HttpError>> + Send + 'static,
    {
        Cleanup {
            run: Box::new(move |outcome| Box::pin(run(outcome))),
            time,
            lends: None,
        }
    }

    /// The slot of a value made with [`Yield::lend`], if this is its
    /// cleanup and the value is a `T`.
    pub(crate) fn lent_slot<T: Send + 'static>(&self) -> Option<Arc<LendSlot<T>>> {
        self.lends.clone()?.downcast::<LendSlot<T>>().ok()
    }

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
            cleanup: Cleanup::new(CleanupTime::AfterResponse, cleanup),
        }
    }

    /// `value`, lent to the request's users one at a time and handed back
    /// to `cleanup` with the request's [`Outcome`] once the handler is done:
    /// FastAPI's `yield` whose code after the `yield` uses the value (a
    /// transaction committed when the handler succeeded and rolled back
    /// when it failed). The handler takes it as `&mut T` (`#[depends(p)] tx:
    /// &mut T`, or `DependsMut<T, p>`) or `&T`; a second user waits its turn,
    /// and asking for it while another holds it answers a logged 500.
    /// For request-scoped providers: an app-scoped value is shared by every
    /// request, never lent.
    ///
    /// ```
    /// use fastrs::prelude::*;
    /// use fastrs::di::Yield;
    ///
    /// pub struct Tx { writes: Vec<String> }
    ///
    /// #[dependency]
    /// async fn transaction() -> Yield<Tx> {
    ///     Yield::lend(Tx { writes: Vec::new() }, |tx, outcome| {
    ///         let commit = !outcome.failed();
    ///         async move {
    ///             if commit { /* write tx.writes */ } else { /* drop them */ }
    ///             let _ = tx;
    ///             Ok(())
    ///         }
    ///     })
    /// }
    ///
    /// #[endpoint(POST "/notes")]
    /// async fn add_note(#[depends(transaction)] tx: &mut Tx, text: String) -> &'static str {
    ///     tx.writes.push(text);
    ///     "added"
    /// }
    /// ```
    pub fn lend<F, Fut>(value: T, cleanup: F) -> Self
    where
        T: Send + 'static,
        F: FnOnce(T, &Outcome) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), HttpError>> + Send + 'static,
    {
        let slot = Arc::new(LendSlot::<T>::empty());
        let back = slot.clone();
        let mut cleanup = Cleanup::new(CleanupTime::AfterResponse, move |outcome: &Outcome| {
            let run: CleanupFuture = match back.take() {
                Some(value) => Box::pin(cleanup(value, outcome)),
                None => {
                    crate::log::error!(
                        "a value lent with `Yield::lend` was not given back before its cleanup (kept past the handler, or given up with `into_arc`); its cleanup did not run"
                    );
                    Box::pin(async { Ok(()) })
                }
            };
            run
        });
        cleanup.lends = Some(slot);
        Yield { value, cleanup }
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

/// Where a lent value ([`Yield::lend`], or a value lent as `&mut` to
/// several users of a request) lives between its users: each takes it out
/// for as long as it holds it and puts it back when done.
pub(crate) struct LendSlot<T>(Mutex<Option<T>>);

impl<T> LendSlot<T> {
    pub(crate) fn empty() -> Self {
        LendSlot(Mutex::new(None))
    }

    /// A slot holding `value`.
    pub(crate) fn holding(value: T) -> Self {
        LendSlot(Mutex::new(Some(value)))
    }

    /// Takes the value out, if it is there (`None`: another user holds it).
    pub(crate) fn take(&self) -> Option<T> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    /// Puts the value (back) in.
    pub(crate) fn put(&self, value: T) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(value);
    }
}

/// The largest WebSocket message a client may send, by default (1 MiB).
#[cfg(feature = "websockets")]
pub(crate) const DEFAULT_WEBSOCKET_MAX_MESSAGE: usize = 1 << 20;

/// A value shared by everything in an app, type-erased.
pub(crate) type Shared = Arc<dyn Any + Send + Sync>;

/// Which request-scoped values of an endpoint more than one user asks for
/// in a request: those are kept in the cache, in an `Arc`, for the next
/// user; a value with one user is handed to it as is.
///
/// A set of providers as 64 bits, a provider's bit picked by its type's
/// hash: two providers on one bit are both shared, which is correct, only
/// slower. Outside an endpoint's arguments (the app's, routers' and routes'
/// own dependencies, `App::resolve`, a context made by hand) every value
/// is shared, as nothing there says who else asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sharing(u64);

impl Sharing {
    /// Every value shared: what nothing is known about.
    pub(crate) const ALL: Sharing = Sharing(u64::MAX);

    /// True when the value of provider `id` may have another user.
    #[inline]
    pub(crate) fn shares(self, id: TypeId) -> bool {
        self.0 & Sharing::bit(id) != 0
    }

    #[inline]
    fn bit(id: TypeId) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = IdHasher::default();
        id.hash(&mut hasher);
        1 << (hasher.finish() >> 58)
    }
}

/// The [`Sharing`] of an endpoint whose arguments' providers are
/// `providers`: a provider is shared when the request resolves it more than
/// once, by two arguments or through two providers that depend on it.
///
/// Every path to a provider counts as one use, as if nothing were cached
/// (an argument with `use_cache = false` does run its provider's
/// dependencies again): more uses than the request makes, never fewer.
/// A graph with more than a few thousand paths is all shared.
pub(crate) fn sharing_of(providers: &[ProviderInfo]) -> Sharing {
    const MOST_PATHS: usize = 4096;
    fn visit(info: &ProviderInfo, uses: &mut Vec<(TypeId, usize)>, paths: &mut usize) {
        *paths += 1;
        if *paths > MOST_PATHS {
            return;
        }
        match uses.iter_mut().find(|(id, _)| *id == info.id) {
            Some((_, n)) => *n += 1,
            None => uses.push((info.id, 1)),
        }
        for child in (info.dependencies)() {
            visit(&child, uses, paths);
        }
    }
    let (mut uses, mut paths) = (Vec::new(), 0);
    for provider in providers {
        visit(provider, &mut uses, &mut paths);
    }
    if paths > MOST_PATHS {
        return Sharing::ALL;
    }
    let bits = uses
        .iter()
        .filter(|(_, n)| *n > 1)
        .fold(0, |bits, (id, _)| bits | Sharing::bit(*id));
    Sharing(bits)
}

/// The key of a request-scoped value: its provider, and the OAuth2 scopes
/// required where it was resolved (0: none).
pub(crate) type CacheKey = (TypeId, u64);

/// One request's cache of request-scoped values that more than one user
/// asks for. The first value is kept in place, so that a request that
/// shares one value (a session read by two providers) allocates nothing
/// for the cache; the others go in a list.
#[derive(Default)]
pub(crate) struct RequestCache {
    first: Option<(CacheKey, Shared)>,
    rest: Vec<(CacheKey, Shared)>,
}

impl RequestCache {
    /// The value kept under `key`.
    pub(crate) fn get(&self, key: CacheKey) -> Option<&Shared> {
        let (first, value) = self.first.as_ref()?;
        if *first == key {
            return Some(value);
        }
        self.rest
            .iter()
            .find(|(other, _)| *other == key)
            .map(|(_, value)| value)
    }

    /// The value kept under `key`, to replace.
    pub(crate) fn get_mut(&mut self, key: CacheKey) -> Option<&mut Shared> {
        match &mut self.first {
            Some((first, value)) if *first == key => Some(value),
            Some(_) => self
                .rest
                .iter_mut()
                .find(|(other, _)| *other == key)
                .map(|(_, value)| value),
            None => None,
        }
    }

    /// Keeps `value` under `key`.
    pub(crate) fn insert(&mut self, key: CacheKey, value: Shared) {
        match self.first {
            None => self.first = Some((key, value)),
            Some(_) => self.rest.push((key, value)),
        }
    }
}

/// The hasher of `TypeId` keys: a `TypeId` is a hash already, so its bits
/// are used as they are (SipHash would cost more than the lookup).
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = self.0.rotate_left(17) ^ n;
    }
}

/// The slot of one app-scoped value.
pub(crate) type Slot = Arc<OnceCell<Shared>>;

/// What requests of one app share.
pub(crate) struct AppState {
    /// Replacement providers by the `TypeId` of the provider they replace.
    pub(crate) overrides: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
    /// The slots of the app-scoped providers that registered routes use,
    /// made when a route is registered and then read without a lock
    /// ([`AppState::built`]): a request reads shared state as cheaply as
    /// an `Arc` clone.
    registered: HashMap<TypeId, Slot, BuildHasherDefault<IdHasher>>,
    /// Set at shutdown: the registered slots hold the values of a run that
    /// ended, and a later run builds its values in `slots`.
    retired: AtomicBool,
    /// The other app-scoped values (a provider reached only through an
    /// override or `App::resolve`, or any after a shutdown), behind a lock.
    slots: Mutex<HashMap<TypeId, Slot>>,
    /// Cleanups of app-scoped values, in the order the values were built.
    cleanups: Mutex<Vec<Cleanup>>,
    /// The exception handlers.
    pub(crate) errors: ErrorHandlers,
    /// Work running after responses (cleanups, background tasks), which a
    /// graceful shutdown waits for.
    pub(crate) after_response: Arc<AfterResponseWork>,
    /// How long a request body may take to arrive (`None`: no limit).
    pub(crate) body_read_timeout: Option<std::time::Duration>,
    /// The proxies whose `X-Forwarded-*` headers are believed.
    pub(crate) proxies: Proxies,
    /// The gauge of open WebSocket sessions, when the app has metrics
    /// ([`App::metrics`](crate::App::metrics)).
    #[cfg(all(feature = "metrics", feature = "websockets"))]
    pub(crate) open_websockets: Option<prometheus_client::metrics::gauge::Gauge>,
    /// The path prefix a path-stripping proxy serves the app under
    /// (FastAPI's `root_path`), set by code or, at `serve`, by `ROOT_PATH`.
    pub(crate) root_path: std::sync::OnceLock<Arc<str>>,
    /// The most cookies a request may send (checked where cookies are read).
    pub(crate) max_cookies: usize,
    /// False: a body without a `Content-Type` is read as JSON (FastAPI's
    /// `strict_content_type=False`); a route may say otherwise.
    pub(crate) strict_content_type: bool,
    /// The most fields and files a form may have.
    #[cfg(feature = "forms")]
    pub(crate) max_form_parts: usize,
    /// The size past which an uploaded file is spooled to disk.
    #[cfg(feature = "forms")]
    pub(crate) upload_spool_size: usize,
    /// The largest WebSocket message a client may send.
    #[cfg(feature = "websockets")]
    pub(crate) websocket_max_message: usize,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            overrides: HashMap::new(),
            registered: HashMap::default(),
            retired: AtomicBool::new(false),
            slots: Mutex::default(),
            cleanups: Mutex::default(),
            errors: ErrorHandlers::default(),
            after_response: Arc::default(),
            body_read_timeout: Some(std::time::Duration::from_secs(30)),
            proxies: Proxies::default(),
            #[cfg(all(feature = "metrics", feature = "websockets"))]
            open_websockets: None,
            root_path: std::sync::OnceLock::new(),
            max_cookies: 200,
            strict_content_type: true,
            #[cfg(feature = "forms")]
            max_form_parts: 1000,
            #[cfg(feature = "forms")]
            upload_spool_size: 1024 * 1024,
            #[cfg(feature = "websockets")]
            websocket_max_message: DEFAULT_WEBSOCKET_MAX_MESSAGE,
        }
    }
}

/// Counts the after-response work in flight. The work may outlive its
/// connection (hyper drops a body once its declared length is sent, and
/// the work then goes on as a task of its own), so the server waits for
/// this count, not for connections, before it shuts down.
#[derive(Default)]
pub(crate) struct AfterResponseWork {
    running: std::sync::atomic::AtomicUsize,
    idle: tokio::sync::Notify,
}

/// One piece of after-response work, counted while it lives.
pub(crate) struct Running(Arc<AfterResponseWork>);

impl AfterResponseWork {
    /// Counts one more piece of work until the guard is dropped.
    pub(crate) fn start(self: &Arc<Self>) -> Running {
        self.running
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Running(self.clone())
    }

    /// Completes when no after-response work is running.
    pub(crate) async fn idle(&self) {
        loop {
            let notified = self.idle.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.running.load(std::sync::atomic::Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let before = self
            .0
            .running
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        if before == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

impl AppState {
    /// Makes the slot of app-scoped provider `id` ahead of its first use,
    /// so that requests read it without a lock.
    pub(crate) fn register_slot(&mut self, id: TypeId) {
        self.registered.entry(id).or_default();
    }

    /// The slot of the app-scoped value of provider `id`, created empty.
    pub(crate) fn slot(&self, id: TypeId) -> Slot {
        if !self.retired.load(Ordering::Acquire) {
            if let Some(slot) = self.registered.get(&id) {
                return slot.clone();
            }
        }
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.entry(id).or_default().clone()
    }

    /// The value of app-scoped provider `id` if it is built and its slot
    /// was registered: no lock, no allocation.
    pub(crate) fn built(&self, id: TypeId) -> Option<&Shared> {
        if self.retired.load(Ordering::Acquire) {
            return None;
        }
        self.registered.get(&id)?.get()
    }

    /// Keeps the cleanup of an app-scoped value for shutdown.
    pub(crate) fn keep_cleanup(&self, cleanup: Cleanup) {
        self.cleanups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(cleanup);
    }

    /// Runs the cleanups of app-scoped values, the last built first, and
    /// forgets the values, so that a later request builds them anew.
    /// A failing cleanup is logged and does not stop the others.
    pub(crate) async fn shut_down(&self) {
        let cleanups =
            std::mem::take(&mut *self.cleanups.lock().unwrap_or_else(|p| p.into_inner()));
        self.retired.store(true, Ordering::Release);
        self.slots.lock().unwrap_or_else(|p| p.into_inner()).clear();
        let outcome = Outcome::new(http::StatusCode::OK, None);
        for cleanup in cleanups.into_iter().rev() {
            if let Err(error) = cleanup.run(&outcome).await {
                crate::log::error!(
                    "an app-scoped dependency's cleanup failed at shutdown: {error}"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_slot_per_provider_and_cleanups_run_last_first() {
        let state = AppState::default();
        let a = state.slot(TypeId::of::<u8>());
        let again = state.slot(TypeId::of::<u8>());
        assert!(Arc::ptr_eq(&a, &again));
        let order = Arc::new(Mutex::new(Vec::new()));
        for n in [1, 2] {
            let order = order.clone();
            let (_, cleanup) = Yield::new((), move |_| async move {
                order.lock().unwrap().push(n);
                Ok(())
            })
            .into_parts();
            state.keep_cleanup(cleanup);
        }
        state.shut_down().await;
        assert_eq!(*order.lock().unwrap(), [2, 1]);
        assert!(!Arc::ptr_eq(&a, &state.slot(TypeId::of::<u8>())));
    }

    #[tokio::test]
    async fn a_registered_slot_is_read_without_a_lock_until_shutdown() {
        let mut state = AppState::default();
        let id = TypeId::of::<u16>();
        state.register_slot(id);
        assert!(state.built(id).is_none(), "not built yet");
        let slot = state.slot(id);
        slot.get_or_init(|| async { Arc::new(7u16) as Shared })
            .await;
        let value = state.built(id).expect("built, found without the lock");
        assert_eq!(value.downcast_ref::<u16>(), Some(&7));
        assert!(
            state.slots.lock().unwrap().is_empty(),
            "the lock was not used"
        );
        // After a shutdown a later run builds anew, in the locked map.
        state.shut_down().await;
        assert!(state.built(id).is_none());
        assert!(state.slot(id).get().is_none());
    }
}

/// The proxies whose `X-Forwarded-*` headers the app believes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Proxies {
    pub(crate) any: bool,
    pub(crate) addresses: Vec<std::net::IpAddr>,
}

impl Proxies {
    /// True when a request from `peer` may be believed.
    pub(crate) fn trusts(&self, peer: Option<std::net::IpAddr>) -> bool {
        self.any || peer.is_some_and(|ip| self.trusts_ip(ip))
    }

    /// True when `ip` is a trusted proxy's.
    pub(crate) fn trusts_ip(&self, ip: std::net::IpAddr) -> bool {
        self.any || self.addresses.contains(&ip)
    }
}
