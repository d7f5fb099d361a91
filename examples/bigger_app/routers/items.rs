//! The items routes (FastAPI's `app/routers/items.py`): one prefix, tag,
//! dependency and documented 404 for every route of the router.

use fastrs::prelude::*;
use serde_json::{json, Value};

use super::super::dependencies::get_token_header;

fn items_db() -> Value {
    json!({"plumbus": {"name": "Plumbus"}, "gun": {"name": "Portal Gun"}})
}

#[endpoint(GET "/")]
async fn read_items() -> Json<Value> {
    Json(items_db())
}

#[endpoint(GET "/{item_id}")]
async fn read_item(item_id: String) -> Result<Json<Value>, HttpError> {
    let db = items_db();
    let Some(item) = db.get(&item_id) else {
        return Err(HttpError::new(StatusCode::NOT_FOUND, "Item not found"));
    };
    Ok(Json(json!({"name": item["name"], "item_id": item_id})))
}

#[endpoint(PUT "/{item_id}", tags = ["custom"], responses = [(403, "Operation forbidden")])]
async fn update_item(item_id: String) -> Result<Json<Value>, HttpError> {
    if item_id != "plumbus" {
        return Err(HttpError::new(
            StatusCode::FORBIDDEN,
            "You can only update the item: plumbus",
        ));
    }
    Ok(Json(
        json!({"item_id": item_id, "name": "The great Plumbus"}),
    ))
}

// ANCHOR: router
/// The router, for `main` to include.
pub fn router() -> Router {
    Router::new()
        .prefix("/items")
        .tags(["items"])
        .dependency(get_token_header)
        .response(404, "Not found")
        .route(read_items)
        .route(read_item)
        .route(update_item)
}
// ANCHOR_END: router
