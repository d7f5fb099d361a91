//! Port of FastAPI's request body tutorials:
//! a model as the body, path + query + body together, an embedded body,
//! several bodies plus a scalar body field, nested models, and a map body.
//!
//! Run it with `PORT=8001 cargo run --release --example body`.

use std::collections::BTreeMap;

use fastrs::prelude::*;
use serde_json::{json, Value};

/// An item as clients send it.
#[model]
#[derive(Debug, Clone)]
pub struct Item {
    name: String,
    description: Option<String>,
    price: f64,
    tax: Option<f64>,
}

#[endpoint(POST "/items")]
async fn create_item(item: Json<Item>) -> Json<Value> {
    let Json(item) = item;
    let mut result = json!(item);
    if let Some(tax) = item.tax {
        result["price_with_tax"] = json!(item.price + tax);
    }
    Json(result)
}

#[endpoint(PUT "/items/{item_id}")]
async fn update_item(item_id: i64, item: Json<Item>, q: Option<String>) -> Json<Value> {
    let mut result = json!({"item_id": item_id});
    if let (Value::Object(out), Value::Object(fields)) = (&mut result, json!(item.0)) {
        out.extend(fields);
    }
    if let Some(q) = q.filter(|q| !q.is_empty()) {
        result["q"] = json!(q);
    }
    Json(result)
}

/// An item whose price is checked.
#[model]
pub struct PricedItem {
    name: String,
    #[field(title = "The description of the item", max_length = 300)]
    description: Option<String>,
    #[field(gt = 0, description = "The price must be greater than zero")]
    price: f64,
    tax: Option<f64>,
}

#[endpoint(PUT "/priced/{item_id}")]
async fn update_priced(item_id: i64, #[param(embed)] item: Json<PricedItem>) -> Json<Value> {
    Json(json!({"item_id": item_id, "item": item.0}))
}

/// A picture of an offer.
#[model]
pub struct Image {
    #[field(min_length = 1)]
    url: String,
    name: String,
}

/// An offer with tags and images.
#[model]
pub struct Offer {
    name: String,
    #[field(default = Vec::new())]
    tags: Vec<String>,
    images: Option<Vec<Image>>,
}

/// Who makes the offer.
#[model]
pub struct User {
    username: String,
    full_name: Option<String>,
}

#[endpoint(PUT "/offers/{offer_id}")]
async fn update_offer(
    offer_id: i64,
    offer: Json<Offer>,
    user: Json<User>,
    #[param(body, gt = 0)] importance: i64,
) -> Json<Value> {
    Json(json!({"offer_id": offer_id, "offer": offer, "user": user, "importance": importance}))
}

#[endpoint(POST "/index-weights")]
async fn create_index_weights(weights: Json<BTreeMap<i64, f64>>) -> Json<Value> {
    Json(json!(weights.0))
}

/// The app, as the tests build it.
pub fn app() -> App {
    App::new()
        .route(create_item)
        .route(update_item)
        .route(update_priced)
        .route(update_offer)
        .route(create_index_weights)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
