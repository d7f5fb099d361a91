//! Each example's OpenAPI document is equivalent to the one FastAPI
//! publishes for the app each example ports (the golden files in `openapi/`, saved
//! from FastAPI 0.165's `/openapi.json` and read through by hand).
//!
//! Equivalent means: same paths, operations,
//! operationIds, summaries, parameters, request bodies, responses and
//! component schemas; key order does not matter, numbers compare by value
//! (`0` and `0.0` are the same bound), `info` is the app's own, and the
//! integer formats fastrs adds (`int64`, `uint32`, ...: the range its
//! validation enforces, which FastAPI's unbounded `int` lacks) are left out.

#[path = "../background.rs"]
#[allow(dead_code)]
mod background;
#[path = "../bigger_app/main.rs"]
#[allow(dead_code)]
mod bigger_app;
#[path = "../body.rs"]
#[allow(dead_code)]
mod body;
#[path = "../dependencies.rs"]
#[allow(dead_code)]
mod dependencies;
#[path = "../errors.rs"]
#[allow(dead_code)]
mod errors;
#[path = "../first_steps.rs"]
#[allow(dead_code)]
mod first_steps;
#[path = "../forms.rs"]
#[allow(dead_code)]
mod forms;
#[path = "../metadata.rs"]
#[allow(dead_code)]
mod metadata;
#[path = "../middleware.rs"]
#[allow(dead_code)]
mod middleware;
#[path = "../models2.rs"]
#[allow(dead_code)]
mod models2;
#[path = "../params.rs"]
#[allow(dead_code)]
mod params;
#[path = "../response_model.rs"]
#[allow(dead_code)]
mod response_model;
#[path = "../security.rs"]
#[allow(dead_code)]
mod security;
#[path = "../streaming.rs"]
#[allow(dead_code)]
mod streaming;

use serde_json::Value;

/// The formats fastrs adds to integer schemas to name the Rust type's
/// range (OpenAPI's format registry); FastAPI's `int` is unbounded and has
/// none, so equivalence leaves them out.
const INTEGER_FORMATS: &[&str] = &[
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
];

/// Numbers as f64, `info` and integer formats dropped, so that equality is
/// equivalence.
fn normalize(value: Value) -> Value {
    match value {
        Value::Number(n) => serde_json::json!(n.as_f64()),
        Value::Array(items) => Value::Array(items.into_iter().map(normalize).collect()),
        Value::Object(map) => {
            let integer = map.get("type").and_then(Value::as_str) == Some("integer");
            Value::Object(
                map.into_iter()
                    .filter(|(k, _)| k != "info")
                    .filter(|(k, v)| {
                        !(integer
                            && k == "format"
                            && v.as_str().is_some_and(|f| INTEGER_FORMATS.contains(&f)))
                    })
                    .map(|(k, v)| (k, normalize(v)))
                    .collect(),
            )
        }
        other => other,
    }
}

/// The first place where two documents differ, for a readable failure.
fn first_difference(path: &str, want: &Value, got: &Value) -> Option<String> {
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys()) {
                let here = format!("{path}/{key}");
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => {
                        if let Some(d) = first_difference(&here, x, y) {
                            return Some(d);
                        }
                    }
                    (Some(x), None) => return Some(format!("{here}: only in FastAPI's: {x}")),
                    (None, Some(y)) => return Some(format!("{here}: only in ours: {y}")),
                    (None, None) => {}
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(&format!("{path}[{i}]"), x, y)),
        _ if want == got => None,
        _ => Some(format!("{path}: FastAPI's {want} != ours {got}")),
    }
}

fn check(name: &str, app: fastrs::App, golden: &str) {
    let want = normalize(serde_json::from_str(golden).expect("golden file is JSON"));
    let document = app.openapi().to_json();
    assert_eq!(document["openapi"], "3.1.0");
    let got = normalize(document);
    if let Some(difference) = first_difference("", &want, &got) {
        panic!("{name}: the document differs from FastAPI's at {difference}");
    }
    assert_eq!(want, got);
}

#[test]
fn first_steps_document_matches_fastapi() {
    check(
        "first_steps",
        first_steps::app(),
        include_str!("openapi/first_steps.json"),
    );
}

#[test]
fn params_document_matches_fastapi() {
    check("params", params::app(), include_str!("openapi/params.json"));
}

#[test]
fn errors_document_matches_fastapi() {
    check("errors", errors::app(), include_str!("openapi/errors.json"));
}

#[test]
fn body_document_matches_fastapi() {
    check("body", body::app(), include_str!("openapi/body.json"));
}

#[test]
fn response_model_document_matches_fastapi() {
    check(
        "response_model",
        response_model::app(),
        include_str!("openapi/response_model.json"),
    );
}

#[test]
fn dependencies_document_matches_fastapi() {
    check(
        "dependencies",
        dependencies::app(),
        include_str!("openapi/dependencies.json"),
    );
}

#[test]
fn background_document_matches_fastapi() {
    check(
        "background",
        background::app(),
        include_str!("openapi/background.json"),
    );
}

#[test]
fn bigger_app_document_matches_fastapi() {
    check(
        "bigger_app",
        bigger_app::app(),
        include_str!("openapi/bigger_app.json"),
    );
}

#[test]
fn middleware_document_matches_fastapi() {
    check(
        "middleware",
        middleware::app(),
        include_str!("openapi/middleware.json"),
    );
}

#[test]
fn forms_document_matches_fastapi() {
    check("forms", forms::app(), include_str!("openapi/forms.json"));
}

#[test]
fn security_document_matches_fastapi() {
    check(
        "security",
        security::app(),
        include_str!("openapi/security.json"),
    );
}

#[test]
fn models2_document_matches_fastapi() {
    // Computed fields make `Line` and `Order` `-Input` and `-Output`
    // components; the union is `oneOf` with its discriminator mapping.
    check(
        "models2",
        models2::app(),
        include_str!("openapi/models2.json"),
    );
}

#[test]
fn streaming_document_matches_fastapi() {
    // Server-sent events are documented per event (`itemSchema`), HTML
    // and plain text as strings of their media type, the streamed body
    // and the redirect as any JSON, as FastAPI documents them.
    check(
        "streaming",
        streaming::app(),
        include_str!("openapi/streaming.json"),
    );
}

#[test]
fn metadata_document_matches_fastapi() {
    // Title, summary, description, terms, contact, licence and tags with
    // external docs; per-operation summary, doc-comment description,
    // response description, status, deprecation, operation id; the hidden
    // route left out.
    check(
        "metadata",
        metadata::app(),
        include_str!("openapi/metadata.json"),
    );
}
