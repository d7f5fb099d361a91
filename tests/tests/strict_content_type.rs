//! FastAPI's `strict_content_type`: by default a JSON body must say so
//! with its `Content-Type`; an app (`App::strict_content_type(false)`) or
//! an endpoint (`strict_content_type = false`) may read a body sent
//! without any as JSON. A `text/plain` body is never JSON. Answers pinned
//! to FastAPI 0.165's.

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[model]
struct Item {
    name: String,
    price: f64,
}

#[endpoint(POST "/items")]
async fn create_item(item: Json<Item>) -> Json<Value> {
    Json(json!({"name": item.0.name, "price": item.0.price}))
}

// ANCHOR: route
/// A webhook whose sender posts JSON without a `Content-Type`.
#[endpoint(POST "/hooks", strict_content_type = false)]
async fn hook(item: Json<Item>) -> Json<Value> {
    Json(json!({"name": item.0.name}))
}
// ANCHOR_END: route

const BODY: &str = r#"{"name": "Foo", "price": 50.5}"#;

/// FastAPI's 422 for a body it did not read as JSON: the text itself is
/// no object.
fn not_an_object(input: &str) -> Value {
    json!({"detail": [{
        "type": "model_attributes_type",
        "loc": ["body"],
        "msg": "Input should be a valid dictionary or object to extract fields from",
        "input": input,
    }]})
}

async fn post(client: &TestClient, path: &str, content_type: Option<&str>) -> (u16, Value) {
    let mut request = client.post(path).body(BODY);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.await;
    (response.status().as_u16(), response.json())
}

#[tokio::test]
async fn by_default_a_body_without_content_type_is_not_json() {
    let client = TestClient::new(App::new().route(create_item).route(hook));
    assert_eq!(
        post(&client, "/items", None).await,
        (422, not_an_object(BODY))
    );
    let json = post(&client, "/items", Some("application/json")).await;
    assert_eq!(json, (200, json!({"name": "Foo", "price": 50.5})));
    // The endpoint that says so reads it.
    assert_eq!(
        post(&client, "/hooks", None).await,
        (200, json!({"name": "Foo"}))
    );
}

#[tokio::test]
async fn an_app_not_strict_reads_a_body_without_content_type_as_json() {
    // ANCHOR: app
    let app = App::new().strict_content_type(false).route(create_item);
    // ANCHOR_END: app
    let client = TestClient::new(app);
    assert_eq!(
        post(&client, "/items", None).await,
        (200, json!({"name": "Foo", "price": 50.5}))
    );
    // A body that says it is something else is still not JSON.
    assert_eq!(
        post(&client, "/items", Some("text/plain")).await,
        (422, not_an_object(BODY))
    );
}
