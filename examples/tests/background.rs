//! FastAPI's answers for every route of `background`, pinned as literals
//! (sent to the FastAPI app this example ports, FastAPI 0.165 on uvicorn, and copied here).
//! The log shows what the tasks wrote: the dependency's task first, then
//! the endpoint's, each after its response was sent.

#[path = "../background.rs"]
#[allow(dead_code)]
mod example;
mod support;

use fastrs::testing::TestClient;
use serde_json::{json, Value};
use support::assert_headers;

#[tokio::test]
async fn tasks_from_the_dependency_and_the_endpoint_run_in_order_after_the_response() {
    let client = TestClient::new(example::app());
    let response = client
        .post("/send-notification/foo@example.com?q=abc")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"message": "Message sent"}));
    assert_headers(&response, &[("content-type", Some("application/json"))]);
    let log = client.get("/log").await;
    assert_eq!(log.status(), 200);
    assert_eq!(
        log.json::<Value>(),
        json!(["found query: abc", "message to foo@example.com"])
    );

    // No query: only the endpoint's task. An empty query is no query.
    client.post("/send-notification/bar").await;
    client.post("/send-notification/bar?q=").await;
    assert_eq!(
        client.get("/log").await.json::<Value>(),
        json!([
            "found query: abc",
            "message to foo@example.com",
            "message to bar",
            "message to bar"
        ])
    );
}

#[tokio::test]
async fn another_method_is_405_with_allow() {
    let client = TestClient::new(example::app());
    let response = client.get("/send-notification/foo").await;
    assert_eq!(response.status(), 405);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Method Not Allowed"})
    );
    assert_headers(&response, &[("allow", Some("POST"))]);
}
