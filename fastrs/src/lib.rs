//! fastrs gives Rust the ergonomics of FastAPI: write an `async fn` with
//! typed arguments, put [`#[endpoint]`](macro@endpoint) on it, and get a route with
//! parsing, validation and FastAPI-compatible errors, on hyper and tokio.
//!
//! ```no_run
//! use fastrs::prelude::*;
//! use serde_json::{json, Value};
//!
//! /// Read an item of a user.
//! #[endpoint(GET "/users/{user_id}/items/{item_id}")]
//! async fn read_user_item(
//!     user_id: i64,                               // in the path template: a path parameter
//!     item_id: String,
//!     q: Option<String>,                          // any other bare argument: a query parameter
//!     #[param(default = false)] short: bool,
//!     #[param(alias = "x-token", min_length = 3)] token: Header<Option<String>>,
//! ) -> Json<Value> {
//!     Json(json!({"item_id": item_id, "owner_id": user_id, "q": q, "short": short, "token": token.0}))
//! }
//!
//! #[tokio::main]
//! async fn main() -> std::io::Result<()> {
//!     App::new().route(read_user_item).serve().await   // HOST/PORT from the environment
//! }
//! ```
//!
//! # A tour
//!
//! - **Routes.** [`#[endpoint(GET "/path")]`](macro@endpoint) on an
//!   `async fn`, registered with [`App::route`]; [`Router`] groups routes
//!   under a prefix with tags and dependencies; [`App::serve`] runs it
//!   (`HOST`, `PORT`), [`App::mount`] puts another service under a path.
//! - **Parameters.** An argument named like a `{variable}` of the path is
//!   a path parameter, any other bare one a query parameter;
//!   [`Header`], [`Cookie`], [`Json`], [`Form`] and [`UploadFile`] name
//!   their source; `#[param(...)]` adds FastAPI's options and constraints.
//! - **Models.** [`#[model]`](macro@model) on a struct validates it with
//!   Pydantic's rules, writes its JSON and documents it; fields take
//!   `#[field(...)]` ([`mod@model`]).
//! - **Dependencies.** `#[depends(get_current_user)] user: User` (or
//!   [`Depends<User, get_current_user>`](Depends)) takes what a
//!   [`#[dependency]`](macro@dependency) function provides, FastAPI's
//!   `Depends(get_current_user)`; `Depends<T>` finds the one provider of
//!   `T`; [`DependsMut`] (`&mut T`) lends a value to change. Per request
//!   or per app, with cleanup ([`di::Yield`]) and overrides for tests
//!   ([`di`]).
//! - **Responses.** Return [`Json`], a model, [`response::Html`],
//!   [`response::Redirect`], a [`response::StreamingResponse`],
//!   server-sent events ([`response::EventStream`]), JSON Lines
//!   ([`response::JsonLines`]), a
//!   [`response::FileResponse`], or an [`HttpError`] ([`response`],
//!   [`error`]).
//! - **Security, forms, background work.** [`security`] has OAuth2,
//!   HTTP basic and bearer, and API keys; [`BackgroundTasks`] runs work
//!   after the response; [`settings`] reads configuration from the
//!   environment.
//! - **WebSockets and static files.** [`#[websocket("/ws")]`](macro@websocket)
//!   with a [`websocket::WebSocket`] argument; [`static_files::StaticFiles`]
//!   serves a directory.
//! - **Beyond one process.** [`broadcast`] publishes to subscribers in
//!   every replica (memory, Redis, PostgreSQL); `jobs` (features `sqlite`,
//!   `postgres`) keeps durable jobs in the app's database, written in the
//!   transaction of their data and run by workers with retries.
//! - **OpenAPI.** Every app serves `/openapi.json`, Swagger UI at `/docs`
//!   and ReDoc at `/redoc` ([`openapi`]).
//! - **Testing.** [`testing::TestClient`] drives an app in-process,
//!   WebSocket sessions included.
//!
//! The guide (the `docs/` folder of the repository, an mdBook) walks
//! through each topic in FastAPI's tutorial order.
//!
//! # The modules
//!
//! One concern each, from the request's point of view:
//! [`app`] (the builder, dispatch, the tower service, the lifespan, the docs
//! routes, mounts, [`Router`], the [`server`] and [`testing`]'s
//! `TestClient`), [`middleware`] (functions around every request, CORS,
//! GZip), [`pipeline`] (how a request runs, in one function), [`di`]
//! (dependency injection), [`extract`] (what an argument is, by its type's
//! `FromRequest`), [`decl`] (what endpoints, providers and arguments
//! declare), [`openapi`] (the document, which only reads [`decl`]),
//! [`error`] (HTTP errors, exception handlers), [`response`] (what
//! handlers return), [`body`] (the HTTP body), [`mod@model`] (validation,
//! the error catalogue, JSON Schema), [`security`], [`settings`],
//! [`mod@websocket`], [`static_files`], [`broadcast`] and `jobs`. `routing` (the route table) and
//! `state` (what the app keeps between requests) are private.
#![deny(missing_docs)]
// docs.rs (nightly, `--cfg docsrs`) marks each item with the feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
// The docs link to items of every feature; built with some off, those
// links have no target. CI builds the docs with every feature and
// `-D warnings` (as docs.rs does), where each link is checked.
#![cfg_attr(
    not(all(
        feature = "forms",
        feature = "websockets",
        feature = "compression",
        feature = "static-files",
        feature = "patterns"
    )),
    allow(rustdoc::broken_intra_doc_links)
)]

