//! FastAPI's answers for every route of `models2`, pinned as literals:
//! sent to the FastAPI app this example ports (FastAPI 0.165, Pydantic 2.14)
//! and to this port, and copied here. Each test uses a fresh app, so the
//! stored items start as the FastAPI app's do.

#[path = "../models2.rs"]
#[allow(dead_code)]
mod example;

use fastrs::testing::TestClient;
use serde_json::{json, Value};

async fn send(method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    send_to(&TestClient::new(example::app()), method, path, body).await
}

async fn send_to(
    client: &TestClient,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let method = fastrs::http::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = client.request(method, path);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.await;
    let status = response.status().as_u16();
    let body = if response.header("content-type") == Some("application/json") {
        response.json()
    } else {
        Value::String(response.text())
    };
    (status, body)
}

#[tokio::test]
async fn signup_lowercases_the_username() {
    let body = json!({"username": "AbC1", "password": "x", "password_repeat": "x", "birthday": "2024-01-02"});
    assert_eq!(
        send("POST", "/signup", Some(body)).await,
        (200, json!({"username": "abc1", "birthday": "2024-01-02"}))
    );
}

#[tokio::test]
async fn signup_field_validator_refuses() {
    let body = json!({"username": "ab c", "password": "x", "password_repeat": "y"});
    let expected = json!({"detail": [{"type": "value_error", "loc": ["body", "username"], "msg": "Value error, must be alphanumeric", "input": "ab c", "ctx": {"error": {}}}]});
    assert_eq!(send("POST", "/signup", Some(body)).await, (422, expected));
}

#[tokio::test]
async fn signup_model_validator_refuses() {
    let body = json!({"username": "abc1", "password": "x", "password_repeat": "y"});
    let expected = json!({"detail": [{"type": "value_error", "loc": ["body"], "msg": "Value error, passwords do not match", "input": {"username": "abc1", "password": "x", "password_repeat": "y"}, "ctx": {"error": {}}}]});
    assert_eq!(send("POST", "/signup", Some(body)).await, (422, expected));
}

#[tokio::test]
async fn signup_reports_every_error() {
    let body = json!({"username": "a!", "password": "x"});
    let expected = json!({"detail": [
        {"type": "string_too_short", "loc": ["body", "username"], "msg": "String should have at least 3 characters", "input": "a!", "ctx": {"min_length": 3}},
        {"type": "missing", "loc": ["body", "password_repeat"], "msg": "Field required", "input": {"username": "a!", "password": "x"}},
    ]});
    assert_eq!(send("POST", "/signup", Some(body)).await, (422, expected));
    let body = json!({"username": "a!c", "password": "x", "password_repeat": 5});
    let expected = json!({"detail": [
        {"type": "value_error", "loc": ["body", "username"], "msg": "Value error, must be alphanumeric", "input": "a!c", "ctx": {"error": {}}},
        {"type": "string_type", "loc": ["body", "password_repeat"], "msg": "Input should be a valid string", "input": 5},
    ]});
    assert_eq!(send("POST", "/signup", Some(body)).await, (422, expected));
}

#[tokio::test]
async fn orders_write_their_computed_totals() {
    let body = json!({"lines": [{"sku": "AB-1", "qty": 2, "unit_price": 1.25}]});
    assert_eq!(
        send("POST", "/orders", Some(body)).await,
        (
            200,
            json!({"lines": [{"sku": "AB-1", "qty": 2, "unit_price": 1.25, "total": 2.5}], "coupon": null, "total": 2.5})
        )
    );
}

#[tokio::test]
async fn a_computed_field_sent_by_the_client_is_ignored() {
    let body = json!({"lines": [{"sku": "AB-1", "qty": "3", "unit_price": "0.1"}, {"sku": "CD-22", "qty": 1, "unit_price": 0.2}], "total": 99});
    let expected = json!({"lines": [{"sku": "AB-1", "qty": 3, "unit_price": 0.1, "total": 0.3}, {"sku": "CD-22", "qty": 1, "unit_price": 0.2, "total": 0.2}], "coupon": null, "total": 0.5});
    assert_eq!(send("POST", "/orders", Some(body)).await, (200, expected));
}

