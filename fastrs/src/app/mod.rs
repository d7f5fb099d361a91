//! [`App`]: the builder of an application (routes, dependencies, error
//! handlers, limits, docs settings, lifespan hooks).
//!
//! The app's parts, one file each:
//! - this file: the builder, which checks everything it is given at once
//!   (route conflicts, dependency cycles, bad patterns: startup panics that
//!   name the route);
//! - `dispatch`: what happens to every request, from [`App::handle`] to
//!   the endpoint's pipeline ([`crate::pipeline`]) and back;
//! - `service`: `App` as a tower `Service`, and tower layers;
//! - [`lifespan`]: startup and shutdown (FastAPI's lifespan);
//! - `router`: [`Router`], routes grouped under a prefix, tags and
//!   dependencies;
//! - `docs`: the OpenAPI document and the docs pages, as routes;
//! - [`server`]: serving over TCP with hyper;
//! - `access_log`: the server's line per request ([`AccessLog`]);
//! - `request_id`: each request's id ([`RequestId`]);
//! - `metrics`: Prometheus metrics (feature `metrics`); traces (feature
//!   `opentelemetry`) are the `traces` module's;
//! - [`testing`]: `TestClient`, driving the app in-process.
//!
//! Configure routes and handlers first: serving, cloning or layering the
//! app freezes what it holds.

mod access_log;
mod connection_clock;
mod default_class;
mod dispatch;
mod docs;
mod layered;
pub mod lifespan;
#[cfg(feature = "metrics")]
pub(crate) mod metrics;
mod mount;
mod request_id;
mod router;
pub mod server;
mod service;
#[cfg(feature = "websockets")]
mod test_websocket;
pub mod testing;

use std::any::TypeId;
use std::sync::Arc;
use std::time::Duration;

use http::request::Parts;

use crate::decl::{EndpointInfo, ProviderInfo};
use crate::di::{AnyProvider, Dependency, Depends, IntoProvider, Provider};
use crate::error::{ErrorHandler, ErrorHandlers, RequestValidationError};
use crate::extract::{validation_failed, RequestContext};
use crate::model::ValidationErrors;
use crate::openapi::{OpenApi, ResponseSchema};
use crate::pipeline::{AnswerAtOnce, Endpoint, IntoEndpoint, RouterScope};
use crate::response::{Body, IntoResponse, Response};
use crate::routing::RouteTable;
use crate::state::AppState;
pub use access_log::{AccessFormat, AccessLog};
use docs::DocsState;
pub use request_id::{RequestId, REQUEST_ID_HEADER};
pub use router::Router;

pub use dispatch::DispatchFuture;
pub use docs::DocsUrls;
pub use lifespan::{HookOutcome, StartupError};
pub use mount::MountedAt;
#[cfg(feature = "static-files")]
pub(crate) use mount::{redirect_with_slash, Origin};
pub use service::{AppFuture, Routes};

/// The default request body limit: 2 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// What the route table holds for one method of one path: the endpoint and
/// the dependencies of the routers it was included through (outermost
/// first; `None` when there are none).
#[derive(Clone)]
pub(crate) struct Route {
    pub(crate) endpoint: Arc<dyn Endpoint>,
    pub(crate) routers: Option<Arc<RouterScope>>,
    /// The endpoint as one that answers in place, when it is one and its
    /// routers give it no dependency (the app's are checked per request:
    /// they may be added after the route).
    pub(crate) at_once: Option<InPlace>,
}

/// An endpoint that answers in place ([`AnswerAtOnce`]), with what its own
/// dependency arguments need for that to hold on a given request.
#[derive(Clone)]
pub(crate) struct InPlace {
    pub(crate) endpoint: Arc<dyn AnswerAtOnce>,
    /// `None` when the endpoint resolves no dependency. Else the app-scoped
    /// values its dependencies read: a request is answered in place only
    /// when they are all built (a first request may have to wait for
    /// another that is building one) and no provider is overridden (a
    /// replacement may wait; overrides may be added after the route).
    dependencies: Option<Box<[TypeId]>>,
}

impl InPlace {
    /// `endpoint` as registered for a route whose own dependency arguments
    /// resolve `providers`.
    fn new(endpoint: Arc<dyn AnswerAtOnce>, providers: &[ProviderInfo]) -> Self {
        let dependencies =
            (!providers.is_empty()).then(|| crate::di::app_scoped(providers).into_boxed_slice());
        InPlace {
            endpoint,
            dependencies,
        }
    }

    /// True when this request can be answered in place (see
    /// [`InPlace::dependencies`]).
    #[inline]
    pub(crate) fn ready(&self, state: &AppState) -> bool {
        match &self.dependencies {
            None => true,
            Some(app_values) => dependencies_ready(state, app_values),
        }
    }
}

/// No provider overridden, and `app_values` built. Not inlined: the
/// routes without dependencies, which the dispatcher inlines, stay small.
#[inline(never)]
fn dependencies_ready(state: &AppState, app_values: &[TypeId]) -> bool {
    state.overrides.is_empty() && app_values.iter().all(|&id| state.built(id).is_some())
}

/// What to do with a request for a path that is a route only with (or
/// without) a trailing slash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrailingSlash {
    /// Answer 307 to the other form, as Starlette (and so FastAPI) does.
    #[default]
    Redirect,
    /// Answer as the other form's route: both forms work.
    Ignore,
    /// 404: only the path as declared answers.
    Strict,
}

