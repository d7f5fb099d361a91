//! Extractors: how each endpoint or provider argument is found in the
//! request, by its type.
//!
//! What an argument is comes from its type's [`FromRequest`] impl, never
//! from how it is spelled, so `type Db = Depends<Pool>;` and
//! `type Body<T> = Json<T>;` keep their meaning. The impl says:
//!
//! - its [`ArgKind`]: a dependency (resolved before every parameter, so its
//!   errors come first and its `HttpError` can win over them), a parameter,
//!   or a part of the body (which decides whether the body is one value or
//!   an object of several parts);
//! - how to read it ([`FromRequest::from_request`]): find the raw input in
//!   the [`RequestContext`], record every validation error in the request's
//!   [`ValidationErrors`] and return `Ok(None)`, so that all errors are
//!   reported at once; `Err` is for an answer that ends the request now (a
//!   body over the size limit, a dependency's `HttpError`), as a
//!   [`Rejection`];
//! - how to document it ([`FromRequest::describe`]): the OpenAPI parameter
//!   or request body, through [`OperationDoc`].
//!
//! The impls here: bare scalars, `Option`s and `Vec`s (a path parameter when
//! the route's template has the name, a body key with `#[param(body)]`,
//! else a query parameter), [`Header<T>`], [`Cookie<T>`],
//! [`Json<T>`](crate::response::Json), the parameter models [`Query<M>`],
//! [`Headers<M>`] and [`Cookies<M>`], [`RequestHead`], and
//! [`BackgroundTasks`] (work after the response), forms ([`Form<T>`],
//! [`JsonOrForm<T>`]) and file uploads ([`UploadFile`], [`File`]).
//! [`Depends<T>`](crate::di::Depends) is implemented in [`crate::di`].
//!
//! # Adding an argument kind
//!
//! Write a type and implement [`FromRequest`] for it, in its own module:
//! nothing in the macros changes. The order of arguments, the 422, the
//! handler call and the cleanups are the pipeline's business
//! ([`crate::pipeline`]); an extractor only reads its own input. A user crate
//! does the same for its own types:
//!
//! ```
//! use fastrs::prelude::*;
//! use fastrs::extract::{Arg, FromRequest, RequestContext};
//! use fastrs::model::ValidationErrors;
//! use fastrs::openapi::OperationDoc;
//!
//! /// The client's address: `X-Forwarded-For`'s first entry, else unknown.
//! struct ClientIp(String);
//!
//! impl FromRequest for ClientIp {
//!     type Value = ClientIp;
//!
//!     async fn from_request(
//!         cx: &mut RequestContext,
//!         _: &Arg<ClientIp>,
//!         _: &mut ValidationErrors,
//!     ) -> Result<Option<Self>, fastrs::response::Rejection> {
//!         let forwarded = cx.header_values("x-forwarded-for").next();
//!         let first = forwarded.as_deref().and_then(|v| v.split(',').next());
//!         Ok(Some(ClientIp(first.unwrap_or("unknown").trim().to_owned())))
//!     }
//!
//!     fn describe(arg: &Arg<ClientIp>, doc: &mut OperationDoc<'_>) {
//!         let _ = (arg, doc); // reads no documented parameter
//!     }
//! }
//!
//! #[endpoint(GET "/ip")]
//! async fn ip(client: ClientIp) -> String {
//!     client.0
//! }
//! ```

mod background;
mod body;
mod context;
#[cfg(feature = "forms")]
mod form;
#[cfg(feature = "forms")]
mod form_data;
mod json_error;
mod param;
mod param_model;
mod request;
pub(crate) mod response_handle;
#[cfg(feature = "forms")]
mod upload;

pub use background::{BackgroundTasks, TaskOutcome};
pub(crate) use body::payload_too_large;
pub use body::{body_field, describe_body_field, RawBody};
pub use context::RequestContext;
pub(crate) use context::{BodyState, CompleteWithRequest, RequiredScopes, Routed};
#[cfg(feature = "forms")]
#[cfg_attr(docsrs, doc(cfg(feature = "forms")))]
pub use form::{describe_form_field, Form, JsonOrForm, ViaField, ViaModel};
#[cfg(feature = "forms")]
pub(crate) use form_data::load_form;
#[cfg(feature = "forms")]
#[cfg_attr(docsrs, doc(cfg(feature = "forms")))]
pub use form_data::{MULTIPART, URLENCODED};
pub use param::{
    describe_scalar, scalar_from_request, scalar_reads_at_once, Cookie, Header, ParamShape, Pick,
};
pub use param_model::{Cookies, Headers, Query};
pub(crate) use request::root_path;
pub use request::{Client, RequestHead, RootPath};
pub use response_handle::ResponseHandle;
#[cfg(feature = "forms")]
#[cfg_attr(docsrs, doc(cfg(feature = "forms")))]
pub use upload::{File, UploadFile, UploadReader};