#[tokio::test]
async fn an_order_needs_a_line() {
    let expected = json!({"detail": [{"type": "too_short", "loc": ["body", "lines"], "msg": "List should have at least 1 item after validation, not 0", "input": [], "ctx": {"field_type": "List", "min_length": 1, "actual_length": 0}}]});
    assert_eq!(
        send("POST", "/orders", Some(json!({"lines": []}))).await,
        (422, expected)
    );
}

#[tokio::test]
async fn read_item_writes_only_the_stored_fields() {
    assert_eq!(
        send("GET", "/items/foo", None).await,
        (200, json!({"name": "Foo", "price": 50.2}))
    );
    assert_eq!(
        send("GET", "/items/bar", None).await,
        (
            200,
            json!({"name": "Bar", "description": "The bartenders", "price": 62.0, "tax": 20.2})
        )
    );
    assert_eq!(
        send("GET", "/items/baz", None).await,
        (
            200,
            json!({"name": "Baz", "description": null, "price": 50.2, "tax": 10.5, "tags": []})
        )
    );
    assert_eq!(
        send("GET", "/items/nope", None).await,
        (404, json!({"detail": "Item not found"}))
    );
}

#[tokio::test]
async fn read_item_public_leaves_out_nulls() {
    assert_eq!(
        send("GET", "/items/foo/public", None).await,
        (
            200,
            json!({"name": "Foo", "price": 50.2, "tax": 10.5, "tags": []})
        )
    );
    assert_eq!(
        send("GET", "/items/baz/public", None).await,
        (
            200,
            json!({"name": "Baz", "price": 50.2, "tax": 10.5, "tags": []})
        )
    );
}

#[tokio::test]
async fn a_patch_changes_only_what_it_sends() {
    let client = TestClient::new(example::app());
    let patch = json!({"description": null, "tags": ["a"]});
    let expected =
        json!({"name": "Foo", "description": null, "price": 50.2, "tax": 10.5, "tags": ["a"]});
    assert_eq!(
        send_to(&client, "PATCH", "/items/foo", Some(patch)).await,
        (200, expected.clone())
    );
    // Stored whole, as the FastAPI app stores `model_dump()`.
    assert_eq!(
        send_to(&client, "GET", "/items/foo", None).await,
        (200, expected)
    );
    let patch = json!({"price": null});
    assert_eq!(
        send_to(&client, "PATCH", "/items/bar", Some(patch)).await,
        (
            200,
            json!({"name": "Bar", "description": "The bartenders", "price": null, "tax": 20.2, "tags": []})
        )
    );
}

#[tokio::test]
async fn a_patch_is_validated_and_refuses_unknown_keys() {
    let expected = json!({"detail": [
        {"type": "greater_than", "loc": ["body", "price"], "msg": "Input should be greater than 0", "input": -1, "ctx": {"gt": 0.0}},
        {"type": "extra_forbidden", "loc": ["body", "x"], "msg": "Extra inputs are not permitted", "input": 1},
    ]});
    assert_eq!(
        send("PATCH", "/items/bar", Some(json!({"price": -1, "x": 1}))).await,
        (422, expected)
    );
    assert_eq!(
        send("PATCH", "/items/nope", Some(json!({}))).await,
        (404, json!({"detail": "Item not found"}))
    );
}

#[tokio::test]
async fn a_patch_that_would_break_the_item_is_refused() {
    // A deliberate difference: FastAPI stores `"name": null` (its
    // `model_copy` does not validate) and answers 200, then 500 on every
    // later read of the item. fastrs validates the merged item.
    let client = TestClient::new(example::app());
    let expected = json!({"detail": [{"type": "string_type", "loc": ["body", "name"], "msg": "Input should be a valid string", "input": null}]});
    assert_eq!(
        send_to(&client, "PATCH", "/items/bar", Some(json!({"name": null}))).await,
        (422, expected)
    );
    assert_eq!(
        send_to(&client, "GET", "/items/bar", None).await.0,
        200,
        "the stored item is unchanged and still readable"
    );
}

