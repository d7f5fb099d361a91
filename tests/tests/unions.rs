//! Untagged unions of models (Pydantic's `Card | Bank`): the first variant
//! that validates wins; when none does, each variant's errors are reported
//! under its model name. The answers are FastAPI 0.165's for the same
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
async fn the_first_variant_that_fits_is_taken() {
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
