//! The benchmark routes in fastrs.

use fastrs::prelude::*;

/// Ten fields with length and range constraints.
#[model]
struct Item {
    #[field(min_length = 1, max_length = 50)]
    name: String,
    #[field(max_length = 300)]
    description: Option<String>,
    #[field(gt = 0)]
    price: f64,
    #[field(ge = 0, le = 100)]
    tax: f64,
    #[field(ge = 0)]
    quantity: i64,
    #[field(min_length = 1, max_length = 20)]
    sku: String,
    in_stock: bool,
    #[field(max_length = 10)]
    tags: Vec<String>,
    #[field(ge = 0, le = 5)]
    rating: f64,
    #[field(min_length = 2, max_length = 2)]
    country: String,
}

#[endpoint(POST "/items")]
async fn create_item(item: Json<Item>) -> Json<Item> {
    item
}

fn main() -> std::io::Result<()> {
    fastrs_bench::run(async {
        let listener =
            fastrs::tokio::net::TcpListener::bind(("127.0.0.1", fastrs_bench::port())).await?;
        App::new()
            .route(create_item)
            .serve_with(listener, fastrs::server::shutdown_signal())
            .await
    })
}
