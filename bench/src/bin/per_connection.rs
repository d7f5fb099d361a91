//! Runs N requests of one scenario over one keep-alive connection on the
//! loopback interface, server and client in one thread of one process,
//! for counting instructions per request with callgrind, connection
//! handling included (hyper's HTTP/1 parsing and writing, the header-read
//! timer, the connection task):
//!
//!     per_connection SERVER SCENARIO N
//!
//! SERVER is `fastrs` (the default configuration), `fastrs_nto` (its
//! header-read timeout off), `axum` (`axum::serve`) or `hyper` (the
//! hand-written service of `hyper_server`). `instructions.sh` runs it
//! under `valgrind --tool=callgrind` for two values of N and divides the
//! difference, which cancels start-up costs. The client's own work is the
//! same for every server.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[path = "../fastrs_app.rs"]
#[allow(dead_code)]
mod fastrs_app;

#[path = "../scenarios.rs"]
mod scenarios;

#[path = "axum_server.rs"]
#[allow(dead_code)]
mod axum_app;

#[path = "hyper_server.rs"]
#[allow(dead_code)]
mod hyper_app;

fn main() {
    let mut args = std::env::args().skip(1);
    let server = args
        .next()
        .expect("server: fastrs, fastrs_nto, axum or hyper");
    let scenario = args.next().expect("scenario");
    let n: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .expect("number of requests");
    // A second thread that only waits: every server process is
    // multi-threaded (tokio's default runtime has worker threads, fastrs
    // has its clock's thread), and glibc's system calls cost more in a
    // multi-threaded process than in a single-threaded one (cancellation
    // bookkeeping). Without it, a server starting a thread of its own
    // would be charged for what every server pays in a real deployment.
    std::thread::spawn(|| loop {
        std::thread::park();
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind");
        let address = listener.local_addr().expect("address");
        match server.as_str() {
            "fastrs" | "fastrs_nto" => {
                let mut app = fastrs_app::app();
                if server == "fastrs_nto" {
                    app = app.header_read_timeout(None);
                }
                tokio::spawn(app.serve_with(listener, std::future::pending()));
            }
            "axum" => {
                tokio::spawn(async move { axum::serve(listener, axum_app::app()).await });
            }
            "hyper" => {
                tokio::spawn(async move {
                    loop {
                        let Ok((stream, _)) = listener.accept().await else {
                            return;
                        };
                        let _ = stream.set_nodelay(true);
                        tokio::spawn(async move {
                            let _ = hyper::server::conn::http1::Builder::new()
                                .serve_connection(
                                    hyper_util::rt::TokioIo::new(stream),
                                    hyper::service::service_fn(hyper_app::handle),
                                )
                                .await;
                        });
                    }
                });
            }
            other => panic!("unknown server {other}"),
        }
        let request = wire_request(&scenario);
        let mut stream = TcpStream::connect(address).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        let mut buffer = Vec::with_capacity(4096);
        for _ in 0..n {
            stream.write_all(&request).await.expect("write");
            let status = read_response(&mut stream, &mut buffer).await;
            assert_eq!(status, 200, "{server} {scenario}");
        }
    });
}

/// The scenario's request as bytes on the wire.
fn wire_request(scenario: &str) -> Vec<u8> {
    let request = scenarios::request(scenario);
    let mut wire = format!(
        "{} {} HTTP/1.1\r\nhost: 127.0.0.1\r\n",
        request.method(),
        request.uri()
    );
    for (name, value) in request.headers() {
        wire.push_str(&format!(
            "{name}: {}\r\n",
            value.to_str().expect("ascii header")
        ));
    }
    if !request.body().is_empty() {
        wire.push_str(&format!("content-length: {}\r\n", request.body().len()));
    }
    wire.push_str("\r\n");
    wire.push_str(request.body());
    wire.into_bytes()
}

/// Reads one response (head and a `content-length` body) and returns its
/// status.
async fn read_response(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> u16 {
    buffer.clear();
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buffer[..end]).expect("ascii head");
            let status = head[9..12].parse().expect("status");
            let length: usize = head
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .expect("content-length");
            while buffer.len() < end + 4 + length {
                read_more(stream, buffer).await;
            }
            assert_eq!(buffer.len(), end + 4 + length, "one response at a time");
            return status;
        }
        read_more(stream, buffer).await;
    }
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) {
    // Into the buffer's spare capacity: no zeroing, no copy.
    buffer.reserve(4096);
    let read = stream.read_buf(buffer).await.expect("read");
    assert!(read > 0, "the server closed the connection");
}