pub mod app;
pub mod body;
pub mod broadcast;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod client;
pub mod decl;
pub mod di;
pub mod error;
pub mod extract;
#[doc(hidden)]
pub mod feature_off;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub mod jobs;
mod log;
pub mod middleware;
pub mod model;
pub mod openapi;
pub mod pipeline;
pub mod response;
mod routing;
pub mod security;
#[cfg(any(feature = "metrics", feature = "opentelemetry"))]
mod semconv;
pub mod settings;
mod state;
#[cfg(feature = "static-files")]
#[cfg_attr(docsrs, doc(cfg(feature = "static-files")))]
pub mod static_files;
#[cfg(feature = "opentelemetry")]
pub mod traces;
#[cfg(not(feature = "opentelemetry"))]
#[path = "traces/off.rs"]
mod traces;
#[cfg(feature = "websockets")]
#[cfg_attr(docsrs, doc(cfg(feature = "websockets")))]
pub mod websocket;

pub use app::Router;
pub use app::{server, testing, App};
pub use decl::EndpointInfo;
pub use di::{Depends, DependsMut};
pub use error::{Error, HttpError};
pub use extract::{BackgroundTasks, Cookie, Cookies, Header, Headers, Query};
#[cfg(feature = "forms")]
#[cfg_attr(docsrs, doc(cfg(feature = "forms")))]
pub use extract::{Form, JsonOrForm, UploadFile};
/// Without the feature `forms`: naming it is a compile error that says so.
#[cfg(not(feature = "forms"))]
#[doc(hidden)]
pub type Form<T> = feature_off::NeedsForms<feature_off::Off, T>;
/// Without the feature `forms`: naming it is a compile error that says so.
#[cfg(not(feature = "forms"))]
#[doc(hidden)]
pub type JsonOrForm<T> = feature_off::NeedsForms<feature_off::Off, T>;
/// Without the feature `forms`: naming it is a compile error that says so.
#[cfg(not(feature = "forms"))]
#[doc(hidden)]
pub type UploadFile = feature_off::NeedsForms<feature_off::Off>;
pub use pipeline::Endpoint;
pub use response::{IntoResponse, Json, Response};

