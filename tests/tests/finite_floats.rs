//! Non-finite floats (issue 16, item 5): `"nan"`, `"inf"` or a float that
//! overflows to infinity is a 422 `finite_number` on input (Pydantic's
//! answer with `allow_inf_nan=False`), unless the field or parameter opts
//! in with `allow_inf_nan`; a response holding a non-finite float is a
//! logged 500, never a silent `null`.

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[model]
struct Item {
    price: f64,
    #[field(allow_inf_nan)]
    ratio: Option<f64>,
    weights: Option<Vec<f32>>,
}

#[endpoint(POST "/items")]
async fn create(item: Json<Item>) -> Json<Value> {
    let ratio = item.0.ratio.map(|r| {
        if r.is_nan() {
            "nan".to_owned()
        } else {
            r.to_string()
        }
    });
    Json(json!({"price": item.0.price, "ratio": ratio}))
}

#[endpoint(GET "/scale")]
async fn scale(x: f64, #[param(allow_inf_nan)] y: Option<f64>) -> Json<Value> {
    Json(json!({"x": x, "y_finite": y.map(f64::is_finite)}))
}

#[endpoint(GET "/overflow")]
async fn overflow() -> Json<std::collections::BTreeMap<&'static str, f64>> {
    // (A `serde_json::Value` cannot hold it: `json!` turns it into null
    // before fastrs sees it.)
    let big = 1e308;
    Json([("total", big * 10.0)].into())
}

#[model]
struct Total {
    total: Option<f64>,
}

#[endpoint(GET "/overflow-model", response_model = Total)]
async fn overflow_model() -> Json<Total> {
    Json(Total {
        total: Some(f64::INFINITY),
    })
}

fn client() -> TestClient {
    TestClient::new(
        App::new()
            .route(create)
            .route(scale)
            .route(overflow)
            .route(overflow_model),
    )
}

fn finite_error(loc: Value, input: &str) -> Value {
    json!({"type": "finite_number", "loc": loc, "msg": "Input should be a finite number", "input": input})
}

#[tokio::test]
async fn nan_and_infinity_are_refused_in_bodies() {
    let client = client();
    for raw in ["nan", "inf", "-Infinity", "1e400"] {
        let response = client.post("/items").json(&json!({"price": raw})).await;
        assert_eq!(response.status(), 422, "{raw}");
        assert_eq!(
            response.json::<Value>(),
            json!({"detail": [finite_error(json!(["body", "price"]), raw)]}),
            "{raw}"
        );
    }
    let response = client
        .post("/items")
        .json(&json!({"price": 1, "weights": [1, "nan"]}))
        .await;
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [finite_error(json!(["body", "weights", 1]), "nan")]})
    );
}

#[tokio::test]
async fn a_field_may_opt_in() {
    let response = client()
        .post("/items")
        .json(&json!({"price": 2.5, "ratio": "nan"}))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"price": 2.5, "ratio": "nan"})
    );
}

#[tokio::test]
async fn parameters_too() {
    let client = client();
    let response = client.get("/scale?x=inf").await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [finite_error(json!(["query", "x"]), "inf")]})
    );
    let response = client.get("/scale?x=1&y=-inf").await;
    assert_eq!(
        response.json::<Value>(),
        json!({"x": 1.0, "y_finite": false})
    );
}

#[tokio::test]
async fn a_response_with_a_non_finite_float_is_a_500_not_null() {
    let client = client();
    for path in ["/overflow", "/overflow-model"] {
        let response = client.get(path).await;
        assert_eq!(response.status(), 500, "{path}");
        assert_eq!(response.text(), "Internal Server Error", "{path}");
    }
}