/// The address of the peer a request came from, in the extensions of a
/// request that tower layers, middleware or a mounted app see (an endpoint
/// reads it with [`Client`](crate::extract::Client)). Whoever serves an
/// app through [`App::handle`] may put one there too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub std::net::SocketAddr);

/// What every request reads: the routes, the app's state and dependencies,
/// the limits, and the docs.
pub(crate) struct Shared {
    pub(crate) routes: RouteTable<Route>,
    pub(crate) state: Arc<AppState>,
    pub(crate) body_limit: usize,
    /// The app's dependencies, run before every route's (`None`: none).
    pub(crate) dependencies: Option<Arc<[AnyProvider]>>,
    endpoints: Vec<EndpointInfo>,
    pub(crate) docs: Arc<DocsState>,
    pub(crate) lifespan: lifespan::Lifespan,
    pub(crate) trailing_slash: TrailingSlash,
    /// Redirect every plain-HTTP request to HTTPS ([`App::https_redirect`]).
    pub(crate) https_redirect: bool,
    /// Give every request an id ([`App::request_ids`]).
    pub(crate) request_ids: bool,
    /// How requests enter the app ([`App::entry`]): set again whenever a
    /// setting it depends on changes.
    pub(crate) entry: service::Entry,
    /// The app's metrics ([`App::metrics`]).
    #[cfg(feature = "metrics")]
    pub(crate) metrics: Option<Arc<metrics::Metrics>>,
    /// The app's traces ([`App::traces`]).
    #[cfg(feature = "opentelemetry")]
    pub(crate) traces: Option<Arc<crate::traces::Traces>>,
    /// The most query parameters a request may send.
    pub(crate) max_query_params: usize,
    /// Services mounted under a prefix, asked when no route matches.
    pub(crate) mounts: Vec<mount::Mount>,
    /// How the text routes return is sent (`default_response_class`).
    default_class: Option<default_class::DefaultClass>,
}

/// Settings of the HTTP server started by [`App::serve`].
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// How long an HTTP/1 connection may wait for its next request head
    /// once its responses are sent (default 30 s; `None`: no limit); see
    /// [`App::header_read_timeout`].
    pub header_read_timeout: Option<Duration>,
    /// How long in-flight requests may run after SIGINT/SIGTERM (default 30 s).
    pub shutdown_timeout: Duration,
    /// How long a new connection may take to send the first 24 bytes (what
    /// tells HTTP/1 from HTTP/2) before it is closed (default 10 s).
    pub first_bytes_timeout: Duration,
    /// How many connections are served at once; beyond, new connections
    /// are closed at once, with a log line (default 10,000).
    pub max_connections: usize,
    /// How often an HTTP/2 connection is pinged, and how long the answer
    /// may take before the connection is closed (default 20 s; with the
    /// `http2` feature).
    #[cfg(feature = "http2")]
    pub http2_keep_alive: Duration,
    /// How long a connection may go without a new request before it is
    /// closed gracefully (default 60 s; HTTP/2 gets a GOAWAY).
    pub idle_timeout: Duration,
    /// One line per request answered (default: uvicorn's plain line on
    /// standard output); see [`App::access_log`].
    pub access_log: AccessLog,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            header_read_timeout: Some(Duration::from_secs(30)),
            shutdown_timeout: Duration::from_secs(30),
            first_bytes_timeout: Duration::from_secs(10),
            max_connections: 10_000,
            #[cfg(feature = "http2")]
            http2_keep_alive: Duration::from_secs(20),
            idle_timeout: Duration::from_secs(60),
            access_log: AccessLog::default(),
        }
    }
}

/// A fastrs application: routes plus settings. Serve it with
/// [`App::serve`], drive it in tests with
/// [`TestClient`](crate::testing::TestClient), or use it as a tower `Service`.
///
/// ```no_run
/// use fastrs::prelude::*;
///
/// #[endpoint(GET "/")]
/// async fn root() -> Json<serde_json::Value> {
///     Json(serde_json::json!({"message": "Hello World"}))
/// }
///
/// #[tokio::main]
/// async fn main() -> std::io::Result<()> {
///     App::new().route(root).serve().await
/// }
/// ```
#[derive(Clone)]
pub struct App {
    pub(crate) shared: Arc<Shared>,
    layered: Option<Routes>,
    pub(crate) server: ServerConfig,
}

impl Default for App {
    fn default() -> Self {
        App::new()
    }
}

impl App {
    /// An app with no routes and the default settings; the docs pages are
    /// routes of its table from the start.
    pub fn new() -> Self {
        let docs = Arc::new(DocsState::default());
        let mut routes = RouteTable::default();
        docs.insert_routes(&mut routes);
        App {
            shared: Arc::new(Shared {
                routes,
                state: Arc::default(),
                body_limit: DEFAULT_BODY_LIMIT,
                dependencies: None,
                endpoints: Vec::new(),
                docs,
                lifespan: lifespan::Lifespan::default(),
                trailing_slash: TrailingSlash::default(),
                https_redirect: false,
                request_ids: false,
                entry: App::routed,
                #[cfg(feature = "metrics")]
                metrics: None,
                #[cfg(feature = "opentelemetry")]
                traces: None,
                max_query_params: 1000,
                mounts: Vec::new(),
                default_class: None,
            }),
            layered: None,
            server: ServerConfig::default(),
        }
    }

