//! The benchmark routes in fastrs: (a) plaintext, (b) json, (c) path +
//! query, (d) a 10-field validated model echoed, (e) three dependencies,
//! (f) a model with a field validator and a computed field, (g) shared
//! state (an app-scoped dependency, axum's `State`). Shared by the
//! fastrs server, `per_request` and the CI's instruction gate
//! (`tools/perf-gate`), which is why it depends on fastrs only.

use fastrs::prelude::*;
use serde_json::{json, Value};

#[endpoint(GET "/plaintext")]
async fn plaintext() -> &'static str {
    "Hello, World!"
}

#[endpoint(GET "/json")]
async fn hello_json() -> Json<Value> {
    Json(json!({"message": "Hello, World!"}))
}

#[endpoint(GET "/items/{id}")]
async fn read_item(id: i64, q: Option<String>) -> Json<Value> {
    Json(json!({"id": id, "q": q}))
}

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

/// An order line with a field validator (the customer is alphanumeric and
/// stored lower-cased) and a computed field (`total`).
#[model(computed(total))]
struct Order {
    #[field(min_length = 3, max_length = 20, validate = alphanumeric_lower)]
    customer: String,
    #[field(min_length = 1, max_length = 20)]
    sku: String,
    #[field(ge = 1, le = 99)]
    qty: i64,
    #[field(gt = 0)]
    unit_price: f64,
}

fn alphanumeric_lower(customer: String) -> Result<String, &'static str> {
    if !customer.chars().all(char::is_alphanumeric) {
        return Err("must be alphanumeric");
    }
    Ok(customer.to_lowercase())
}

impl Order {
    fn total(&self) -> f64 {
        self.qty as f64 * self.unit_price
    }
}

#[endpoint(POST "/orders")]
async fn create_order(order: Json<Order>) -> Order {
    order.0
}

struct Token(String);
struct User(String);
struct Greeting(String);

#[dependency]
async fn token(x_token: Header<String>) -> Token {
    Token(x_token.0)
}

#[dependency]
async fn user(token: Depends<Token>) -> User {
    User(format!("user-{}", token.0.len()))
}

#[dependency]
async fn greeting(token: Depends<Token>, user: Depends<User>) -> Greeting {
    Greeting(format!("hello {} ({})", user.0, token.0))
}

#[endpoint(GET "/deps")]
async fn deps(greeting: Depends<Greeting>) -> Json<Value> {
    Json(json!({"greeting": greeting.0}))
}

// `deps` again, each provider named where it is used (three providers of
// a `String`, which need no type of their own): the `deps_named` scenario
// of the instruction gate, which must cost what `deps` costs.
#[dependency]
async fn named_token(x_token: Header<String>) -> String {
    x_token.0
}

#[dependency]
async fn named_user(token: Depends<String, named_token>) -> String {
    format!("user-{}", token.len())
}

#[dependency]
async fn named_greeting(
    token: Depends<String, named_token>,
    user: Depends<String, named_user>,
) -> String {
    format!("hello {} ({})", *user, *token)
}

// A path as long as `/deps`, so that routing costs the same.
#[endpoint(GET "/depn")]
async fn deps_named(greeting: Depends<String, named_greeting>) -> Json<Value> {
    Json(json!({"greeting": *greeting}))
}

/// Shared state, built once for the app.
pub struct Config {
    greeting: String,
}

#[dependency(scope = "app")]
async fn config() -> Config {
    Config {
        greeting: "Hello, state!".to_owned(),
    }
}

#[endpoint(GET "/state")]
async fn read_state(config: Depends<Config>) -> String {
    config.greeting.clone()
}

/// The app, also driven in-process by `per_request`.
///
/// Without the access log: raw hyper and axum write none, and load
/// benchmarks of uvicorn run it with `--no-access-log`. What the log costs
/// is measured on its own (the perf gate's `connection_plaintext_logged`).
pub fn app() -> App {
    App::new()
        .access_log(fastrs::app::AccessLog::off())
        .route(plaintext)
        .route(hello_json)
        .route(read_item)
        .route(create_item)
        .route(create_order)
        .route(deps)
        .route(deps_named)
        .route(read_state)
}

/// The app behind a middleware function that marks every answer and
/// FastAPI's CORS for one origin (the `middleware` scenario).
pub fn app_with_middleware() -> App {
    app()
        .layer(
            fastrs::middleware::Cors::new()
                .allow_origins(["https://app.example.com"])
                .allow_credentials(true),
        )
        .middleware(|request, next| async move {
            let mut response = next.run(request).await;
            response
                .headers_mut()
                .insert("x-process", fastrs::http::HeaderValue::from_static("done"));
            response
        })
}
