//! FastAPI's answers for every route of `dependencies`, pinned as literals.
//!
//! Written by `tools/parity.py dependencies <fastapi-url> --emit-rust` from the
//! FastAPI app this example ports (FastAPI on uvicorn) and
//! reviewed by hand. Each test sends one request through the fastrs port
//! and checks the status, the body and the headers FastAPI sent.

#[path = "../dependencies.rs"]
#[allow(dead_code)]
mod example;
mod support;

use fastrs::testing::TestClient;
use serde_json::{json, Value};

fn client() -> TestClient {
    TestClient::new(example::app())
}

#[tokio::test]
async fn function_dependency_with_defaults() {
    let response = client().request(fastrs::http::Method::GET, "/items").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"q": null, "skip": 0, "limit": 100})
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
async fn function_dependency_reads_the_query() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items?q=foo&skip=5&limit=10")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"q": "foo", "skip": 5, "limit": 10})
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
async fn function_dependency_reports_every_error() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items?skip=x&limit=y")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["query", "skip"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x"}, {"type": "int_parsing", "loc": ["query", "limit"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "y"}]})
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
async fn class_dependency_with_defaults() {
    let response = client()
        .request(fastrs::http::Method::GET, "/class-items")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"items": [{"item_name": "Foo"}, {"item_name": "Bar"}, {"item_name": "Baz"}]})
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
async fn class_dependency_with_query() {
    let response = client()
        .request(fastrs::http::Method::GET, "/class-items?q=x&skip=1&limit=1")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"q": "x", "items": [{"item_name": "Bar"}]})
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
async fn class_dependency_negative_skip_slices_like_python() {
    let response = client()
        .request(fastrs::http::Method::GET, "/class-items?skip=-2")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"items": [{"item_name": "Bar"}, {"item_name": "Baz"}]})
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
async fn class_dependency_reports_errors() {
    let response = client()
        .request(fastrs::http::Method::GET, "/class-items?limit=many")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["query", "limit"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "many"}]})
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
async fn sub_dependency_uses_the_query() {
    let response = client()
        .request(fastrs::http::Method::GET, "/sub?q=hello")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"q_or_cookie": "hello"}));
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
async fn sub_dependency_falls_back_to_the_cookie() {
    let response = client()
        .request(fastrs::http::Method::GET, "/sub?q=")
        .header("Cookie", "last_query=c")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"q_or_cookie": "c"}));
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
async fn sub_dependency_with_neither() {
    let response = client().request(fastrs::http::Method::GET, "/sub").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"q_or_cookie": null}));
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
async fn the_cache_runs_a_dependency_once_per_request_unless_told_not_to() {
    // One app for the whole sequence: the state carries over, as in the
    // FastAPI app, whose answers these are, request after request.
    let client = client();
    // cached dependency runs once per request
    {
        let response = client
            .request(fastrs::http::Method::GET, "/sub-counter")
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.json::<Value>(),
            json!({"counter": 1, "subcounter": 1})
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
    // use cache false runs it again
    {
        let response = client
            .request(fastrs::http::Method::GET, "/sub-counter-no-cache")
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.json::<Value>(),
            json!({"counter": 3, "subcounter": 2})
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
    // cache again after no cache
    {
        let response = client
            .request(fastrs::http::Method::GET, "/sub-counter")
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.json::<Value>(),
            json!({"counter": 4, "subcounter": 4})
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
}

#[tokio::test]
async fn cleanup_runs_after_the_handler_even_after_an_error() {
    // One app for the whole sequence: the state carries over, as in the
    // FastAPI app, whose answers these are, request after request.
    let client = client();
    // events start empty
    {
        let response = client.request(fastrs::http::Method::GET, "/events").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.json::<Value>(), json!([]));
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
    // yield dependency serves the item
    {
        let response = client
            .request(fastrs::http::Method::GET, "/db-items/plumbus")
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.json::<Value>(),
            json!({"item_id": "plumbus", "db": "db"})
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
    // cleanup ran after the handler
    {
        let response = client.request(fastrs::http::Method::GET, "/events").await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.json::<Value>(),
            json!(["open", "handled", "close"])
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
    // yield dependency on a 404
    {
        let response = client
            .request(fastrs::http::Method::GET, "/db-items/other")
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
    // cleanup ran after the error too
    {
        let response = client.request(fastrs::http::Method::GET, "/events").await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.json::<Value>(),
            json!(["open", "handled", "close", "open", "close"])
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
}

#[tokio::test]
async fn cleanup_turns_the_owner_error_into_400() {
    let response = client()
        .request(fastrs::http::Method::GET, "/owned/plumbus")
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Owner error: Rick"})
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
async fn owned_item_of_the_user() {
    let response = client()
        .request(fastrs::http::Method::GET, "/owned/portal-gun")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"description": "Gun to create portals", "owner": "Rick"})
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
async fn owned_unknown_item_is_404() {
    let response = client()
        .request(fastrs::http::Method::GET, "/owned/nope")
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
async fn protected_with_both_headers() {
    let response = client()
        .request(fastrs::http::Method::GET, "/protected")
        .header("X-Token", "fake-super-secret-token")
        .header("X-Key", "fake-super-secret-key")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!([{"item": "Foo"}, {"item": "Bar"}])
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
async fn protected_bad_key_wins_over_missing_token() {
    let response = client()
        .request(fastrs::http::Method::GET, "/protected")
        .header("X-Key", "bad")
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "X-Key header invalid"})
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
async fn protected_bad_token_is_400() {
    let response = client()
        .request(fastrs::http::Method::GET, "/protected")
        .header("X-Token", "bad")
        .header("X-Key", "fake-super-secret-key")
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "X-Token header invalid"})
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
async fn protected_without_headers_is_422_for_both() {
    let response = client()
        .request(fastrs::http::Method::GET, "/protected")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["header", "x-token"], "msg": "Field required", "input": null}, {"type": "missing", "loc": ["header", "x-key"], "msg": "Field required", "input": null}]})
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
async fn protected_both_bad_token_first() {
    let response = client()
        .request(fastrs::http::Method::GET, "/protected")
        .header("X-Token", "bad")
        .header("X-Key", "bad")
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "X-Token header invalid"})
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

/// Not a FastAPI answer: the `sub` chain never waits, so the route is
/// answered in place (the same answers as above).
#[test]
fn a_chain_that_never_waits_is_answered_in_place() {
    use fastrs::pipeline::IntoEndpoint;
    assert!(example::read_query().into_endpoint().at_once().is_some());
}