/// Makes a function (`async fn`, or a plain `fn` run on the blocking pool)
/// or a struct of parameters a dependency provider, FastAPI's dependency
/// function: an endpoint names it with `#[depends(...)]` (or
/// `Depends<T, provider>`), or finds it by its type with `Depends<T>`.
///
/// ```
/// use fastrs::prelude::*;
///
/// #[derive(Clone)]
/// struct User(String);
///
/// #[dependency]
/// async fn get_current_user(x_user: Header<String>) -> Result<User, HttpError> {
///     if x_user.0.is_empty() {
///         return Err(HttpError::new(StatusCode::UNAUTHORIZED, "Not authenticated"));
///     }
///     Ok(User(x_user.0))
/// }
///
/// #[endpoint(GET "/users/me")]
/// async fn read_me(#[depends(get_current_user)] user: User) -> String {
///     user.0
/// }
///
/// let app = App::new().route(read_me);
/// ```
pub use fastrs_macros::dependency;
/// Marks a function as an endpoint: `#[endpoint(GET "/items/{item_id}")]`
/// (an `async fn`, or a plain `fn`, which runs on the blocking pool). An
/// argument named like a `{variable}` of the path is a path parameter,
/// any other bare one a query parameter; `Header`, `Cookie`, `Json`,
/// `Form` and `UploadFile` name their source, `#[param(...)]` adds
/// FastAPI's options. The function becomes a value `App::route` takes.
///
/// ```
/// use fastrs::prelude::*;
///
/// /// Read one item.
/// #[endpoint(GET "/items/{item_id}", tags = ["items"], status = 200)]
/// async fn read_item(item_id: i64, #[param(max_length = 50)] q: Option<String>) -> String {
///     format!("item {item_id}, q {q:?}")
/// }
///
/// let app = App::new().route(read_item);
/// ```
///
/// See the crate documentation and README for the arguments and options.
pub use fastrs_macros::endpoint;
/// Makes a struct or a fieldless enum a model: read and validated as
/// Pydantic reads a `BaseModel`, written as it writes one, documented by a
/// JSON Schema; fields take `#[field(...)]` (see [`mod@model`]).
///
/// ```
/// use fastrs::prelude::*;
///
/// #[model]
/// pub struct Item {
///     #[field(min_length = 1)]
///     pub name: String,
///     pub price: f64,
///     pub tags: Vec<String>,
/// }
///
/// #[endpoint(POST "/items")]
/// async fn create_item(item: Json<Item>) -> Item {
///     item.0
/// }
///
/// let app = App::new().route(create_item);
/// ```
pub use fastrs_macros::model;
/// Makes an enum the several answers of one endpoint: each variant one
/// kind (a model, a redirect, a file, a bare status), sent and documented
/// as its `#[response(status = ..., description = ..., media_type = ...)]`
/// says.
///
/// ```
/// use fastrs::prelude::*;
///
/// #[model]
/// pub struct Item {
///     pub name: String,
/// }
///
/// #[responses]
/// enum ItemAnswer {
///     /// The item, with the endpoint's status.
///     Found(Item),
///     #[response(status = 404, description = "No such item")]
///     Missing,
/// }
///
/// #[endpoint(GET "/items/{name}")]
/// async fn read_item(name: String) -> ItemAnswer {
///     if name == "gone" {
///         ItemAnswer::Missing
///     } else {
///         ItemAnswer::Found(Item { name })
///     }
/// }
///
/// let app = App::new().route(read_item);
/// ```
pub use fastrs_macros::responses;
/// Marks an `async fn` taking a [`websocket::WebSocket`] as a WebSocket
/// route: `#[websocket("/ws/{client_id}")]`, FastAPI's `@app.websocket`.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::websocket::{WebSocket, WebSocketError};
///
/// #[websocket("/echo")]
/// async fn echo(mut ws: WebSocket) -> Result<(), WebSocketError> {
///     loop {
///         let text = ws.receive_text().await?;
///         ws.send_text(format!("echo: {text}")).await?;
///     }
/// }
///
/// let app = App::new().route(echo);
/// ```
pub use fastrs_macros::websocket;

// Re-exported for generated code and for users who need the types.
pub use http;
pub use serde;
pub use serde_json;
pub use tokio;

/// What most apps need: `use fastrs::prelude::*;`.
pub mod prelude {
    pub use crate::error::RequestValidationError;
    pub use crate::http::StatusCode;
    #[cfg(feature = "static-files")]
    pub use crate::response::FileResponse;
    pub use crate::response::{Html, PlainText, Redirect, StreamingResponse};
    pub use crate::websocket;
    pub use crate::{
        dependency, endpoint, model, responses, App, BackgroundTasks, Cookie, Cookies, Depends,
        DependsMut, Error, Form, Header, Headers, HttpError, IntoResponse, Json, JsonOrForm, Query,
        Response, Router, UploadFile,
    };

    /// Without the feature `static-files`: naming it is a compile error
    /// that says so.
    #[cfg(not(feature = "static-files"))]
    #[doc(hidden)]
    pub type FileResponse = crate::feature_off::NeedsStaticFiles<crate::feature_off::Off>;
}

/// The README's examples, compiled as doc tests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