    pub(crate) fn shared_mut(&mut self, what: &str) -> &mut Shared {
        match Arc::get_mut(&mut self.shared) {
            Some(shared) => shared,
            None => panic!(
                "fastrs: cannot {what} after the app was layered, cloned or served; \
                 configure routes and handlers first, then call .layer()"
            ),
        }
    }

    fn state_mut(&mut self, what: &str) -> &mut AppState {
        let shared = self.shared_mut(what);
        match Arc::get_mut(&mut shared.state) {
            Some(state) => state,
            None => panic!("fastrs: cannot {what} while requests are being served"),
        }
    }

    /// Registers an endpoint (a function marked `#[endpoint]`).
    ///
    /// # Panics
    /// At startup, with a message naming the route, when the route conflicts
    /// with one already registered, its template is invalid, or a `pattern`
    /// does not compile. (Dependencies that form a cycle do not build: a
    /// chain of providers resolves as one future.)
    pub fn route<F, E>(self, endpoint: F) -> Self
    where
        F: FnOnce() -> E,
        E: IntoEndpoint,
    {
        self.route_erased(endpoint().into_endpoint())
    }

    /// [`App::route`] once the endpoint's type is erased: one copy, where
    /// the generic part is one call per endpoint.
    fn route_erased(self, endpoint: Arc<dyn crate::pipeline::Endpoint>) -> Self {
        let info = endpoint.info();
        self.add(endpoint, info, Vec::new(), Vec::new())
    }

    /// Sends the text routes return (`String`, `&'static str`) as the class
    /// `C` and documents it so (FastAPI's
    /// `FastAPI(default_response_class=HTMLResponse)`), unless the route or
    /// one of its routers names a class of its own. A route that returns
    /// another type (a model, `Json`, `Html`) is sent as its type says.
    ///
    /// # Panics
    /// When routes were added before it: it covers every route, so it
    /// comes first, as FastAPI takes it in `FastAPI(...)`.
    pub fn default_response_class<C: crate::response::TextClass + crate::openapi::ResponseClass>(
        mut self,
    ) -> Self {
        let shared = self.shared_mut("set the default response class");
        if !shared.endpoints.is_empty() {
            panic!(
                "fastrs: App::default_response_class comes before the routes it covers (`{}` was added first)\nhelp: call it right after App::new()",
                shared.endpoints[0].name
            );
        }
        shared.default_class = Some(default_class::DefaultClass::of::<C>());
        self
    }

    /// Makes the operations' unique ids with `f` (FastAPI's
    /// `generate_unique_id_function`): their `operationId` (unless
    /// `operation_id` is given, which is the unique id then) and the names
    /// of their `Body_...` and response schemas, for clients generated from
    /// the document. A
    /// router's own wins for its routes.
    ///
    /// ```
    /// use fastrs::prelude::*;
    /// use fastrs::decl::EndpointInfo;
    ///
    /// /// FastAPI's recipe: the first tag, then the function's name.
    /// fn tag_and_name(info: &EndpointInfo) -> String {
    ///     format!("{}-{}", info.tags.first().copied().unwrap_or("default"), info.name)
    /// }
    ///
    /// let app = App::new().generate_unique_id_function(tag_and_name);
    /// ```
    pub fn generate_unique_id_function(self, f: crate::openapi::UniqueId) -> Self {
        self.shared.docs.edit(|d| d.unique_id = Some(f));
        self
    }

    /// Gives Swagger UI these parameters, over fastrs's defaults (FastAPI's
    /// `swagger_ui_parameters`): `json!({"syntaxHighlight": false})`,
    /// `{"deepLinking": false}`, `{"syntaxHighlight": {"theme":
    /// "obsidian"}}`. Each is written into the page as JSON.
    pub fn swagger_ui_parameters(self, parameters: serde_json::Value) -> Self {
        if let serde_json::Value::Object(parameters) = parameters {
            self.shared
                .docs
                .edit(|d| d.swagger_parameters.extend(parameters));
        }
        self
    }

    /// What Swagger UI's `ui.initOAuth` is given (FastAPI's
    /// `swagger_ui_init_oauth`): `json!({"clientId": "...", "appName":
    /// "...", "usePkceWithAuthorizationCodeGrant": true})`. Flows that
    /// redirect come back to `/docs/oauth2-redirect`, which fastrs serves.
    pub fn swagger_ui_init_oauth(self, settings: serde_json::Value) -> Self {
        self.shared.docs.edit(|d| d.init_oauth = Some(settings));
        self
    }

    /// Changes the document before it is served at `/openapi.json` (and
    /// printed by the `openapi` argument), once, when it is first built:
    /// FastAPI's `app.openapi = custom_openapi`, for what no declaration
    /// says (`info.x-logo`, a vendor extension, a rewritten part). `/docs`
    /// and `/redoc` show the changed document. [`App::openapi`] stays the
    /// document as declared.
    pub fn customize_openapi<F>(self, change: F) -> Self
    where
        F: Fn(&mut serde_json::Value) + Send + Sync + 'static,
    {
        self.shared
            .docs
            .edit(|d| d.customize = Some(Arc::new(change)));
        self
    }

