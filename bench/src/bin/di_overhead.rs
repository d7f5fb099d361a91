//! The cost of dependency injection per request, in-process (no socket):
//! one endpoint takes `Depends<C>` where C depends on B depends on A (each
//! request-scoped and cached, A reads a header), the other calls the same
//! three functions by hand. Both go through the same dispatch; the
//! difference is what `Depends` costs. Prints ns per request.
//!
//!     cargo run --release --bin di_overhead [REQUESTS]

use std::time::Instant;

use fastrs::prelude::*;
use fastrs::response::Body;

struct A(usize);
struct B(usize);
struct C(usize);

fn a_value(token: &str) -> A {
    A(token.len())
}
fn b_value(a: &A) -> B {
    B(a.0 + 1)
}
fn c_value(a: &A, b: &B) -> C {
    C(a.0 + b.0)
}

#[dependency]
async fn provide_a(x_token: Header<String>) -> A {
    a_value(&x_token.0)
}

#[dependency]
async fn provide_b(a: Depends<A>) -> B {
    b_value(&a)
}

#[dependency]
async fn provide_c(a: Depends<A>, b: Depends<B>) -> C {
    c_value(&a, &b)
}

#[endpoint(GET "/deps")]
async fn with_depends(c: Depends<C>) -> String {
    c.0.to_string()
}

#[endpoint(GET "/by-hand")]
async fn by_hand(x_token: Header<String>) -> String {
    let a = a_value(&x_token.0);
    let b = b_value(&a);
    c_value(&a, &b).0.to_string()
}

async fn run(app: &App, path: &str, requests: usize) -> f64 {
    let started = Instant::now();
    for _ in 0..requests {
        let request = fastrs::http::Request::get(path)
            .header("x-token", "secret")
            .body(Body::empty())
            .expect("valid request");
        let response = app.handle(request).await.expect("infallible");
        let body = response.into_body().collect_bytes().await.expect("body");
        assert_eq!(&body[..], b"13");
    }
    started.elapsed().as_nanos() as f64 / requests as f64
}

fn main() {
    let requests: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let runtime = fastrs::tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let app = App::new().route(with_depends).route(by_hand);
    runtime.block_on(async {
        run(&app, "/deps", requests / 10).await;
        run(&app, "/by-hand", requests / 10).await;
        let mut rows = Vec::new();
        for round in 1..=3 {
            let deps = run(&app, "/deps", requests).await;
            let hand = run(&app, "/by-hand", requests).await;
            println!("round {round}: Depends chain {deps:.0} ns/request, by hand {hand:.0} ns/request, cost {:.0} ns", deps - hand);
            rows.push(deps - hand);
        }
        rows.sort_by(f64::total_cmp);
        println!("median cost of resolving three cached dependencies: {:.0} ns per request", rows[1]);
    });
}
