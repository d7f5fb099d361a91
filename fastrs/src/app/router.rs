//! [`Router`]: a group of routes sharing a path prefix, tags and
//! dependencies, included into an [`App`](crate::app::App) (FastAPI's
//! `APIRouter`).

use std::sync::Arc;

use crate::decl::EndpointInfo;
use crate::di::{AnyProvider, Provider};
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
#[derive(Default)]
pub struct Router {
    pub(crate) prefix: String,
    pub(crate) tags: Vec<&'static str>,
    pub(crate) dependencies: Vec<AnyProvider>,
    pub(crate) routes: Vec<RouterRoute>,
}

/// A route of a router, with the dependencies it inherits from routers.
pub(crate) struct RouterRoute {
    pub(crate) endpoint: Arc<dyn Endpoint>,
    pub(crate) info: EndpointInfo,
    /// The dependencies of the routers it was included through, outermost
    /// first.
    pub(crate) routers: Vec<AnyProvider>,
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

    /// Adds tags to every route.
    pub fn tags<const N: usize>(mut self, tags: [&'static str; N]) -> Self {
        self.tags.extend(tags);
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
        });
        self
    }

    /// Adds every route of `other`, under `other`'s prefix, tags and
    /// dependencies (which run after this router's own).
    pub fn include(mut self, other: Router) -> Self {
        for mut route in other.routes {
            route.info.path = format!("{}{}", other.prefix, route.info.path);
            route.info.tags.extend(other.tags.iter().copied());
            // `other`'s dependencies run before those of routers it included.
            let mut routers = other.dependencies.clone();
            routers.append(&mut route.routers);
            route.routers = routers;
            self.routes.push(route);
        }
        self
    }
}
