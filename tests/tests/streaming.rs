//! Streamed answers over a real socket: a stream is sent chunked as it is
//! produced and dropped when the client leaves; a slow reader holds the
//! producer back instead of making the server buffer; request-scoped
//! `Yield` dependencies stay open until the stream ends (unless they ask
//! to close before the response); files answer `Range` and `If-Range`.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use fastrs::di::Yield;
use fastrs::prelude::*;
use fastrs::response::{iter, EventStream, FileResponse, Html, ServerSentEvent, StreamingResponse};
use fastrs_tests::{exchange, get};
use futures_util::Stream;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn start(app: App) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(app.serve_with(listener, std::future::pending()));
    address
}

/// The head and the body of a raw answer.
fn split(answer: &str) -> (&str, &str) {
    answer.split_once("\r\n\r\n").unwrap_or((answer, ""))
}

#[endpoint(GET "/lines")]
async fn lines() -> StreamingResponse {
    StreamingResponse::new(iter(["a\n", "b\n"]), "text/plain")
}

#[endpoint(GET "/page")]
async fn page() -> Html<&'static str> {
    Html("<p>hi</p>")
}

#[tokio::test]
async fn a_stream_is_chunked_and_a_whole_body_has_a_length() {
    let address = start(App::new().route(lines).route(page)).await;
    let answer = exchange(address, &get("/lines"), Duration::from_secs(5)).await;
    let (head, body) = split(&answer);
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(head.contains("transfer-encoding: chunked"), "{head}");
    assert!(!head.contains("content-length"), "{head}");
    assert_eq!(body, "2\r\na\n\r\n2\r\nb\n\r\n0\r\n\r\n");

    let answer = exchange(address, &get("/page"), Duration::from_secs(5)).await;
    let (head, body) = split(&answer);
    assert!(head.contains("content-length: 9"), "{head}");
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert_eq!(body, "<p>hi</p>");
}

/// A stream that never ends, yielding an event every 10 ms and counting
/// the bytes it has produced; `dropped` is set when the server lets go of it.
struct Endless {
    produced: Arc<AtomicU64>,
    dropped: Arc<AtomicBool>,
    chunk: usize,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    every: Duration,
}

impl Stream for Endless {
    type Item = Vec<u8>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Vec<u8>>> {
        let every = self.every;
        if let Some(timer) = &mut self.timer {
            std::task::ready!(timer.as_mut().poll(cx));
            timer.as_mut().reset(tokio::time::Instant::now() + every);
        }
        self.produced.fetch_add(self.chunk as u64, Ordering::SeqCst);
        Poll::Ready(Some(vec![b'x'; self.chunk]))
    }
}

impl Drop for Endless {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::SeqCst);
    }
}

/// What the producers of this test binary report, by route.
#[derive(Default)]
struct Probe {
    produced: Arc<AtomicU64>,
    dropped: Arc<AtomicBool>,
}

static TICKING: std::sync::LazyLock<Probe> = std::sync::LazyLock::new(Probe::default);
static FLOOD: std::sync::LazyLock<Probe> = std::sync::LazyLock::new(Probe::default);

#[endpoint(GET "/ticks")]
async fn ticks() -> EventStream {
    let stream = Endless {
        produced: TICKING.produced.clone(),
        dropped: TICKING.dropped.clone(),
        chunk: 1,
        timer: Some(Box::pin(tokio::time::sleep(Duration::from_millis(10)))),
        every: Duration::from_millis(10),
    };
    EventStream::new(StreamExtMap(stream))
}

/// The endless stream's chunks as events.
struct StreamExtMap(Endless);

impl Stream for StreamExtMap {
    type Item = ServerSentEvent;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<ServerSentEvent>> {
        Pin::new(&mut self.0)
            .poll_next(cx)
            .map(|c| c.map(|_| ServerSentEvent::new().raw_data("tick")))
    }
}

