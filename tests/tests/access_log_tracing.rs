//! With a `tracing` subscriber installed (and no writer given), each
//! access line is an event of target `fastrs::access` with the line's
//! fields, for the subscriber to write as it writes everything else. In a
//! binary of its own: the subscriber is the process's global default.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fastrs::prelude::*;
use fastrs_tests::exchange;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// The access events seen, each as its fields.
#[derive(Clone, Default)]
struct AccessEvents(Arc<Mutex<Vec<BTreeMap<String, String>>>>);

struct Fields(BTreeMap<String, String>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Subscriber for AccessEvents {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target() == "fastrs::access"
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(BTreeMap::new());
        event.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[endpoint(GET "/items/{item_id}")]
async fn read_item(item_id: i64) -> Json<Value> {
    Json(json!({"item_id": item_id}))
}

#[tokio::test]
async fn each_answer_is_an_event_for_the_subscriber() {
    let events = AccessEvents::default();
    tracing::subscriber::set_global_default(events.clone()).expect("the only subscriber");

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(App::new().route(read_item).serve_with(listener, async {
        let _ = stopped.await;
    }));
    let request = b"GET /items/3?q=1 HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
    let answer = exchange(address, request, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let _ = stop.send(());
    server.await.unwrap().unwrap();

    let seen = events.0.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "{seen:#?}");
    let event = &seen[0];
    assert_eq!(event["method"], "GET");
    assert_eq!(event["path"], "/items/3?q=1");
    assert_eq!(event["http_version"], "HTTP/1.1");
    assert_eq!(event["status"], "200");
    assert!(event["client"].starts_with("127.0.0.1:"), "{event:?}");
    assert!(event["duration_ms"]
        .parse::<f64>()
        .is_ok_and(|ms| ms >= 0.0));
    assert!(event["message"].contains("\"GET /items/3?q=1 HTTP/1.1\" 200"));
}
