//! FastAPI's answers for every route of `middleware`, pinned as literals
//! (sent to the FastAPI app this example ports, FastAPI 0.165 on uvicorn, and copied here):
//! the function's `X-Process` on every answer, preflights included, GZip
//! above 1000 bytes with its `Vary`, and CORS for allowed and other
//! origins, preflights allowed and refused.

#[path = "../middleware.rs"]
#[allow(dead_code)]
mod example;
mod support;

use std::io::Read;

use fastrs::testing::{TestClient, TestResponse};
use serde_json::{json, Value};
use support::assert_headers;

fn client() -> TestClient {
    TestClient::new(example::app())
}

fn gunzip(response: &TestResponse) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(&response.bytes()[..])
        .read_to_string(&mut text)
        .expect("a gzip body");
    text
}

#[tokio::test]
async fn a_small_answer_is_not_compressed_and_carries_the_functions_header() {
    let client = client();
    for accept in [None, Some("gzip")] {
        let mut request = client.get("/small");
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        let response = request.await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.json::<Value>(), json!({"message": "tiny"}));
        assert_headers(
            &response,
            &[
                ("content-type", Some("application/json")),
                ("vary", Some("Origin")),
                ("x-process", Some("done")),
                ("content-encoding", None),
                ("access-control-allow-origin", None),
            ],
        );
    }
}

#[tokio::test]
async fn a_large_answer_is_gzipped_when_accepted_and_always_varies() {
    let client = client();
    let expected = json!({"message": "x".repeat(4000)}).to_string();
    let response = client.get("/large").header("accept-encoding", "gzip").await;
    assert_eq!(response.status(), 200);
    assert_headers(
        &response,
        &[
            ("content-type", Some("application/json")),
            ("content-encoding", Some("gzip")),
            ("vary", Some("Origin, Accept-Encoding")),
            ("x-process", Some("done")),
        ],
    );
    assert_eq!(gunzip(&response), expected);
    // FastAPI's gzip of this body is 57 bytes at level 9; ours is close.
    assert!(response.bytes().len() < 100, "{}", response.bytes().len());

    let response = client.get("/large").await;
    assert_headers(
        &response,
        &[
            ("content-encoding", None),
            ("vary", Some("Origin, Accept-Encoding")),
            ("x-process", Some("done")),
        ],
    );
    assert_eq!(response.text(), expected);
}

#[tokio::test]
async fn simple_cross_origin_requests_get_fastapis_headers() {
    let client = client();
    let response = client
        .get("/small")
        .header("origin", "https://app.example.com")
        .await;
    assert_eq!(response.json::<Value>(), json!({"message": "tiny"}));
    assert_headers(
        &response,
        &[
            ("access-control-allow-credentials", Some("true")),
            ("access-control-expose-headers", Some("X-Process")),
            (
                "access-control-allow-origin",
                Some("https://app.example.com"),
            ),
            ("vary", Some("Origin")),
            ("x-process", Some("done")),
        ],
    );
    // Another origin: the same headers but no Allow-Origin.
    let response = client
        .get("/small")
        .header("origin", "https://evil.example.com")
        .await;
    assert_eq!(response.status(), 200);
    assert_headers(
        &response,
        &[
            ("access-control-allow-credentials", Some("true")),
            ("access-control-expose-headers", Some("X-Process")),
            ("access-control-allow-origin", None),
            ("vary", Some("Origin")),
        ],
    );
    let response = client
        .post("/echo")
        .header("origin", "https://app.example.com")
        .json(&json!({"b": 1, "a": 2}))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text(), r#"{"b":1,"a":2}"#);
    assert_headers(
        &response,
        &[(
            "access-control-allow-origin",
            Some("https://app.example.com"),
        )],
    );
}

const PREFLIGHT_VARY: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network";
const ALLOW_HEADERS: &str = "Accept, Accept-Language, Content-Language, Content-Type, X-Custom";

#[tokio::test]
async fn an_allowed_preflight_is_200_ok() {
    let response = client()
        .options("/echo")
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type, x-custom")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text(), "OK");
    assert_headers(
        &response,
        &[
            ("content-type", Some("text/plain; charset=utf-8")),
            ("vary", Some(PREFLIGHT_VARY)),
            ("access-control-allow-methods", Some("GET, POST")),
            ("access-control-max-age", Some("600")),
            ("access-control-allow-headers", Some(ALLOW_HEADERS)),
            ("access-control-allow-credentials", Some("true")),
            ("access-control-allow-origin", Some("http://localhost:3000")),
            ("x-process", Some("done")),
        ],
    );
}

#[tokio::test]
async fn a_refused_preflight_is_400_naming_what_failed() {
    let client = client();
    let response = client
        .options("/echo")
        .header("origin", "https://evil.example.com")
        .header("access-control-request-method", "POST")
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(response.text(), "Disallowed CORS origin");
    assert_headers(
        &response,
        &[
            ("vary", Some(PREFLIGHT_VARY)),
            ("access-control-allow-origin", None),
            ("x-process", Some("done")),
        ],
    );
    let response = client
        .options("/echo")
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "DELETE")
        .header("access-control-request-headers", "x-other")
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(response.text(), "Disallowed CORS method, headers");
    assert_headers(
        &response,
        &[("access-control-allow-origin", Some("http://localhost:3000"))],
    );
}

#[tokio::test]
async fn options_without_a_preflight_reaches_the_routes() {
    let response = client().options("/echo").await;
    assert_eq!(response.status(), 405);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Method Not Allowed"})
    );
    assert_headers(
        &response,
        &[
            ("allow", Some("POST")),
            ("vary", Some("Origin")),
            ("x-process", Some("done")),
        ],
    );
}

#[tokio::test]
async fn a_body_that_is_no_dictionary_is_fastapis_422() {
    let response = client().post("/echo").json(&json!([1])).await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "dict_type", "loc": ["body"], "msg": "Input should be a valid dictionary", "input": [1]}]})
    );
}
