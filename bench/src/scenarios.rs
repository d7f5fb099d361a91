//! The requests of each benchmark scenario, for the in-process drivers
//! (`per_request` and the CI's instruction gate, `tools/perf-gate`).

/// The scenarios, in the order tables list them.
#[allow(dead_code)]
pub const SCENARIOS: &[&str] = &[
    "plaintext",
    "json",
    "path_query",
    "post_model",
    "post_validated",
    "deps",
    "state",
    "middleware",
];

/// Scenarios of fastrs alone (no axum or hyper counterpart), for the
/// instruction gate: `deps_named` is `deps` with each provider named at its
/// use (`#[depends(provider)]`) rather than found by type; the two must
/// cost the same.
#[allow(dead_code)]
pub const FASTRS_ONLY: &[&str] = &["deps_named"];

/// The 10-field item of `post_model`.
pub const ITEM: &str = r#"{"name":"Widget","description":"A widget for benchmarks","price":19.99,"tax":8.5,"quantity":3,"sku":"WID-001","in_stock":true,"tags":["a","b","c"],"rating":4.5,"country":"FR"}"#;

/// The order line of `post_validated`.
pub const ORDER: &str = r#"{"customer":"AcmeCorp42","sku":"WID-001","qty":3,"unit_price":19.99}"#;

/// The request of `scenario`.
pub fn request(scenario: &str) -> fastrs::http::Request<String> {
    let builder = fastrs::http::Request::builder();
    let builder = match scenario {
        "plaintext" => builder.uri("/plaintext"),
        "json" => builder.uri("/json"),
        "path_query" => builder.uri("/items/42?q=hello"),
        "post_model" => builder
            .method("POST")
            .uri("/items")
            .header("content-type", "application/json"),
        "post_validated" => builder
            .method("POST")
            .uri("/orders")
            .header("content-type", "application/json"),
        "deps" => builder.uri("/deps").header("x-token", "secret-token"),
        "deps_named" => builder.uri("/depn").header("x-token", "secret-token"),
        "state" => builder.uri("/state"),
        "middleware" => builder
            .uri("/plaintext")
            .header("origin", "https://app.example.com"),
        other => panic!("unknown scenario {other}"),
    };
    let body = match scenario {
        "post_model" => ITEM.to_owned(),
        "post_validated" => ORDER.to_owned(),
        _ => String::new(),
    };
    builder.body(body).expect("valid request")
}
