//! Runtime defaults over real sockets: header-read timeout (which cuts a
//! client slow to send a head, never a response slow to come), body limit,
//! panics, and graceful shutdown on SIGTERM.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fastrs::prelude::*;
use fastrs::response::StreamingResponse;
use fastrs_tests::{exchange, get, read_until_closed};
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

#[endpoint(GET "/")]
async fn root() -> Json<Value> {
    Json(json!({"message": "Hello World"}))
}

#[endpoint(POST "/echo")]
async fn echo(body: Json<Value>) -> Json<Value> {
    body
}

#[endpoint(GET "/panic")]
async fn panics() -> &'static str {
    panic!("this handler panics on purpose")
}

/// Serves `app` on a free port until the test ends; returns the address.
async fn start(app: App) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(app.serve_with(listener, std::future::pending()));
    address
}

/// Answers after 700 ms.
#[endpoint(GET "/slow")]
async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_millis(700)).await;
    "done"
}

/// Streams two chunks 700 ms apart.
#[endpoint(GET "/pausing")]
async fn pausing() -> StreamingResponse {
    let chunks = futures_util::stream::unfold(0, |sent| async move {
        match sent {
            0 => Some(("first\n", 1)),
            1 => {
                tokio::time::sleep(Duration::from_millis(700)).await;
                Some(("second\n", 2))
            }
            _ => None,
        }
    });
    StreamingResponse::new(chunks, "text/plain")
}

fn app() -> App {
    App::new()
        .route(root)
        .route(echo)
        .route(panics)
        .route(slow)
        .route(pausing)
}

/// Sends half a request head on `stream` and checks that the server, whose
/// header-read timeout is 300 ms, closes the connection at that deadline
/// without answering.
async fn stall_in_a_head_and_expect_the_close(stream: &mut TcpStream) {
    let started = Instant::now();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: te")
        .await
        .unwrap();
    let received = read_until_closed(stream, Duration::from_secs(5)).await;
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(250),
        "closed too early: {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(4),
        "not closed by the timeout: {waited:?}"
    );
    assert!(
        !received.contains("200 OK"),
        "a stalled request was answered: {received}"
    );
}

#[tokio::test]
async fn a_client_that_stalls_in_the_headers_is_disconnected_after_the_timeout() {
    let address = start(app().header_read_timeout(Duration::from_millis(300))).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    stall_in_a_head_and_expect_the_close(&mut stream).await;
}

#[tokio::test]
async fn a_complete_request_is_answered_within_the_header_timeout() {
    let address = start(app().header_read_timeout(Duration::from_millis(300))).await;
    let received = exchange(address, &get("/"), Duration::from_secs(5)).await;
    assert!(received.starts_with("HTTP/1.1 200 OK"), "{received}");
    assert!(
        received.ends_with(r#"{"message":"Hello World"}"#),
        "{received}"
    );
}

/// Reads one response with a `content-length` body from a keep-alive
/// connection.
async fn read_one_response(stream: &mut TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut received = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        let text = String::from_utf8_lossy(&received).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length: "))
                .and_then(|length| length.parse().ok())
                .expect("a content-length");
            if body.len() >= length {
                return text;
            }
        }
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk))
            .await
            .expect("a response within 5 s")
            .unwrap();
        assert!(read > 0, "closed before a whole response: {text}");
        received.extend_from_slice(&chunk[..read]);
    }
}

/// Sends `GET /` on a kept-alive connection and checks that it is answered.
async fn get_and_expect_200(stream: &mut TcpStream) {
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    let received = read_one_response(stream).await;
    assert!(received.starts_with("HTTP/1.1 200 OK"), "{received}");
}

#[tokio::test]
async fn keep_alive_requests_spaced_under_the_header_timeout_are_all_answered() {
    // Five requests 200 ms apart on one connection with a 300 ms timeout:
    // the connection lives past several timeout periods, each head arrives
    // in time, and none is cut off.
    let address = start(app().header_read_timeout(Duration::from_millis(300))).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        get_and_expect_200(&mut stream).await;
    }
}

#[tokio::test]
async fn a_client_that_stalls_in_a_later_request_head_is_disconnected() {
    let address = start(app().header_read_timeout(Duration::from_millis(300))).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    // Two requests answered, then half a head and silence: the timeout
    // runs from the end of the last response, as hyper's does.
    for _ in 0..2 {
        get_and_expect_200(&mut stream).await;
    }
    stall_in_a_head_and_expect_the_close(&mut stream).await;
}

