//! No connection held forever: a client that sends nothing, or a part of
//! the HTTP/2 preface, is disconnected after the first-bytes timeout; a body
//! that stalls (JSON or a multipart upload) is answered 408; an upload sent
//! in chunks is spooled to disk and bounded by the body limit as it
//! arrives; past the connection limit, new connections
//! are closed at once while the others are served.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use fastrs::prelude::*;
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

#[endpoint(POST "/upload")]
async fn upload(file: UploadFile) -> Json<Value> {
    Json(json!({"size": file.size(), "on_disk": file.is_on_disk()}))
}

async fn start(app: App) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(app.serve_with(listener, std::future::pending()));
    address
}

fn app() -> App {
    App::new()
        .route(root)
        .route(echo)
        .route(upload)
        .first_bytes_timeout(Duration::from_millis(300))
}

/// Sends `bytes`, then measures how long the server keeps the connection.
async fn held_for(address: SocketAddr, bytes: &[u8]) -> (Duration, String) {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    let started = Instant::now();
    let received = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    (started.elapsed(), received)
}

#[tokio::test]
async fn a_silent_client_or_a_partial_preface_is_disconnected() {
    let address = start(app()).await;
    // HTTP/1.1 alone answers HTTP/2's request line 400 at once; with the
    // `http2` feature it may be the start of a preface, waited for.
    let preface_waits = cfg!(feature = "http2");
    for (bytes, waits) in [
        (&b""[..], true),
        (b"P", true),
        (b"PRI * HTTP/2.0\r\n", preface_waits),
    ] {
        let (held, received) = held_for(address, bytes).await;
        assert!(
            !waits || held >= Duration::from_millis(250),
            "closed too early: {held:?}"
        );
        assert!(
            held < Duration::from_secs(4),
            "held {held:?} after {bytes:?}"
        );
        if waits {
            assert!(received.is_empty(), "{received}");
        } else {
            assert!(received.starts_with("HTTP/1.1 400"), "{received}");
        }
    }
    // The server still answers.
    let received = exchange(address, &get("/"), Duration::from_secs(5)).await;
    assert!(received.starts_with("HTTP/1.1 200 OK"), "{received}");
}

