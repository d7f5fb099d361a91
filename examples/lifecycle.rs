//! An app's life and the request's path through it: a connection pool
//! built once at startup and closed at shutdown, an extractor of our own
//! (the client's address), an endpoint answered in place, FastAPI's
//! exception handlers for `HttpError` and for validation errors, and the
//! order in which all of it runs.
//!
//! Run it with `cargo run --example lifecycle`; stop it with Ctrl+C and
//! watch the shutdown hooks and the pool's cleanup run.

use std::sync::atomic::{AtomicUsize, Ordering};

use fastrs::di::Yield;
use fastrs::error::RequestValidationError;
use fastrs::extract::{Arg, FromRequest, RequestContext};
use fastrs::http::request::Parts;
use fastrs::model::{Location, ValidationErrors};
use fastrs::openapi::OperationDoc;
use fastrs::prelude::*;
use serde_json::{json, Value};

// ANCHOR: extractor
/// The client's address as a proxy reports it: the first entry of
/// `X-Forwarded-For`, or `None`.
pub struct ClientIp(pub Option<String>);

impl FromRequest for ClientIp {
    /// The type of `#[param(default = ...)]` on a `ClientIp` argument.
    type Value = ClientIp;

    async fn from_request(
        cx: &mut RequestContext,
        _arg: &Arg<ClientIp>,
        _errors: &mut ValidationErrors,
    ) -> Result<Option<Self>, fastrs::response::Rejection> {
        let forwarded = cx.header_values("x-forwarded-for").next();
        let first = forwarded.as_deref().and_then(|v| v.split(',').next());
        Ok(Some(ClientIp(first.map(|ip| ip.trim().to_owned()))))
    }

    /// It reads a header and never waits: an endpoint of such arguments
    /// whose function never awaits is answered in place.
    fn reads_at_once(_arg: &Arg<ClientIp>) -> bool {
        true
    }

    /// Documented as the optional header it reads.
    fn describe(arg: &Arg<ClientIp>, doc: &mut OperationDoc<'_>) {
        doc.parameter::<Option<String>>(Location::Header, arg.spec, false, None);
    }
}
// ANCHOR_END: extractor

// ANCHOR: lifespan
/// A stand-in for a database pool: built once, shared by every request.
pub struct Pool {
    queries: AtomicUsize,
}

/// Built at startup (`App::startup`), closed at shutdown: the `Yield`'s
/// cleanup of an app-scoped value runs once, after the last request.
#[dependency(scope = "app")]
async fn pool() -> Yield<Pool> {
    let pool = Pool {
        queries: AtomicUsize::new(0),
    };
    Yield::new(pool, |_| async {
        eprintln!("pool closed");
        Ok(())
    })
}

/// A startup hook with an error type of its own (FastAPI's
/// `@app.on_event("startup")` function): a temporary directory that cannot
/// be read fails the start, with this error in the message.
async fn check_temp_dir() -> Result<(), std::io::Error> {
    std::fs::read_dir(std::env::temp_dir()).map(|_| ())
}
// ANCHOR_END: lifespan

/// What the `HttpError` handler answers (documented on the route that
/// raises it).
#[model]
pub struct ErrorBody {
    /// The error's detail.
    error: String,
    /// The path asked for.
    path: String,
}

// ANCHOR: read_item
/// Reads an item; `0` does not exist.
#[endpoint(GET "/items/{item_id}", responses = [(404, "Item not found", ErrorBody)])]
async fn read_item(
    #[param(ge = 0, le = 1_000_000)] item_id: u32,
    pool: Depends<Pool>,
    #[param(alias = "x-forwarded-for")] client: ClientIp,
) -> Result<Json<Value>, HttpError> {
    let queries = pool.queries.fetch_add(1, Ordering::SeqCst) + 1;
    if item_id == 0 {
        return Err(HttpError::new(StatusCode::NOT_FOUND, "Item not found"));
    }
    Ok(Json(json!({
        "item_id": item_id,
        "client": client.0,
        "queries": queries,
    })))
}
// ANCHOR_END: read_item

// ANCHOR: at_once
/// Who the client is, as the proxy says. Nothing here awaits and
/// `ClientIp` reads at once: the request is answered in place.
#[endpoint(GET "/whoami")]
pub async fn whoami(#[param(alias = "x-forwarded-for")] client: ClientIp) -> Json<Value> {
    Json(json!({ "client": client.0 }))
}
// ANCHOR_END: at_once

// ANCHOR: handlers
/// FastAPI's `HTTPException` handler: every `HttpError` (a handler's, a
/// dependency's, the router's 404 and 405) is answered here, with the
/// request at hand.
fn http_error(head: &Parts, error: HttpError) -> (StatusCode, Json<Value>) {
    let body = json!({
        "error": error.detail(),
        "path": head.uri.path(),
    });
    (error.status(), Json(body))
}

/// A problem document for invalid input.
#[model]
pub struct Problem {
    /// What went wrong.
    title: String,
    /// FastAPI's error list.
    errors: Value,
}

/// The answer to invalid input: 400 with a `Problem`, documented as such
/// on every operation instead of FastAPI's 422.
fn invalid_input(head: &Parts, error: RequestValidationError) -> Problem {
    Problem {
        title: format!("Invalid request to {}", head.uri.path()),
        errors: error.detail(),
    }
}
// ANCHOR_END: handlers

// ANCHOR: app
/// The app, as the tests build it.
pub fn app() -> App {
    App::new()
        .route(read_item)
        .route(whoami)
        .startup(pool)
        .on_startup(check_temp_dir)
        .on_startup(|| async { eprintln!("starting") })
        .on_shutdown(|| async { eprintln!("stopping") })
        .error_handler(http_error)
        .validation_error_handler(StatusCode::BAD_REQUEST, invalid_input)
}
// ANCHOR_END: app

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
