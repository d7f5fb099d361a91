//! What the benchmark servers share: the runtime (one worker thread, so
//! the server can be pinned to one core) and the address.

use std::future::Future;

/// Runs `server` on a tokio runtime with one worker thread.
pub fn run<F: Future<Output = std::io::Result<()>>>(server: F) -> std::io::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?
        .block_on(server)
}

/// The port from `PORT` (default 8000).
pub fn port() -> u16 {
    std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(8000)
}
