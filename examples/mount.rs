//! Port of FastAPI's "Sub Applications - Mounts" and "Static Files": a
//! sub-application with its own OpenAPI document and docs page under
//! `/subapi`, and the `static/` directory beside this file served under
//! `/static` (with `index.html` for directories).
//!
//! Run it with `PORT=8001 cargo run --release --example mount`, then open
//! `http://127.0.0.1:8001/subapi/docs` and `http://127.0.0.1:8001/static/`.

use fastrs::prelude::*;
use fastrs::static_files::StaticFiles;
use serde_json::{json, Value};

// ANCHOR: mount
#[endpoint(GET "/app")]
async fn read_main() -> Json<Value> {
    Json(json!({"message": "Hello World from main app"}))
}

#[endpoint(GET "/sub")]
async fn read_sub() -> Json<Value> {
    Json(json!({"message": "Hello World from sub API"}))
}

/// The directory served under `/static`.
pub fn static_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static")
}

/// The app, as the tests build it.
pub fn app() -> App {
    let subapi = App::new().route(read_sub);
    App::new()
        .route(read_main)
        .mount("/subapi", subapi)
        .mount("/static", StaticFiles::new(static_dir()).html(true))
}
// ANCHOR_END: mount

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
