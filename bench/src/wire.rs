//! A minimal HTTP/1.1 client over one keep-alive TCP connection, for
//! counting a server's instructions per request with the client in the same
//! process: it writes a scenario's request as bytes and reads one response
//! (head and a `content-length` body) into a reused buffer, with no parsing
//! beyond the status and the length. Its own work is the same whatever the
//! server, so differences in the count are the server's.
//!
//! Shared by `bench/src/bin/per_connection.rs` and the CI gate
//! (`tools/perf-gate`), which include it by path.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A request (as `scenarios::request` builds it) as bytes on the wire.
pub fn wire_request(request: &fastrs::http::Request<String>) -> Vec<u8> {
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

/// Sends `request` and reads its response; returns the status.
pub async fn exchange(stream: &mut TcpStream, request: &[u8], buffer: &mut Vec<u8>) -> u16 {
    stream.write_all(request).await.expect("write");
    read_response(stream, buffer).await
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