    /// Documents a webhook (FastAPI's `@app.webhooks.post("name")`): a
    /// request the app sends to its users' URLs, described by an endpoint
    /// marked `#[endpoint(POST "new-subscription", webhook)]` whose body
    /// and answer are the webhook's. It is listed under `webhooks` in the
    /// document, never routed; its function is never called.
    pub fn webhook<F, E>(self, endpoint: F) -> Self
    where
        F: FnOnce() -> E,
        E: IntoEndpoint,
    {
        let info = endpoint().into_endpoint().info();
        self.shared.docs.edit(|d| d.webhooks.push(info));
        self
    }

    /// Documents the statuses fastrs answers on its own, so that a client
    /// generated from the document can read them and no answer goes
    /// undocumented: on each operation that reads a body, 400 (a body that
    /// cannot be parsed) and 413 (over the body limit); on each one with a
    /// security scheme, 401 (no credentials). Each is `{"detail": "..."}`,
    /// the `HTTPError` component, unless the route documents that status
    /// itself. Off by default, so that a port's document stays FastAPI's.
    pub fn document_framework_answers(self) -> Self {
        self.shared.docs.edit(|d| d.framework_answers = true);
        self
    }

    /// Registers every route of `router`, with its prefix, tags and
    /// dependencies.
    ///
    /// # Panics
    /// As [`App::route`].
    pub fn include(mut self, router: Router) -> Self {
        let router = Router::new().include(router);
        for route in router.routes {
            self = self.add(route.endpoint, route.info, route.routers, route.handlers);
        }
        self
    }

    /// Runs `provider` before every route's own dependencies (FastAPI's
    /// `FastAPI(dependencies=[...])`); its value is discarded.
    pub fn dependency<F, M>(mut self, provider: F) -> Self
    where
        F: IntoProvider<M>,
    {
        let provider = AnyProvider::new(provider.into_provider());
        let info = provider.info();
        let shared = self.shared_mut("add an app dependency");
        shared.docs.edit(|d| d.app_dependencies.push(info));
        let mut all: Vec<AnyProvider> = shared
            .dependencies
            .iter()
            .flat_map(|d| d.to_vec())
            .collect();
        all.push(provider);
        shared.dependencies = Some(all.into());
        self
    }

    /// Replaces the provider `original` with `replacement` in this app only
    /// (FastAPI's `app.dependency_overrides[original] = replacement`): every
    /// use of `original`'s value gets `replacement`'s, and the replacement's
    /// own parameters are read instead of the original's. For tests.
    ///
    /// # Panics
    /// If the replacement's dependencies form a cycle.
    ///
    /// `original` is a `#[dependency]` function (`get_db`) or a configured
    /// provider (`&CHECKER`); `replacement` a function of the same value
    /// type, or a provider value ([`Given`](crate::di::Given)).
    pub fn dependency_override<F, G, MF, MG>(mut self, original: F, replacement: G) -> Self
    where
        F: IntoProvider<MF>,
        G: IntoProvider<MG>,
        G::Provider: Provider<Output = <F::Provider as Provider>::Output>,
    {
        let _ = original;
        let replacement = replacement.into_provider();
        crate::di::check_graph("a dependency override", &[Provider::info(&replacement)]);
        let state = self.state_mut("override a dependency");
        crate::di::insert_override(
            &mut state.overrides,
            TypeId::of::<F::Provider>(),
            AnyProvider::new(replacement),
        );
        self
    }

    fn add(
        mut self,
        mut endpoint: Arc<dyn Endpoint>,
        mut info: EndpointInfo,
        routers: Vec<AnyProvider>,
        handlers: Vec<Arc<ErrorHandlers>>,
    ) -> Self {
        if info.documents_only {
            panic!(
                "fastrs: `{}` ({}) is only documented, never routed: register a webhook with App::webhook, and list a callback in its operation's `callbacks = [...]`",
                info.name, info.path
            );
        }
        if let Some(class) = &self.shared.default_class {
            class.claim(&mut endpoint, &mut info);
        }
        let route = format!("{} {}", info.method, info.path);
        let app_dependencies = self.shared.dependencies.iter().flat_map(|d| d.iter());
        let mut roots: Vec<ProviderInfo> = app_dependencies.map(AnyProvider::info).collect();
        roots.extend(routers.iter().map(AnyProvider::info));
        roots.extend(info.dependencies.iter().cloned());
        crate::di::check_graph(&route, &roots);
        // Slots for the route's shared state, read without a lock. (An app
        // whose state is already shared falls back to the locked map.)
        if let Some(state) =
            Arc::get_mut(&mut self.shared).and_then(|shared| Arc::get_mut(&mut shared.state))
        {
            for id in crate::di::app_scoped(&roots) {
                state.register_slot(id);
            }
        }
        for spec in &info.params {
            if let Some(pattern) = spec.constraints.pattern {
                if let Err(error) = pattern.check() {
                    panic!(
                        "fastrs: in `{} {}`, the pattern of `{}` does not compile: {error}",
                        info.method, info.path, spec.name
                    );
                }
            }
        }
        let at_once = if routers.is_empty() {
            let at_once = endpoint.clone().at_once();
            at_once.map(|at_once| InPlace::new(at_once, &info.dependencies))
        } else {
            None
        };
        let shared = self.shared_mut("add a route");
        let entry = Route {
            endpoint,
            at_once,
            routers: (!routers.is_empty() || !handlers.is_empty()).then(|| {
                Arc::new(RouterScope {
                    dependencies: routers,
                    handlers,
                })
            }),
        };
        if let Err(message) = shared.routes.insert(info.method.clone(), &info.path, entry) {
            let first = shared
                .endpoints
                .iter()
                .find(|e| e.method == info.method && e.path == info.path);
            match first {
                Some(first) => panic!(
                    "fastrs: {message}: by `{}` and by `{}`\nhelp: give one of them another path or method, or register it once",
                    first.name, info.name
                ),
                None => panic!("fastrs: {message}"),
            }
        }
        shared.docs.add_endpoint(info.clone());
        shared.endpoints.push(info);
        self
    }

