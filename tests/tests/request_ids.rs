//! Request ids (`App::request_ids`): generated, or taken from a trusted
//! proxy; returned in `X-Request-ID`; read by handlers and exception
//! handlers; at the end of the access line.

use std::time::Duration;

use fastrs::app::{AccessLog, RequestId};
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use fastrs_tests::{exchange, Captured};
use serde_json::{json, Value};
use tokio::net::TcpListener;

// ANCHOR: ids
#[derive(Debug)]
struct OutOfStock;

impl std::fmt::Display for OutOfStock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("out of stock")
    }
}

impl std::error::Error for OutOfStock {}

/// A handler reads the id as an argument.
#[endpoint(GET "/whoami")]
async fn whoami(id: RequestId) -> Json<Value> {
    Json(json!({"request_id": id.as_str()}))
}

#[endpoint(GET "/buy")]
async fn buy() -> Result<&'static str, fastrs::Error> {
    Err(OutOfStock.into())
}

fn app() -> App {
    App::new()
        .request_ids()
        // An exception handler finds it in the head's extensions.
        .error_handler(|head: &fastrs::http::request::Parts, e: OutOfStock| {
            let id = head.extensions.get::<RequestId>().map(RequestId::to_string);
            (
                StatusCode::CONFLICT,
                Json(json!({"detail": e.to_string(), "request_id": id})),
            )
        })
        .route(whoami)
        .route(buy)
}
// ANCHOR_END: ids

fn is_generated(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|c| c.is_ascii_hexdigit())
}

#[tokio::test]
async fn each_answer_carries_the_id_its_handler_read() {
    let client = TestClient::new(app());
    let first = client.get("/whoami").await;
    let header = first.header("x-request-id").expect("an id").to_owned();
    assert!(is_generated(&header), "{header}");
    assert_eq!(first.json::<Value>(), json!({"request_id": header}));
    let second = client.get("/whoami").await;
    assert_ne!(second.header("x-request-id"), Some(header.as_str()));

    let refused = client.get("/buy").await;
    assert_eq!(refused.status(), 409);
    let id = refused.header("x-request-id").expect("an id").to_owned();
    assert_eq!(
        refused.json::<Value>(),
        json!({"detail": "out of stock", "request_id": id})
    );
    // The 404 the framework answers has one too.
    let missing = client.get("/nowhere").await;
    assert!(missing.header("x-request-id").is_some_and(is_generated));
}

#[tokio::test]
async fn an_id_sent_by_a_client_is_not_believed_without_a_trusted_proxy() {
    let client = TestClient::new(app());
    let answer = client
        .get("/whoami")
        .header("x-request-id", "chosen-by-client")
        .await;
    assert!(answer.header("x-request-id").is_some_and(is_generated));
}

#[endpoint(GET "/plain")]
async fn plain() -> &'static str {
    "plain"
}

#[tokio::test]
async fn off_by_default_and_an_argument_then_fails_plainly() {
    let client = TestClient::new(App::new().route(plain).route(whoami));
    assert_eq!(client.get("/plain").await.header("x-request-id"), None);
    let without = client.get("/whoami").await;
    assert_eq!(without.status(), 500);
}

#[tokio::test]
async fn a_trusted_proxy_names_the_id_and_the_access_line_ends_with_it() {
    let captured = Captured::default();
    let app = app()
        .trust_proxies(["127.0.0.1"])
        .access_log(AccessLog::plain().writer(captured.clone()));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.serve_with(listener, async {
        let _ = stopped.await;
    }));
    let sent =
        "GET /whoami HTTP/1.1\r\nHost: test\r\nX-Request-ID: edge-42\r\nConnection: close\r\n\r\n";
    let answer = exchange(address, sent.as_bytes(), Duration::from_secs(5)).await;
    assert!(answer.contains("x-request-id: edge-42\r\n"), "{answer}");
    assert!(answer.ends_with("{\"request_id\":\"edge-42\"}"), "{answer}");
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    let log = captured.text();
    assert!(log.trim_end().ends_with("[edge-42]"), "{log}");
}
