//! [`App`]: routes, error handlers and limits, and the request dispatch that
//! ties them together.
//!
//! Dispatch, for every request: decode the path, look it up
//! (the private `routing` module), answer 404/405/307 from the table, or run the
//! endpoint; then resolve a pending [`Error`](crate::Error) through the
//! app's error handlers, turn a panic into a 500, and drop the body of a
//! HEAD answer. The endpoint's future is the only allocation of its own.
//!
//! `App` is a tower `Service`, and [`App::layer`] wraps it in tower layers.
//! Configure routes and handlers first: a layer freezes what it wraps.

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, HOST, LOCATION};
use http::{HeaderValue, Request, StatusCode};
use http_body::Body as _;
use tower::util::BoxCloneSyncService;
use tower::ServiceExt;
use tower_layer::Layer;
use tower_service::Service;

use crate::di::{DiState, Provider, ProviderInfo};
use crate::endpoint::{Endpoint, EndpointInfo, ResponseFuture};
use crate::error::{ErrorHandlers, HttpError};
use crate::extract::RequestContext;
use crate::openapi::ui::{DocsPage, DocsUrls};
use crate::openapi::{Info, OpenApi, Tag};
use crate::response::{internal_server_error, Body, BoxError, IntoResponse, Response};
use crate::router::Router;
use crate::routing::{RouteMatch, RouteTable};

/// The default request body limit: 2 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The service a tower layer wraps: the app's routes, type-erased.
pub type Routes = BoxCloneSyncService<Request<Body>, Response, Infallible>;

/// What every request reads: the routes, the error handlers, the limits.
pub(crate) struct Shared {
    routes: RouteTable,
    errors: ErrorHandlers,
    body_limit: usize,
    endpoints: Vec<EndpointInfo>,
    di: Arc<DiState>,
    docs: Docs,
}

/// The app's OpenAPI settings and, once asked for, its document.
struct Docs {
    urls: DocsUrls,
    info: Info,
    servers: Vec<serde_json::Value>,
    tags: Vec<Tag>,
    document: OnceLock<Bytes>,
}

fn default_title() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "fastrs".to_owned())
}

/// Settings of the HTTP server started by [`App::serve`].
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// How long a client may take to send the request head (default 30 s;
    /// `None`: no limit).
    pub header_read_timeout: Option<Duration>,
    /// How long in-flight requests may run after SIGINT/SIGTERM (default 30 s).
    pub shutdown_timeout: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            header_read_timeout: Some(Duration::from_secs(30)),
            shutdown_timeout: Duration::from_secs(30),
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
    shared: Arc<Shared>,
    layered: Option<Routes>,
    pub(crate) server: ServerConfig,
}

impl Default for App {
    fn default() -> Self {
        App::new()
    }
}

impl App {
    /// An app with no routes and the default settings.
    pub fn new() -> Self {
        App {
            shared: Arc::new(Shared {
                routes: RouteTable::default(),
                errors: ErrorHandlers::default(),
                body_limit: DEFAULT_BODY_LIMIT,
                endpoints: Vec::new(),
                di: Arc::default(),
                docs: Docs {
                    urls: DocsUrls::default(),
                    info: Info {
                        title: default_title(),
                        version: "0.1.0".into(),
                        description: None,
                        contact: None,
                        license: None,
                    },
                    servers: Vec::new(),
                    tags: Vec::new(),
                    document: OnceLock::new(),
                },
            }),
            layered: None,
            server: ServerConfig::default(),
        }
    }

    fn shared_mut(&mut self, what: &str) -> &mut Shared {
        match Arc::get_mut(&mut self.shared) {
            Some(shared) => shared,
            None => panic!(
                "fastrs: cannot {what} after the app was layered, cloned or served; \
                 configure routes and handlers first, then call .layer()"
            ),
        }
    }

