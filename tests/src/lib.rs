//! Helpers shared by the workspace tests: a raw HTTP/1.1 client over TCP,
//! so server tests see exactly the bytes a client would, and the fuzz
//! harnesses ([`fuzz`]) that both `fuzz/` and the regression test run.

pub mod fuzz;

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends `request` (raw bytes) to `address` and reads until the server
/// closes the connection or `timeout` passes. Returns what was read.
pub async fn exchange(address: std::net::SocketAddr, request: &[u8], timeout: Duration) -> String {
    let mut stream = TcpStream::connect(address)
        .await
        .expect("connect to the test server");
    // The server may answer (413) and close before the whole request is
    // written; that write error is part of what is being tested, not a failure.
    let _ = stream.write_all(request).await;
    read_until_closed(&mut stream, timeout).await
}

/// Reads from `stream` until EOF, an error, or `timeout`.
pub async fn read_until_closed(stream: &mut TcpStream, timeout: Duration) -> String {
    let mut received = Vec::new();
    let _ = tokio::time::timeout(timeout, async {
        let mut buffer = [0u8; 8192];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    String::from_utf8_lossy(&received).into_owned()
}

/// A GET request that asks the server to close the connection after answering.
pub fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").into_bytes()
}

/// Opens an HTTP/2 connection to `address` with no request: the client
/// preface and an empty SETTINGS frame.
pub async fn open_http2(address: std::net::SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(address)
        .await
        .expect("connect to the test server");
    let mut preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec();
    preface.extend_from_slice(&[0, 0, 0, 4, 0, 0, 0, 0, 0]);
    stream
        .write_all(&preface)
        .await
        .expect("send the HTTP/2 preface");
    stream
}

/// A writer that keeps what is written, for a test to read: the access
/// log's output, for one.
#[derive(Clone, Default)]
pub struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Captured {
    /// What was written, as text.
    pub fn text(&self) -> String {
        let bytes = self.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// What was written, line by line.
    pub fn lines(&self) -> Vec<String> {
        self.text().lines().map(str::to_owned).collect()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut kept) = self.0.lock() {
            kept.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
