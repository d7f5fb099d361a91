//! Untagged unions of models (Pydantic's `Card | Bank`): of the variants
//! that validate, the one with the most fields set wins (the first on a
//! tie); when none does, each variant's errors are reported under its
//! model name. The answers are FastAPI 0.165's for the same
//! models, copied here. (Tagged unions are tested with the `models2`
//! example.)

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[model]
struct Card {
    number: String,
}

#[model]
struct Bank {
    iban: String,
    bic: Option<String>,
}

#[model]
enum Method {
    Card(Card),
    Bank(Bank),
}

#[model]
struct Payment {
    method: Method,
}

#[endpoint(POST "/pay")]
async fn pay(p: Json<Payment>) -> Payment {
    p.0
}

async fn post(body: Value) -> (u16, Value) {
    let response = TestClient::new(App::new().route(pay))
        .post("/pay")
        .json(&body)
        .await;
    (response.status().as_u16(), response.json())
}

#[tokio::test]
async fn the_variant_that_fits_is_taken() {
    assert_eq!(
        post(json!({"method": {"number": "4111"}})).await,
        (200, json!({"method": {"number": "4111"}}))
    );
    assert_eq!(
        post(json!({"method": {"iban": "DE1"}})).await,
        (200, json!({"method": {"iban": "DE1", "bic": null}}))
    );
}

#[tokio::test]
async fn when_none_fits_every_variants_errors_are_reported_under_its_name() {
    let expected = json!({"detail": [
        {"type": "missing", "loc": ["body", "method", "Card", "number"], "msg": "Field required", "input": {"x": 1}},
        {"type": "missing", "loc": ["body", "method", "Bank", "iban"], "msg": "Field required", "input": {"x": 1}},
    ]});
    assert_eq!(post(json!({"method": {"x": 1}})).await, (422, expected));
    let expected = json!({"detail": [
        {"type": "model_attributes_type", "loc": ["body", "method", "Card"], "msg": "Input should be a valid dictionary or object to extract fields from", "input": 3},
        {"type": "model_attributes_type", "loc": ["body", "method", "Bank"], "msg": "Input should be a valid dictionary or object to extract fields from", "input": 3},
    ]});
    assert_eq!(post(json!({"method": 3})).await, (422, expected));
}

#[test]
fn an_untagged_union_is_any_of_its_variants() {
    let doc = App::new().route(pay).openapi().to_json();
    assert_eq!(
        doc["components"]["schemas"]["Payment"],
        json!({"properties": {"method": {"anyOf": [{"$ref": "#/components/schemas/Card"}, {"$ref": "#/components/schemas/Bank"}], "title": "Method"}}, "type": "object", "required": ["method"], "title": "Payment"})
    );
}

#[model]
struct A {
    x: i64,
}

#[model]
struct B {
    x: i64,
    #[field(default = 0)]
    y: i64,
}

#[model]
enum AOrB {
    A(A),
    B(B),
}

#[model]
struct C {
    v: AOrB,
}

#[endpoint(POST "/c")]
async fn pick(c: Json<C>) -> Json<Value> {
    let name = match &c.v {
        AOrB::A(_) => "A",
        AOrB::B(_) => "B",
    };
    Json(json!({"type": name, "v": serde_json::to_value(&c.v).unwrap()}))
}

#[tokio::test]
async fn of_the_variants_that_fit_the_one_with_most_fields_set_wins() {
    // FastAPI 0.165 (Pydantic's smart mode) for `v: A | B`.
    let client = TestClient::new(App::new().route(pick));
    for (body, expected) in [
        (
            json!({"v": {"x": 1, "y": 2}}),
            json!({"type": "B", "v": {"x": 1, "y": 2}}),
        ),
        (json!({"v": {"x": 1}}), json!({"type": "A", "v": {"x": 1}})),
        (
            json!({"v": {"x": "1", "y": 2}}),
            json!({"type": "B", "v": {"x": 1, "y": 2}}),
        ),
    ] {
        let response = client.post("/c").json(&body).await;
        assert_eq!(response.json::<Value>(), expected, "{body}");
    }
    // The reporting path picks the same variant as the one-pass path.
    let mut errors = fastrs::model::ValidationErrors::new();
    let mut cx = fastrs::model::ValidateCx::new(fastrs::model::Location::Body, vec![], &mut errors);
    let slow = <AOrB as fastrs::model::Validate>::validate(
        &json!({"x": 1, "y": 2}),
        &fastrs::model::Constraints::NONE,
        &mut cx,
    );
    assert!(matches!(slow, Some(AOrB::B(_))));
}
