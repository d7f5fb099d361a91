//! Port of FastAPI's error handling tutorial:
//! `HttpError` with a detail and headers,
//! an app-wide handler for a custom error type, and an unhandled failure.
//!
//! Run it with `PORT=8001 cargo run --release --example errors`.

use std::fmt;

use fastrs::prelude::*;
use serde_json::{json, Value};

/// The one item this app knows.
const ITEMS: [(&str, &str); 1] = [("foo", "The Foo Wrestlers")];

fn find(item_id: &str) -> Option<&'static str> {
    ITEMS
        .iter()
        .find(|(id, _)| *id == item_id)
        .map(|(_, item)| *item)
}

/// Raised by `/unicorns/yolo`; answered app-wide with a 418.
#[derive(Debug)]
pub struct UnicornException {
    name: String,
}

impl fmt::Display for UnicornException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unicorn {} misbehaved", self.name)
    }
}

impl std::error::Error for UnicornException {}

/// Raised by `/crash`; no handler is registered, so clients get a 500.
#[derive(Debug)]
pub struct RuntimeError(&'static str);

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for RuntimeError {}

#[endpoint(GET "/items/{item_id}")]
async fn read_item(item_id: String) -> Result<Json<Value>, HttpError> {
    let item =
        find(&item_id).ok_or_else(|| HttpError::new(StatusCode::NOT_FOUND, "Item not found"))?;
    Ok(Json(json!({"item": item})))
}

#[endpoint(GET "/items-header/{item_id}")]
async fn read_item_header(item_id: String) -> Result<Json<Value>, HttpError> {
    let item = find(&item_id).ok_or_else(|| {
        HttpError::new(StatusCode::NOT_FOUND, "Item not found")
            .with_header("X-Error", "There goes my error")
    })?;
    Ok(Json(json!({"item": item})))
}

#[endpoint(GET "/unicorns/{name}")]
async fn read_unicorn(name: String) -> Result<Json<Value>, fastrs::Error> {
    if name == "yolo" {
        return Err(UnicornException { name }.into());
    }
    Ok(Json(json!({"unicorn_name": name})))
}

#[endpoint(GET "/teapot/{item_id}")]
async fn read_teapot(item_id: i64) -> Result<Json<Value>, HttpError> {
    if item_id == 3 {
        return Err(HttpError::new(
            StatusCode::IM_A_TEAPOT,
            "Nope! I don't like 3.",
        ));
    }
    Ok(Json(json!({"item_id": item_id})))
}

#[endpoint(GET "/crash")]
async fn crash() -> Result<Json<Value>, fastrs::Error> {
    Err(RuntimeError("this handler fails on purpose").into())
}

/// The app, as the tests build it.
pub fn app() -> App {
    App::new()
        .route(read_item)
        .route(read_item_header)
        .route(read_unicorn)
        .route(read_teapot)
        .route(crash)
        .error_handler(|exc: UnicornException| {
            let message = format!("Oops! {} did something. There goes a rainbow...", exc.name);
            (StatusCode::IM_A_TEAPOT, Json(json!({"message": message})))
        })
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
