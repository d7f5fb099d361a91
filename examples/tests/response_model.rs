//! FastAPI's answers for every route of `response_model`, pinned as literals.
//!
//! Written by `tools/parity.py response_model <fastapi-url> --emit-rust` from the
//! FastAPI app this example ports (FastAPI on uvicorn) and
//! reviewed by hand. Each test sends one request through the fastrs port
//! and checks the status, the body and the headers FastAPI sent.

#[path = "../response_model.rs"]
#[allow(dead_code)]
mod example;
mod support;

use fastrs::testing::TestClient;
use serde_json::{json, Value};

fn client() -> TestClient {
    TestClient::new(example::app())
}

#[tokio::test]
async fn create_user_hides_the_password() {
    let response = client()
        .request(fastrs::http::Method::POST, "/user")
        .header("Content-Type", "application/json")
        .body(r#"{"username": "u", "password": "p", "email": "a@Example.com", "full_name": "U"}"#)
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.json::<Value>(),
        json!({"username": "u", "email": "a@example.com", "full_name": "U"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn create_user_without_email_is_422() {
    let response = client()
        .request(fastrs::http::Method::POST, "/user")
        .header("Content-Type", "application/json")
        .body(r#"{"username": "u", "password": "p"}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["body", "email"], "msg": "Field required", "input": {"username": "u", "password": "p"}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn create_user_with_bad_email() {
    let response = client()
        .request(fastrs::http::Method::POST, "/user")
        .header("Content-Type", "application/json")
        .body(r#"{"username": "u", "password": "p", "email": "bad"}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "value_error", "loc": ["body", "email"], "msg": "value is not a valid email address: An email address must have an @-sign.", "input": "bad", "ctx": {"reason": "An email address must have an @-sign."}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn create_user_with_email_without_period() {
    let response = client()
        .request(fastrs::http::Method::POST, "/user")
        .header("Content-Type", "application/json")
        .body(r#"{"username": "u", "password": "p", "email": "a@b"}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "value_error", "loc": ["body", "email"], "msg": "value is not a valid email address: The part after the @-sign is not valid. It should have a period.", "input": "a@b", "ctx": {"reason": "The part after the @-sign is not valid. It should have a period."}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn item_defaults_are_filled_in() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items/foo")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "Foo", "description": null, "price": 50.2, "tax": 10.5, "tags": []})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn item_values_are_converted() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items/bar")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "Bar", "description": "The bartenders", "price": 62.0, "tax": 20.2, "tags": []})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn item_with_nulls() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items/baz")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "Baz", "description": null, "price": 50.2, "tax": 10.5, "tags": []})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn unknown_item_is_404() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items/nope")
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Item not found"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn list_response_model() {
    let response = client().request(fastrs::http::Method::GET, "/items").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!([{"name": "Foo", "description": null, "price": 50.2, "tax": 10.5, "tags": []}, {"name": "Bar", "description": "The bartenders", "price": 62.0, "tax": 20.2, "tags": []}])
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn delete_is_204() {
    let response = client()
        .request(fastrs::http::Method::DELETE, "/items/foo")
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(response.text(), "");
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn delete_unknown_is_404() {
    let response = client()
        .request(fastrs::http::Method::DELETE, "/items/nope")
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Item not found"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}
