//! The benchmark routes in axum 0.8, written as an axum user would: serde
//! derive (first error only, no constraints), extractors for the chain.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use fastrs_bench::models::{Item, Order, OrderOut};
use serde::Deserialize;
use serde_json::{json, Value};

async fn plaintext() -> &'static str {
    "Hello, World!"
}

async fn hello_json() -> Json<Value> {
    Json(json!({"message": "Hello, World!"}))
}

#[derive(Deserialize)]
struct ItemQuery {
    q: Option<String>,
}

async fn read_item(Path(id): Path<i64>, Query(query): Query<ItemQuery>) -> Json<Value> {
    Json(json!({"id": id, "q": query.q}))
}

async fn create_item(Json(item): Json<Item>) -> Json<Item> {
    Json(item)
}

/// The validated order as an axum user writes it: serde for the shape, the
/// `validator` crate for the checks (`fastrs_bench::models`).
async fn create_order(Json(order): Json<Order>) -> Result<Json<OrderOut>, StatusCode> {
    order
        .answer()
        .map(Json)
        .ok_or(StatusCode::UNPROCESSABLE_ENTITY)
}

struct Token(String);
struct User(String);
struct Greeting(String);

impl<S: Send + Sync> FromRequestParts<S> for Token {
    type Rejection = StatusCode;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, StatusCode> {
        let value = parts.headers.get("x-token").and_then(|v| v.to_str().ok());
        value
            .map(|v| Token(v.to_owned()))
            .ok_or(StatusCode::UNPROCESSABLE_ENTITY)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = StatusCode;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, StatusCode> {
        let token = Token::from_request_parts(parts, state).await?;
        Ok(User(format!("user-{}", token.0.len())))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Greeting {
    type Rejection = StatusCode;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, StatusCode> {
        let token = Token::from_request_parts(parts, state).await?;
        let user = User::from_request_parts(parts, state).await?;
        Ok(Greeting(format!("hello {} ({})", user.0, token.0)))
    }
}

async fn deps(greeting: Greeting) -> Json<Value> {
    Json(json!({"greeting": greeting.0}))
}

/// Shared state, built once for the app.
struct Config {
    greeting: String,
}

async fn read_state(State(config): State<Arc<Config>>) -> String {
    config.greeting.clone()
}

/// The app, also driven in-process by `per_request`.
pub fn app() -> Router {
    Router::new()
        .route("/plaintext", get(plaintext))
        .route("/json", get(hello_json))
        .route("/items/{id}", get(read_item))
        .route("/items", post(create_item))
        .route("/orders", post(create_order))
        .route("/deps", get(deps))
        .merge(
            Router::new()
                .route("/state", get(read_state))
                .with_state(Arc::new(Config {
                    greeting: "Hello, state!".to_owned(),
                })),
        )
}

/// The same middleware as axum users write it: `from_fn` and tower-http's
/// CORS layer for one origin (the `middleware` scenario).
pub fn app_with_middleware() -> Router {
    use axum::http::HeaderValue;
    async fn mark(
        request: axum::extract::Request,
        next: axum::middleware::Next,
    ) -> axum::response::Response {
        let mut response = next.run(request).await;
        response
            .headers_mut()
            .insert("x-process", HeaderValue::from_static("done"));
        response
    }
    let cors = tower_http::cors::CorsLayer::new()
        .allow_origin(HeaderValue::from_static("https://app.example.com"))
        .allow_credentials(true);
    app().layer(cors).layer(axum::middleware::from_fn(mark))
}

fn main() -> std::io::Result<()> {
    fastrs_bench::run(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", fastrs_bench::port())).await?;
        axum::serve(listener, app()).await
    })
}