    /// Maps an error type to a response, app-wide (FastAPI's
    /// `exception_handler`): `Fn(E) -> R`, or `Fn(&Parts, E) -> R` to read
    /// the request's method, URI and headers. A handler returning
    /// `Result<_, fastrs::Error>` whose error is an `E` is answered by
    /// `handler`. Two error types are raised by fastrs itself:
    /// [`HttpError`](crate::error::HttpError) (FastAPI's `HTTPException` handler:
    /// every `HttpError`, from handlers, dependencies, 404 and 405) and
    /// [`RequestValidationError`] (FastAPI's handler of the same name; see
    /// also [`App::validation_error_handler`], which documents its answer).
    ///
    /// # Panics
    /// When `E` has a handler already: the second could never run.
    pub fn error_handler<E, M, H>(mut self, handler: H) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
        H: ErrorHandler<E, M>,
    {
        let state = self.state_mut("add an error handler");
        if let Err(message) = state.errors.insert::<E, M, H>(handler) {
            panic!("fastrs: {message}");
        }
        self
    }

    /// Changes the answer to invalid input (FastAPI's default: 422 with
    /// `{"detail": [...]}`): `handler` builds the body from the request and
    /// the errors, the answer has `status`, and the OpenAPI document lists
    /// `status` with `R`'s schema on every operation with inputs instead of
    /// the 422.
    ///
    /// ```
    /// use fastrs::prelude::*;
    /// use fastrs::error::RequestValidationError;
    ///
    /// #[model]
    /// struct Problem {
    ///     title: String,
    ///     errors: serde_json::Value,
    /// }
    ///
    /// let app = App::new().validation_error_handler(
    ///     StatusCode::BAD_REQUEST,
    ///     |_: &fastrs::http::request::Parts, e: RequestValidationError| {
    ///         Problem { title: "Invalid input".into(), errors: e.detail() }
    ///     },
    /// );
    /// ```
    ///
    /// # Panics
    /// When a handler for [`RequestValidationError`] is registered already.
    pub fn validation_error_handler<R, F>(mut self, status: http::StatusCode, handler: F) -> Self
    where
        R: crate::response::IntoResponse + ResponseSchema,
        F: Fn(&Parts, RequestValidationError) -> R + Send + Sync + 'static,
    {
        let answer = move |head: &Parts, error: RequestValidationError| {
            let mut response = handler(head, error).into_response();
            *response.status_mut() = status;
            response
        };
        self = self.error_handler(answer);
        self.shared_mut("document the validation answer")
            .docs
            .set_validation_answer(status, R::response_schema);
        self
    }

    /// What a path that is a route only with (or without) a trailing slash
    /// gets: Starlette's 307 to the other form (the default), the other
    /// form's answer, or 404.
    pub fn trailing_slash(mut self, policy: TrailingSlash) -> Self {
        self.shared_mut("set the trailing-slash policy")
            .trailing_slash = policy;
        self
    }

    /// Redirects every request that did not come over TLS to the same URL
    /// with `https` (`wss` for a WebSocket handshake), 307, as FastAPI's
    /// `HTTPSRedirectMiddleware` (Starlette's): the ports 80 and 443 are
    /// left out of the new URL, any other is kept. Behind a proxy that
    /// terminates TLS, trust it ([`App::trust_proxies`]) so that its
    /// `X-Forwarded-Proto: https` lets the request through.
    pub fn https_redirect(mut self) -> Self {
        self.shared_mut("redirect to HTTPS").https_redirect = true;
        self
    }

    /// Serves Prometheus metrics at `path` (feature `metrics`; left out of
    /// the OpenAPI document): the histogram
    /// `http_server_request_duration_seconds` and the gauge
    /// `http_server_active_requests`, labelled by `http_request_method`,
    /// `http_route` (the route's template, never the path sent) and
    /// `http_response_status_code`, and (with the feature `websockets`)
    /// the gauge `websocket_sessions_active`, in the OpenMetrics text
    /// Prometheus scrapes.
    ///
    /// # Panics
    /// When `path` is already a route.
    #[cfg(feature = "metrics")]
    pub fn metrics(mut self, path: &str) -> Self {
        let metrics = Arc::new(metrics::Metrics::new());
        #[cfg(feature = "websockets")]
        {
            self.state_mut("serve metrics").open_websockets = Some(metrics.websockets());
        }
        let shared = self.shared_mut("serve metrics");
        shared.metrics = Some(metrics.clone());
        if let Err(message) = shared
            .routes
            .insert(http::Method::GET, path, metrics::route(metrics))
        {
            panic!("fastrs: the metrics page `{path}`: {message}");
        }
        self.choose_entry();
        self
    }

