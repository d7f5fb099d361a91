//! [`Router`]: a group of routes sharing a path prefix, tags and
//! dependencies, included into an [`App`](crate::app::App) (FastAPI's
//! `APIRouter`).

use std::sync::Arc;

use crate::decl::{EndpointInfo, ResponseDecl};
use crate::di::{AnyProvider, Provider};
use crate::error::{ErrorHandler, ErrorHandlers};
use crate::model::JsonSchema;
use crate::pipeline::{Endpoint, IntoEndpoint};

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
    pub(crate) routes: Vec<RouterRoute>,
}

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
            description: description.to_owned(),
            schema: None,
        });
        self
    }

    /// Documents a response with a JSON body of type `T` on every route.
    pub fn response_json<T: JsonSchema>(mut self, status: u16, description: &str) -> Self {
        self.responses.push(ResponseDecl {
            status,
            description: description.to_owned(),
            schema: Some(T::json_schema),
        });
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

    /// Marks every route deprecated in the document.
    pub fn deprecated(mut self) -> Self {
        self.deprecated = true;
        self
    }

    /// Leaves every route out of the document (`false`), or not.
    pub fn include_in_schema(mut self, include: bool) -> Self {
        self.include_in_schema = include;
        self
    }

    /// Runs `provider` for every route of the router, before the route's
    /// own dependencies; its value is discarded.
    pub fn dependency<F, P>(mut self, provider: F) -> Self
    where
        F: FnOnce() -> P,
        P: Provider,
    {
        self.dependencies.push(AnyProvider::new(provider()));
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
            route.info.deprecated |= other.deprecated;
            route.info.include_in_schema &= other.include_in_schema;
            self.routes.push(route);
        }
        self
    }
}
