//! The benchmark routes in axum 0.8: serde derive, first error only.

use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Item {
    name: String,
    description: Option<String>,
    price: f64,
    tax: f64,
    quantity: i64,
    sku: String,
    in_stock: bool,
    tags: Vec<String>,
    rating: f64,
    country: String,
}

async fn create_item(Json(item): Json<Item>) -> Json<Item> {
    Json(item)
}

fn main() -> std::io::Result<()> {
    fastrs_bench::run(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", fastrs_bench::port())).await?;
        let app = Router::new().route("/items", post(create_item));
        axum::serve(listener, app).await
    })
}
