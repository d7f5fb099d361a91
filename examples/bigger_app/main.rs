//! Port of FastAPI's "Bigger Applications - Multiple Files", laid out as
//! FastAPI lays it out: `main` builds the app, `dependencies` holds the
//! shared dependencies, `routers/` one router per domain, `internal/` a
//! router owned elsewhere and included with extra settings.
//!
//! Run it with `PORT=8001 cargo run --release --example bigger_app`.

mod dependencies;
mod internal;
mod routers;

use fastrs::prelude::*;
use serde_json::{json, Value};

use dependencies::{get_query_token, get_token_header};

#[endpoint(GET "/")]
async fn root() -> Json<Value> {
    Json(json!({"message": "Hello Bigger Applications!"}))
}

// ANCHOR: app
/// The app, as the tests build it.
pub fn app() -> App {
    // The admin router is someone else's: it gets its prefix, tags,
    // dependency and documented response where it is included (FastAPI's
    // `app.include_router(admin.router, prefix="/admin", ...)`).
    let admin = Router::new()
        .prefix("/admin")
        .tags(["admin"])
        .dependency(get_token_header)
        .response(418, "I'm a teapot")
        .include(internal::admin::router());
    App::new()
        .dependency(get_query_token)
        .include(routers::users::router())
        .include(routers::items::router())
        .include(admin)
        .route(root)
}
// ANCHOR_END: app

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
