//! The benchmark routes in poem-openapi 5 (on poem 3), written as its
//! users write them: an `#[OpenApi]` impl with typed parameters and
//! payloads, `Object` models with their validators, poem extractors for the
//! dependency chain, `Data` for shared state. poem-openapi is the Rust
//! framework closest to fastrs: typed extractors, validation and an
//! OpenAPI document from the same declarations.

use std::sync::Arc;

use poem::http::StatusCode;
use poem::middleware::Cors;
use poem::web::Data;
use poem::{Endpoint, EndpointExt, FromRequest, IntoResponse, Request, RequestBody, Route};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{Object, OpenApi, OpenApiService};
use serde_json::{json, Value};

#[derive(Object)]
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

/// The validated order: the length and range checks as poem-openapi's
/// validators, the alphanumeric check, the transformation and the computed
/// field by hand (as the axum version).
#[derive(Object)]
struct Order {
    #[oai(validator(min_length = 3, max_length = 20))]
    customer: String,
    #[oai(validator(min_length = 1, max_length = 20))]
    sku: String,
    #[oai(validator(minimum(value = "1"), maximum(value = "99")))]
    qty: i64,
    #[oai(validator(minimum(value = "0", exclusive = true)))]
    unit_price: f64,
}

#[derive(Object)]
struct OrderOut {
    customer: String,
    sku: String,
    qty: i64,
    unit_price: f64,
    total: f64,
}

struct Token(String);
struct User(String);
struct Greeting(String);

fn unprocessable() -> poem::Error {
    poem::Error::from_status(StatusCode::UNPROCESSABLE_ENTITY)
}

impl<'a> FromRequest<'a> for Token {
    async fn from_request(req: &'a Request, _: &mut RequestBody) -> poem::Result<Self> {
        let value = req.headers().get("x-token").and_then(|v| v.to_str().ok());
        value.map(|v| Token(v.to_owned())).ok_or_else(unprocessable)
    }
}

impl<'a> FromRequest<'a> for User {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let token = Token::from_request(req, body).await?;
        Ok(User(format!("user-{}", token.0.len())))
    }
}

impl<'a> FromRequest<'a> for Greeting {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let token = Token::from_request(req, body).await?;
        let user = User::from_request(req, body).await?;
        Ok(Greeting(format!("hello {} ({})", user.0, token.0)))
    }
}

/// Shared state, built once for the app.
struct Config {
    greeting: String,
}

struct Api;

#[OpenApi]
impl Api {
    #[oai(path = "/plaintext", method = "get")]
    async fn plaintext(&self) -> PlainText<&'static str> {
        PlainText("Hello, World!")
    }

    #[oai(path = "/json", method = "get")]
    async fn hello_json(&self) -> Json<Value> {
        Json(json!({"message": "Hello, World!"}))
    }

    #[oai(path = "/items/:id", method = "get")]
    async fn read_item(&self, id: Path<i64>, q: Query<Option<String>>) -> Json<Value> {
        Json(json!({"id": id.0, "q": q.0}))
    }

    #[oai(path = "/items", method = "post")]
    async fn create_item(&self, item: Json<Item>) -> Json<Item> {
        item
    }

    #[oai(path = "/orders", method = "post")]
    async fn create_order(&self, order: Json<Order>) -> poem::Result<Json<OrderOut>> {
        let order = order.0;
        if !order.customer.chars().all(char::is_alphanumeric) {
            return Err(unprocessable());
        }
        let total = order.qty as f64 * order.unit_price;
        Ok(Json(OrderOut {
            customer: order.customer.to_lowercase(),
            sku: order.sku,
            qty: order.qty,
            unit_price: order.unit_price,
            total,
        }))
    }

    #[oai(path = "/deps", method = "get")]
    async fn deps(&self, greeting: Greeting) -> Json<Value> {
        Json(json!({"greeting": greeting.0}))
    }

    #[oai(path = "/state", method = "get")]
    async fn read_state(&self, config: Data<&Arc<Config>>) -> PlainText<String> {
        PlainText(config.greeting.clone())
    }
}

/// The app, also driven in-process by `per_request`.
pub fn app() -> impl poem::Endpoint {
    let api = OpenApiService::new(Api, "bench", "1.0");
    Route::new().nest("/", api).data(Arc::new(Config {
        greeting: "Hello, state!".to_owned(),
    }))
}

/// The same middleware as poem users write it: `around` and poem's CORS
/// for one origin (the `middleware` scenario).
pub fn app_with_middleware() -> impl poem::Endpoint {
    let cors = Cors::new()
        .allow_origin("https://app.example.com")
        .allow_credentials(true);
    app().with(cors).around(|endpoint, request| async move {
        let mut response = endpoint.call(request).await?.into_response();
        response
            .headers_mut()
            .insert("x-process", poem::http::HeaderValue::from_static("done"));
        Ok(response)
    })
}

fn main() -> std::io::Result<()> {
    fastrs_bench::run(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", fastrs_bench::port())).await?;
        let acceptor = poem::listener::TcpAcceptor::from_tokio(listener)?;
        poem::Server::new_with_acceptor(acceptor).run(app()).await
    })
}
