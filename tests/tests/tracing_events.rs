//! With a `tracing` subscriber installed: each access line is an event of
//! target `fastrs::access` with the line's fields, and with request ids
//! every log event of a request (a panic's, here) is in a `request` span
//! that carries the id. In a binary of its own: the subscriber is the
//! process's global default.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fastrs::prelude::*;
use fastrs_tests::exchange;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

type Fields = BTreeMap<String, String>;

/// Every event seen, each as its fields and the fields of the span it was
/// in (`span.` before their names).
#[derive(Clone, Default)]
struct Recorder {
    events: Arc<Mutex<Vec<Fields>>>,
    spans: Arc<Mutex<BTreeMap<u64, Fields>>>,
    next: Arc<AtomicU64>,
}

thread_local! {
    static ENTERED: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

struct Visitor<'a>(&'a mut Fields);

impl Visit for Visitor<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("fastrs")
    }
    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut fields = Fields::new();
        attributes.record(&mut Visitor(&mut fields));
        fields.insert("name".into(), attributes.metadata().name().into());
        self.spans.lock().unwrap().insert(id, fields);
        Id::from_u64(id)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::new();
        event.record(&mut Visitor(&mut fields));
        fields.insert("target".into(), event.metadata().target().into());
        if let Some(span) = ENTERED.with(|e| e.borrow().last().copied()) {
            if let Some(span_fields) = self.spans.lock().unwrap().get(&span) {
                for (name, value) in span_fields {
                    fields.insert(format!("span.{name}"), value.clone());
                }
            }
        }
        self.events.lock().unwrap().push(fields);
    }
    fn enter(&self, span: &Id) {
        ENTERED.with(|e| e.borrow_mut().push(span.into_u64()));
    }
    fn exit(&self, _: &Id) {
        ENTERED.with(|e| e.borrow_mut().pop());
    }
}

#[endpoint(GET "/items/{item_id}")]
async fn read_item(item_id: i64) -> Json<Value> {
    Json(json!({"item_id": item_id}))
}

#[endpoint(GET "/broken")]
async fn broken() -> &'static str {
    panic!("a bug in the handler")
}

#[tokio::test]
async fn access_lines_are_events_and_a_requests_events_carry_its_id() {
    let recorder = Recorder::default();
    tracing::subscriber::set_global_default(recorder.clone()).expect("the only subscriber");

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = App::new().request_ids().route(read_item).route(broken);
    let server = tokio::spawn(app.serve_with(listener, async {
        let _ = stopped.await;
    }));
    let request = b"GET /items/3?q=1 HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
    let answer = exchange(address, request, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let request = b"GET /broken HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
    let failed = exchange(address, request, Duration::from_secs(5)).await;
    assert!(failed.starts_with("HTTP/1.1 500"), "{failed}");
    let failed_id = failed
        .lines()
        .find_map(|l| l.strip_prefix("x-request-id: "))
        .expect("the 500 has an id")
        .to_owned();
    let _ = stop.send(());
    server.await.unwrap().unwrap();

    let events = recorder.events.lock().unwrap().clone();
    let access: Vec<&Fields> = events
        .iter()
        .filter(|e| e["target"] == "fastrs::access")
        .collect();
    assert_eq!(access.len(), 2, "{events:#?}");
    let line = access[0];
    assert_eq!(line["method"], "GET");
    assert_eq!(line["path"], "/items/3?q=1");
    assert_eq!(line["http_version"], "HTTP/1.1");
    assert_eq!(line["status"], "200");
    assert!(line["client"].starts_with("127.0.0.1:"), "{line:?}");
    assert!(line["duration_ms"].parse::<f64>().is_ok_and(|ms| ms >= 0.0));
    assert!(line["message"].contains("\"GET /items/3?q=1 HTTP/1.1\" 200"));
    assert_eq!(line["request_id"].len(), 32, "{line:?}");
    assert_eq!(access[1]["request_id"], failed_id);

    // The panic's error event is in the request's span, with its id.
    let panic = events
        .iter()
        .find(|e| {
            e.get("message")
                .is_some_and(|m| m.contains("a bug in the handler"))
        })
        .expect("the panic is logged");
    assert_eq!(panic["span.name"], "request");
    assert_eq!(panic["span.request_id"], failed_id);
}