#[tokio::test]
async fn a_handler_slower_than_the_header_timeout_is_answered_and_the_timeout_runs_after() {
    let address = start(app().header_read_timeout(Duration::from_millis(300))).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    // The head arrives at once; the answer takes 700 ms.
    stream
        .write_all(b"GET /slow HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    let received = read_one_response(&mut stream).await;
    assert!(received.starts_with("HTTP/1.1 200 OK"), "{received}");
    assert!(received.ends_with("done"), "{received}");
    // Then the wait for the next head is timed again.
    stall_in_a_head_and_expect_the_close(&mut stream).await;
}

#[tokio::test]
async fn a_streamed_response_that_pauses_longer_than_the_header_timeout_is_sent_whole() {
    let address = start(app().header_read_timeout(Duration::from_millis(300))).await;
    let request = b"GET /pausing HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
    let received = exchange(address, request, Duration::from_secs(5)).await;
    assert!(received.starts_with("HTTP/1.1 200 OK"), "{received}");
    // Both chunks, then the chunked body's end.
    assert!(
        received.contains("first\n") && received.contains("second\n"),
        "{received}"
    );
    assert!(received.ends_with("0\r\n\r\n"), "{received}");
}

#[cfg(feature = "http2")]
#[tokio::test]
async fn an_http2_connection_has_no_header_read_timeout() {
    // HTTP/2 has no request head to wait for between requests: an open
    // HTTP/2 connection with no request outlives the header-read timeout
    // (its idle timeout closes it, with a GOAWAY).
    let address = start(
        app()
            .header_read_timeout(Duration::from_millis(300))
            .idle_timeout(Duration::from_secs(5)),
    )
    .await;
    // A live HTTP/2 connection with no request.
    let mut stream = fastrs_tests::open_http2(address).await;
    let started = Instant::now();
    let received = read_until_closed(&mut stream, Duration::from_secs(1)).await;
    let held = started.elapsed();
    assert!(
        held >= Duration::from_millis(950),
        "closed after {held:?} (received {} bytes)",
        received.len()
    );
}

#[tokio::test]
async fn a_body_over_the_default_limit_is_413() {
    let address = start(app()).await;
    let body = vec![b' '; 3 * 1024 * 1024];
    let mut request = format!(
        "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    let received = exchange(address, &request, Duration::from_secs(5)).await;
    assert!(
        received.starts_with("HTTP/1.1 413 Payload Too Large"),
        "{received}"
    );
    assert!(
        received
            .ends_with(r#"{"detail":"Request body is larger than the limit of 2097152 bytes"}"#),
        "{received}"
    );
}

#[tokio::test]
async fn a_streamed_body_over_a_configured_limit_is_413() {
    let address = start(app().body_limit(1024)).await;
    // Chunked: the size is not declared, so the limit trips while reading.
    let chunk = format!("800\r\n{}\r\n0\r\n\r\n", " ".repeat(0x800));
    let request = format!(
        "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{chunk}"
    );
    let received = exchange(address, request.as_bytes(), Duration::from_secs(5)).await;
    assert!(
        received.starts_with("HTTP/1.1 413 Payload Too Large"),
        "{received}"
    );
}

#[tokio::test]
async fn a_body_under_the_limit_is_read() {
    let address = start(app()).await;
    let body = r#"{"a": [1, 2]}"#;
    let request = format!(
        "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let received = exchange(address, request.as_bytes(), Duration::from_secs(5)).await;
    assert!(received.starts_with("HTTP/1.1 200 OK"), "{received}");
    assert!(received.ends_with(r#"{"a":[1,2]}"#), "{received}");
}

#[tokio::test]
async fn a_panicking_handler_gets_500_and_the_server_keeps_serving() {
    let address = start(app()).await;
    let received = exchange(address, &get("/panic"), Duration::from_secs(5)).await;
    assert!(
        received.starts_with("HTTP/1.1 500 Internal Server Error"),
        "{received}"
    );
    assert!(
        received.contains("content-type: text/plain; charset=utf-8"),
        "{received}"
    );
    assert!(received.ends_with("Internal Server Error"), "{received}");
    let received = exchange(address, &get("/"), Duration::from_secs(5)).await;
    assert!(received.starts_with("HTTP/1.1 200 OK"), "{received}");
}

#[tokio::test]
async fn sigterm_lets_the_in_flight_request_finish_then_exits() {
    let mut server = Command::new(env!("CARGO_BIN_EXE_slow_server"))
        .env("HOST", "127.0.0.1")
        .env("PORT", "0")
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the slow server");
    // The server announces its address on stderr; port 0 let the OS pick it.
    let mut stderr = BufReader::new(server.stderr.take().unwrap());
    let mut first_line = String::new();
    stderr.read_line(&mut first_line).unwrap();
    // Keep reading, so the server's later lines have somewhere to go.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    let address: SocketAddr = first_line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {first_line:?}"));

    let in_flight =
        tokio::spawn(
            async move { exchange(address, &get("/slow"), Duration::from_secs(10)).await },
        );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());

    let received = in_flight.await.unwrap();
    assert!(received.starts_with("HTTP/1.1 200 OK"), "{received}");
    assert!(received.ends_with("finished"), "{received}");

    let deadline = Instant::now() + Duration::from_secs(5);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
    assert!(
        TcpStream::connect(address).await.is_err(),
        "still accepting after shutdown"
    );
}
