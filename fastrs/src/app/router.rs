//! [`Router`]: a group of routes sharing a path prefix, tags and
//! dependencies, included into an [`App`](crate::app::App) (FastAPI's
//! `APIRouter`).

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::Request;
use tower::util::BoxCloneSyncService;
use tower::ServiceExt;
use tower_layer::Layer;
use tower_service::Service;

use super::default_class::DefaultClass;
use super::layered::Layered;
use crate::body::{Body, BoxError};
use crate::decl::{EndpointInfo, ResponseDecl};
use crate::di::{AnyProvider, IntoProvider};
use crate::error::{ErrorHandler, ErrorHandlers};
use crate::extract::{RequestContext, Routed};
use crate::middleware::{Inner, Next};
use crate::model::JsonSchema;
use crate::openapi::ResponseClass;
use crate::pipeline::{Endpoint, Inherited, IntoEndpoint, ResponseFuture};
use crate::response::{Response, TextClass};

/// Routes with a common prefix, tags and dependencies.
///
/// ```
/// use fastrs::prelude::*;
///
/// #[endpoint(GET "/{user_id}")]
/// async fn read_user(user_id: i64) -> Json<i64> {
///     Json(user_id)
/// }
///
/// let users = Router::new().prefix("/users").tags(["users"]).route(read_user);
/// let app = App::new().include(users);
/// assert_eq!(app.endpoints()[0].path, "/users/{user_id}");
/// ```
pub struct Router {
    pub(crate) prefix: String,
    pub(crate) tags: Vec<&'static str>,
    pub(crate) dependencies: Vec<AnyProvider>,
    responses: Vec<ResponseDecl>,
    deprecated: bool,
    include_in_schema: bool,
    errors: ErrorHandlers,
    /// How the text its routes return is sent (`default_response_class`).
    default_class: Option<DefaultClass>,
    /// How its routes' unique ids are made (`generate_unique_id_function`).
    unique_id: Option<crate::openapi::UniqueId>,
    /// The router's middleware and layers, in the order added.
    layers: Vec<LayerFn>,
    pub(crate) routes: Vec<RouterRoute>,
}

/// A tower layer, applied to each route's service.
type LayerFn = Arc<dyn Fn(Inner) -> Inner + Send + Sync>;

impl Default for Router {
    fn default() -> Self {
        Router {
            prefix: String::new(),
            tags: Vec::new(),
            dependencies: Vec::new(),
            responses: Vec::new(),
            deprecated: false,
            include_in_schema: true,
            errors: ErrorHandlers::default(),
            default_class: None,
            unique_id: None,
            layers: Vec::new(),
            routes: Vec::new(),
        }
    }
}

/// A route of a router, with the dependencies it inherits from routers.
pub(crate) struct RouterRoute {
    pub(crate) endpoint: Arc<dyn Endpoint>,
    pub(crate) info: EndpointInfo,
    /// The dependencies of the routers it was included through, outermost
    /// first.
    pub(crate) routers: Vec<AnyProvider>,
    /// The exception handlers of those routers, innermost first.
    pub(crate) handlers: Vec<Arc<ErrorHandlers>>,
}

impl Router {
    /// An empty router.
    pub fn new() -> Self {
        Router::default()
    }

    /// Puts `prefix` before every path (`/users` + `/{id}`).
    pub fn prefix(mut self, prefix: &str) -> Self {
        self.prefix = prefix.trim_end_matches('/').to_owned();
        self
    }