    /// Registers an endpoint (a function marked `#[endpoint]`).
    ///
    /// # Panics
    /// At startup, with a message naming the route, when the route conflicts
    /// with one already registered, its template is invalid, a `pattern`
    /// does not compile, or its dependencies form a cycle.
    pub fn route<F, E>(self, endpoint: F) -> Self
    where
        F: FnOnce() -> E,
        E: Endpoint,
    {
        let endpoint = endpoint();
        let info = endpoint.info();
        self.add(Arc::new(endpoint), info, Vec::new())
    }

    /// Registers every route of `router`, with its prefix, tags and
    /// dependencies.
    ///
    /// # Panics
    /// As [`App::route`].
    pub fn include(mut self, router: Router) -> Self {
        let router = Router::new().include(router);
        for route in router.routes {
            self = self.add(route.endpoint, route.info, route.inherited);
        }
        self
    }

    /// Runs `provider` before every route's own dependencies (FastAPI's
    /// `FastAPI(dependencies=[...])`); its value is discarded.
    pub fn dependency<F, P>(mut self, provider: F) -> Self
    where
        F: FnOnce() -> P,
        P: Provider,
    {
        let di = self.di_mut("add an app dependency");
        di.app_dependencies.push(Arc::new(provider()));
        self
    }

    /// Replaces the provider `original` with `replacement` in this app only
    /// (FastAPI's `app.dependency_overrides[original] = replacement`): every
    /// use of `original`'s value gets `replacement`'s, and the replacement's
    /// own parameters are read instead of the original's. For tests.
    ///
    /// # Panics
    /// If the replacement's dependencies form a cycle.
    pub fn dependency_override<F, P, G, R>(mut self, _original: F, replacement: G) -> Self
    where
        F: FnOnce() -> P,
        P: Provider,
        G: FnOnce() -> R,
        R: Provider<Output = P::Output>,
    {
        let replacement = replacement();
        crate::di::check_graph("a dependency override", &[Provider::info(&replacement)]);
        let di = self.di_mut("override a dependency");
        di.overrides
            .insert(TypeId::of::<P>(), Arc::new(replacement));
        self
    }

    fn di_mut(&mut self, what: &str) -> &mut DiState {
        let shared = self.shared_mut(what);
        match Arc::get_mut(&mut shared.di) {
            Some(di) => di,
            None => panic!("fastrs: cannot {what} while requests are being served"),
        }
    }

    pub(crate) fn di_state(&self) -> Arc<DiState> {
        self.shared.di.clone()
    }

    fn add(
        mut self,
        endpoint: Arc<dyn Endpoint>,
        info: EndpointInfo,
        inherited: Vec<ProviderInfo>,
    ) -> Self {
        let route = format!("{} {}", info.method, info.path);
        let mut roots: Vec<ProviderInfo> = self
            .shared
            .di
            .app_dependencies
            .iter()
            .map(|p| p.info())
            .collect();
        roots.extend(inherited);
        roots.extend(info.dependencies.iter().map(|d| d()));
        crate::di::check_graph(&route, &roots);
        for spec in info.params {
            if let Some(pattern) = spec.constraints.pattern {
                if let Err(error) = pattern.check() {
                    panic!(
                        "fastrs: in `{} {}`, the pattern of `{}` does not compile: {error}",
                        info.method, info.path, spec.name
                    );
                }
            }
        }
        let shared = self.shared_mut("add a route");
        if let Err(message) = shared
            .routes
            .insert(info.method.clone(), &info.path, endpoint)
        {
            panic!("fastrs: {message}");
        }
        shared.endpoints.push(info);
        self
    }

    /// Maps an error type to a response, app-wide (FastAPI's
    /// `exception_handler`). A handler returning `Result<_, fastrs::Error>`
    /// whose error is an `E` is answered by `handler`.
    pub fn error_handler<E, R, F>(mut self, handler: F) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
        R: IntoResponse,
        F: Fn(E) -> R + Send + Sync + 'static,
    {
        self.shared_mut("add an error handler")
            .errors
            .insert(handler);
        self
    }

