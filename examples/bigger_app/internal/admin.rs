//! An admin router owned by another team: it knows nothing of where it is
//! mounted; `main` gives it its prefix, tags and dependencies.

use fastrs::prelude::*;
use serde_json::{json, Value};

#[endpoint(POST "/")]
async fn update_admin() -> Json<Value> {
    Json(json!({"message": "Admin getting schwifty"}))
}

/// The router, for `main` to include.
pub fn router() -> Router {
    Router::new().route(update_admin)
}
