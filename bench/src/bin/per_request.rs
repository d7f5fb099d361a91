//! Runs N requests of one scenario through fastrs or axum in-process (no
//! socket), for counting instructions per request with callgrind:
//!
//!     per_request FRAMEWORK SCENARIO N
//!
//! `instructions.sh` runs it under `valgrind --tool=callgrind` for two
//! values of N and divides the difference, which cancels start-up costs.
//! Instruction counts do not depend on machine load, so regressions show
//! without noise.

use fastrs::response::Body;

#[path = "../fastrs_app.rs"]
mod fastrs_app;

#[path = "../scenarios.rs"]
mod scenarios;

use scenarios::request;

#[path = "axum_server.rs"]
#[allow(dead_code)]
mod axum_app;

fn main() {
    let mut args = std::env::args().skip(1);
    let framework = args.next().expect("framework: fastrs or axum");
    let scenario = args.next().expect("scenario");
    let n: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .expect("number of requests");
    // With a timer, as every server runtime has (the body read timeout
    // uses it).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        match framework.as_str() {
            "fastrs" => {
                let app = if scenario == "middleware" {
                    fastrs_app::app_with_middleware()
                } else {
                    fastrs_app::app()
                };
                for _ in 0..n {
                    let response = app
                        .handle(request(&scenario).map(Body::full))
                        .await
                        .expect("infallible");
                    let body = response.into_body().collect_bytes().await.expect("body");
                    assert!(!body.is_empty());
                }
            }
            "axum" => {
                use tower::ServiceExt;
                let app = if scenario == "middleware" {
                    axum_app::app_with_middleware()
                } else {
                    axum_app::app()
                };
                for _ in 0..n {
                    let response = app
                        .clone()
                        .oneshot(request(&scenario).map(axum::body::Body::from))
                        .await
                        .expect("infallible");
                    let body = http_body_util::BodyExt::collect(response.into_body())
                        .await
                        .expect("body")
                        .to_bytes();
                    assert!(!body.is_empty());
                }
            }
            other => panic!("unknown framework {other}"),
        }
    });
}
