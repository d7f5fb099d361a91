//! Runs N requests of one benchmark scenario through the fastrs benchmark
//! app, in process (no socket), for `tools/perf_gate.sh`, which counts the
//! instructions with callgrind for two values of N and compares the
//! difference per request with the committed baseline:
//!
//!     fastrs-perf-gate SCENARIO N
//!
//! The app and the requests are the load benchmark's own
//! (`bench/src/fastrs_app.rs`, `bench/src/scenarios.rs`), so the gate
//! measures what `bench/instructions.sh` measures, without building axum.

#[path = "../../../bench/src/fastrs_app.rs"]
mod fastrs_app;

#[path = "../../../bench/src/scenarios.rs"]
mod scenarios;

use fastrs::response::Body;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(scenario), Some(n)) = (
        args.next(),
        args.next().and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!(
            "usage: fastrs-perf-gate SCENARIO N (scenarios: {})",
            scenarios::SCENARIOS.join(", ")
        );
        std::process::exit(2);
    };
    if !scenarios::SCENARIOS.contains(&scenario.as_str()) {
        eprintln!(
            "unknown scenario {scenario}; the scenarios are {}",
            scenarios::SCENARIOS.join(", ")
        );
        std::process::exit(2);
    }
    // With a timer, as every server runtime has.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let app = if scenario == "middleware" {
            fastrs_app::app_with_middleware()
        } else {
            fastrs_app::app()
        };
        for _ in 0..n {
            let response = app
                .handle(scenarios::request(&scenario).map(Body::full))
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
    });
}