    /// Adds tags to every route, before the route's own (FastAPI's order).
    pub fn tags<const N: usize>(mut self, tags: [&'static str; N]) -> Self {
        self.tags.extend(tags);
        self
    }

    /// Documents a response on every route (FastAPI's `responses={404:
    /// {"description": "Not found"}}`); a route's own `responses` win for
    /// the same status.
    pub fn response(mut self, status: u16, description: &str) -> Self {
        self.responses.push(ResponseDecl {
            status,
            description: description.to_owned().into(),
            schema: None,
        });
        self
    }

    /// Documents a response with a JSON body of type `T` on every route.
    pub fn response_json<T: JsonSchema>(mut self, status: u16, description: &str) -> Self {
        self.responses.push(ResponseDecl {
            status,
            description: description.to_owned().into(),
            schema: Some(T::json_schema),
        });
        self
    }

    /// Documents each of `responses` on every route (a list shared with
    /// routes' own `responses = [..SHARED]`).
    pub fn responses(mut self, responses: &[ResponseDecl]) -> Self {
        self.responses.extend_from_slice(responses);
        self
    }

    /// Answers errors of type `E` raised by this router's routes (their
    /// handlers and dependencies, or their invalid input for
    /// `RequestValidationError`), before the app's handlers: as
    /// `App::error_handler`, for these routes only. Errors of other types
    /// go on to outer routers' handlers, then the app's.
    ///
    /// # Panics
    /// When `E` has a handler in this router already.
    pub fn error_handler<E, M, H>(mut self, handler: H) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
        H: ErrorHandler<E, M>,
    {
        if let Err(message) = self.errors.insert::<E, M, H>(handler) {
            panic!("fastrs: {message}");
        }
        self
    }

    /// Runs `middleware(request, next)` around each of this router's routes
    /// (those of routers it includes too), and no other: as
    /// `App::middleware`, inside the app's middleware and before the
    /// route's dependencies.
    pub fn middleware<F, Fut>(self, middleware: F) -> Self
    where
        F: Fn(Request<Body>, Next) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Response> + Send + 'static,
    {
        self.layer(crate::middleware::from_fn(middleware))
    }

    /// Wraps each of this router's routes in a tower layer: as
    /// `App::layer`, for these routes only. Layers and middleware added
    /// later wrap the earlier ones.
    pub fn layer<L, S, B>(mut self, layer: L) -> Self
    where
        L: Layer<Inner, Service = S> + Send + Sync + 'static,
        S: Service<Request<Body>, Response = http::Response<B>> + Clone + Send + Sync + 'static,
        S::Error: Into<BoxError>,
        S::Future: Send + 'static,
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        self.layers.push(Arc::new(move |inner: Inner| {
            BoxCloneSyncService::new(Layered(layer.layer(inner)))
        }));
        self
    }

    /// Marks every route deprecated in the document.
    pub fn deprecated(mut self) -> Self {
        self.deprecated = true;
        self
    }

    /// Sends the text its routes return (`String`, `&'static str`) as the
    /// class `C` and documents it so (FastAPI's
    /// `APIRouter(default_response_class=HTMLResponse)`): `Html` makes them
    /// pages. A route's own `response_class` wins, and so does a router
    /// included in this one that has its own; a route that returns another
    /// type (a model, `Json`, `Html`) is sent as its type says.
    ///
    /// ```
    /// use fastrs::prelude::*;
    ///
    /// #[endpoint(GET "/hello")]
    /// async fn hello() -> &'static str {
    ///     "<h1>Hello</h1>"
    /// }
    ///
    /// let pages = Router::new().default_response_class::<Html>().route(hello);
    /// let app = App::new().include(pages);
    /// ```
    pub fn default_response_class<C: TextClass + ResponseClass>(mut self) -> Self {
        self.default_class = Some(DefaultClass::of::<C>());
        self
    }

    /// Makes the unique ids of its routes with `f` (FastAPI's
    /// `APIRouter(generate_unique_id_function=...)`): their operation ids
    /// (unless `operation_id` is given) and the names of their body and
    /// response schemas. A router included in this one with its own wins.
    pub fn generate_unique_id_function(mut self, f: crate::openapi::UniqueId) -> Self {
        self.unique_id = Some(f);
        self
    }

    /// Leaves every route out of the document (`false`), or not.
    pub fn include_in_schema(mut self, include: bool) -> Self {
        self.include_in_schema = include;
        self
    }

    /// Runs `provider` for every route of the router, before the route's
    /// own dependencies; its value is discarded.
    pub fn dependency<F, M>(mut self, provider: F) -> Self
    where
        F: IntoProvider<M>,
    {
        self.dependencies
            .push(AnyProvider::new(provider.into_provider()));
        self
    }

