//! Port of FastAPI's path, query, header and cookie parameter tutorials:
//! every parameter source, defaults,
//! optional and repeated values, enums, and constraints.
//!
//! Run it with `PORT=8001 cargo run --release --example params`.

use fastrs::prelude::*;
use serde_json::{json, Value};

/// The models `/models/{model_name}` knows.
#[model]
#[serde(rename_all = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelName {
    /// AlexNet.
    Alexnet,
    /// ResNet.
    Resnet,
    /// LeNet.
    Lenet,
}

const CATALOG: [&str; 3] = ["Foo", "Bar", "Baz"];

// ANCHOR: path
#[endpoint(GET "/items/{item_id}")]
async fn read_item(item_id: i64) -> Json<Value> {
    Json(json!({"item_id": item_id}))
}

#[endpoint(GET "/users/me")]
async fn read_user_me() -> Json<Value> {
    Json(json!({"user_id": "the current user"}))
}

#[endpoint(GET "/users/{user_id}")]
async fn read_user(user_id: String) -> Json<Value> {
    Json(json!({"user_id": user_id}))
}

#[endpoint(GET "/models/{model_name}")]
async fn get_model(model_name: ModelName) -> Json<Value> {
    let message = match model_name {
        ModelName::Alexnet => "Deep Learning FTW!",
        ModelName::Lenet => "LeCNN all the images",
        ModelName::Resnet => "Have some residuals",
    };
    Json(json!({"model_name": model_name, "message": message}))
}

#[endpoint(GET "/files/{file_path:path}")]
async fn read_file(file_path: String) -> Json<Value> {
    Json(json!({"file_path": file_path}))
}
// ANCHOR_END: path

// ANCHOR: query
#[endpoint(GET "/users/{user_id}/items/{item_id}")]
async fn read_user_item(
    user_id: i64,
    item_id: String,
    q: Option<String>,
    #[param(default = false)] short: bool,
) -> Json<Value> {
    let mut item = json!({"item_id": item_id, "owner_id": user_id});
    // Python's `if q:` skips an empty string too.
    if let Some(q) = q.filter(|q| !q.is_empty()) {
        item["q"] = json!(q);
    }
    if !short {
        item["description"] = json!("This is an amazing item that has a long description");
    }
    Json(item)
}

#[endpoint(GET "/catalog")]
async fn list_catalog(
    #[param(default = 0)] skip: i64,
    #[param(default = 10)] limit: i64,
) -> Json<Value> {
    let items: Vec<Value> = python_slice(&CATALOG, skip, skip.saturating_add(limit))
        .iter()
        .map(|name| json!({"item_name": name}))
        .collect();
    Json(Value::Array(items))
}

/// `items[start:stop]` with Python's rules: negative indexes count from the
/// end, and out-of-range bounds are clamped.
fn python_slice<T>(items: &[T], start: i64, stop: i64) -> &[T] {
    let len = items.len() as i64;
    let clamp = |i: i64| if i < 0 { (len + i).max(0) } else { i.min(len) };
    let (start, stop) = (clamp(start), clamp(stop));
    if start >= stop {
        &[]
    } else {
        &items[start as usize..stop as usize]
    }
}

#[endpoint(GET "/needy/{item_id}")]
async fn read_needy(
    item_id: String,
    needy: String,
    #[param(default = 0)] skip: i64,
    limit: Option<i64>,
) -> Json<Value> {
    Json(json!({"item_id": item_id, "needy": needy, "skip": skip, "limit": limit}))
}
// ANCHOR_END: query

// ANCHOR: string_validations
#[endpoint(GET "/search")]
async fn search(
    #[param(
        alias = "item-query",
        title = "Query string",
        description = "Query string for the items to search in the database that have a good match",
        min_length = 3,
        max_length = 50,
        pattern = "^fixedquery$",
        deprecated
    )]
    q: Option<String>,
) -> Json<Value> {
    let mut results = json!({"items": [{"item_id": "Foo"}, {"item_id": "Bar"}]});
    if let Some(q) = q.filter(|q| !q.is_empty()) {
        results["q"] = json!(q);
    }
    Json(results)
}

#[endpoint(GET "/tags")]
async fn read_tags(q: Option<Vec<String>>) -> Json<Value> {
    Json(json!({"q": q}))
}
// ANCHOR_END: string_validations

// ANCHOR: numeric_validations
#[endpoint(GET "/measure/{item_id}")]
async fn measure(
    #[param(title = "The ID of the item to get", ge = 1, le = 1000)] item_id: i64,
    // Pydantic lets `nan` and `inf` reach the bounds (which then refuse
    // them); fastrs refuses them first unless a parameter opts in.
    #[param(gt = 0, lt = 10.5, allow_inf_nan)] size: f64,
) -> Json<Value> {
    Json(json!({"item_id": item_id, "size": size}))
}
// ANCHOR_END: numeric_validations

// ANCHOR: headers_cookies
#[endpoint(GET "/headers")]
async fn read_headers(
    user_agent: Header<Option<String>>,
    x_token: Header<Option<Vec<String>>>,
    #[param(convert_underscores = false)] strange_header: Header<Option<String>>,
) -> Json<Value> {
    Json(json!({
        "User-Agent": user_agent.0,
        "X-Token values": x_token.0,
        "strange_header": strange_header.0,
    }))
}

#[endpoint(GET "/cookies")]
async fn read_cookies(ads_id: Cookie<Option<String>>) -> Json<Value> {
    Json(json!({"ads_id": ads_id.0}))
}
// ANCHOR_END: headers_cookies

// ANCHOR: query_model
/// The orders `/filter` accepts.
#[model(literal)]
#[serde(rename_all = "snake_case")]
#[derive(Debug, Clone, Copy)]
pub enum OrderBy {
    /// By creation time.
    CreatedAt,
    /// By last update.
    UpdatedAt,
}

/// Filtering options, read from the query string as a whole.
#[model(extra = "forbid")]
pub struct FilterParams {
    #[field(default = 100, gt = 0, le = 100)]
    limit: i64,
    #[field(default = 0, ge = 0)]
    offset: i64,
    #[field(default = OrderBy::CreatedAt)]
    order_by: OrderBy,
    #[field(default = Vec::new())]
    tags: Vec<String>,
}

// Returns `Value`, not `FilterParams`: the reference function has no return
// annotation, so FastAPI documents its response as any JSON.
#[endpoint(GET "/filter")]
async fn filter_items(filter_query: Query<FilterParams>) -> Json<Value> {
    Json(json!(filter_query.0))
}
// ANCHOR_END: query_model

/// The app, as the tests build it.
pub fn app() -> App {
    App::new()
        .route(read_item)
        .route(read_user_me)
        .route(read_user)
        .route(get_model)
        .route(read_file)
        .route(read_user_item)
        .route(list_catalog)
        .route(read_needy)
        .route(search)
        .route(read_tags)
        .route(measure)
        .route(read_headers)
        .route(read_cookies)
        .route(filter_items)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
