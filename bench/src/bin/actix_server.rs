//! The benchmark routes in actix-web 4, written as its users write them:
//! serde derive (first error only), the `validator` crate for the order's
//! checks (as the axum version), `FromRequest` extractors for the chain,
//! `web::Data` for shared state. actix-web is what Rust users pick for
//! speed: it runs its own runtime (a worker thread per core, each a
//! single-threaded tokio runtime, and an acceptor thread).

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest};
use fastrs_bench::models::{Item, Order, OrderOut};
use serde::Deserialize;
use serde_json::{json, Value};
use std::future::{ready, Ready};

async fn plaintext() -> &'static str {
    "Hello, World!"
}

async fn hello_json() -> web::Json<Value> {
    web::Json(json!({"message": "Hello, World!"}))
}

#[derive(Deserialize)]
struct ItemQuery {
    q: Option<String>,
}

async fn read_item(id: web::Path<i64>, query: web::Query<ItemQuery>) -> web::Json<Value> {
    web::Json(json!({"id": id.into_inner(), "q": query.into_inner().q}))
}

async fn create_item(item: web::Json<Item>) -> web::Json<Item> {
    item
}

fn unprocessable() -> actix_web::Error {
    actix_web::error::InternalError::new("unprocessable", StatusCode::UNPROCESSABLE_ENTITY).into()
}

async fn create_order(order: web::Json<Order>) -> actix_web::Result<web::Json<OrderOut>> {
    order
        .into_inner()
        .answer()
        .map(web::Json)
        .ok_or_else(unprocessable)
}

struct Token(String);
struct User(String);
struct Greeting(String);

impl Token {
    fn of(req: &HttpRequest) -> actix_web::Result<Token> {
        let value = req.headers().get("x-token").and_then(|v| v.to_str().ok());
        value.map(|v| Token(v.to_owned())).ok_or_else(unprocessable)
    }
}

impl User {
    fn of(req: &HttpRequest) -> actix_web::Result<User> {
        let token = Token::of(req)?;
        Ok(User(format!("user-{}", token.0.len())))
    }
}

impl FromRequest for Greeting {
    type Error = actix_web::Error;
    type Future = Ready<actix_web::Result<Greeting>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Token::of(req).and_then(|token| {
            let user = User::of(req)?;
            Ok(Greeting(format!("hello {} ({})", user.0, token.0)))
        }))
    }
}

async fn deps(greeting: Greeting) -> web::Json<Value> {
    web::Json(json!({"greeting": greeting.0}))
}

/// Shared state, built once for the app.
struct Config {
    greeting: String,
}

async fn read_state(config: web::Data<Config>) -> String {
    config.greeting.clone()
}

/// The routes, for `App::configure` (here and in `per_request`).
pub fn routes(config: &mut web::ServiceConfig) {
    config
        .app_data(web::Data::new(Config {
            greeting: "Hello, state!".to_owned(),
        }))
        .route("/plaintext", web::get().to(plaintext))
        .route("/json", web::get().to(hello_json))
        .route("/items/{id}", web::get().to(read_item))
        .route("/items", web::post().to(create_item))
        .route("/orders", web::post().to(create_order))
        .route("/deps", web::get().to(deps))
        .route("/state", web::get().to(read_state));
}

/// The same middleware as actix users write it: `from_fn` and actix-cors
/// for one origin (the `middleware` scenario).
pub fn cors() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allowed_origin("https://app.example.com")
        .supports_credentials()
}

/// The middleware function of the `middleware` scenario.
pub async fn mark(
    request: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> actix_web::Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>> {
    let mut response = next.call(request).await?;
    response.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("x-process"),
        actix_web::http::header::HeaderValue::from_static("done"),
    );
    Ok(response)
}

#[allow(dead_code)]
fn main() -> std::io::Result<()> {
    let workers = std::env::var("WORKERS")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(1);
    actix_web::rt::System::new().block_on(async move {
        actix_web::HttpServer::new(|| actix_web::App::new().configure(routes))
            .workers(workers)
            .bind(("127.0.0.1", fastrs_bench::port()))?
            .run()
            .await
    })
}
