//! Prometheus metrics (`App::metrics`, feature `metrics`): the text served
//! is parsed; requests are labelled with the route's template, never the
//! path sent; WebSocket sessions open are counted.

use std::collections::BTreeMap;

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use fastrs::websocket::{WebSocket, WebSocketError};
use serde_json::{json, Value};

// ANCHOR: metrics
#[endpoint(GET "/items/{item_id}")]
async fn read_item(item_id: i64) -> Json<Value> {
    Json(json!({"item_id": item_id}))
}

#[websocket("/echo")]
async fn echo(mut ws: WebSocket) -> Result<(), WebSocketError> {
    let text = ws.receive_text().await?;
    ws.send_text(text).await
}

fn app() -> App {
    App::new().metrics("/metrics").route(read_item).route(echo)
}
// ANCHOR_END: metrics

/// The samples of an OpenMetrics text: name{labels} -> value.
fn samples(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            Some((series.to_owned(), value.parse().ok()?))
        })
        .collect()
}

fn series(name: &str, route: &str, status: Option<&str>) -> String {
    match status {
        Some(status) => format!(
            "{name}{{http_request_method=\"GET\",http_route=\"{route}\",http_response_status_code=\"{status}\"}}"
        ),
        None => format!("{name}{{http_request_method=\"GET\",http_route=\"{route}\"}}"),
    }
}

#[tokio::test]
async fn requests_are_counted_by_route_template_and_status() {
    let client = TestClient::new(app());
    for path in ["/items/1", "/items/2", "/items/nope", "/missing"] {
        client.get(path).await;
    }
    let page = client.get("/metrics").await;
    assert_eq!(page.status(), 200);
    assert_eq!(
        page.header("content-type"),
        Some("application/openmetrics-text; version=1.0.0; charset=utf-8")
    );
    let text = page.text();
    assert!(text.ends_with("# EOF\n"), "{text}");
    assert!(text.contains("# TYPE http_server_request_duration_seconds histogram"));
    let seen = samples(&text);
    let count = "http_server_request_duration_seconds_count";
    assert_eq!(seen[&series(count, "/items/{item_id}", Some("200"))], 2.0);
    assert_eq!(seen[&series(count, "/items/{item_id}", Some("422"))], 1.0);
    // No route matched: no route label value, and never the raw path.
    assert_eq!(seen[&series(count, "", Some("404"))], 1.0);
    assert!(!text.contains("/items/1\""), "{text}");
    assert!(!text.contains("/missing"), "{text}");
    // The buckets are cumulative up to +Inf, which holds every request.
    let inf = "http_server_request_duration_seconds_bucket{le=\"+Inf\",http_request_method=\"GET\",http_route=\"/items/{item_id}\",http_response_status_code=\"200\"}";
    assert_eq!(seen.get(inf).copied(), Some(2.0), "{text}");
    // Nothing is in flight once answered (the metrics page itself is).
    let active = series("http_server_active_requests", "/items/{item_id}", None);
    assert_eq!(seen.get(&active), Some(&0.0), "{text}");
    assert_eq!(
        seen[&series("http_server_active_requests", "/metrics", None)],
        1.0
    );
    // The page is not in the OpenAPI document.
    let document = client.get("/openapi.json").await.json::<Value>();
    assert!(document["paths"].get("/metrics").is_none());
}

#[tokio::test]
async fn open_websocket_sessions_are_counted() {
    let client = TestClient::new(app());
    let open =
        || async { samples(&client.get("/metrics").await.text())["websocket_sessions_active"] };
    assert_eq!(open().await, 0.0);
    let mut ws = client.websocket("/echo").connect().await.unwrap();
    assert_eq!(open().await, 1.0);
    ws.send_text("hi").await;
    assert_eq!(ws.receive_text().await, "hi");
    drop(ws);
    // The session ends once its reply is sent and the client is gone.
    for _ in 0..100 {
        if open().await == 0.0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the session is still counted open");
}

#[tokio::test]
async fn made_up_methods_are_one_series_and_dropped_requests_leave_flight() {
    let client = TestClient::new(app());
    for method in ["PURGE", "BREW", "PURGE"] {
        let method = fastrs::http::Method::from_bytes(method.as_bytes()).unwrap();
        assert_eq!(client.request(method, "/items/1").await.status(), 405);
    }
    // A request whose future is dropped before it answers (a client that
    // left) leaves the in-flight gauge without a duration.
    let pending = client.app().handle(
        fastrs::http::Request::get("/items/3")
            .body(fastrs::response::Body::empty())
            .unwrap(),
    );
    drop(pending);
    let text = client.get("/metrics").await.text();
    let seen = samples(&text);
    // OpenTelemetry's `_OTHER`: a client cannot grow the series by sending
    // new methods.
    let other = "http_server_request_duration_seconds_count{http_request_method=\"_OTHER\",http_route=\"/items/{item_id}\",http_response_status_code=\"405\"}";
    assert_eq!(seen.get(other).copied(), Some(3.0), "{text}");
    assert!(!text.contains("PURGE") && !text.contains("BREW"), "{text}");
    let active = series("http_server_active_requests", "/items/{item_id}", None);
    assert_eq!(seen.get(&active), Some(&0.0), "{text}");
    assert!(
        !seen.contains_key(&series(
            "http_server_request_duration_seconds_count",
            "/items/{item_id}",
            Some("200")
        )),
        "{text}"
    );
}
