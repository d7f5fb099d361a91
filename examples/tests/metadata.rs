//! FastAPI's answers for `metadata` (the FastAPI app this example ports, FastAPI 0.165 on
//! uvicorn): the docs page moved, ReDoc off, a route left out of the
//! document still answering, and the 201 of the configured operation.
//! The document itself is pinned in `openapi.rs`.

#[path = "../metadata.rs"]
#[allow(dead_code)]
mod example;

use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[tokio::test]
async fn the_docs_page_moved_and_redoc_is_off() {
    let client = TestClient::new(example::app());
    assert_eq!(client.get("/documentation").await.status(), 200);
    assert_eq!(client.get("/docs").await.status(), 404);
    assert_eq!(client.get("/redoc").await.status(), 404);
    assert_eq!(client.get("/openapi.json").await.status(), 200);
}

#[tokio::test]
async fn a_hidden_route_answers_and_a_created_item_is_201() {
    let client = TestClient::new(example::app());
    let response = client.get("/hidden/").await;
    assert_eq!(response.json::<Value>(), json!({"hidden": true}));
    let response = client
        .post("/items/")
        .json(&json!({"name": "Foo", "price": 42, "extra": 1}))
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "Foo", "description": null, "price": 42.0, "tax": null})
    );
}
