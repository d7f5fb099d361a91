//! The fastrs benchmark server (routes in `src/fastrs_app.rs`).

#[path = "../fastrs_app.rs"]
#[allow(dead_code)]
mod fastrs_app;

use fastrs_app::app;

fn main() -> std::io::Result<()> {
    fastrs_bench::run(async {
        let listener =
            fastrs::tokio::net::TcpListener::bind(("127.0.0.1", fastrs_bench::port())).await?;
        let mut app = app();
        // For measuring what the header-read timeout costs (bench/RESULTS.md).
        if std::env::var_os("NO_HEADER_TIMEOUT").is_some() {
            app = app.header_read_timeout(None);
        }
        app.serve_with(listener, fastrs::server::shutdown_signal())
            .await
    })
}
