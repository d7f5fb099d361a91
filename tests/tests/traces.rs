//! OpenTelemetry traces (`App::traces`, feature `opentelemetry`): each
//! request is a server span after OpenTelemetry's HTTP conventions, a
//! child of the `traceparent` it carries, with a child span for each
//! dependency provider that runs and for the handler. The spans are read
//! from the SDK's in-memory exporter.

use std::collections::HashMap;
use std::time::Duration;

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use fastrs::traces::opentelemetry::trace::{SpanId, SpanKind, Status, TraceContextExt, TraceId};
use fastrs::traces::opentelemetry::{Context, Value};
use fastrs::traces::opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use fastrs_tests::exchange;
use serde_json::{json, Value as JsonValue};
use tokio::net::TcpListener;

// ANCHOR: traces
#[derive(Clone)]
struct Db;

#[dependency]
async fn get_db() -> Db {
    Db
}

#[derive(Clone)]
struct User(String);

#[dependency]
async fn get_current_user(_db: Depends<Db, get_db>, x_user: Header<String>) -> User {
    User(x_user.0)
}

#[endpoint(GET "/items/{item_id}")]
async fn read_item(item_id: i64, #[depends(get_current_user)] user: User) -> Json<JsonValue> {
    Json(json!({"item_id": item_id, "owner": user.0}))
}

/// A plain `fn` runs on the blocking pool, in its handler span's context.
#[endpoint(GET "/span")]
fn current_span() -> String {
    let context = Context::current();
    context.span().span_context().span_id().to_string()
}

#[endpoint(GET "/fail")]
async fn fail() -> Result<String, HttpError> {
    Err(HttpError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "down for maintenance",
    ))
}

fn app(provider: SdkTracerProvider) -> App {
    App::new()
        .traces(provider)
        .route(read_item)
        .route(current_span)
        .route(fail)
}
// ANCHOR_END: traces

/// A provider whose spans are kept in memory as each ends.
fn in_memory() -> (SdkTracerProvider, InMemorySpanExporter) {
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    (provider, exporter)
}

fn attributes(span: &SpanData) -> HashMap<String, Value> {
    span.attributes
        .iter()
        .map(|kv| (kv.key.to_string(), kv.value.clone()))
        .collect()
}

fn text(value: &str) -> Value {
    Value::from(value.to_owned())
}

fn named<'a>(spans: &'a [SpanData], name: &str) -> &'a SpanData {
    spans
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no span {name:?} in {:?}", names(spans)))
}

fn names(spans: &[SpanData]) -> Vec<String> {
    spans.iter().map(|s| s.name.to_string()).collect()
}

const TRACE: &str = "0af7651916cd43dd8448eb211c80319c";
const PARENT: &str = "b7ad6b7169203331";

#[tokio::test]
async fn a_request_is_a_server_span_continuing_traceparent_with_its_steps_as_children() {
    let (provider, exporter) = in_memory();
    let client = TestClient::new(app(provider));
    let answer = client
        .get("/items/5?q=x")
        .header("traceparent", &format!("00-{TRACE}-{PARENT}-01"))
        .header("x-user", "alice")
        .header("user-agent", "curl/8.5.0")
        .send()
        .await;
    assert_eq!(answer.status(), 200);
    let spans = exporter.get_finished_spans().unwrap();
    assert_eq!(spans.len(), 4, "{:?}", names(&spans));

    let server = named(&spans, "GET /items/{item_id}");
    assert_eq!(server.span_kind, SpanKind::Server);
    assert_eq!(
        server.span_context.trace_id(),
        TraceId::from_hex(TRACE).unwrap()
    );
    assert_eq!(server.parent_span_id, SpanId::from_hex(PARENT).unwrap());
    assert!(server.parent_span_is_remote);
    assert_eq!(server.status, Status::Unset);
    assert_eq!(server.instrumentation_scope.name(), "fastrs");
    let got = attributes(server);
    assert_eq!(got["http.request.method"], text("GET"));
    assert_eq!(got["http.route"], text("/items/{item_id}"));
    assert_eq!(got["url.path"], text("/items/5"));
    assert_eq!(got["url.scheme"], text("http"));
    assert_eq!(got["network.protocol.version"], text("1.1"));
    assert_eq!(got["user_agent.original"], text("curl/8.5.0"));
    assert_eq!(got["http.response.status_code"], Value::I64(200));
    // No client address in process: TestClient has no socket.
    assert!(!got.contains_key("client.address"));

    // The user's provider and the handler are the request's children; the
    // database's provider is the user provider's.
    let user = named(&spans, "get_current_user");
    let db = named(&spans, "get_db");
    let handler = named(&spans, "read_item");
    let server_id = server.span_context.span_id();
    assert_eq!(user.parent_span_id, server_id);
    assert_eq!(handler.parent_span_id, server_id);
    assert_eq!(db.parent_span_id, user.span_context.span_id());
    for (span, step) in [
        (user, "dependency"),
        (db, "dependency"),
        (handler, "handler"),
    ] {
        assert_eq!(span.span_kind, SpanKind::Internal);
        assert_eq!(span.span_context.trace_id(), server.span_context.trace_id());
        assert_eq!(attributes(span)["fastrs.step"], text(step));
        assert_eq!(
            attributes(span)["code.function.name"],
            text(span.name.as_ref())
        );
        // Children end before their parent.
        assert!(span.end_time <= server.end_time);
    }
}

