//! Reusable constrained types (issue 13, item 2; Pydantic's
//! `Annotated[str, Field(...)]`): declared once, their constraints apply
//! and are documented wherever they are used, in models and as parameters.
//! The answers are FastAPI 0.165's (sent to the same routes written with
//! `Sku = Annotated[str, Field(min_length=3, max_length=12,
//! pattern=r"^[A-Z]{2}-[0-9]+$")]` and `Qty = Annotated[int, Field(ge=1,
//! le=99)]`, and copied here), its schemas too.

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

// ANCHOR: types
/// A stock-keeping unit: two capitals, a dash, digits.
#[model]
pub struct Sku(#[field(min_length = 3, max_length = 12, pattern = "^[A-Z]{2}-[0-9]+$")] String);

/// A quantity one order line may have.
#[model]
pub struct Qty(#[field(ge = 1, le = 99)] i64);

#[model]
struct Line {
    sku: Sku,
    qty: Qty,
}

#[endpoint(POST "/lines")]
async fn add_line(line: Json<Line>) -> Json<Value> {
    Json(json!({"sku": *line.sku, "qty": *line.qty}))
}

#[endpoint(GET "/stock/{sku}")]
async fn stock(sku: Sku, qty: Option<Qty>) -> Json<Value> {
    Json(json!({"sku": sku.0, "qty": qty.map(|q| q.0)}))
}
// ANCHOR_END: types

#[endpoint(GET "/header")]
async fn header(x_sku: Header<Sku>) -> String {
    x_sku.0 .0
}

fn client() -> TestClient {
    TestClient::new(App::new().route(add_line).route(stock).route(header))
}

#[tokio::test]
async fn a_header_parameter_too() {
    let client = client();
    let ok = client.get("/header").header("x-sku", "AB-1").await;
    assert_eq!(ok.text(), "AB-1");
    let bad = client.get("/header").header("x-sku", "AB-1234567890").await;
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.json::<Value>()["detail"][0]["type"], "string_too_long");
    assert_eq!(
        bad.json::<Value>()["detail"][0]["loc"],
        json!(["header", "x-sku"])
    );
}

#[tokio::test]
async fn valid_values_pass_in_bodies_and_parameters() {
    let client = client();
    let response = client
        .post("/lines")
        .json(&json!({"sku": "AB-12", "qty": 3}))
        .await;
    assert_eq!(response.json::<Value>(), json!({"sku": "AB-12", "qty": 3}));
    let response = client.get("/stock/AB-12?qty=7").await;
    assert_eq!(response.json::<Value>(), json!({"sku": "AB-12", "qty": 7}));
}

#[tokio::test]
async fn the_constraints_apply_everywhere_with_pydantics_errors() {
    let client = client();
    let response = client
        .post("/lines")
        .json(&json!({"sku": "ab", "qty": 100}))
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [
            {"type": "string_too_short", "loc": ["body", "sku"], "msg": "String should have at least 3 characters", "input": "ab", "ctx": {"min_length": 3}},
            {"type": "less_than_equal", "loc": ["body", "qty"], "msg": "Input should be less than or equal to 99", "input": 100, "ctx": {"le": 99}}
        ]})
    );
    let response = client.get("/stock/ab-12?qty=0").await;
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [
            {"type": "string_pattern_mismatch", "loc": ["path", "sku"], "msg": "String should match pattern '^[A-Z]{2}-[0-9]+$'", "input": "ab-12", "ctx": {"pattern": "^[A-Z]{2}-[0-9]+$"}},
            {"type": "greater_than_equal", "loc": ["query", "qty"], "msg": "Input should be greater than or equal to 1", "input": "0", "ctx": {"ge": 1}}
        ]})
    );
}

#[test]
fn the_constraints_are_documented_where_the_type_is_used() {
    let document = App::new().route(add_line).route(stock).openapi().to_json();
    let sku =
        json!({"type": "string", "minLength": 3, "maxLength": 12, "pattern": "^[A-Z]{2}-[0-9]+$"});
    let line = &document["components"]["schemas"]["Line"]["properties"];
    assert_eq!(
        line["sku"],
        json!({"type": "string", "minLength": 3, "maxLength": 12, "pattern": "^[A-Z]{2}-[0-9]+$", "title": "Sku"})
    );
    assert_eq!(line["qty"]["minimum"], json!(1));
    assert_eq!(line["qty"]["maximum"], json!(99));
    let parameters = &document["paths"]["/stock/{sku}"]["get"]["parameters"];
    let mut path_schema = parameters[0]["schema"].clone();
    path_schema.as_object_mut().map(|s| s.remove("title"));
    assert_eq!(path_schema, sku);
    assert_eq!(parameters[1]["schema"]["anyOf"][0]["maximum"], json!(99));
}
