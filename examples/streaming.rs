//! Port of a FastAPI app with its response classes: a streamed text body,
//! server-sent events of a model and of hand-made events, HTML, plain text
//! and a redirect.
//!
//! Run it with `PORT=8001 cargo run --release --example streaming`, then
//! `curl -N localhost:8001/events`.

use fastrs::prelude::*;
use fastrs::response::StreamingResponse;
use fastrs::response::{iter, EventStream, Html, PlainText, Redirect, ServerSentEvent};

#[model]
pub struct Item {
    name: String,
    price: f64,
}

// ANCHOR: stream
// Three lines of text, sent as they are produced.
#[endpoint(GET "/stream")]
async fn stream() -> StreamingResponse {
    let lines = (0..3).map(|i| format!("line {i}\n"));
    StreamingResponse::new(iter(lines), "text/plain")
}
// ANCHOR_END: stream

// ANCHOR: events
// Server-sent events: each item is one `data:` line of JSON.
#[endpoint(GET "/events")]
async fn events() -> EventStream<Item> {
    EventStream::new(iter((0..3).map(|i| Item {
        name: format!("item {i}"),
        price: f64::from(i) + 0.5,
    })))
}

// Events with a type, an id and a retry time.
#[endpoint(GET "/events-raw")]
async fn events_raw() -> EventStream {
    EventStream::new(iter([
        ServerSentEvent::new()
            .data("hello")
            .event("greeting")
            .id("1"),
        ServerSentEvent::new()
            .data("bye")
            .event("farewell")
            .id("2")
            .retry(5000),
    ]))
}
// ANCHOR_END: events

// ANCHOR: classes
#[endpoint(GET "/html")]
async fn html() -> Html<&'static str> {
    Html("<h1>Hello</h1>")
}

#[endpoint(GET "/text")]
async fn text() -> PlainText<&'static str> {
    PlainText("plain hello")
}

#[endpoint(GET "/go")]
async fn go() -> Redirect {
    Redirect::to("/text")
}
// ANCHOR_END: classes

/// The app, as the tests build it.
pub fn app() -> App {
    App::new()
        .route(stream)
        .route(events)
        .route(events_raw)
        .route(html)
        .route(text)
        .route(go)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