#[tokio::test]
async fn a_request_without_traceparent_starts_a_trace() {
    let (provider, exporter) = in_memory();
    let client = TestClient::new(app(provider));
    client.get("/items/1").header("x-user", "bob").send().await;
    client.get("/items/2").header("x-user", "bob").send().await;
    let spans = exporter.get_finished_spans().unwrap();
    let servers: Vec<_> = spans
        .iter()
        .filter(|s| s.span_kind == SpanKind::Server)
        .collect();
    assert_eq!(servers.len(), 2);
    for server in &servers {
        assert_eq!(server.parent_span_id, SpanId::INVALID);
        assert!(server.span_context.is_sampled());
    }
    assert_ne!(
        servers[0].span_context.trace_id(),
        servers[1].span_context.trace_id()
    );
}

#[tokio::test]
async fn a_traceparent_not_sampled_records_nothing() {
    let (provider, exporter) = in_memory();
    let client = TestClient::new(app(provider));
    let answer = client
        .get("/items/1")
        .header("traceparent", &format!("00-{TRACE}-{PARENT}-00"))
        .header("x-user", "carol")
        .send()
        .await;
    assert_eq!(answer.status(), 200);
    assert_eq!(exporter.get_finished_spans().unwrap(), Vec::new());
}

#[tokio::test]
async fn a_blocking_handler_runs_in_its_span() {
    let (provider, exporter) = in_memory();
    let client = TestClient::new(app(provider));
    let answer = client.get("/span").send().await;
    assert_eq!(answer.status(), 200);
    let spans = exporter.get_finished_spans().unwrap();
    let handler = named(&spans, "current_span");
    assert_eq!(answer.text(), handler.span_context.span_id().to_string());
    let server = named(&spans, "GET /span");
    assert_eq!(handler.parent_span_id, server.span_context.span_id());
}

#[tokio::test]
async fn errors_unmatched_paths_and_unknown_methods_are_named_as_the_conventions_say() {
    let (provider, exporter) = in_memory();
    let client = TestClient::new(app(provider));
    assert_eq!(client.get("/fail").send().await.status(), 503);
    assert_eq!(client.get("/missing/42").send().await.status(), 404);
    let odd = client
        .request(
            fastrs::http::Method::from_bytes(b"PURGE").unwrap(),
            "/items/1",
        )
        .send()
        .await;
    assert_eq!(odd.status(), 405);
    // Invalid input is the client's error: the span is not marked.
    assert_eq!(
        client
            .get("/items/x")
            .header("x-user", "dan")
            .send()
            .await
            .status(),
        422
    );
    let spans = exporter.get_finished_spans().unwrap();

    let failed = named(&spans, "GET /fail");
    assert_eq!(failed.status, Status::error(""));
    assert_eq!(attributes(failed)["error.type"], text("503"));
    assert_eq!(
        attributes(failed)["http.response.status_code"],
        Value::I64(503)
    );

    // No route: the method alone, and no http.route (never the raw path).
    let missing = named(&spans, "GET");
    assert!(!attributes(missing).contains_key("http.route"));
    assert_eq!(attributes(missing)["url.path"], text("/missing/42"));
    assert_eq!(missing.status, Status::Unset);

    // A method outside HTTP's: `_OTHER`, the span named HTTP.
    let other = named(&spans, "HTTP");
    assert_eq!(attributes(other)["http.request.method"], text("_OTHER"));
    assert_eq!(
        attributes(other)["http.request.method_original"],
        text("PURGE")
    );

    let invalid = spans
        .iter()
        .find(|s| attributes(s).get("url.path") == Some(&text("/items/x")))
        .expect("the 422's span");
    assert_eq!(invalid.name, "GET /items/{item_id}");
    assert_eq!(invalid.status, Status::Unset);
    // The handler did not run: no span of its own.
    assert!(!spans
        .iter()
        .any(|s| s.name == "read_item" && s.parent_span_id == invalid.span_context.span_id()));
}

#[tokio::test]
async fn over_a_socket_the_span_has_the_client_address() {
    let (provider, exporter) = in_memory();
    // Kept here: the provider's last owner shuts it down, which empties
    // the in-memory exporter.
    let app = app(provider.clone()).access_log(fastrs::app::AccessLog::off());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.serve_with(listener, async {
        let _ = stopped.await;
    }));
    let request =
        "GET /items/7 HTTP/1.1\r\nHost: test\r\nX-User: erin\r\nConnection: close\r\n\r\n";
    let answer = exchange(address, request.as_bytes(), Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    let spans = exporter.get_finished_spans().unwrap();
    let server = named(&spans, "GET /items/{item_id}");
    assert_eq!(attributes(server)["client.address"], text("127.0.0.1"));
    assert_eq!(attributes(server)["url.path"], text("/items/7"));
}