pub use crate::decl::ParamSpec;

use std::future::Future;

use crate::decl::{OperationDoc, ProviderInfo};
use crate::model::ValidationErrors;
use crate::response::{json_response, Rejection, Response};

/// When an argument is read, and whether it is part of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// A dependency: resolved before every parameter, in declaration order.
    Dependency,
    /// Anything that does not read the body: path, query, header and cookie
    /// parameters, the request head, a user's extractor.
    Parameter,
    /// A part of the body. With several, or one marked `#[param(embed)]`,
    /// the body is an object and each part is the value of its key.
    Body,
}

/// One argument's declaration, as the pipeline hands it to the
/// argument's extractor.
pub struct Arg<V: 'static> {
    /// The argument's names, docs and constraints.
    pub spec: &'static ParamSpec,
    /// `#[param(default = ...)]`: used when the argument is absent.
    pub default: Option<fn() -> V>,
    /// For a body part: the body is an object of several parts and this
    /// argument is the value of its key `spec.alias`.
    pub embedded: bool,
}

impl<V: 'static> Arg<V> {
    /// The declaration of an argument; `embedded` is decided by the
    /// pipeline, from every argument of the endpoint.
    pub const fn new(spec: &'static ParamSpec, default: Option<fn() -> V>) -> Self {
        Arg {
            spec,
            default,
            embedded: false,
        }
    }
}

impl<V: 'static> Clone for Arg<V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<V: 'static> Copy for Arg<V> {}

/// An endpoint or provider argument read from the request.
///
/// `M` tells impls apart that would otherwise overlap (as axum's extractor
/// traits do); implement `FromRequest` (with the default `M`) for your own
/// types. See the [module docs](self) for what an impl decides and an
/// example.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an endpoint argument",
    label = "fastrs does not know where to find this in the request",
    note = "query parameters are integers, floats, bool, String, `#[model]` fieldless enums, or Option/Vec of those",
    note = "use Header<T>, Cookie<T>, Json<T> or Form<T> to read a header, a cookie, the body or a form field, UploadFile for a file, Depends<T> for a dependency",
    note = "if `{Self}` is a #[model], read it from the body as `Json<{Self}>` (FastAPI reads a bare model from the body; fastrs names the source)",
    note = "or implement `fastrs::extract::FromRequest` for `{Self}`"
)]
pub trait FromRequest<M = ()>: Sized + Send + 'static {
    /// The type of the argument's `#[param(default = ...)]`.
    type Value: 'static;

    /// When the argument is read and whether it is part of the body.
    const KIND: ArgKind = ArgKind::Parameter;

    /// Reads the argument; `Ok(None)` after recording validation errors.
    /// (Write it as an `async fn`.)
    fn from_request<'a>(
        cx: &'a mut RequestContext,
        arg: &'a Arg<Self::Value>,
        errors: &'a mut ValidationErrors,
    ) -> impl Future<Output = Result<Option<Self>, Rejection>> + Send + 'a;

    /// True when [`FromRequest::from_request`] never waits for this
    /// argument: it reads only the request head (or nothing), so its future
    /// is ready the first time it is polled. An endpoint whose arguments
    /// all read at once and whose function never awaits is answered in
    /// place, without a future of its own (see `Endpoint`). False by
    /// default; a `true` that does not hold costs the request a logged
    /// `500`, never a hang.
    fn reads_at_once(arg: &Arg<Self::Value>) -> bool {
        let _ = arg;
        false
    }

    /// Reports the argument to the OpenAPI document (nothing by default).
    fn describe(arg: &Arg<Self::Value>, doc: &mut OperationDoc<'_>) {
        let _ = (arg, doc);
    }

    /// The provider behind a dependency argument, for the startup checks
    /// (none by default).
    fn provider() -> Option<ProviderInfo> {
        None
    }
}

/// The 422 answer for validation errors: `{"detail": [...]}`.
pub fn validation_failed(errors: &ValidationErrors) -> Response {
    json_response(http::StatusCode::UNPROCESSABLE_ENTITY, errors)
}
