//! Port of FastAPI's "Metadata and Docs URLs" and "Path Operation
//! Configuration": the document's title, summary, description, terms,
//! contact, licence and tag descriptions; the docs page moved and ReDoc
//! turned off; per-operation tags, summary, description (the doc
//! comment), response description, status, deprecation, operation id, and
//! a route left out of the document.
//!
//! Run it with `PORT=8001 cargo run --release --example metadata`, then
//! open `http://127.0.0.1:8001/documentation`.

use fastrs::prelude::*;
use serde_json::{json, Value};

// ANCHOR: app
const DESCRIPTION: &str = "
ChimichangApp API helps you do awesome stuff. 🚀

## Items

You can **read items**.
";

/// The app, as the tests build it.
pub fn app() -> App {
    App::new()
        .title("ChimichangApp")
        .summary("Deadpool's favorite app. Nuff said.")
        .description(DESCRIPTION)
        .version("0.0.1")
        .terms_of_service("http://example.com/terms/")
        .contact(json!({
            "name": "Deadpoolio the Amazing",
            "url": "http://x-force.example.com/contact/",
            "email": "dp@x-force.example.com",
        }))
        .license(json!({"name": "Apache 2.0", "identifier": "Apache-2.0"}))
        .tag(
            "users",
            "Operations with users. The **login** logic is also here.",
        )
        .tag_with_docs(
            "items",
            "Manage items. So _fancy_ they have their own docs.",
            "Items external docs",
            "https://fastapi.tiangolo.com/",
        )
        .docs_url(Some("/documentation"))
        .redoc_url(None)
        .route(create_item)
        .route(read_items)
        .route(read_users)
        .route(read_elements)
        .route(read_item)
        .route(hidden)
}
// ANCHOR_END: app

#[model]
pub struct Item {
    name: String,
    description: Option<String>,
    price: f64,
    tax: Option<f64>,
}

// ANCHOR: operations
/// Create an item with all the information:
///
/// - **name**: each item must have a name
/// - **description**: a long description
#[endpoint(
    POST "/items/",
    response_model = Item,
    status = 201,
    tags = ["items"],
    summary = "Create an item",
    response_description = "The created item"
)]
async fn create_item(item: Json<Item>) -> Json<Item> {
    item
}

#[endpoint(GET "/items/", tags = ["items"])]
async fn read_items() -> Json<Value> {
    Json(json!([{"name": "Foo", "price": 42}]))
}

#[endpoint(GET "/users/", tags = ["users"])]
async fn read_users() -> Json<Value> {
    Json(json!([{"username": "johndoe"}]))
}

#[endpoint(GET "/elements/", tags = ["items"], deprecated)]
async fn read_elements() -> Json<Value> {
    Json(json!([{"item_id": "Foo"}]))
}

#[endpoint(GET "/items/{item_id}", operation_id = "some_specific_id_you_define")]
async fn read_item(item_id: String) -> Json<Value> {
    Json(json!({"item_id": item_id}))
}

#[endpoint(GET "/hidden/", include_in_schema = false)]
async fn hidden() -> Json<Value> {
    Json(json!({"hidden": true}))
}
// ANCHOR_END: operations

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