    /// The largest request body extractors read, in bytes (default 2 MiB);
    /// larger bodies get 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.shared_mut("set the body limit").body_limit = bytes;
        self
    }

    /// How long a client may take to send a request head before the
    /// connection is closed (default 30 s). `None` turns the timeout off,
    /// which saves arming a timer for every request (see bench/RESULTS.md),
    /// at the price of idle or slow clients holding connections.
    pub fn header_read_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.server.header_read_timeout = timeout.into();
        self
    }

    /// How long in-flight requests may still run after a shutdown signal
    /// (default 30 s).
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.server.shutdown_timeout = timeout;
        self
    }

    /// The API's title in the OpenAPI document (default: the executable's name).
    pub fn title(mut self, title: &str) -> Self {
        self.shared_mut("set the title").docs.info.title = title.to_owned();
        self
    }

    /// The API's version in the OpenAPI document (default `0.1.0`).
    pub fn version(mut self, version: &str) -> Self {
        self.shared_mut("set the version").docs.info.version = version.to_owned();
        self
    }

    /// The API's description (Markdown) in the OpenAPI document.
    pub fn description(mut self, description: &str) -> Self {
        self.shared_mut("set the description").docs.info.description = Some(description.to_owned());
        self
    }

    /// The contact object (`{"name", "url", "email"}`).
    pub fn contact(mut self, contact: serde_json::Value) -> Self {
        self.shared_mut("set the contact").docs.info.contact = Some(contact);
        self
    }

    /// The licence object (`{"name", "url"}` or `{"name", "identifier"}`).
    pub fn license(mut self, license: serde_json::Value) -> Self {
        self.shared_mut("set the licence").docs.info.license = Some(license);
        self
    }

    /// Adds a server URL (with a description) to the document.
    pub fn server(mut self, url: &str, description: Option<&str>) -> Self {
        let mut server = serde_json::json!({"url": url});
        if let Some(d) = description {
            server["description"] = serde_json::json!(d);
        }
        self.shared_mut("add a server").docs.servers.push(server);
        self
    }

    /// Describes a tag in the document.
    pub fn tag(mut self, name: &str, description: &str) -> Self {
        let tag = Tag {
            name: name.to_owned(),
            description: description.to_owned(),
        };
        self.shared_mut("describe a tag").docs.tags.push(tag);
        self
    }

    /// Where the OpenAPI document is served (`None`: nowhere, and the docs
    /// pages are off too). Default `/openapi.json`.
    pub fn openapi_url(mut self, url: Option<&str>) -> Self {
        self.shared_mut("set the OpenAPI URL").docs.urls.openapi = url.map(str::to_owned);
        self
    }

    /// Where Swagger UI is served (`None`: nowhere). Default `/docs`.
    pub fn docs_url(mut self, url: Option<&str>) -> Self {
        self.shared_mut("set the docs URL").docs.urls.swagger = url.map(str::to_owned);
        self
    }

    /// Where ReDoc is served (`None`: nowhere). Default `/redoc`.
    pub fn redoc_url(mut self, url: Option<&str>) -> Self {
        self.shared_mut("set the ReDoc URL").docs.urls.redoc = url.map(str::to_owned);
        self
    }

    /// The OpenAPI 3.1 document of the app.
    pub fn openapi(&self) -> OpenApi {
        let docs = &self.shared.docs;
        crate::openapi::document(
            docs.info.clone(),
            docs.servers.clone(),
            docs.tags.clone(),
            &self.shared.endpoints,
        )
    }

    /// The registered endpoints, in registration order.
    pub fn endpoints(&self) -> &[EndpointInfo] {
        &self.shared.endpoints
    }

    /// Wraps the app in a tower layer (tower-http's CORS, compression,
    /// tracing, timeouts...). Layers added later wrap the earlier ones.
    pub fn layer<L, S, B>(mut self, layer: L) -> Self
    where
        L: Layer<Routes, Service = S>,
        S: Service<Request<Body>, Response = http::Response<B>> + Clone + Send + Sync + 'static,
        S::Error: Into<BoxError>,
        S::Future: Send + 'static,
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let inner = self
            .layered
            .take()
            .unwrap_or_else(|| BoxCloneSyncService::new(Dispatcher(self.shared.clone())));
        let wrapped = Layered(layer.layer(inner));
        self.layered = Some(BoxCloneSyncService::new(wrapped));
        self
    }

    /// Handles one request: the entry point of the server and of tests.
    pub fn handle(&self, request: Request<Body>) -> AppFuture {
        match &self.layered {
            Some(service) => AppFuture::Layered(Box::pin(service.clone().oneshot(request))),
            None => AppFuture::Dispatch(dispatch(&self.shared, request)),
        }
    }
}

