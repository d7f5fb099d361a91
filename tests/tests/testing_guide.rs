//! The code of the docs page "Testing" (docs/src/testing.md), which
//! includes it: an app and the tests a user writes for it with
//! `TestClient`, FastAPI's `TestClient` in fastrs.

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

// ANCHOR: app
#[model]
pub struct Item {
    #[field(min_length = 1)]
    name: String,
    price: f64,
}

/// The current user, from the `x-token` header.
pub struct User(String);

#[dependency]
async fn current_user(x_token: Header<String>) -> Result<User, HttpError> {
    match x_token.0.as_str() {
        "secret" => Ok(User("ann".into())),
        _ => Err(HttpError::new(StatusCode::UNAUTHORIZED, "Invalid token")),
    }
}

#[endpoint(GET "/items/{item_id}")]
async fn read_item(item_id: i64, q: Option<String>, user: Depends<User>) -> Json<Value> {
    Json(json!({"item_id": item_id, "q": q, "owner": user.0}))
}

#[endpoint(POST "/items", status = 201)]
async fn create_item(item: Json<Item>) -> Item {
    item.0
}

pub fn app() -> App {
    App::new().route(read_item).route(create_item)
}
// ANCHOR_END: app

// ANCHOR: requests
#[tokio::test]
async fn reads_an_item_with_a_token() {
    let client = TestClient::new(app());
    let response = client
        .get("/items/5")
        .query(&[("q", "milk")])
        .header("x-token", "secret")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"item_id": 5, "q": "milk", "owner": "ann"})
    );

    let response = client.get("/items/5").header("x-token", "wrong").await;
    assert_eq!(response.status(), 401);
    assert_eq!(response.json::<Value>(), json!({"detail": "Invalid token"}));
}

#[tokio::test]
async fn creates_an_item_and_refuses_an_empty_name() {
    let client = TestClient::new(app());
    let response = client
        .post("/items")
        .json(&json!({"name": "Milk", "price": 1.5}))
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "Milk", "price": 1.5})
    );

    let response = client
        .post("/items")
        .json(&json!({"name": "", "price": 1.5}))
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>()["detail"][0]["type"],
        "string_too_short"
    );
}
// ANCHOR_END: requests

// ANCHOR: overrides
#[dependency(for_override)]
async fn test_user() -> Result<User, HttpError> {
    Ok(User("tester".into()))
}

#[tokio::test]
async fn an_override_replaces_the_current_user() {
    let client = TestClient::new(app().dependency_override(current_user, test_user));
    // No token needed: the override reads none.
    let response = client.get("/items/1").await;
    assert_eq!(
        response.json::<Value>(),
        json!({"item_id": 1, "q": null, "owner": "tester"})
    );
}
// ANCHOR_END: overrides

// ANCHOR: lifespan
#[tokio::test]
async fn startup_and_shutdown_run_as_in_a_server() {
    let started = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = started.clone();
    let app = app().on_startup(move || {
        let flag = flag.clone();
        async move {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    });
    // `start` runs the startup hooks now (`new` runs them before the
    // first request) and reports a failing one as an error.
    let client = TestClient::start(app).await.expect("the app starts");
    assert!(started.load(std::sync::atomic::Ordering::SeqCst));
    client.shutdown().await;
}
// ANCHOR_END: lifespan
