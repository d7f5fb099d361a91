//! The `lifecycle` example: its pool built once at start and cleaned up at
//! shutdown, its own extractor, and its exception handlers, as the docs
//! page shows them.

#[path = "../lifecycle.rs"]
#[allow(dead_code)]
mod example;

use fastrs::pipeline::IntoEndpoint;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[tokio::test]
async fn the_pool_is_shared_and_the_client_address_read_from_the_proxy_header() {
    let client = TestClient::start(example::app()).await.unwrap();
    let response = client
        .get("/items/5")
        .header("x-forwarded-for", "203.0.113.7, 10.0.0.1")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"item_id": 5, "client": "203.0.113.7", "queries": 1})
    );
    let response = client.get("/items/6").await;
    assert_eq!(
        response.json::<Value>(),
        json!({"item_id": 6, "client": null, "queries": 2})
    );
    client.shutdown().await;
}

#[tokio::test]
async fn http_errors_go_through_the_apps_handler() {
    let client = TestClient::new(example::app());
    let response = client.get("/items/0").await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.json::<Value>(),
        json!({"error": "Item not found", "path": "/items/0"})
    );
    let response = client.get("/nowhere").await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.json::<Value>(),
        json!({"error": "Not Found", "path": "/nowhere"})
    );
}

#[tokio::test]
async fn invalid_input_is_a_documented_400_problem() {
    let client = TestClient::new(example::app());
    let response = client.get("/items/-1").await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>(),
        json!({
            "title": "Invalid request to /items/-1",
            "errors": [{
                "type": "greater_than_equal",
                "loc": ["path", "item_id"],
                "msg": "Input should be greater than or equal to 0",
                "input": "-1",
                "ctx": {"ge": 0}
            }]
        })
    );
    let document = client.app().openapi().to_json();
    let op = &document["paths"]["/items/{item_id}"]["get"];
    assert_eq!(
        op["responses"]["400"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Problem"})
    );
    assert_eq!(op["responses"].get("422"), None);
    assert_eq!(op["parameters"][1]["name"], "x-forwarded-for");
    assert_eq!(op["parameters"][1]["in"], "header");
}

#[tokio::test]
async fn an_endpoint_with_nothing_to_wait_for_is_answered_in_place() {
    assert!(example::whoami().into_endpoint().at_once().is_some());
    let client = TestClient::new(example::app());
    let response = client
        .get("/whoami")
        .header("x-forwarded-for", "203.0.113.7")
        .await;
    assert_eq!(response.json::<Value>(), json!({"client": "203.0.113.7"}));
}
