//! Port of FastAPI's "First Steps": one route answering a JSON greeting.
//!
//! Run it with `PORT=8001 cargo run --release --example first_steps`.

use fastrs::prelude::*;
use serde_json::{json, Value};

#[endpoint(GET "/")]
async fn root() -> Json<Value> {
    Json(json!({"message": "Hello World"}))
}

/// The app, as the tests build it.
pub fn app() -> App {
    App::new().route(root)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
