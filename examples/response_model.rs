//! Port of FastAPI's response model tutorial:
//! a response model that filters
//! out the password, defaults filled in on the way out, a list response
//! model, and a 204 with no body.
//!
//! Run it with `PORT=8001 cargo run --release --example response_model`.

use fastrs::model::Email;
use fastrs::prelude::*;
use serde_json::{json, Value};

/// A user as clients send it, password included.
#[model]
pub struct UserIn {
    username: String,
    password: String,
    email: Email,
    full_name: Option<String>,
}

/// A user as the API shows it: no password.
#[model]
pub struct UserOut {
    username: String,
    email: Email,
    full_name: Option<String>,
}

#[endpoint(POST "/user", response_model = UserOut, status = 201)]
async fn create_user(user: Json<UserIn>) -> Json<UserIn> {
    user
}

/// An item with defaults for what the stored data leaves out.
#[model]
pub struct Item {
    name: String,
    description: Option<String>,
    price: f64,
    #[field(default = 10.5)]
    tax: f64,
    #[field(default = Vec::new())]
    tags: Vec<String>,
}

/// The stored items, as loosely shaped as the FastAPI app's dict.
fn items(id: &str) -> Option<Value> {
    match id {
        "foo" => Some(json!({"name": "Foo", "price": 50.2})),
        "bar" => {
            Some(json!({"name": "Bar", "description": "The bartenders", "price": 62, "tax": 20.2}))
        }
        "baz" => Some(
            json!({"name": "Baz", "description": null, "price": 50.2, "tax": 10.5, "tags": []}),
        ),
        _ => None,
    }
}

fn not_found() -> HttpError {
    HttpError::new(StatusCode::NOT_FOUND, "Item not found")
}

#[endpoint(GET "/items/{item_id}", response_model = Item)]
async fn read_item(item_id: String) -> Result<Value, HttpError> {
    items(&item_id).ok_or_else(not_found)
}

#[endpoint(GET "/items", response_model = Vec<Item>)]
async fn read_items() -> Vec<Value> {
    ["foo", "bar"].iter().filter_map(|id| items(id)).collect()
}

#[endpoint(DELETE "/items/{item_id}", status = 204)]
async fn delete_item(item_id: String) -> Result<(), HttpError> {
    items(&item_id).map(|_| ()).ok_or_else(not_found)
}

/// The app, as the tests build it.
pub fn app() -> App {
    App::new()
        .route(create_user)
        .route(read_item)
        .route(read_items)
        .route(delete_item)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
