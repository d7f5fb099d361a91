//! Exception handlers as FastAPI has them: a handler for `HttpError`
//! (FastAPI's `HTTPException` handler, which also sees 404 and 405), one
//! for validation errors (`RequestValidationError`), handlers that read the
//! request, a changed validation answer documented in OpenAPI, and a
//! registration that could never run refused at startup.

use fastrs::error::RequestValidationError;
use fastrs::http::request::Parts;
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[endpoint(GET "/items/{item_id}")]
async fn read_item(item_id: i64) -> Result<Json<Value>, HttpError> {
    if item_id == 0 {
        return Err(
            HttpError::new(StatusCode::NOT_FOUND, "Item not found").with_header("x-error", "yes")
        );
    }
    Ok(Json(json!({"item_id": item_id})))
}

struct Gate;

#[dependency]
async fn gate(token: Header<Option<String>>) -> Result<Gate, HttpError> {
    match token.0.as_deref() {
        Some("open") => Ok(Gate),
        _ => Err(HttpError::new(
            StatusCode::UNAUTHORIZED,
            "Not authenticated",
        )),
    }
}

#[endpoint(GET "/gated")]
async fn gated(_gate: Depends<Gate>) -> &'static str {
    "in"
}

/// FastAPI's documented example: the `HTTPException` handler answering in
/// plain text, with the request's method and path.
fn plain_text(head: &Parts, error: HttpError) -> (StatusCode, String) {
    (
        error.status(),
        format!("{} {}: {}", head.method, head.uri.path(), error.detail()),
    )
}

fn app() -> App {
    App::new()
        .route(read_item)
        .route(gated)
        .error_handler(plain_text)
}

#[tokio::test]
async fn an_http_error_handler_answers_every_http_error_with_the_request_at_hand() {
    let client = TestClient::new(app());
    let response = client.get("/items/0").await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(response.text(), "GET /items/0: \"Item not found\"");

    // From a dependency.
    let response = client.get("/gated").await;
    assert_eq!(response.status(), 401);
    assert_eq!(response.text(), "GET /gated: \"Not authenticated\"");

    // The router's own 404 and 405 are HttpErrors too, as in Starlette.
    let response = client.get("/nowhere").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.text(), "GET /nowhere: \"Not Found\"");
    let response = client.delete("/gated").await;
    assert_eq!(response.status(), 405);
    assert_eq!(response.header("allow"), Some("GET"));
    assert_eq!(response.text(), "DELETE /gated: \"Method Not Allowed\"");

    // Answers that are not errors pass untouched.
    assert_eq!(
        client.get("/items/3").await.json::<Value>(),
        json!({"item_id": 3})
    );
}

#[tokio::test]
async fn without_a_handler_an_http_error_is_fastapis_answer() {
    let client = TestClient::new(App::new().route(read_item));
    let response = client.get("/items/0").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.header("x-error"), Some("yes"));
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Item not found"})
    );
}

#[tokio::test]
async fn a_validation_error_handler_changes_the_422_body() {
    // FastAPI's documented example: the errors as plain text, still 422.
    let app = App::new()
        .route(read_item)
        .error_handler(|e: RequestValidationError| {
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{} error(s): {}", e.errors().len(), e.detail()),
            )
        });
    let client = TestClient::new(app);
    let response = client.get("/items/x").await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.text(),
        "1 error(s): [{\"type\":\"int_parsing\",\"loc\":[\"path\",\"item_id\"],\"msg\":\"Input should be a valid integer, unable to parse string as an integer\",\"input\":\"x\"}]"
    );
}

#[model]
struct Problem {
    title: String,
    errors: Value,
}

fn problem(head: &Parts, e: RequestValidationError) -> Problem {
    Problem {
        title: format!("Invalid input to {}", head.uri.path()),
        errors: e.detail(),
    }
}

#[tokio::test]
async fn a_400_validation_answer_is_served_and_documented_on_every_operation() {
    let app = App::new()
        .route(read_item)
        .route(gated)
        .validation_error_handler(StatusCode::BAD_REQUEST, problem);
    let client = TestClient::new(app);
    let response = client.get("/items/x").await;
    assert_eq!(response.status(), 400);
    let body = response.json::<Value>();
    assert_eq!(body["title"], "Invalid input to /items/x");
    assert_eq!(body["errors"][0]["type"], "int_parsing");

    let document = client.app().openapi().to_json();
    for (path, method) in [("/items/{item_id}", "get"), ("/gated", "get")] {
        let responses = &document["paths"][path][method]["responses"];
        assert_eq!(responses.get("422"), None, "{path}");
        assert_eq!(
            responses["400"],
            json!({
                "description": "Validation Error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
            }),
            "{path}"
        );
    }
    let schemas = &document["components"]["schemas"];
    assert!(schemas.get("Problem").is_some());
    assert_eq!(schemas.get("HTTPValidationError"), None);
}

#[test]
#[should_panic(
    expected = "an error handler for `fastrs::error::HttpError` is registered twice; the second could never run"
)]
fn a_second_handler_for_one_error_type_is_refused_at_startup() {
    let _ = App::new()
        .error_handler(plain_text)
        .error_handler(|e: HttpError| e);
}