impl<B> Service<Request<B>> for App
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = AppFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> AppFuture {
        self.handle(request.map(Body::from_any))
    }
}

/// The app's routes as the innermost service of a layer stack.
#[derive(Clone)]
struct Dispatcher(Arc<Shared>);

impl Service<Request<Body>> for Dispatcher {
    type Response = Response;
    type Error = Infallible;
    type Future = DispatchFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> DispatchFuture {
        dispatch(&self.0, request)
    }
}

/// A layer's service, adapted back to the app's types: its body becomes a
/// [`Body`] and its errors become logged 500s.
#[derive(Clone)]
struct Layered<S>(S);

impl<S, B> Service<Request<Body>> for Layered<S>
where
    S: Service<Request<Body>, Response = http::Response<B>> + Clone + Send + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let service = self.0.clone();
        Box::pin(async move {
            Ok(match service.oneshot(request).await {
                Ok(response) => response.map(Body::from_any),
                Err(error) => {
                    let error: BoxError = error.into();
                    crate::log::error!("a layer failed: {error}");
                    internal_server_error()
                }
            })
        })
    }
}

/// The future of [`App::handle`].
pub enum AppFuture {
    /// Straight to the routes.
    Dispatch(DispatchFuture),
    /// Through the layers.
    Layered(Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>),
}

impl Future for AppFuture {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            AppFuture::Dispatch(future) => Pin::new(future).poll(cx),
            AppFuture::Layered(future) => future.as_mut().poll(cx),
        }
    }
}

/// The future of one routed request.
pub struct DispatchFuture(DispatchState);

enum DispatchState {
    Ready(Option<Response>),
    Running {
        future: ResponseFuture,
        shared: Arc<Shared>,
        head: bool,
    },
}

impl DispatchFuture {
    fn ready(response: Response) -> Self {
        DispatchFuture(DispatchState::Ready(Some(response)))
    }
}

impl Future for DispatchFuture {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().0 {
            DispatchState::Ready(response) => {
                Poll::Ready(Ok(response.take().unwrap_or_else(internal_server_error)))
            }
            DispatchState::Running {
                future,
                shared,
                head,
            } => {
                let polled =
                    std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx)));
                let response = match polled {
                    Ok(Poll::Pending) => return Poll::Pending,
                    Ok(Poll::Ready(response)) => shared.errors.resolve(response),
                    Err(panic) => {
                        crate::log::error!("handler panicked: {}", panic_message(&*panic));
                        internal_server_error()
                    }
                };
                Poll::Ready(Ok(if *head {
                    without_body(response)
                } else {
                    response
                }))
            }
        }
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// A HEAD answer: the GET answer's head, with its length, and no body.
fn without_body(response: Response) -> Response {
    let (mut head, body) = response.into_parts();
    if let Some(len) = body.size_hint().exact() {
        head.headers
            .entry(CONTENT_LENGTH)
            .or_insert(HeaderValue::from(len));
    }
    Response::from_parts(head, Body::empty())
}

/// The path as Starlette routes it: percent-decoded.
fn decoded_path(path: &str) -> Cow<'_, str> {
    if path.contains('%') {
        percent_encoding::percent_decode_str(path).decode_utf8_lossy()
    } else {
        Cow::Borrowed(path)
    }
}

