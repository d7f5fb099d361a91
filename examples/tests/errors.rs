//! FastAPI's answers for every route of `errors`, pinned as literals.
//!
//! Written by `tools/parity.py errors <fastapi-url> --emit-rust` from the
//! FastAPI app this example ports (FastAPI on uvicorn) and
//! reviewed by hand. Each test sends one request through the fastrs port
//! and checks the status, the body and the headers FastAPI sent.

#[path = "../errors.rs"]
#[allow(dead_code)]
mod example;
mod support;

use fastrs::testing::TestClient;
use serde_json::{json, Value};

fn client() -> TestClient {
    TestClient::new(example::app())
}

#[tokio::test]
async fn known_item() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items/foo")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"item": "The Foo Wrestlers"})
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
async fn unknown_item_is_404_with_detail() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items/bar")
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
async fn known_item_with_header_route() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items-header/foo")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"item": "The Foo Wrestlers"})
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
async fn unknown_item_carries_the_error_header() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items-header/bar")
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
            ("x-error", Some("There goes my error")),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn unicorn_error_uses_the_app_wide_handler() {
    let response = client()
        .request(fastrs::http::Method::GET, "/unicorns/yolo")
        .await;
    assert_eq!(response.status(), 418);
    assert_eq!(
        response.json::<Value>(),
        json!({"message": "Oops! yolo did something. There goes a rainbow..."})
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
async fn other_unicorns_are_fine() {
    let response = client()
        .request(fastrs::http::Method::GET, "/unicorns/bob")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"unicorn_name": "bob"}));
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
async fn teapot_refuses_three() {
    let response = client()
        .request(fastrs::http::Method::GET, "/teapot/3")
        .await;
    assert_eq!(response.status(), 418);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Nope! I don't like 3."})
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
async fn teapot_accepts_four() {
    let response = client()
        .request(fastrs::http::Method::GET, "/teapot/4")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"item_id": 4}));
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
async fn teapot_id_must_be_an_int() {
    let response = client()
        .request(fastrs::http::Method::GET, "/teapot/three")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["path", "item_id"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "three"}]})
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
async fn unhandled_error_is_plain_500() {
    let response = client().request(fastrs::http::Method::GET, "/crash").await;
    assert_eq!(response.status(), 500);
    assert_eq!(response.text(), "Internal Server Error");
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("text/plain; charset=utf-8")),
        ],
    );
}

#[tokio::test]
async fn put_on_crash_is_405() {
    let response = client().request(fastrs::http::Method::PUT, "/crash").await;
    assert_eq!(response.status(), 405);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Method Not Allowed"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", Some("GET")),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}
