//! The `advanced_dependencies` example: FastAPI's answers to its
//! parametrised dependency (`/query-checker/`, FastAPI's tutorial test for
//! `FixedContentQueryChecker`), and the session its cleanup commits or
//! rolls back.

#[path = "../advanced_dependencies.rs"]
#[allow(dead_code)]
mod example;

use fastrs::testing::TestClient;
use serde_json::{json, Value};

fn client() -> TestClient {
    TestClient::new(example::app())
}

#[tokio::test]
async fn the_checker_finds_its_content_in_the_query_as_fastapi_does() {
    let client = client();
    for (query, found) in [("?q=foo", false), ("?q=foobar", true), ("", false)] {
        let response = client.get(&format!("/query-checker/{query}")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.json::<Value>(),
            json!({"fixed_content_in_query": found}),
            "{query}"
        );
    }
}

#[test]
fn the_checkers_query_parameter_is_documented_as_fastapi_does() {
    let doc = serde_json::to_value(example::app().openapi()).unwrap();
    assert_eq!(
        doc["paths"]["/query-checker/"]["get"]["parameters"],
        json!([{
            "name": "q",
            "in": "query",
            "required": false,
            "schema": {"type": "string", "default": "", "title": "Q"}
        }])
    );
}

#[tokio::test]
async fn a_session_written_by_a_dependency_and_the_handler_is_committed_together() {
    let client = client();
    let response = client
        .post("/notes/?text=milk")
        .header("x-user", "ann")
        .await;
    assert_eq!(response.status(), 201, "{}", response.text());
    assert_eq!(
        response.json::<Value>(),
        json!({"user": "ann", "pending": 2})
    );
    let notes = client.get("/notes/").await.json::<Value>();
    assert_eq!(notes, json!(["ann wrote", "milk"]));
}

#[tokio::test]
async fn a_refused_request_rolls_back_what_its_dependency_wrote() {
    let client = client();
    let first = client
        .post("/notes/?text=milk")
        .header("x-user", "ann")
        .await;
    assert_eq!(first.status(), 201);
    let again = client
        .post("/notes/?text=milk")
        .header("x-user", "bob")
        .await;
    assert_eq!(again.status(), 409);
    assert_eq!(
        again.json::<Value>(),
        json!({"detail": "Note already there"})
    );
    // Bob's audit line, written before the handler refused, is not kept.
    assert_eq!(
        client.get("/notes/").await.json::<Value>(),
        json!(["ann wrote", "milk"])
    );
}

#[tokio::test]
async fn an_empty_note_is_a_422_before_the_session_is_touched() {
    let client = client();
    let response = client.post("/notes/?text=").header("x-user", "ann").await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>()["detail"][0]["type"],
        "string_too_short"
    );
    assert_eq!(client.get("/notes/").await.json::<Value>(), json!([]));
}

#[tokio::test]
async fn a_plain_fn_dependency_and_endpoint_answer_as_async_ones() {
    let response = client().get("/words/?text=one%20two%20three").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"words": 3}));
}
