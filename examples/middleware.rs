//! Port of FastAPI's middleware tutorial: CORS for two front-end origins,
//! GZip above 1000 bytes, and a function that marks every answer.
//!
//! Run it with `PORT=8001 cargo run --release --example middleware`.

use fastrs::middleware::{Cors, GZip};
use fastrs::prelude::*;
use serde_json::{json, Map, Value};

#[endpoint(GET "/small")]
async fn small() -> Json<Value> {
    Json(json!({"message": "tiny"}))
}

#[endpoint(GET "/large")]
async fn large() -> Json<Value> {
    Json(json!({"message": "x".repeat(4000)}))
}

#[endpoint(POST "/echo")]
async fn echo(payload: Json<Map<String, Value>>) -> Json<Value> {
    Json(Value::Object(payload.0))
}

// ANCHOR: app
/// The app, as the tests build it. Middleware added later wraps the
/// earlier: the function runs first, then GZip, then CORS, then the route.
pub fn app() -> App {
    App::new()
        .route(small)
        .route(large)
        .route(echo)
        .layer(
            Cors::new()
                .allow_origins(["https://app.example.com", "http://localhost:3000"])
                .allow_credentials(true)
                .allow_methods(["GET", "POST"])
                .allow_headers(["X-Custom", "Content-Type"])
                .expose_headers(["X-Process"]),
        )
        .layer(GZip::new().minimum_size(1000))
        .middleware(|request, next| async move {
            let mut response = next.run(request).await;
            response
                .headers_mut()
                .insert("x-process", fastrs::http::HeaderValue::from_static("done"));
            response
        })
}
// ANCHOR_END: app

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
