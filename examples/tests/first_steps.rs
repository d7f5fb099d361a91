//! FastAPI's answers for every route of `first_steps`, pinned as literals.
//!
//! Written by `tools/parity.py first_steps <fastapi-url> --emit-rust` from the
//! FastAPI app this example ports (FastAPI on uvicorn) and
//! reviewed by hand. Each test sends one request through the fastrs port
//! and checks the status, the body and the headers FastAPI sent.

#[path = "../first_steps.rs"]
#[allow(dead_code)]
mod example;
mod support;

use fastrs::testing::TestClient;
use serde_json::{json, Value};

fn client() -> TestClient {
    TestClient::new(example::app())
}

#[tokio::test]
async fn root_says_hello() {
    let response = client().request(fastrs::http::Method::GET, "/").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"message": "Hello World"}));
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
async fn root_rejects_post_with_allow() {
    let response = client().request(fastrs::http::Method::POST, "/").await;
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

#[tokio::test]
async fn unknown_path_is_404() {
    let response = client().request(fastrs::http::Method::GET, "/nope").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.json::<Value>(), json!({"detail": "Not Found"}));
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
