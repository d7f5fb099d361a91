//! Field and model validators (issue 13, item 1; Pydantic's
//! `@field_validator` and `@model_validator(mode="after")`, and
//! `AfterValidator` on a reusable type). The answers are FastAPI 0.165's,
//! sent to the reference app's `Signup` model and to a `Code =
//! Annotated[str, Field(min_length=2), AfterValidator(upper_code)]` type,
//! and copied here.

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

// ANCHOR: signup
/// A registration form.
#[model(validate = passwords_match)]
struct Signup {
    #[field(min_length = 3, validate = username_alphanumeric)]
    username: String,
    password: String,
    password_repeat: String,
    birthday: Option<chrono::NaiveDate>,
}

/// Runs after the type and constraint checks; may change the value.
fn username_alphanumeric(username: String) -> Result<String, &'static str> {
    if !username.chars().all(char::is_alphanumeric) {
        return Err("must be alphanumeric");
    }
    Ok(username.to_lowercase())
}

/// Runs once every field is valid, on the whole model.
fn passwords_match(signup: Signup) -> Result<Signup, &'static str> {
    if signup.password != signup.password_repeat {
        return Err("passwords do not match");
    }
    Ok(signup)
}

#[model]
struct SignupOut {
    username: String,
    birthday: Option<chrono::NaiveDate>,
}

#[endpoint(POST "/signup")]
async fn signup(body: Json<Signup>) -> SignupOut {
    let Signup {
        username, birthday, ..
    } = body.0;
    SignupOut { username, birthday }
}
// ANCHOR_END: signup

// ANCHOR: code
/// Letters only, stored in capitals.
#[model]
struct Code(#[field(min_length = 2, validate = upper_code)] String);

fn upper_code(code: String) -> Result<String, String> {
    if !code.chars().all(char::is_alphabetic) {
        return Err("letters only".to_owned());
    }
    Ok(code.to_uppercase())
}
// ANCHOR_END: code

#[model]
struct CodeBox {
    code: Code,
    #[field(default = Vec::new())]
    codes: Vec<Code>,
}

#[endpoint(GET "/code/{code}")]
async fn code(code: Code, q: Option<Code>) -> Json<Value> {
    Json(json!({"code": code.0, "q": q.map(|q| q.0)}))
}

#[endpoint(POST "/box")]
async fn code_box(b: Json<CodeBox>) -> CodeBox {
    b.0
}

fn client() -> TestClient {
    TestClient::new(App::new().route(signup).route(code).route(code_box))
}

async fn post(path: &str, body: Value) -> (u16, Value) {
    let response = client().post(path).json(&body).await;
    (response.status().as_u16(), response.json())
}

#[tokio::test]
async fn a_field_validator_transforms_a_valid_value() {
    let body = json!({"username": "AbC1", "password": "x", "password_repeat": "x", "birthday": "2024-01-02"});
    assert_eq!(
        post("/signup", body).await,
        (200, json!({"username": "abc1", "birthday": "2024-01-02"}))
    );
}

#[tokio::test]
async fn a_field_validator_error_is_a_value_error_at_the_field() {
    let body = json!({"username": "ab c", "password": "x", "password_repeat": "y"});
    let expected = json!({"detail": [{"type": "value_error", "loc": ["body", "username"], "msg": "Value error, must be alphanumeric", "input": "ab c", "ctx": {"error": {}}}]});
    assert_eq!(post("/signup", body).await, (422, expected));
}

#[tokio::test]
async fn a_model_validator_error_is_at_the_models_loc_with_the_whole_input() {
    let body = json!({"username": "abc1", "password": "x", "password_repeat": "y"});
    let expected = json!({"detail": [{"type": "value_error", "loc": ["body"], "msg": "Value error, passwords do not match", "input": {"username": "abc1", "password": "x", "password_repeat": "y"}, "ctx": {"error": {}}}]});
    assert_eq!(post("/signup", body).await, (422, expected));
}

#[tokio::test]
async fn a_validator_runs_only_on_a_field_that_passed_its_checks() {
    // "a!" fails min_length: the validator does not run on it, and the
    // model validator does not run while a field is invalid.
    let body = json!({"username": "a!", "password": "x"});
    let expected = json!({"detail": [
        {"type": "string_too_short", "loc": ["body", "username"], "msg": "String should have at least 3 characters", "input": "a!", "ctx": {"min_length": 3}},
        {"type": "missing", "loc": ["body", "password_repeat"], "msg": "Field required", "input": {"username": "a!", "password": "x"}},
    ]});
    assert_eq!(post("/signup", body).await, (422, expected));
}

#[tokio::test]
async fn validator_errors_come_with_every_other_error() {
    let body = json!({"username": "a!c", "password": "x", "password_repeat": 5});
    let expected = json!({"detail": [
        {"type": "value_error", "loc": ["body", "username"], "msg": "Value error, must be alphanumeric", "input": "a!c", "ctx": {"error": {}}},
        {"type": "string_type", "loc": ["body", "password_repeat"], "msg": "Input should be a valid string", "input": 5},
    ]});
    assert_eq!(post("/signup", body).await, (422, expected));
}

#[tokio::test]
async fn a_validated_type_transforms_parameters() {
    let response = client().get("/code/ab?q=cd").await;
    assert_eq!(response.json::<Value>(), json!({"code": "AB", "q": "CD"}));
    let response = client().get("/code/a1?q=x").await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [
            {"type": "value_error", "loc": ["path", "code"], "msg": "Value error, letters only", "input": "a1", "ctx": {"error": {}}},
            {"type": "string_too_short", "loc": ["query", "q"], "msg": "String should have at least 2 characters", "input": "x", "ctx": {"min_length": 2}},
        ]})
    );
}

#[tokio::test]
async fn a_validated_type_transforms_body_values_and_list_items() {
    assert_eq!(
        post("/box", json!({"code": "ab", "codes": ["cd"]})).await,
        (200, json!({"code": "AB", "codes": ["CD"]}))
    );
    let expected = json!({"detail": [
        {"type": "value_error", "loc": ["body", "codes", 1], "msg": "Value error, letters only", "input": "e1", "ctx": {"error": {}}},
        {"type": "string_too_short", "loc": ["body", "codes", 2], "msg": "String should have at least 2 characters", "input": "f", "ctx": {"min_length": 2}},
    ]});
    assert_eq!(
        post("/box", json!({"code": "ab", "codes": ["cd", "e1", "f"]})).await,
        (422, expected)
    );
}

#[test]
fn the_fast_path_runs_validators_too() {
    // A valid body is read in one serde pass: the transformation must
    // happen there as well.
    let signup: Signup = fastrs::model::fast::from_slice(
        br#"{"username": "AbC", "password": "p", "password_repeat": "p"}"#,
    )
    .expect("valid");
    assert_eq!(signup.username, "abc");
    let refused = fastrs::model::fast::from_slice::<Signup>(
        br#"{"username": "abc", "password": "p", "password_repeat": "q"}"#,
    );
    assert!(refused.is_none());
    let code: Code = fastrs::model::fast::from_slice(br#""xy""#).expect("valid");
    assert_eq!(code.0, "XY");
}

#[test]
fn validated_fields_are_documented_by_their_constraints() {
    let doc = App::new().route(code_box).openapi().to_json();
    assert_eq!(
        doc["components"]["schemas"]["CodeBox"],
        json!({"properties": {"code": {"type": "string", "minLength": 2, "title": "Code"}, "codes": {"items": {"type": "string", "minLength": 2}, "type": "array", "title": "Codes", "default": []}}, "type": "object", "required": ["code"], "title": "CodeBox"})
    );
}