    /// Traces every request (feature `opentelemetry`): a server span after
    /// OpenTelemetry's HTTP conventions (named `GET /items/{item_id}`,
    /// with `http.request.method`, `http.route`, `url.path`,
    /// `client.address` and `http.response.status_code`), continuing the
    /// W3C `traceparent` the request carries, and a child span for each
    /// dependency provider that runs and for the handler, given to
    /// `provider`'s processors. [`crate::traces::from_env`] makes the
    /// provider the `OTEL_*` variables describe. The spans still waiting
    /// are exported when the server stops.
    ///
    /// ```
    /// use fastrs::prelude::*;
    /// use fastrs::traces::opentelemetry_sdk::trace::SdkTracerProvider;
    ///
    /// let provider = SdkTracerProvider::builder().build();
    /// let app = App::new().traces(provider);
    /// ```
    #[cfg(feature = "opentelemetry")]
    pub fn traces(
        mut self,
        provider: crate::traces::opentelemetry_sdk::trace::SdkTracerProvider,
    ) -> Self {
        self.shared_mut("trace requests").traces =
            Some(Arc::new(crate::traces::Traces::new(provider)));
        self.choose_entry();
        self
    }

    /// Gives every request an id: the `X-Request-ID` a trusted proxy
    /// ([`App::trust_proxies`]) sends, or 32 hex digits generated for it.
    /// The answer carries it in `X-Request-ID` (unless the handler set
    /// one), the access line ends with it, every log event of the request
    /// is in a `tracing` span `request` that has it, a handler reads it as
    /// a [`RequestId`] argument and an exception handler in the head's
    /// extensions. Off by default: FastAPI sends no such header.
    pub fn request_ids(mut self) -> Self {
        self.shared_mut("give requests ids").request_ids = true;
        self.choose_entry();
        self
    }

    /// Sets how requests enter the app from its settings ([`App::entry`]).
    fn choose_entry(&mut self) {
        let entry = self.entry();
        self.shared_mut("change how requests enter").entry = entry;
    }