fn dispatch(shared: &Arc<Shared>, request: Request<Body>) -> DispatchFuture {
    let (head, body) = request.into_parts();
    let path = decoded_path(head.uri.path());
    if let Some(page) = shared.docs.urls.page(&head.method, &path) {
        let response = docs_page(shared, page, &head);
        return DispatchFuture::ready(if head.method == http::Method::HEAD {
            without_body(response)
        } else {
            response
        });
    }
    match shared.routes.lookup(&head.method, &path) {
        RouteMatch::Found {
            endpoint,
            names,
            values,
            head: is_head,
        } => {
            let cx = RequestContext::new(head, body, names.clone(), values, shared.body_limit)
                .with_app(shared.di.clone());
            DispatchFuture(DispatchState::Running {
                future: endpoint.handle(cx),
                shared: shared.clone(),
                head: is_head,
            })
        }
        RouteMatch::MethodNotAllowed { allow } => {
            let mut response =
                HttpError::from_status(StatusCode::METHOD_NOT_ALLOWED).into_response();
            response
                .headers_mut()
                .insert(http::header::ALLOW, allow.clone());
            DispatchFuture::ready(response)
        }
        RouteMatch::NotFound => DispatchFuture::ready(
            slash_redirect(shared, &head, &path)
                .unwrap_or_else(|| HttpError::from_status(StatusCode::NOT_FOUND).into_response()),
        ),
    }
}

/// Serves `/openapi.json`, `/docs`, `/redoc` and their assets.
fn docs_page(shared: &Shared, page: DocsPage, head: &http::request::Parts) -> Response {
    let docs = &shared.docs;
    let openapi_url = docs.urls.openapi.as_deref().unwrap_or("/openapi.json");
    let html = |text: String| {
        crate::response::with_body(
            StatusCode::OK,
            "text/html; charset=utf-8",
            Bytes::from(text),
        )
    };
    match page {
        DocsPage::Document => {
            let bytes = docs.document.get_or_init(|| {
                let document = crate::openapi::document(
                    docs.info.clone(),
                    docs.servers.clone(),
                    docs.tags.clone(),
                    &shared.endpoints,
                );
                Bytes::from(serde_json::to_vec(&document).unwrap_or_default())
            });
            crate::response::with_body(StatusCode::OK, "application/json", bytes.clone())
        }
        DocsPage::Swagger => html(crate::openapi::ui::swagger_html(
            &docs.info.title,
            openapi_url,
            docs.urls.swagger.as_deref().unwrap_or(""),
        )),
        DocsPage::Redoc => html(crate::openapi::ui::redoc_html(
            &docs.info.title,
            openapi_url,
            docs.urls.redoc.as_deref().unwrap_or(""),
        )),
        DocsPage::Asset(bytes, content_type) => crate::openapi::ui::asset(
            bytes,
            content_type,
            head.headers.get(http::header::ACCEPT_ENCODING),
        ),
    }
}

/// Starlette's `redirect_slashes`: when `/items/` is unknown but `/items`
/// is (or the reverse), answer 307 to the other one.
fn slash_redirect(shared: &Shared, head: &http::request::Parts, path: &str) -> Option<Response> {
    if path == "/" {
        return None;
    }
    let raw = head.uri.path();
    let other = match raw.strip_suffix('/') {
        Some(stripped) => stripped.to_owned(),
        None => format!("{raw}/"),
    };
    let other_decoded = match path.strip_suffix('/') {
        Some(stripped) => stripped.to_owned(),
        None => format!("{path}/"),
    };
    if !shared.routes.has_path(&other_decoded) {
        return None;
    }
    let host = head
        .headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| head.uri.authority().map(|a| a.as_str()))
        .unwrap_or("localhost");
    let scheme = head.uri.scheme_str().unwrap_or("http");
    let location = match head.uri.query() {
        Some(query) => format!("{scheme}://{host}{other}?{query}"),
        None => format!("{scheme}://{host}{other}"),
    };
    let location = HeaderValue::from_str(&location).ok()?;
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::TEMPORARY_REDIRECT;
    response.headers_mut().insert(LOCATION, location);
    Some(response)
}
