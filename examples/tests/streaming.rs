//! FastAPI's answers for every route of `streaming`, pinned as literals
//! (sent to the FastAPI app this example ports, FastAPI 0.165 on uvicorn, and copied here):
//! the bodies byte for byte, and the headers that matter. (How they go
//! over a socket, chunked or with a length, is checked in the workspace's
//! `tests/tests/streaming.rs`.)

#[path = "../streaming.rs"]
#[allow(dead_code)]
mod example;
mod support;

use fastrs::testing::TestClient;
use support::assert_headers;

#[tokio::test]
async fn a_streamed_body_is_chunked_text() {
    let client = TestClient::new(example::app());
    let response = client.get("/stream").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text(), "line 0\nline 1\nline 2\n");
    assert_headers(
        &response,
        &[("content-type", Some("text/plain; charset=utf-8"))],
    );
}

#[tokio::test]
async fn model_events_are_one_json_data_line_each() {
    let client = TestClient::new(example::app());
    let response = client.get("/events").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.text(),
        "data: {\"name\":\"item 0\",\"price\":0.5}\n\n\
         data: {\"name\":\"item 1\",\"price\":1.5}\n\n\
         data: {\"name\":\"item 2\",\"price\":2.5}\n\n"
    );
    assert_headers(
        &response,
        &[
            ("content-type", Some("text/event-stream; charset=utf-8")),
            ("cache-control", Some("no-cache")),
            ("x-accel-buffering", Some("no")),
        ],
    );
}

#[tokio::test]
async fn raw_events_carry_event_id_and_retry_with_json_data() {
    let client = TestClient::new(example::app());
    let response = client.get("/events-raw").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.text(),
        "event: greeting\ndata: \"hello\"\nid: 1\n\n\
         event: farewell\ndata: \"bye\"\nid: 2\nretry: 5000\n\n"
    );
    assert_headers(
        &response,
        &[("content-type", Some("text/event-stream; charset=utf-8"))],
    );
}

#[tokio::test]
async fn html_and_text_have_their_content_types_and_lengths() {
    let client = TestClient::new(example::app());
    let response = client.get("/html").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text(), "<h1>Hello</h1>");
    assert_headers(
        &response,
        &[("content-type", Some("text/html; charset=utf-8"))],
    );
    let response = client.get("/text").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text(), "plain hello");
    assert_headers(
        &response,
        &[("content-type", Some("text/plain; charset=utf-8"))],
    );
}

#[tokio::test]
async fn a_redirect_is_307_with_location_and_no_body() {
    let client = TestClient::new(example::app());
    let response = client.get("/go").await;
    assert_eq!(response.status(), 307);
    assert_eq!(response.text(), "");
    assert_headers(
        &response,
        &[
            ("location", Some("/text")),
            ("content-length", Some("0")),
            ("content-type", None),
        ],
    );
}
