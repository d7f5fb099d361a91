//! What the benchmark servers share: the runtime (one worker thread, so
//! the server can be pinned to one core, or `WORKERS` of them) and the
//! address, and the models of the servers written with serde ([`models`]).

use std::future::Future;

pub mod models;

/// Runs `server` on a tokio runtime with one worker thread (`WORKERS` from
/// the environment, for the multi-core scenario).
pub fn run<F: Future<Output = std::io::Result<()>>>(server: F) -> std::io::Result<()> {
    let workers = std::env::var("WORKERS")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(1);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
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
