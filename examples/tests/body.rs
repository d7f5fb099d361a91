//! FastAPI's answers for every route of `body`, pinned as literals.
//!
//! Written by `tools/parity.py body <fastapi-url> --emit-rust` from the
//! FastAPI app this example ports (FastAPI on uvicorn) and
//! reviewed by hand. Each test sends one request through the fastrs port
//! and checks the status, the body and the headers FastAPI sent.

#[path = "../body.rs"]
#[allow(dead_code)]
mod example;
mod support;

use fastrs::testing::TestClient;
use serde_json::{json, Value};

fn client() -> TestClient {
    TestClient::new(example::app())
}

#[tokio::test]
async fn create_item_without_tax() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body(r#"{"name": "Foo", "price": 50.5}"#)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "Foo", "description": null, "price": 50.5, "tax": null})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn create_item_with_tax_adds_price_with_tax() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body(r#"{"name": "Foo", "description": "d", "price": 50.5, "tax": 10}"#)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "Foo", "description": "d", "price": 50.5, "tax": 10.0, "price_with_tax": 60.5})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn price_as_a_string_is_coerced() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body(r#"{"name": "Foo", "price": "50.5"}"#)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "Foo", "description": null, "price": 50.5, "tax": null})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn missing_fields_report_the_enclosing_object() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body("{}")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["body", "name"], "msg": "Field required", "input": {}}, {"type": "missing", "loc": ["body", "price"], "msg": "Field required", "input": {}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn wrong_types_are_all_reported() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body(r#"{"name": 5, "price": "x", "tax": [1], "description": true}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "string_type", "loc": ["body", "name"], "msg": "Input should be a valid string", "input": 5}, {"type": "string_type", "loc": ["body", "description"], "msg": "Input should be a valid string", "input": true}, {"type": "float_parsing", "loc": ["body", "price"], "msg": "Input should be a valid number, unable to parse string as a number", "input": "x"}, {"type": "float_type", "loc": ["body", "tax"], "msg": "Input should be a valid number", "input": [1]}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn integer_name_is_not_a_string() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body(r#"{"name": 42, "price": 1}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "string_type", "loc": ["body", "name"], "msg": "Input should be a valid string", "input": 42}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn unknown_keys_are_ignored() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body(r#"{"name": "a", "price": 1, "extra": 1}"#)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "a", "description": null, "price": 1.0, "tax": null})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn duplicate_keys_take_the_last() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body(r#"{"name": "a", "name": "b", "price": 1}"#)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "b", "description": null, "price": 1.0, "tax": null})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn a_list_body_is_not_a_model() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body("[1]")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "model_attributes_type", "loc": ["body"], "msg": "Input should be a valid dictionary or object to extract fields from", "input": [1]}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn a_string_body_is_not_a_model() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body(r#""x""#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "model_attributes_type", "loc": ["body"], "msg": "Input should be a valid dictionary or object to extract fields from", "input": "x"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn null_body_is_not_a_model() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body("null")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "model_attributes_type", "loc": ["body"], "msg": "Input should be a valid dictionary or object to extract fields from", "input": null}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn no_content_type_is_422() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .body(r#"{"name": "x", "price": 1}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "model_attributes_type", "loc": ["body"], "msg": "Input should be a valid dictionary or object to extract fields from", "input": "{\"name\": \"x\", \"price\": 1}"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn text_plain_is_422() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "text/plain")
        .body(r#"{"name": "x", "price": 1}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "model_attributes_type", "loc": ["body"], "msg": "Input should be a valid dictionary or object to extract fields from", "input": "{\"name\": \"x\", \"price\": 1}"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn json_suffix_content_type_is_read() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/vnd.api+json")
        .body(r#"{"name": "x", "price": 1}"#)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "x", "description": null, "price": 1.0, "tax": null})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn json_content_type_with_charset_is_read() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json; charset=utf-8")
        .body(r#"{"name": "x", "price": 1}"#)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "x", "description": null, "price": 1.0, "tax": null})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn empty_body_is_missing() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body("")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": null}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn no_body_no_content_type_is_missing() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .body("")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": null}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn invalid_json_value() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body(r#"{"name": x}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "json_invalid", "loc": ["body", 9], "msg": "JSON decode error", "input": {}, "ctx": {"error": "Expecting value"}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn invalid_json_trailing_comma() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body(r#"{"name": "x",}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "json_invalid", "loc": ["body", 13], "msg": "JSON decode error", "input": {}, "ctx": {"error": "Expecting property name enclosed in double quotes"}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn invalid_json_missing_colon() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body(r#"{"name""#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "json_invalid", "loc": ["body", 7], "msg": "JSON decode error", "input": {}, "ctx": {"error": "Expecting ':' delimiter"}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn invalid_json_unterminated_string() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body(r#"{"name": "x"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "json_invalid", "loc": ["body", 9], "msg": "JSON decode error", "input": {}, "ctx": {"error": "Unterminated string starting at"}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn invalid_json_extra_data() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body(r#"{"name": "x", "price": 1} 5"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "json_invalid", "loc": ["body", 26], "msg": "JSON decode error", "input": {}, "ctx": {"error": "Extra data"}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn invalid_json_after_a_newline() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body(
            r#"{
  "name": "x",
  "price": ?
}"#,
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "json_invalid", "loc": ["body", 28], "msg": "JSON decode error", "input": {}, "ctx": {"error": "Expecting value"}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn invalid_utf8_is_400() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items")
        .header("Content-Type", "application/json")
        .body(&b"{\"name\": \"\xff\", \"price\": 1}"[..])
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "There was an error parsing the body"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn update_item_with_query() {
    let response = client()
        .request(fastrs::http::Method::PUT, "/items/5?q=hi")
        .header("Content-Type", "application/json")
        .body(r#"{"name": "Foo", "price": 1}"#)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"item_id": 5, "name": "Foo", "description": null, "price": 1.0, "tax": null, "q": "hi"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn update_item_reports_path_query_and_body_errors_in_order() {
    let response = client()
        .request(fastrs::http::Method::PUT, "/items/x")
        .header("Content-Type", "application/json")
        .body(r#"{"price": "y"}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["path", "item_id"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x"}, {"type": "missing", "loc": ["body", "name"], "msg": "Field required", "input": {"price": "y"}}, {"type": "float_parsing", "loc": ["body", "price"], "msg": "Input should be a valid number, unable to parse string as a number", "input": "y"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn update_item_without_body() {
    let response = client()
        .request(fastrs::http::Method::PUT, "/items/5")
        .body("")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": null}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn embedded_body_is_keyed_by_argument() {
    let response = client()
        .request(fastrs::http::Method::PUT, "/priced/1")
        .header("Content-Type", "application/json")
        .body(r#"{"item": {"name": "a", "price": 2.5}}"#)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"item_id": 1, "item": {"name": "a", "description": null, "price": 2.5, "tax": null}})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn embedded_body_not_embedded_is_missing() {
    let response = client()
        .request(fastrs::http::Method::PUT, "/priced/1")
        .header("Content-Type", "application/json")
        .body(r#"{"name": "a", "price": 0}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["body", "item"], "msg": "Field required", "input": null}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn embedded_body_constraint_violated() {
    let response = client()
        .request(fastrs::http::Method::PUT, "/priced/1")
        .header("Content-Type", "application/json")
        .body(r#"{"item": {"name": "a", "price": 0}}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "greater_than", "loc": ["body", "item", "price"], "msg": "Input should be greater than 0", "input": 0, "ctx": {"gt": 0.0}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn embedded_body_description_too_long() {
    let response = client().request(fastrs::http::Method::PUT, "/priced/1")
        .header("Content-Type", "application/json")
        .body(r#"{"item": {"name": "a", "price": 1, "description": "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"}}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "string_too_long", "loc": ["body", "item", "description"], "msg": "String should have at most 300 characters", "input": "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd", "ctx": {"max_length": 300}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn embedded_body_empty() {
    let response = client()
        .request(fastrs::http::Method::PUT, "/priced/1")
        .header("Content-Type", "application/json")
        .body("")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["body", "item"], "msg": "Field required", "input": null}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn several_bodies() {
    let response = client()
        .request(fastrs::http::Method::PUT, "/offers/1")
        .header("Content-Type", "application/json")
        .body(r#"{"offer": {"name": "o"}, "user": {"username": "u"}, "importance": "3"}"#)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"offer_id": 1, "offer": {"name": "o", "tags": [], "images": null}, "user": {"username": "u", "full_name": null}, "importance": 3})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn several_bodies_with_images() {
    let response = client().request(fastrs::http::Method::PUT, "/offers/1")
        .header("Content-Type", "application/json")
        .body(r#"{"offer": {"name": "o", "tags": ["a"], "images": [{"url": "http://x", "name": "i"}]}, "user": {"username": "u", "full_name": "U"}, "importance": 1}"#)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"offer_id": 1, "offer": {"name": "o", "tags": ["a"], "images": [{"url": "http://x", "name": "i"}]}, "user": {"username": "u", "full_name": "U"}, "importance": 1})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn several_bodies_nested_errors_and_missing() {
    let response = client()
        .request(fastrs::http::Method::PUT, "/offers/1")
        .header("Content-Type", "application/json")
        .body(r#"{"offer": {"name": "o", "images": [{"url": "", "name": 1}]}, "importance": 0}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "string_too_short", "loc": ["body", "offer", "images", 0, "url"], "msg": "String should have at least 1 character", "input": "", "ctx": {"min_length": 1}}, {"type": "string_type", "loc": ["body", "offer", "images", 0, "name"], "msg": "Input should be a valid string", "input": 1}, {"type": "missing", "loc": ["body", "user"], "msg": "Field required", "input": null}, {"type": "greater_than", "loc": ["body", "importance"], "msg": "Input should be greater than 0", "input": 0, "ctx": {"gt": 0}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn several_bodies_wrong_shapes() {
    let response = client()
        .request(fastrs::http::Method::PUT, "/offers/x")
        .header("Content-Type", "application/json")
        .body(r#"{"offer": [], "user": "u", "importance": "many"}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["path", "offer_id"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x"}, {"type": "model_attributes_type", "loc": ["body", "offer"], "msg": "Input should be a valid dictionary or object to extract fields from", "input": []}, {"type": "model_attributes_type", "loc": ["body", "user"], "msg": "Input should be a valid dictionary or object to extract fields from", "input": "u"}, {"type": "int_parsing", "loc": ["body", "importance"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "many"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn several_bodies_nested_list_errors() {
    let response = client().request(fastrs::http::Method::PUT, "/offers/1")
        .header("Content-Type", "application/json")
        .body(r#"{"offer": {"name": "o", "tags": "a", "images": [5, {"url": "u"}]}, "user": {"username": null}, "importance": 1.5}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "list_type", "loc": ["body", "offer", "tags"], "msg": "Input should be a valid list", "input": "a"}, {"type": "model_attributes_type", "loc": ["body", "offer", "images", 0], "msg": "Input should be a valid dictionary or object to extract fields from", "input": 5}, {"type": "missing", "loc": ["body", "offer", "images", 1, "name"], "msg": "Field required", "input": {"url": "u"}}, {"type": "string_type", "loc": ["body", "user", "username"], "msg": "Input should be a valid string", "input": null}, {"type": "int_from_float", "loc": ["body", "importance"], "msg": "Input should be a valid integer, got a number with a fractional part", "input": 1.5}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn several_bodies_empty() {
    let response = client()
        .request(fastrs::http::Method::PUT, "/offers/1")
        .header("Content-Type", "application/json")
        .body("")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["body", "offer"], "msg": "Field required", "input": null}, {"type": "missing", "loc": ["body", "user"], "msg": "Field required", "input": null}, {"type": "missing", "loc": ["body", "importance"], "msg": "Field required", "input": null}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn several_bodies_not_json() {
    let response = client()
        .request(fastrs::http::Method::PUT, "/offers/1")
        .header("Content-Type", "text/plain")
        .body("hello")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["body", "offer"], "msg": "Field required", "input": null}, {"type": "missing", "loc": ["body", "user"], "msg": "Field required", "input": null}, {"type": "missing", "loc": ["body", "importance"], "msg": "Field required", "input": null}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn index_weights_parse_int_keys() {
    let response = client()
        .request(fastrs::http::Method::POST, "/index-weights")
        .header("Content-Type", "application/json")
        .body(r#"{"1": 2.5, "02": "3"}"#)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"1": 2.5, "2": 3.0}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn index_weights_bad_key_and_value() {
    let response = client()
        .request(fastrs::http::Method::POST, "/index-weights")
        .header("Content-Type", "application/json")
        .body(r#"{"x": 1, "2": "y"}"#)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["body", "x", "[key]"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x"}, {"type": "float_parsing", "loc": ["body", "2"], "msg": "Input should be a valid number, unable to parse string as a number", "input": "y"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn index_weights_not_an_object() {
    let response = client()
        .request(fastrs::http::Method::POST, "/index-weights")
        .header("Content-Type", "application/json")
        .body("[1]")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "dict_type", "loc": ["body"], "msg": "Input should be a valid dictionary", "input": [1]}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}
