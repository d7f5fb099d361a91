//! Traces leave the process over OTLP/HTTP as the standard variables say
//! (`fastrs::traces::from_env`): a receiver on a socket reads what the
//! exporter posts to `/v1/traces` as an OTLP collector's HTTP receiver
//! does (protobuf, decoded with OpenTelemetry's own message definitions)
//! and checks the resource, the scope and the server span. One test in
//! its own binary: it sets the process's environment before any thread
//! starts.

use std::time::Duration;

use fastrs::prelude::*;
use fastrs_tests::exchange;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{any_value, KeyValue};
use opentelemetry_proto::tonic::trace::v1::span::SpanKind;
use prost::Message;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

#[endpoint(GET "/items/{item_id}")]
async fn read_item(item_id: i64) -> String {
    format!("item {item_id}")
}

/// One request a receiver got: path, content type, body.
struct Posted {
    path: String,
    content_type: String,
    body: Vec<u8>,
}

/// Reads one HTTP/1.1 request from `stream` and answers 200 with an empty
/// `ExportTraceServiceResponse` (zero bytes of protobuf).
async fn receive(mut stream: TcpStream) -> Option<Posted> {
    let mut read = Vec::new();
    let mut buffer = [0u8; 8192];
    let head_end = loop {
        let n = stream.read(&mut buffer).await.ok()?;
        if n == 0 {
            return None;
        }
        read.extend_from_slice(&buffer[..n]);
        if let Some(at) = read.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&read[..head_end]).into_owned();
    let path = head.split(' ').nth(1)?.to_owned();
    let header = |name: &str| {
        head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    };
    let length: usize = header("content-length")?.parse().ok()?;
    let content_type = header("content-type").unwrap_or_default();
    while read.len() < head_end + length {
        let n = stream.read(&mut buffer).await.ok()?;
        if n == 0 {
            return None;
        }
        read.extend_from_slice(&buffer[..n]);
    }
    let body = read[head_end..head_end + length].to_vec();
    let answer =
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n";
    stream.write_all(answer.as_bytes()).await.ok()?;
    Some(Posted {
        path,
        content_type,
        body,
    })
}

fn text_of<'a>(attributes: &'a [KeyValue], key: &str) -> Option<&'a str> {
    attributes.iter().find(|kv| kv.key == key).and_then(|kv| {
        match kv.value.as_ref()?.value.as_ref()? {
            any_value::Value::StringValue(text) => Some(text.as_str()),
            _ => None,
        }
    })
}

fn int_of(attributes: &[KeyValue], key: &str) -> Option<i64> {
    attributes.iter().find(|kv| kv.key == key).and_then(|kv| {
        match kv.value.as_ref()?.value.as_ref()? {
            any_value::Value::IntValue(n) => Some(*n),
            _ => None,
        }
    })
}

const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT: &str = "00f067aa0ba902b7";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn spans_are_posted_to_the_collector_the_variables_name() {
    let receiver = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let collector = receiver.local_addr().unwrap();

    // The environment, set before any thread of the exporter starts.
    for name in [
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
        "OTEL_EXPORTER_OTLP_HEADERS",
        "OTEL_SDK_DISABLED",
        "OTEL_TRACES_EXPORTER",
        "OTEL_TRACES_SAMPLER",
        "OTEL_RESOURCE_ATTRIBUTES",
    ] {
        std::env::remove_var(name);
    }
    // No endpoint: no traces.
    std::env::remove_var("OTEL_EXPORTER_OTLP_ENDPOINT");
    assert!(fastrs::traces::from_env().unwrap().is_none());
    std::env::set_var("OTEL_EXPORTER_OTLP_ENDPOINT", format!("http://{collector}"));
    // gRPC is not built in: refused with a reason, not sent to the wrong port.
    std::env::set_var("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
    let refused = fastrs::traces::from_env().unwrap_err().to_string();
    assert!(refused.contains("http/protobuf"), "{refused}");
    std::env::set_var("OTEL_TRACES_EXPORTER", "none");
    std::env::set_var("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    assert!(fastrs::traces::from_env().unwrap().is_none());
    std::env::remove_var("OTEL_TRACES_EXPORTER");
    std::env::set_var("OTEL_SERVICE_NAME", "otlp-test");
    // Batches leave every 100 ms, not the default 5 s.
    std::env::set_var("OTEL_BSP_SCHEDULE_DELAY", "100");

    let provider = fastrs::traces::from_env()
        .unwrap()
        .expect("an endpoint is set");
    let (posted, mut received) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((stream, _)) = receiver.accept().await {
            let posted = posted.clone();
            tokio::spawn(async move {
                if let Some(request) = receive(stream).await {
                    let _ = posted.send(request);
                }
            });
        }
    });

    let app = App::new()
        .traces(provider)
        .access_log(fastrs::app::AccessLog::off())
        .route(read_item);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.serve_with(listener, async {
        let _ = stopped.await;
    }));
    let request = format!(
        "GET /items/3 HTTP/1.1\r\nHost: test\r\ntraceparent: 00-{TRACE}-{PARENT}-01\r\nConnection: close\r\n\r\n"
    );
    let answer = exchange(address, request.as_bytes(), Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");

    // Within the schedule delay's reach, while the server still runs (its
    // stop would flush them anyway).
    let posted = tokio::time::timeout(Duration::from_secs(3), received.recv())
        .await
        .expect("the spans are posted within 3 s")
        .expect("a request");
    assert_eq!(posted.path, "/v1/traces");
    assert_eq!(posted.content_type, "application/x-protobuf");
    let export = ExportTraceServiceRequest::decode(posted.body.as_slice()).expect("OTLP protobuf");
    let _ = stop.send(());
    server.await.unwrap().unwrap();

    assert_eq!(export.resource_spans.len(), 1);
    let resource_spans = &export.resource_spans[0];
    let resource = resource_spans.resource.as_ref().expect("a resource");
    assert_eq!(
        text_of(&resource.attributes, "service.name"),
        Some("otlp-test")
    );
    let scope_spans = &resource_spans.scope_spans[0];
    assert_eq!(scope_spans.scope.as_ref().unwrap().name, "fastrs");
    let spans = &scope_spans.spans;
    let server_span = spans
        .iter()
        .find(|s| s.kind == SpanKind::Server as i32)
        .expect("the server span");
    assert_eq!(server_span.name, "GET /items/{item_id}");
    assert_eq!(hex(&server_span.trace_id), TRACE);
    assert_eq!(hex(&server_span.parent_span_id), PARENT);
    let attributes = &server_span.attributes;
    assert_eq!(text_of(attributes, "http.request.method"), Some("GET"));
    assert_eq!(text_of(attributes, "http.route"), Some("/items/{item_id}"));
    assert_eq!(text_of(attributes, "url.path"), Some("/items/3"));
    assert_eq!(text_of(attributes, "client.address"), Some("127.0.0.1"));
    assert_eq!(int_of(attributes, "http.response.status_code"), Some(200));
    let handler = spans
        .iter()
        .find(|s| s.name == "read_item")
        .expect("the handler's span");
    assert_eq!(handler.parent_span_id, server_span.span_id);
}
