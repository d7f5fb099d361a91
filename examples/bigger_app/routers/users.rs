//! The users routes (FastAPI's `app/routers/users.py`): a router with no
//! prefix, the tags written on each route.

use fastrs::prelude::*;
use serde_json::{json, Value};

#[endpoint(GET "/users/", tags = ["users"])]
async fn read_users() -> Json<Value> {
    Json(json!([{"username": "Rick"}, {"username": "Morty"}]))
}

#[endpoint(GET "/users/me", tags = ["users"])]
async fn read_user_me() -> Json<Value> {
    Json(json!({"username": "fakecurrentuser"}))
}

#[endpoint(GET "/users/{username}", tags = ["users"])]
async fn read_user(username: String) -> Json<Value> {
    Json(json!({"username": username}))
}

/// The router, for `main` to include.
pub fn router() -> Router {
    Router::new()
        .route(read_users)
        .route(read_user_me)
        .route(read_user)
}
