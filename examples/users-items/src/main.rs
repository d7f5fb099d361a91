//! `cargo run --release -p users-items`: migrates the database (a SQLite
//! file in `./data` unless `DATABASE_URL` says otherwise) and serves on
//! `HOST`:`PORT` (127.0.0.1:8000), with the docs at `/docs` and a job
//! worker inside (`WORKER=off`: none).
//!
//! `cargo run --release -p users-items -- worker`: runs the jobs only, no
//! HTTP (one or more processes beside servers started with `WORKER=off`).
//! `users-items openapi` prints the OpenAPI document, as every fastrs
//! binary does. With `OTEL_EXPORTER_OTLP_ENDPOINT` set, the server's
//! requests are traced and exported there (OTLP/HTTP).

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let settings = match users_items::core::config::Settings::from_env() {
        Ok(settings) => settings,
        Err(errors) => {
            eprintln!("users-items: invalid settings:\n{errors}");
            std::process::exit(2);
        }
    };
    match std::env::args().nth(1).as_deref() {
        Some("worker") => users_items::worker::run(settings).await.map_err(|error| {
            eprintln!("users-items worker: {error}");
            std::io::Error::other(error.to_string())
        }),
        // The server; `users-items openapi` prints the document instead.
        None | Some("openapi") => {
            let mut app = users_items::app(Some(settings));
            // ANCHOR: traces
            // Traces, when OTEL_EXPORTER_OTLP_ENDPOINT names a collector.
            match fastrs::traces::from_env() {
                Ok(Some(provider)) => app = app.traces(provider),
                Ok(None) => {}
                Err(error) => {
                    eprintln!("users-items: traces: {error}");
                    std::process::exit(2);
                }
            }
            // ANCHOR_END: traces
            app.serve().await
        }
        Some(other) => {
            eprintln!(
                "users-items: unknown command {other:?}; usage: users-items [worker | openapi]"
            );
            std::process::exit(2);
        }
    }
}
