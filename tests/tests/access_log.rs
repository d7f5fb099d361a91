//! The access log over a real socket: one line per answered request with
//! the client's address, method, target, version, status and time taken,
//! in uvicorn's plain form or as JSON; the docs pages' assets left out
//! unless asked; every line written when the server stops.

use std::time::Duration;

use fastrs::app::AccessLog;
use fastrs::prelude::*;
use fastrs_tests::{exchange, Captured};
use serde_json::{json, Value};
use tokio::net::TcpListener;

#[endpoint(GET "/items/{item_id}")]
async fn read_item(item_id: i64) -> Json<Value> {
    Json(json!({"item_id": item_id}))
}

// ANCHOR: settings
/// The access log's settings: uvicorn's line (the default), JSON lines,
/// the docs pages' assets logged too, or no log at all.
fn configured() -> [App; 3] {
    use fastrs::app::AccessLog;
    [
        App::new().access_log(AccessLog::json()),
        App::new().access_log(AccessLog::plain().docs_assets(true)),
        App::new().access_log(AccessLog::off()),
    ]
}
// ANCHOR_END: settings

#[test]
fn each_setting_is_kept() {
    let formats: Vec<_> = configured()
        .iter()
        .map(|app| app.server_config().access_log.format())
        .collect();
    assert_eq!(
        formats,
        [
            Some(fastrs::app::AccessFormat::Json),
            Some(fastrs::app::AccessFormat::Plain),
            None
        ]
    );
}

/// Serves `app` until `requests` are answered, stops the server, and
/// returns what the log wrote, with the client ports the requests came
/// from.
async fn serve_and_log(log: AccessLog, requests: &[&str]) -> Vec<String> {
    let captured = Captured::default();
    let app = App::new()
        .route(read_item)
        .access_log(log.writer(captured.clone()));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.serve_with(listener, async {
        let _ = stopped.await;
    }));
    for request in requests {
        let raw = format!("{request}\r\nHost: test\r\nConnection: close\r\n\r\n");
        let answer = exchange(address, raw.as_bytes(), Duration::from_secs(5)).await;
        assert!(answer.starts_with("HTTP/1.1 "), "{answer}");
    }
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    captured.lines()
}

/// `INFO:     127.0.0.1:PORT - "GET /items/5?q=x HTTP/1.1" 200 OK 0.41ms`
fn plain_fields(line: &str) -> (String, String, String, String) {
    let rest = line.strip_prefix("INFO:     ").expect("uvicorn's prefix");
    let (client, rest) = rest.split_once(" - \"").expect("client");
    let (request, rest) = rest.split_once("\" ").expect("request");
    let (status, took) = rest.rsplit_once(' ').expect("status and time");
    (client.into(), request.into(), status.into(), took.into())
}

#[tokio::test]
async fn each_answer_is_a_plain_line_as_uvicorns() {
    let lines = serve_and_log(
        AccessLog::plain(),
        &[
            "GET /items/5?q=x HTTP/1.1",
            "GET /items/nope HTTP/1.1",
            "GET /missing HTTP/1.1",
            "GET /docs HTTP/1.1",
            "GET /docs/swagger-ui-bundle.js HTTP/1.1",
            "HEAD /items/1 HTTP/1.1",
        ],
    )
    .await;
    // The docs page is logged, its script is not.
    assert_eq!(lines.len(), 5, "{lines:#?}");
    let fields: Vec<_> = lines.iter().map(|l| plain_fields(l)).collect();
    let expected = [
        ("GET /items/5?q=x HTTP/1.1", "200 OK"),
        ("GET /items/nope HTTP/1.1", "422 Unprocessable Entity"),
        ("GET /missing HTTP/1.1", "404 Not Found"),
        ("GET /docs HTTP/1.1", "200 OK"),
        ("HEAD /items/1 HTTP/1.1", "200 OK"),
    ];
    for ((client, request, status, took), (want_request, want_status)) in
        fields.iter().zip(expected)
    {
        let (ip, port) = client.rsplit_once(':').expect("ip:port");
        assert_eq!(ip, "127.0.0.1");
        assert!(port.parse::<u16>().is_ok_and(|p| p > 0), "{client}");
        assert_eq!(request, want_request);
        assert_eq!(status, want_status);
        let millis = took.strip_suffix("ms").expect("milliseconds");
        let millis: f64 = millis.parse().expect("a number");
        assert!((0.0..5000.0).contains(&millis), "{took}");
        let decimals = took.split('.').nth(1).map_or(0, |d| d.len() - "ms".len());
        assert_eq!(decimals, 2, "{took}");
    }
}

#[tokio::test]
async fn json_lines_carry_the_same_fields() {
    let lines = serve_and_log(
        AccessLog::json().docs_assets(true),
        &["GET /items/7 HTTP/1.1", "GET /docs/swagger-ui.css HTTP/1.1"],
    )
    .await;
    assert_eq!(lines.len(), 2, "{lines:#?}");
    let first: Value = serde_json::from_str(&lines[0]).expect("a JSON line");
    assert_eq!(first["method"], "GET");
    assert_eq!(first["path"], "/items/7");
    assert_eq!(first["http_version"], "HTTP/1.1");
    assert_eq!(first["status"], 200);
    assert!(first["duration_ms"].as_f64().is_some_and(|ms| ms >= 0.0));
    assert!(first["client"]
        .as_str()
        .is_some_and(|c| c.starts_with("127.0.0.1:")));
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "client",
            "method",
            "path",
            "http_version",
            "status",
            "duration_ms"
        ]
    );
    // Asked for: the docs assets are logged.
    let asset: Value = serde_json::from_str(&lines[1]).expect("a JSON line");
    assert_eq!(asset["path"], "/docs/swagger-ui.css");
}

#[tokio::test]
async fn off_writes_nothing() {
    let lines = serve_and_log(AccessLog::off(), &["GET /items/1 HTTP/1.1"]).await;
    assert_eq!(lines, Vec::<String>::new());
}
