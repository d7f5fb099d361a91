//! Extractors: how each endpoint argument is found in the request.
//!
//! The `#[endpoint]` macro sorts arguments into two kinds and calls one
//! runtime function per argument; nothing else is generated:
//!
//! - a bare argument named like a template variable is a path parameter:
//!   [`path_param`], for any [`ParamShape`];
//! - every other argument is read through [`FromRequest`]: bare scalars,
//!   `Option`s and `Vec`s from the query string, [`Header<T>`], [`Cookie<T>`]
//!   and [`Json<T>`](crate::Json) from their sources.
//!
//! An extractor records validation errors in the request's
//! [`ValidationErrors`] and returns `Ok(None)`, so every error of a request
//! is reported at once ([`finish`] turns them into the 422). `Err` is for
//! answers that stop the request at once (a body over the size limit).

mod body;
mod context;
mod json_error;
mod param;
mod param_model;
mod request;

pub use body::{body_field, describe_body_field};
pub use context::RequestContext;
pub use param::{path_param, Cookie, Header, ParamShape, ParamSpec, Pick};
pub use param_model::{Cookies, Headers, Query};
pub use request::RequestHead;

use std::future::Future;

use crate::error::HttpError;
use crate::model::ValidationErrors;
use crate::response::{json_response, IntoResponse, Response};

/// An endpoint argument read from the request: query parameters (bare
/// scalars, `Option`, `Vec`), `Header<T>`, `Cookie<T>`, `Json<T>`.
///
/// `spec` is the argument's declaration (name, alias, constraints);
/// `default` is its `#[param(default = ...)]`, used when it is absent.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an endpoint argument",
    label = "fastrs does not know where to find this in the request",
    note = "query parameters are integers, floats, bool, String, `#[model]` fieldless enums, or Option/Vec of those",
    note = "use Header<T>, Cookie<T> or Json<T> to read a header, a cookie or the body"
)]
pub trait FromRequest: Sized + Send {
    /// The type of the argument's default value.
    type Value;

    /// Reports the argument to the OpenAPI document (nothing by default).
    fn describe(
        spec: &'static ParamSpec,
        default: Option<fn() -> Self::Value>,
        doc: &mut crate::openapi::OperationDoc<'_>,
    ) {
        let _ = (spec, default, doc);
    }

    /// Reads the argument; `Ok(None)` after recording validation errors.
    fn from_request(
        cx: &mut RequestContext,
        spec: &'static ParamSpec,
        default: Option<fn() -> Self::Value>,
        errors: &mut ValidationErrors,
    ) -> impl Future<Output = Result<Option<Self>, HttpError>> + Send;
}

/// Finishes extraction: the 422 response when any argument failed,
/// otherwise the arguments, all present.
///
/// Called by the code `#[endpoint]` generates, with a tuple of what each
/// argument's extractor returned.
// The `Err` is the response, returned at once; boxing it would only add an
// allocation to every failed request.
#[allow(clippy::result_large_err)]
pub fn finish<A: AllPresent>(errors: ValidationErrors, args: A) -> Result<A::Values, Response> {
    if !errors.is_empty() {
        return Err(validation_failed(&errors));
    }
    args.all_present().ok_or_else(|| {
        // An extractor returned no value without recording why: a bug in
        // that extractor, never the client's doing.
        crate::log::error!("an extractor returned no value and no validation error");
        HttpError::from_status(http::StatusCode::INTERNAL_SERVER_ERROR).into_response()
    })
}

/// The 422 answer for validation errors: `{"detail": [...]}`.
pub fn validation_failed(errors: &ValidationErrors) -> Response {
    json_response(http::StatusCode::UNPROCESSABLE_ENTITY, errors)
}

/// A tuple of `Option`s that can become a tuple of values.
pub trait AllPresent {
    /// The tuple of values.
    type Values;
    /// The values, if every one is present.
    fn all_present(self) -> Option<Self::Values>;
}

macro_rules! all_present {
    ($($t:ident),*) => {
        impl<$($t),*> AllPresent for ($(Option<$t>,)*) {
            type Values = ($($t,)*);
            #[allow(non_snake_case)]
            fn all_present(self) -> Option<Self::Values> {
                let ($($t,)*) = self;
                Some(($($t?,)*))
            }
        }
    };
}
all_present!();
all_present!(A);
all_present!(A, B);
all_present!(A, B, C);
all_present!(A, B, C, D);
all_present!(A, B, C, D, E);
all_present!(A, B, C, D, E, F);
all_present!(A, B, C, D, E, F, G);
all_present!(A, B, C, D, E, F, G, H);
all_present!(A, B, C, D, E, F, G, H, I);
all_present!(A, B, C, D, E, F, G, H, I, J);
all_present!(A, B, C, D, E, F, G, H, I, J, K);
all_present!(A, B, C, D, E, F, G, H, I, J, K, L);
all_present!(A, B, C, D, E, F, G, H, I, J, K, L, M);
all_present!(A, B, C, D, E, F, G, H, I, J, K, L, M, N);
all_present!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O);
all_present!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P);
