//! Procedural macros of fastrs. Use them through the `fastrs` crate, which
//! re-exports them; the code they generate names `::fastrs::...` only,
//! renamed (`krate`) when the calling crate renamed the dependency.
//!
//! The macros are thin: they read the user's declarations, report mistakes
//! at the user's tokens, and emit small glue that calls documented runtime
//! functions. Split by concern:
//!
//! - `endpoint::attr`: parsing `#[endpoint(METHOD "/path", options)]`;
//! - `attrs`: parsing `#[param(...)]` and `#[field(...)]`;
//! - `endpoint`: checking the function and emitting the `Endpoint` impl;
//! - `model`: `#[model]` on structs and fieldless enums;
//! - `responses`: `#[responses]` on an enum of answers;
//! - `docs`: doc comments to descriptions.

mod args;
mod attrs;
mod dependency;
mod docs;
mod endpoint;
mod krate;
mod model;
mod responses;
#[cfg(test)]
mod snapshots;
mod union;
mod wire;

use proc_macro::TokenStream;

/// Turns an `async fn` into a route. See the `fastrs` crate documentation.
#[proc_macro_attribute]
pub fn endpoint(attr: TokenStream, item: TokenStream) -> TokenStream {
    krate::rename(endpoint::expand(attr.into(), item.into())).into()
}

/// Turns an `async fn` taking a `fastrs::websocket::WebSocket` into a
/// WebSocket route (FastAPI's `@app.websocket`). See the `fastrs` crate
/// documentation.
#[proc_macro_attribute]
pub fn websocket(attr: TokenStream, item: TokenStream) -> TokenStream {
    krate::rename(endpoint::expand_websocket(attr.into(), item.into())).into()
}

/// Makes an `async fn` or a struct of parameters a dependency provider. See
/// the `fastrs` crate documentation.
#[proc_macro_attribute]
pub fn dependency(attr: TokenStream, item: TokenStream) -> TokenStream {
    krate::rename(dependency::expand(attr.into(), item.into())).into()
}

/// Makes an enum one endpoint's several answers, each variant one kind
/// (a model, a redirect, a file, a bare status). See the `fastrs` crate
/// documentation.
#[proc_macro_attribute]
pub fn responses(attr: TokenStream, item: TokenStream) -> TokenStream {
    krate::rename(responses::expand(attr.into(), item.into())).into()
}

/// Makes a struct or a fieldless enum a model. See the `fastrs` crate
/// documentation.
#[proc_macro_attribute]
pub fn model(attr: TokenStream, item: TokenStream) -> TokenStream {
    krate::rename(model::expand(attr.into(), item.into())).into()
}