#[tokio::test]
async fn the_producer_is_dropped_when_the_client_leaves() {
    let address = start(App::new().route(ticks)).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(&get("/ticks")).await.unwrap();
    let mut buffer = [0u8; 4096];
    let mut seen = String::new();
    while !seen.contains("data: tick") {
        let n = stream.read(&mut buffer).await.unwrap();
        assert!(n > 0, "closed early: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
    assert!(
        seen.contains("content-type: text/event-stream; charset=utf-8"),
        "{seen}"
    );
    assert!(!TICKING.dropped.load(Ordering::SeqCst));
    drop(stream);
    for _ in 0..200 {
        if TICKING.dropped.load(Ordering::SeqCst) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        TICKING.dropped.load(Ordering::SeqCst),
        "the producer outlived its client"
    );
    let produced = TICKING.produced.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        TICKING.produced.load(Ordering::SeqCst),
        produced,
        "still producing"
    );
}

#[endpoint(GET "/flood")]
async fn flood() -> StreamingResponse {
    // 1 GiB in 64 KiB chunks, as fast as the connection takes them.
    let chunk = 64 * 1024;
    let stream = Endless {
        produced: FLOOD.produced.clone(),
        dropped: FLOOD.dropped.clone(),
        chunk,
        timer: None,
        every: Duration::ZERO,
    };
    let limited = Limited(stream, (1u64 << 30) / chunk as u64);
    StreamingResponse::new(limited, "application/octet-stream")
}

/// The first `n` items of a stream.
struct Limited(Endless, u64);

impl Stream for Limited {
    type Item = Vec<u8>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Vec<u8>>> {
        if self.1 == 0 {
            return Poll::Ready(None);
        }
        let item = std::task::ready!(Pin::new(&mut self.0).poll_next(cx));
        self.1 -= 1;
        Poll::Ready(item)
    }
}

/// The process's resident memory, in bytes (Linux).
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

#[tokio::test]
async fn a_slow_reader_holds_the_producer_back() {
    let address = start(App::new().route(flood)).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(&get("/flood")).await.unwrap();
    let before = rss();
    // Read 1 byte a millisecond for about two seconds.
    let mut read = 0u64;
    let mut byte = [0u8; 1];
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(2) {
        read += stream.read(&mut byte).await.unwrap() as u64;
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let produced = FLOOD.produced.load(Ordering::SeqCst);
    let grown = rss().saturating_sub(before);
    eprintln!("read {read} bytes, produced {produced}, RSS grew by {grown}");
    // What is produced but unread sits in the socket buffers and one chunk
    // in flight: a few MiB at most, never the gigabyte.
    assert!(read > 100, "read only {read} bytes");
    assert!(
        produced < 16 << 20,
        "produced {produced} bytes for a reader of {read}"
    );
    assert!(grown < 64 << 20, "RSS grew by {grown} bytes");
    drop(stream);
}

/// A session whose state the stream reads while it is sent.
#[derive(Clone)]
struct Session(Arc<AtomicBool>);

static CLOSED_AFTER: std::sync::LazyLock<Mutex<Vec<&'static str>>> =
    std::sync::LazyLock::new(Mutex::default);

#[dependency]
async fn session() -> Yield<Session> {
    let closed = Arc::new(AtomicBool::new(false));
    let flag = closed.clone();
    Yield::new(Session(closed), move |_| async move {
        flag.store(true, Ordering::SeqCst);
        CLOSED_AFTER.lock().unwrap().push("session");
        Ok(())
    })
}

/// A session closed before the response starts (FastAPI's
/// `Depends(scope="function")`): a long stream does not hold it.
#[derive(Clone)]
struct ShortSession(Arc<AtomicBool>);

#[dependency]
async fn short_session() -> Yield<ShortSession> {
    let closed = Arc::new(AtomicBool::new(false));
    let flag = closed.clone();
    Yield::new(ShortSession(closed), move |_| async move {
        flag.store(true, Ordering::SeqCst);
        Ok(())
    })
    .before_response()
}

/// Says, for each of three lines, whether the session was open when the
/// line was produced.
fn report(closed: Arc<AtomicBool>) -> impl Stream<Item = String> + Send {
    futures_util::stream::unfold(0, move |i| {
        let closed = closed.clone();
        async move {
            if i == 3 {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
            let state = if closed.load(Ordering::SeqCst) {
                "closed"
            } else {
                "open"
            };
            Some((format!("{state}\n"), i + 1))
        }
    })
}

#[endpoint(GET "/with-session")]
async fn with_session(session: Depends<Session>) -> StreamingResponse {
    StreamingResponse::new(report(session.0.clone()), "text/plain")
}

#[endpoint(GET "/with-short-session")]
async fn with_short_session(session: Depends<ShortSession>) -> StreamingResponse {
    StreamingResponse::new(report(session.0.clone()), "text/plain")
}

#[tokio::test]
async fn a_yield_dependency_stays_open_until_the_stream_ends_unless_it_closes_first() {
    let app = App::new().route(with_session).route(with_short_session);
    let address = start(app).await;
    let answer = exchange(address, &get("/with-session"), Duration::from_secs(5)).await;
    assert!(
        answer.ends_with("5\r\nopen\n\r\n5\r\nopen\n\r\n5\r\nopen\n\r\n0\r\n\r\n"),
        "{answer}"
    );
    for _ in 0..100 {
        if !CLOSED_AFTER.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        *CLOSED_AFTER.lock().unwrap(),
        ["session"],
        "closed once the stream ended"
    );

    let answer = exchange(address, &get("/with-short-session"), Duration::from_secs(5)).await;
    assert!(
        answer.contains("7\r\nclosed\n\r\n7\r\nclosed\n\r\n7\r\nclosed\n\r\n0\r\n\r\n"),
        "{answer}"
    );
}

#[endpoint(GET "/file")]
async fn file() -> Result<FileResponse, HttpError> {
    let path = std::env::temp_dir().join("fastrs-streaming-test-file.txt");
    match FileResponse::open(&path).await {
        Ok(file) => Ok(file.filename("digits.txt")),
        Err(_) => Err(HttpError::new(StatusCode::NOT_FOUND, "File not found")),
    }
}

fn request(path: &str, headers: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n{headers}\r\n").into_bytes()
}

#[tokio::test]
async fn a_file_answers_ranges_if_range_and_head() {
    let path = std::env::temp_dir().join("fastrs-streaming-test-file.txt");
    std::fs::write(&path, "0123456789".repeat(10)).unwrap();
    let address = start(App::new().route(file)).await;
    let wait = Duration::from_secs(5);

    let answer = exchange(address, &request("/file", ""), wait).await;
    let (head, body) = split(&answer);
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    for header in [
        "content-type: text/plain; charset=utf-8",
        "content-length: 100",
        "accept-ranges: bytes",
        "content-disposition: attachment; filename=\"digits.txt\"",
        "last-modified: ",
        "etag: \"",
    ] {
        assert!(head.contains(header), "{header} missing: {head}");
    }
    assert_eq!(body, "0123456789".repeat(10));
    let etag = head
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .unwrap()
        .to_string();

    let answer = exchange(address, &request("/file", "Range: bytes=10-14\r\n"), wait).await;
    let (head, body) = split(&answer);
    assert!(head.starts_with("HTTP/1.1 206 Partial Content"), "{head}");
    assert!(head.contains("content-range: bytes 10-14/100"), "{head}");
    assert!(head.contains("content-length: 5"), "{head}");
    assert_eq!(body, "01234");

    let answer = exchange(address, &request("/file", "Range: bytes=-3\r\n"), wait).await;
    assert_eq!(split(&answer).1, "789");

    let answer = exchange(address, &request("/file", "Range: bytes=100-\r\n"), wait).await;
    let (head, body) = split(&answer);
    assert!(
        head.starts_with("HTTP/1.1 416 Range Not Satisfiable"),
        "{head}"
    );
    assert!(head.contains("content-range: bytes */100"), "{head}");
    assert_eq!(body, "");

    let answer = exchange(address, &request("/file", "Range: lines=1-2\r\n"), wait).await;
    let (head, body) = split(&answer);
    assert!(head.starts_with("HTTP/1.1 400 Bad Request"), "{head}");
    assert_eq!(body, "Only support bytes range");

    // If-Range: the range only for the version the client has.
    let if_range = format!("Range: bytes=0-0\r\nIf-Range: {etag}\r\n");
    let answer = exchange(address, &request("/file", &if_range), wait).await;
    assert_eq!(split(&answer).1, "0");
    let stale = "Range: bytes=0-0\r\nIf-Range: \"stale\"\r\n";
    let answer = exchange(address, &request("/file", stale), wait).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert_eq!(split(&answer).1.len(), 100);

    // HEAD: the length, no body.
    let head_request = b"HEAD /file HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
    let answer = exchange(address, head_request, wait).await;
    let (head, body) = split(&answer);
    assert!(head.contains("content-length: 100"), "{head}");
    assert_eq!(body, "");

    // A missing file is the endpoint's 404.
    std::fs::remove_file(&path).unwrap();
    let answer = exchange(address, &request("/file", ""), wait).await;
    assert!(answer.starts_with("HTTP/1.1 404 Not Found"), "{answer}");
}