#[tokio::test]
async fn owners_pick_the_pet_by_its_tag() {
    let body = json!({"name": "x", "pet": {"pet_type": "cat", "meows": 3}});
    assert_eq!(
        send("POST", "/owners", Some(body.clone())).await,
        (200, body)
    );
    let body = json!({"name": "x", "pet": {"pet_type": "dog", "barks": "1.5"}});
    assert_eq!(
        send("POST", "/owners", Some(body)).await,
        (
            200,
            json!({"name": "x", "pet": {"pet_type": "dog", "barks": 1.5}})
        )
    );
}

#[tokio::test]
async fn an_unknown_tag_is_union_tag_invalid() {
    let expected = json!({"detail": [{"type": "union_tag_invalid", "loc": ["body", "pet"], "msg": "Input tag 'cow' found using 'pet_type' does not match any of the expected tags: 'cat', 'dog'", "input": {"pet_type": "cow"}, "ctx": {"discriminator": "'pet_type'", "tag": "cow", "expected_tags": "'cat', 'dog'"}}]});
    let body = json!({"name": "x", "pet": {"pet_type": "cow"}});
    assert_eq!(send("POST", "/owners", Some(body)).await, (422, expected));
    let expected = json!({"detail": [{"type": "union_tag_invalid", "loc": ["body", "pet"], "msg": "Input tag '5' found using 'pet_type' does not match any of the expected tags: 'cat', 'dog'", "input": {"pet_type": 5}, "ctx": {"discriminator": "'pet_type'", "tag": "5", "expected_tags": "'cat', 'dog'"}}]});
    let body = json!({"name": "x", "pet": {"pet_type": 5}});
    assert_eq!(send("POST", "/owners", Some(body)).await, (422, expected));
    let expected = json!({"detail": [{"type": "union_tag_invalid", "loc": ["body", "pet"], "msg": "Input tag 'None' found using 'pet_type' does not match any of the expected tags: 'cat', 'dog'", "input": {"pet_type": null}, "ctx": {"discriminator": "'pet_type'", "tag": "None", "expected_tags": "'cat', 'dog'"}}]});
    let body = json!({"name": "x", "pet": {"pet_type": null}});
    assert_eq!(send("POST", "/owners", Some(body)).await, (422, expected));
}

#[tokio::test]
async fn a_missing_tag_is_union_tag_not_found() {
    let expected = json!({"detail": [{"type": "union_tag_not_found", "loc": ["body", "pet"], "msg": "Unable to extract tag using discriminator 'pet_type'", "input": {"meows": 1}, "ctx": {"discriminator": "'pet_type'"}}]});
    let body = json!({"name": "x", "pet": {"meows": 1}});
    assert_eq!(send("POST", "/owners", Some(body)).await, (422, expected));
    let expected = json!({"detail": [{"type": "model_attributes_type", "loc": ["body", "pet"], "msg": "Input should be a valid dictionary or object to extract fields from", "input": 5}]});
    assert_eq!(
        send("POST", "/owners", Some(json!({"name": "x", "pet": 5}))).await,
        (422, expected)
    );
}

#[tokio::test]
async fn errors_inside_the_variant_are_under_its_tag() {
    let expected = json!({"detail": [{"type": "greater_than_equal", "loc": ["body", "pet", "cat", "meows"], "msg": "Input should be greater than or equal to 0", "input": -1, "ctx": {"ge": 0}}]});
    let body = json!({"name": "x", "pet": {"pet_type": "cat", "meows": -1}});
    assert_eq!(send("POST", "/owners", Some(body)).await, (422, expected));
    let expected = json!({"detail": [
        {"type": "missing", "loc": ["body", "name"], "msg": "Field required", "input": {"pet": {"pet_type": "dog"}}},
        {"type": "missing", "loc": ["body", "pet", "dog", "barks"], "msg": "Field required", "input": {"pet_type": "dog"}},
    ]});
    let body = json!({"pet": {"pet_type": "dog"}});
    assert_eq!(send("POST", "/owners", Some(body)).await, (422, expected));
}