#[tokio::test]
async fn a_stalled_body_is_answered_408() {
    let address = start(app().body_read_timeout(Duration::from_millis(300))).await;
    let request = b"POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{";
    let (held, received) = held_for(address, request).await;
    assert!(
        received.starts_with("HTTP/1.1 408 Request Timeout"),
        "{received}"
    );
    assert!(received.contains("connection: close"), "{received}");
    assert!(
        received.ends_with(r#"{"detail":"The request body was not received in time"}"#),
        "{received}"
    );
    assert!(held < Duration::from_secs(4), "held {held:?}");
}

const MULTIPART_HEAD: &str =
    "--XYZ\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n";

#[tokio::test]
async fn a_stalled_multipart_upload_is_answered_408() {
    let address = start(app().body_read_timeout(Duration::from_millis(300))).await;
    let request = format!(
        "POST /upload HTTP/1.1\r\nhost: x\r\ncontent-type: multipart/form-data; boundary=XYZ\r\ncontent-length: 100000\r\n\r\n{MULTIPART_HEAD}abc"
    );
    let (held, received) = held_for(address, request.as_bytes()).await;
    assert!(
        received.starts_with("HTTP/1.1 408 Request Timeout"),
        "{received}"
    );
    assert!(held < Duration::from_secs(4), "held {held:?}");
}

#[tokio::test]
async fn an_upload_sent_in_chunks_is_streamed_to_disk_and_bounded() {
    let address = start(app().upload_spool_size(1024).body_limit(64 * 1024)).await;
    let send = |size: usize| async move {
        let mut stream = TcpStream::connect(address).await.unwrap();
        let head = "POST /upload HTTP/1.1\r\nhost: x\r\ncontent-type: multipart/form-data; boundary=XYZ\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut body = MULTIPART_HEAD.as_bytes().to_vec();
        body.extend(std::iter::repeat_n(b'x', size));
        body.extend_from_slice(b"\r\n--XYZ--\r\n");
        for chunk in body.chunks(4096) {
            let frame = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
            // The server may answer 413 and close before the end.
            if stream.write_all(&frame).await.is_err() {
                break;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n").await;
        read_until_closed(&mut stream, Duration::from_secs(5)).await
    };
    let received = send(20_000).await;
    assert!(received.starts_with("HTTP/1.1 200 OK"), "{received}");
    assert!(
        received.ends_with(r#"{"size":20000,"on_disk":true}"#),
        "{received}"
    );
    let received = send(100_000).await;
    assert!(
        received.starts_with("HTTP/1.1 413 Payload Too Large"),
        "{received}"
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let address = start(app().idle_timeout(Duration::from_millis(300))).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    // The answer, then, with no other request, the close.
    let received = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(received.starts_with("HTTP/1.1 200 OK"), "{received}");
    let held = started.elapsed();
    assert!(
        held >= Duration::from_millis(250),
        "closed too early: {held:?}"
    );
    assert!(held < Duration::from_secs(3), "held {held:?}");
}

#[cfg(not(feature = "http2"))]
#[tokio::test]
async fn without_the_http2_feature_an_http2_preface_is_closed_at_once() {
    // HTTP/1.1 only: the preface is no HTTP/1 request. The connection is
    // closed without waiting for any timeout, and the server goes on.
    let address = start(app().first_bytes_timeout(Duration::from_secs(5))).await;
    let mut stream = fastrs_tests::open_http2(address).await;
    let started = Instant::now();
    let received = read_until_closed(&mut stream, Duration::from_secs(4)).await;
    let held = started.elapsed();
    assert!(held < Duration::from_secs(1), "held {held:?}");
    assert!(received.is_empty(), "{received}");
    let received = exchange(address, &get("/"), Duration::from_secs(5)).await;
    assert!(received.starts_with("HTTP/1.1 200 OK"), "{received}");
}

#[cfg(feature = "http2")]
#[tokio::test]
async fn an_idle_http2_connection_gets_a_goaway_despite_keep_alive() {
    let address = start(
        app()
            .idle_timeout(Duration::from_millis(300))
            .http2_keep_alive(Duration::from_secs(30)),
    )
    .await;
    // A live HTTP/2 connection with no request.
    let mut stream = fastrs_tests::open_http2(address).await;
    // The GOAWAY comes after the idle timeout; hyper then waits for the
    // client to answer its ping before closing (a real client does).
    let mut received = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        let mut buffer = [0u8; 1024];
        loop {
            match tokio::io::AsyncReadExt::read(&mut stream, &mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    // Walk the frames: SETTINGS from the server, then a GOAWAY (type 7).
    let mut types = Vec::new();
    let mut rest = &received[..];
    while rest.len() >= 9 {
        let length =
            (usize::from(rest[0]) << 16) | (usize::from(rest[1]) << 8) | usize::from(rest[2]);
        types.push(rest[3]);
        rest = &rest[(9 + length).min(rest.len())..];
    }
    assert!(types.contains(&7), "no GOAWAY among frame types {types:?}");
}

#[tokio::test]
async fn past_the_limit_new_connections_are_closed_at_once() {
    let address = start(
        app()
            .max_connections(2)
            .first_bytes_timeout(Duration::from_secs(30)),
    )
    .await;
    // Two connections hold the two slots.
    let _first = TcpStream::connect(address).await.unwrap();
    let _second = TcpStream::connect(address).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (held, received) = held_for(address, b"").await;
    assert!(
        held < Duration::from_secs(1),
        "a refused connection hung {held:?}"
    );
    assert!(received.is_empty(), "{received}");
    // Once a slot is free, connections are served again.
    drop(_first);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let received = exchange(address, &get("/"), Duration::from_secs(5)).await;
    assert!(received.starts_with("HTTP/1.1 200 OK"), "{received}");
}
