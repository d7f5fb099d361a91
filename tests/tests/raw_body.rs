//! The raw request body: as an argument (`RawBody`, FastAPI's `await
//! request.body()`), in a validation error's handler
//! (`RequestValidationError::body`, FastAPI's `exc.body`, answers pinned
//! to FastAPI 0.165's tutorial), and in a middleware that reads it
//! without taking it from the handler (`middleware::read_body`).

use std::sync::{Arc, Mutex};

use fastrs::extract::RawBody;
use fastrs::middleware::read_body;
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

// ANCHOR: raw
/// The body as sent, bytes for bytes.
#[endpoint(POST "/echo")]
async fn echo(body: RawBody) -> Json<Value> {
    Json(json!({"size": body.len(), "text": String::from_utf8_lossy(&body.0)}))
}
// ANCHOR_END: raw

#[tokio::test]
async fn a_raw_body_argument_is_the_body_as_sent_within_the_limit() {
    let client = TestClient::new(App::new().body_limit(16).route(echo));
    let sent = "\u{feff}{\"a\": 1}";
    let response = client.post("/echo").body(sent).await;
    assert_eq!(
        response.json::<Value>(),
        json!({"size": sent.len(), "text": sent}),
        "nothing stripped, not even a byte-order mark"
    );
    let empty = client.post("/echo").await;
    assert_eq!(empty.json::<Value>(), json!({"size": 0, "text": ""}));
    let large = client.post("/echo").body("x".repeat(17)).await;
    assert_eq!(large.status(), 413);
    // Nothing documented for it: there is no request body schema to give.
    let document = client.get("/openapi.json").await.json::<Value>();
    assert!(document["paths"]["/echo"]["post"]
        .get("requestBody")
        .is_none());
}

#[model]
struct Item {
    title: String,
    size: i64,
}

#[endpoint(POST "/items/")]
async fn create_item(item: Json<Item>) -> Json<Value> {
    Json(json!({"title": item.0.title, "size": item.0.size}))
}

// ANCHOR: validation_body
/// FastAPI's "Use the RequestValidationError body": the errors, and the
/// body that caused them.
fn with_body(error: RequestValidationError) -> (StatusCode, Json<Value>) {
    let body = error.body().cloned().unwrap_or(Value::Null);
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({"detail": error.detail(), "body": body})),
    )
}
// ANCHOR_END: validation_body

#[tokio::test]
async fn a_validation_error_handler_reads_the_body_that_failed() {
    let app = App::new().route(create_item).error_handler(with_body);
    let client = TestClient::new(app);
    let response = client
        .post("/items/")
        .json(&json!({"title": "towel", "size": "XL"}))
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({
            "detail": [{
                "type": "int_parsing",
                "loc": ["body", "size"],
                "msg": "Input should be a valid integer, unable to parse string as an integer",
                "input": "XL",
            }],
            "body": {"title": "towel", "size": "XL"},
        })
    );
    // JSON that cannot be decoded: the text, as FastAPI's `e.doc`.
    let broken = client
        .post("/items/")
        .header("content-type", "application/json")
        .body("{\"title\": ")
        .await;
    assert_eq!(broken.json::<Value>()["body"], json!("{\"title\": "));
    // A valid body is answered as usual.
    let fine = client
        .post("/items/")
        .json(&json!({"title": "towel", "size": 3}))
        .await;
    assert_eq!(fine.json::<Value>(), json!({"title": "towel", "size": 3}));
}

#[tokio::test]
async fn a_middleware_reads_the_body_and_the_handler_still_gets_it() {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = seen.clone();
    // ANCHOR: middleware
    let app = App::new()
        .route(create_item)
        .middleware(move |request, next| {
            let log = log.clone();
            async move {
                let (request, body) = match read_body(request, 1024).await {
                    Ok(read) => read,
                    Err(too_large) => return too_large,
                };
                log.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&body).into_owned());
                next.run(request).await
            }
        });
    // ANCHOR_END: middleware
    let client = TestClient::new(app);
    let response = client
        .post("/items/")
        .json(&json!({"title": "towel", "size": 3}))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"title": "towel", "size": 3})
    );
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        [r#"{"title":"towel","size":3}"#]
    );
    let large = client.post("/items/").body("x".repeat(1025)).await;
    assert_eq!(large.status(), 413);
}
