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
        // For measuring what the access log costs under load: the default
        // log (uvicorn's line on standard output) where the app has none.
        if std::env::var_os("ACCESS_LOG").is_some() {
            app = app.access_log(fastrs::app::AccessLog::plain());
        }
        app.serve_with(listener, fastrs::server::shutdown_signal())
            .await
    })
}