    /// Believes the `X-Forwarded-Proto` and `X-Forwarded-Host` headers of
    /// requests from these proxy addresses (`"*"`: from anyone, only when
    /// no client can reach the app directly), so that the app's redirects
    /// keep the client's scheme and host behind TLS termination (uvicorn's
    /// `--forwarded-allow-ips`). By default no proxy is trusted.
    ///
    /// # Panics
    /// On an entry that is not an IP address or `*` (the programmer's,
    /// checked at startup).
    pub fn trust_proxies<'a>(mut self, proxies: impl IntoIterator<Item = &'a str>) -> Self {
        let trusted = &mut self.state_mut("trust proxies").proxies;
        for proxy in proxies {
            if proxy == "*" {
                trusted.any = true;
                continue;
            }
            match proxy.parse() {
                Ok(address) => trusted.addresses.push(address),
                Err(_) => panic!("fastrs: trust_proxies: {proxy:?} is not an IP address or \"*\""),
            }
        }
        self
    }

    /// Whether a JSON body must say so with its `Content-Type` (the
    /// default, as FastAPI's `strict_content_type=True`). With `false`, a
    /// body sent without any `Content-Type` is read as JSON (clients that
    /// send none); one sent as `text/plain` or a form is still not. An
    /// endpoint may say otherwise: `#[endpoint(..., strict_content_type =
    /// false)]`.
    ///
    /// The default guards an app that trusts its network (no
    /// authentication, on localhost) against a page that posts to it
    /// without a `Content-Type`, which browsers send without a CORS
    /// preflight.
    pub fn strict_content_type(mut self, strict: bool) -> Self {
        self.state_mut("set strict_content_type")
            .strict_content_type = strict;
        self
    }

    /// The largest request body extractors read, in bytes (default 2 MiB);
    /// larger bodies get 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.shared_mut("set the body limit").body_limit = bytes;
        self
    }

    /// The largest WebSocket message (and frame) a client may send, in
    /// bytes (default 1 MiB); a larger one closes the connection with
    /// `1009`.
    #[cfg(feature = "websockets")]
    #[cfg_attr(docsrs, doc(cfg(feature = "websockets")))]
    pub fn websocket_max_message(mut self, bytes: usize) -> Self {
        self.state_mut("set the WebSocket message limit")
            .websocket_max_message = bytes;
        self
    }

    /// Without the feature `websockets`: a compile error that names it.
    #[cfg(not(feature = "websockets"))]
    #[doc(hidden)]
    pub fn websocket_max_message<N: crate::feature_off::WebSocketsOn>(self, bytes: N) -> Self {
        bytes.unavailable()
    }

    /// The settings the app's server runs with ([`App::serve`]).
    pub fn server_config(&self) -> &ServerConfig {
        &self.server
    }

    /// How the server logs the requests it answers: on by default, one
    /// plain line per request on standard output, as uvicorn's
    /// (`INFO:     127.0.0.1:51234 - "GET /items/5 HTTP/1.1" 200 OK 0.41ms`);
    /// [`AccessLog::json`] for JSON lines, [`AccessLog::off`] for none.
    /// With a `tracing` subscriber installed, each line is an event of
    /// target `fastrs::access` instead. Lines are written by a thread of
    /// their own, in batches: a request never waits for them.
    pub fn access_log(mut self, log: AccessLog) -> Self {
        self.server.access_log = log;
        self
    }

    /// How long an HTTP/1 connection may wait for its next request head,
    /// once every response on it has been sent, before it is closed
    /// without an answer (default 30 s): a client that sends half a head
    /// and stalls, or holds a connection without using it, is
    /// disconnected. A slow handler or a slow download is never cut (the
    /// wait starts when the response is done; writes count as progress).
    /// Checked eight times per timeout by the server's clock thread: a
    /// waiting connection closes between one and 1.25 timeouts after it
    /// began waiting. It costs nothing per request. `None` turns it off, letting idle or slow clients hold
    /// connections until the idle timeout.
    pub fn header_read_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.server.header_read_timeout = timeout.into();
        self
    }

    /// How long a new connection may take to send its first bytes before
    /// it is closed (default 10 s): a client that connects and sends
    /// nothing, or part of an HTTP/2 preface, does not hold a connection.
    pub fn first_bytes_timeout(mut self, timeout: Duration) -> Self {
        self.server.first_bytes_timeout = timeout;
        self
    }

    /// How many connections are served at once (default 10,000; keep it
    /// under the process's file-descriptor limit). Beyond, a new
    /// connection is closed at once and the server says so in its log.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.server.max_connections = connections.max(1);
        self
    }

    /// The most query parameters a request may send (default 1,000);
    /// beyond, it is answered 400 before routing, so that no parser works
    /// through an unbounded list.
    pub fn max_query_params(mut self, count: usize) -> Self {
        self.shared_mut("set the query parameter limit")
            .max_query_params = count;
        self
    }

    /// The most cookies a request may send (default 200); beyond, a
    /// request that reads a cookie is answered 400 before any is parsed.
    pub fn max_cookies(mut self, count: usize) -> Self {
        self.state_mut("set the cookie limit").max_cookies = count;
        self
    }

    /// The most fields and files a form may have (default 1,000, as
    /// Starlette); beyond, the request is answered 400 and the parts read
    /// so far are dropped.
    #[cfg(feature = "forms")]
    #[cfg_attr(docsrs, doc(cfg(feature = "forms")))]
    pub fn max_form_parts(mut self, count: usize) -> Self {
        self.state_mut("set the form part limit").max_form_parts = count;
        self
    }

    /// Without the feature `forms`: a compile error that names it.
    #[cfg(not(feature = "forms"))]
    #[doc(hidden)]
    pub fn max_form_parts<N: crate::feature_off::FormsOn>(self, count: N) -> Self {
        count.unavailable()
    }

    /// The size past which an uploaded file is kept in a temporary file
    /// instead of memory (default 1 MiB, as Starlette). The body limit
    /// ([`App::body_limit`]) still bounds the whole request.
    #[cfg(feature = "forms")]
    #[cfg_attr(docsrs, doc(cfg(feature = "forms")))]
    pub fn upload_spool_size(mut self, bytes: usize) -> Self {
        self.state_mut("set the upload spool size")
            .upload_spool_size = bytes;
        self
    }

    /// Without the feature `forms`: a compile error that names it.
    #[cfg(not(feature = "forms"))]
    #[doc(hidden)]
    pub fn upload_spool_size<N: crate::feature_off::FormsOn>(self, bytes: N) -> Self {
        bytes.unavailable()
    }

    /// How long a connection may go without a new request before it is
    /// closed (default 60 s): told to finish as at shutdown (HTTP/2's
    /// GOAWAY, HTTP/1's last response), so requests in flight complete.
    /// HTTP/2's keep-alive pings alone would keep an idle connection open
    /// forever. Checked once per period: an idle connection closes between
    /// one and two periods after its last request.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.server.idle_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// How often an HTTP/2 connection is pinged, and how long the answer may
    /// take before the connection is closed (default 20 s). With the
    /// `http2` feature: without it the server speaks HTTP/1.1 only.
    #[cfg(feature = "http2")]
    pub fn http2_keep_alive(mut self, interval: Duration) -> Self {
        self.server.http2_keep_alive = interval;
        self
    }

    /// How long a request body may take to arrive (default 30 s; `None`: no
    /// limit); a body that stalls is answered 408. A body already received
    /// with the head is read without arming a timer; one still on its way
    /// needs tokio's timer (every `#[tokio::main]` runtime has it).
    pub fn body_read_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.state_mut("set the body read timeout")
            .body_read_timeout = timeout.into();
        self
    }

    /// How long in-flight requests may still run after a shutdown signal
    /// (default 30 s).
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.server.shutdown_timeout = timeout;
        self
    }

    /// The API's title in the OpenAPI document (default: the executable's name).
    pub fn title(self, title: &str) -> Self {
        self.shared.docs.edit(|d| d.info.title = title.to_owned());
        self
    }

    /// The API's version in the OpenAPI document (default `0.1.0`).
    pub fn version(self, version: &str) -> Self {
        self.shared
            .docs
            .edit(|d| d.info.version = version.to_owned());
        self
    }

    /// The API's description (Markdown) in the OpenAPI document.
    pub fn description(self, description: &str) -> Self {
        let description = Some(description.to_owned());
        self.shared.docs.edit(|d| d.info.description = description);
        self
    }

    /// The contact object (`{"name", "url", "email"}`).
    pub fn contact(self, contact: serde_json::Value) -> Self {
        self.shared.docs.edit(|d| d.info.contact = Some(contact));
        self
    }

    /// The licence object (`{"name", "url"}` or `{"name", "identifier"}`).
    pub fn license(self, license: serde_json::Value) -> Self {
        self.shared.docs.edit(|d| d.info.license = Some(license));
        self
    }

    /// The path prefix a proxy serves the app under and takes off before
    /// the app sees the path (FastAPI's `root_path`, uvicorn's
    /// `--root-path`): routes are matched without it, the docs pages load
    /// the document through it, the document lists it first in `servers`
    /// (unless [`App::root_path_in_servers`] says not to), and handlers
    /// read it as [`RootPath`](crate::extract::RootPath). Without it,
    /// [`App::serve`] reads the `ROOT_PATH` variable.
    ///
    /// # Panics
    /// When requests are being served already.
    pub fn root_path(mut self, prefix: &str) -> Self {
        let prefix = normalized_root_path(prefix);
        self.state_mut("set the root path").root_path = match prefix {
            Some(prefix) => std::sync::OnceLock::from(prefix),
            None => std::sync::OnceLock::new(),
        };
        self
    }

    /// Whether the root path is listed first in the document's `servers`
    /// (default `true`, FastAPI's `root_path_in_servers`).
    pub fn root_path_in_servers(self, listed: bool) -> Self {
        self.shared.docs.edit(|d| d.root_path_in_servers = listed);
        self
    }

    /// Adds a server URL (with a description) to the document.
    pub fn server(self, url: &str, description: Option<&str>) -> Self {
        let mut server = serde_json::json!({"url": url});
        if let Some(d) = description {
            server["description"] = serde_json::json!(d);
        }
        self.shared.docs.edit(|d| d.servers.push(server));
        self
    }

    /// Describes a tag in the document (FastAPI's `openapi_tags`).
    pub fn tag(self, name: &str, description: &str) -> Self {
        self.push_tag(name, description, None)
    }

    /// Describes a tag with a link to more documentation (`externalDocs`).
    pub fn tag_with_docs(
        self,
        name: &str,
        description: &str,
        docs_description: &str,
        url: &str,
    ) -> Self {
        let docs = serde_json::json!({"description": docs_description, "url": url});
        self.push_tag(name, description, Some(docs))
    }

    fn push_tag(
        self,
        name: &str,
        description: &str,
        external_docs: Option<serde_json::Value>,
    ) -> Self {
        let tag = crate::openapi::Tag {
            name: name.to_owned(),
            description: description.to_owned(),
            external_docs,
        };
        self.shared.docs.edit(|d| d.tags.push(tag));
        self
    }

    /// A short summary of the API, beside its description.
    pub fn summary(self, summary: &str) -> Self {
        let summary = Some(summary.to_owned());
        self.shared.docs.edit(|d| d.info.summary = summary);
        self
    }

    /// The URL of the API's terms of service.
    pub fn terms_of_service(self, url: &str) -> Self {
        let url = Some(url.to_owned());
        self.shared.docs.edit(|d| d.info.terms_of_service = url);
        self
    }

    /// Where the OpenAPI document is served (`None`: nowhere, and the docs
    /// pages are off too). Default `/openapi.json`.
    pub fn openapi_url(self, url: Option<&str>) -> Self {
        self.docs_urls(|urls| urls.openapi = url.map(str::to_owned))
    }

    /// Where Swagger UI is served (`None`: nowhere). Default `/docs`.
    pub fn docs_url(self, url: Option<&str>) -> Self {
        self.docs_urls(|urls| urls.swagger = url.map(str::to_owned))
    }

    /// Where ReDoc is served (`None`: nowhere). Default `/redoc`.
    pub fn redoc_url(self, url: Option<&str>) -> Self {
        self.docs_urls(|urls| urls.redoc = url.map(str::to_owned))
    }

    fn docs_urls(mut self, change: impl FnOnce(&mut DocsUrls)) -> Self {
        let shared = self.shared_mut("move the docs pages");
        shared.docs.remove_routes(&mut shared.routes);
        shared.docs.edit(|d| change(&mut d.urls));
        shared.docs.insert_routes(&mut shared.routes);
        self
    }

    /// The OpenAPI 3.1 document of the app.
    pub fn openapi(&self) -> OpenApi {
        self.shared.docs.document()
    }

    /// The registered endpoints, in registration order.
    pub fn endpoints(&self) -> &[EndpointInfo] {
        &self.shared.endpoints
    }

    /// A context for work outside any request (startup, [`App::resolve`]).
    pub(crate) fn context(&self) -> RequestContext {
        let (head, ()) = http::Request::new(()).into_parts();
        RequestContext::new(head, Body::empty(), Arc::from(Vec::new()), Vec::new(), 0)
            .with_app(self.shared.state.clone())
    }

    /// Resolves an app-scoped (or request-independent) dependency outside
    /// any request: for a CLI, a background job or a test.
    ///
    /// # Errors
    /// The provider's error response, or a 422 response if it needed
    /// request input.
    pub async fn resolve<T: Dependency<P>, P>(&self) -> Result<Depends<T>, Response> {
        let mut cx = self.context();
        let mut errors = ValidationErrors::new();
        match crate::di::resolve::<T::Provider, Depends<T>>(
            &mut cx,
            &crate::di::CACHED,
            &mut errors,
        )
        .await
        {
            Ok(Some(value)) => Ok(value),
            Ok(None) => Err(validation_failed(&errors)),
            Err(rejection) => Err(rejection.into_response()),
        }
    }
}

/// A root path as kept: with a leading `/`, without a trailing one;
/// `None` for an empty one.
pub(crate) fn normalized_root_path(prefix: &str) -> Option<Arc<str>> {
    let trimmed = prefix.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        return None;
    }
    Some(if trimmed.starts_with('/') {
        Arc::from(trimmed)
    } else {
        Arc::from(format!("/{trimmed}"))
    })
}
