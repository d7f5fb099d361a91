//! Runs N requests of one benchmark scenario through the fastrs benchmark
//! app, for `tools/perf_gate.sh`, which counts the instructions with
//! callgrind for two values of N and compares the difference per request
//! with the committed baseline:
//!
//!     fastrs-perf-gate SCENARIO N
//!
//! A scenario runs in process (`App::handle`, no socket), or, named
//! `connection_SCENARIO`, over one keep-alive loopback connection to
//! `App::serve_with` (hyper's HTTP/1 handling, the connection's clock and
//! I/O wrapper included), with the client in the same thread. The app
//! has no access log, as in the load benchmark, unless the name ends in
//! `_logged` (`connection_plaintext_logged`, over two connections taking
//! turns, so that each line's client differs from the last one's, as
//! under load); `_ids` gives it request ids,
//! `_metrics` metrics and `_traces` traces, to count what each costs.
//!
//! The app and the requests are the load benchmark's own
//! (`bench/src/fastrs_app.rs`, `bench/src/scenarios.rs`, and the client
//! `bench/src/wire.rs`), so the gate measures what `bench/instructions.sh`
//! measures, without building axum.

#[path = "../../../bench/src/fastrs_app.rs"]
mod fastrs_app;

#[path = "../../../bench/src/scenarios.rs"]
mod scenarios;

#[path = "../../../bench/src/wire.rs"]
mod wire;

use fastrs::app::AccessLog;
use fastrs::response::Body;
use fastrs::App;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(name), Some(n)) = (
        args.next(),
        args.next().and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!(
            "usage: fastrs-perf-gate [connection_]SCENARIO N (scenarios: {})",
            scenarios::SCENARIOS.join(", ")
        );
        std::process::exit(2);
    };
    let (scenario, over_connection) = match name.strip_prefix("connection_") {
        Some(scenario) => (scenario.to_owned(), true),
        None => (name, false),
    };
    // A suffix turns on what it names, to count what it costs: `_logged`,
    // the server's access log (formatted, written to nothing); `_ids`,
    // request ids; `_metrics`, Prometheus metrics; `_traces`, traces.
    let mut scenario = scenario;
    let mut turned_on = Vec::new();
    for suffix in ["_logged", "_ids", "_metrics", "_traces"] {
        if let Some(rest) = scenario.strip_suffix(suffix) {
            scenario = rest.to_owned();
            turned_on.push(suffix);
        }
    }
    let known = scenarios::SCENARIOS.iter().chain(scenarios::FASTRS_ONLY);
    if !known.clone().any(|s| *s == scenario) {
        eprintln!(
            "unknown scenario {scenario}; the scenarios are {}",
            scenarios::SCENARIOS.join(", ")
        );
        std::process::exit(2);
    }
    // With a timer, as every server runtime has, and sockets when the
    // requests go over a connection.
    let mut runtime = tokio::runtime::Builder::new_current_thread();
    runtime.enable_time();
    if over_connection {
        runtime.enable_io();
    }
    let runtime = runtime.build().expect("a runtime");
    runtime.block_on(async {
        let mut app = if scenario == "middleware" {
            fastrs_app::app_with_middleware()
        } else {
            fastrs_app::app()
        };
        for suffix in &turned_on {
            app = match *suffix {
                "_logged" => app.access_log(AccessLog::plain().writer(std::io::sink())),
                "_ids" => app.request_ids(),
                "_traces" => with_traces(app),
                _ => with_metrics(app),
            };
        }
        if over_connection {
            // The log's lines take turns between two clients, as under
            // load, where consecutive lines rarely share one.
            let clients = if turned_on.contains(&"_logged") { 2 } else { 1 };
            over_a_connection(app, &scenario, n, clients).await;
        } else {
            in_process(&app, &scenario, n).await;
        }
    });
}

/// `n` requests through `App::handle`, each body read to the end.
async fn in_process(app: &App, scenario: &str, n: usize) {
    for _ in 0..n {
        let response = app
            .handle(scenarios::request(scenario).map(Body::full))
            .await
            .expect("infallible");
        assert!(
            response.status().is_success(),
            "{scenario}: {}",
            response.status()
        );
        let body = response.into_body().collect_bytes().await.expect("a body");
        assert!(!body.is_empty());
    }
}

/// `n` requests over keep-alive connections to the app's server: one, or
/// `clients` taking turns.
async fn over_a_connection(app: App, scenario: &str, n: usize, clients: usize) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(app.serve_with(listener, std::future::pending()));
    let request = wire::wire_request(&scenarios::request(scenario));
    let mut streams = Vec::new();
    for _ in 0..clients {
        let stream = tokio::net::TcpStream::connect(address)
            .await
            .expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        streams.push(stream);
    }
    let mut buffer = Vec::with_capacity(4096);
    for i in 0..n {
        let stream = &mut streams[i % clients];
        let status = wire::exchange(stream, &request, &mut buffer).await;
        assert!((200..300).contains(&status), "{scenario}: {status}");
    }
}

/// The app with Prometheus metrics (built with the feature `metrics`).
#[cfg(feature = "metrics")]
fn with_metrics(app: App) -> App {
    app.metrics("/metrics")
}

#[cfg(not(feature = "metrics"))]
fn with_metrics(_: App) -> App {
    eprintln!("the `_metrics` scenarios need the feature: cargo build --profile perf-gate -p fastrs-perf-gate --features metrics");
    std::process::exit(2);
}

/// The app with traces (built with the feature `opentelemetry`): every span
/// made, attributes and all, and handed to a batch processor, whose
/// exporter drops it (what a collector does with it is not the app's).
#[cfg(feature = "opentelemetry")]
fn with_traces(app: App) -> App {
    use fastrs::traces::opentelemetry_sdk::error::OTelSdkResult;
    use fastrs::traces::opentelemetry_sdk::trace::{SdkTracerProvider, SpanData, SpanExporter};

    #[derive(Debug)]
    struct Dropped;

    impl SpanExporter for Dropped {
        async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
            drop(batch);
            Ok(())
        }
    }

    app.traces(
        SdkTracerProvider::builder()
            .with_batch_exporter(Dropped)
            .build(),
    )
}

#[cfg(not(feature = "opentelemetry"))]
fn with_traces(_: App) -> App {
    eprintln!("the `_traces` scenarios need the feature: cargo build --profile perf-gate -p fastrs-perf-gate --features opentelemetry");
    std::process::exit(2);
}