    /// Adds an endpoint.
    pub fn route<F, E>(mut self, endpoint: F) -> Self
    where
        F: FnOnce() -> E,
        E: IntoEndpoint,
    {
        let endpoint = endpoint().into_endpoint();
        let info = endpoint.info();
        self.routes.push(RouterRoute {
            endpoint,
            info,
            routers: Vec::new(),
            handlers: Vec::new(),
        });
        self
    }

    /// Adds every route of `other`, under `other`'s prefix, tags,
    /// dependencies, responses and flags. FastAPI's `include_router(router,
    /// prefix=..., tags=..., dependencies=..., responses=...)` is
    /// `Router::new().prefix(...).tags(...).dependency(...).response(...)
    /// .include(router)`: the outer router's come first.
    pub fn include(mut self, other: Router) -> Self {
        let handlers = (!other.errors.is_empty()).then(|| Arc::new(other.errors));
        let router_infos: Vec<_> = other.dependencies.iter().map(AnyProvider::info).collect();
        for mut route in other.routes {
            route.info.path = format!("{}{}", other.prefix, route.info.path);
            let mut tags = other.tags.clone();
            tags.append(&mut route.info.tags);
            route.info.tags = tags;
            // `other`'s dependencies run before those of routers it included.
            let mut routers = other.dependencies.clone();
            routers.append(&mut route.routers);
            route.routers = routers;
            let mut inherited = router_infos.clone();
            inherited.append(&mut route.info.inherited);
            route.info.inherited = inherited;
            let mut responses = other.responses.clone();
            responses.append(&mut route.info.inherited_responses);
            route.info.inherited_responses = responses;
            route.handlers.extend(handlers.clone());
            // Inside the router's layers: its middleware sees what is sent.
            if let Some(class) = &other.default_class {
                class.claim(&mut route.endpoint, &mut route.info);
            }
            route.info.unique_id = route.info.unique_id.or(other.unique_id);
            if !other.layers.is_empty() {
                route.endpoint = Arc::new(LayeredEndpoint::new(route.endpoint, &other.layers));
            }
            route.info.deprecated |= other.deprecated;
            route.info.include_in_schema &= other.include_in_schema;
            self.routes.push(route);
        }
        self
    }
}

/// A route behind its router's middleware: the request goes through the
/// layers as a plain `http::Request`, what routing found riding along in
/// its extensions, and comes back to the endpoint at the innermost service.
struct LayeredEndpoint {
    endpoint: Arc<dyn Endpoint>,
    service: Inner,
}

/// What the innermost service needs besides the request: what routing
/// found, and the dependencies the route inherits.
#[derive(Clone)]
struct Pending(Routed, Inherited);

impl LayeredEndpoint {
    fn new(endpoint: Arc<dyn Endpoint>, layers: &[LayerFn]) -> Self {
        let innermost = EndpointService(endpoint.clone());
        let mut service: Inner = BoxCloneSyncService::new(innermost);
        for layer in layers {
            service = layer(service);
        }
        LayeredEndpoint { endpoint, service }
    }
}

impl Endpoint for LayeredEndpoint {
    fn info(&self) -> EndpointInfo {
        self.endpoint.info()
    }

    fn handle(&self, cx: RequestContext, inherited: Inherited) -> ResponseFuture {
        let (mut request, routed) = cx.into_request();
        super::dispatch::record_peer(request.extensions_mut(), routed.peer());
        request.extensions_mut().insert(Pending(routed, inherited));
        let service = self.service.clone();
        Box::pin(async move {
            match service.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            }
        })
    }
}

/// The endpoint as the innermost service of its router's layers.
#[derive(Clone)]
struct EndpointService(Arc<dyn Endpoint>);

impl Service<Request<Body>> for EndpointService {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut request: Request<Body>) -> Self::Future {
        let Some(Pending(routed, inherited)) = request.extensions_mut().remove::<Pending>() else {
            // A layer built a request of its own without ours: a bug in that
            // layer, never the client's doing.
            crate::log::error!("a router's layer passed on a request that lost its route");
            return Box::pin(async { Ok(crate::response::internal_server_error()) });
        };
        let future = self.0.handle(routed.into_context(request), inherited);
        Box::pin(async move { Ok(future.await) })
    }
}
