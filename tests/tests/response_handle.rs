//! The response handle (FastAPI's `response: Response` parameter) and
//! cookies: FastAPI 0.165's tutorials "Response Cookies", "Response
//! Headers" and "Response - Change Status Code", pinned; a dependency and
//! the handler share one handle; an error answer gets none of its
//! changes; `ResponseCookies` on a raw response.

use std::collections::HashMap;
use std::sync::Mutex;

use fastrs::extract::ResponseHandle;
use fastrs::http::{HeaderName, HeaderValue};
use fastrs::prelude::*;
use fastrs::response::{ResponseCookies, SetCookie};
use fastrs::testing::TestClient;
use serde_json::{json, Value};

// ANCHOR: cookies
#[endpoint(POST "/cookie-and-object/")]
async fn create_cookie(response: ResponseHandle) -> Json<Value> {
    response.set_cookie(SetCookie::new("fakesession", "fake-cookie-session-value"));
    Json(json!({"message": "Come to the dark side, we have cookies"}))
}

/// A response made by hand takes cookies too.
#[endpoint(POST "/cookie/")]
async fn create_cookie_on_a_response() -> Response {
    let mut response =
        Json(json!({"message": "Come to the dark side, we have cookies"})).into_response();
    response.set_cookie(SetCookie::new("fakesession", "fake-cookie-session-value"));
    response
}
// ANCHOR_END: cookies

// ANCHOR: headers
#[endpoint(GET "/headers-and-object/")]
async fn get_headers(response: ResponseHandle) -> Json<Value> {
    response.insert_header(
        HeaderName::from_static("x-cat-dog"),
        HeaderValue::from_static("alone in the world"),
    );
    Json(json!({"message": "Hello World"}))
}
// ANCHOR_END: headers

// ANCHOR: status
static TASKS: Mutex<Option<HashMap<String, String>>> = Mutex::new(None);

#[endpoint(PUT "/get-or-create-task/{task_id}", status = 200)]
async fn get_or_create_task(task_id: String, response: ResponseHandle) -> Json<String> {
    let mut tasks = TASKS.lock().unwrap();
    let tasks = tasks.get_or_insert_with(|| {
        HashMap::from([("foo".to_owned(), "Listen to the Bar Fighters".to_owned())])
    });
    let task = tasks.entry(task_id).or_insert_with(|| {
        response.set_status(StatusCode::CREATED);
        "This didn't exist before".to_owned()
    });
    Json(task.clone())
}
// ANCHOR_END: status

/// A dependency sets a header; the handler reads what it set.
#[dependency]
async fn tracing_header(response: ResponseHandle) -> &'static str {
    response.insert_header(
        HeaderName::from_static("x-trace"),
        HeaderValue::from_static("from-dependency"),
    );
    "traced"
}

#[endpoint(GET "/traced/{fail}")]
async fn traced(
    fail: bool,
    #[depends(tracing_header)] traced: &'static str,
    response: ResponseHandle,
) -> Result<Json<&'static str>, HttpError> {
    response.delete_cookie("old");
    if fail {
        return Err(HttpError::new(StatusCode::NOT_FOUND, "Item not found"));
    }
    Ok(Json(traced))
}

#[endpoint(DELETE "/things/{id}")]
async fn delete_thing(id: i64, response: ResponseHandle) -> Json<i64> {
    response.set_status(StatusCode::NO_CONTENT);
    Json(id)
}

fn client() -> TestClient {
    TestClient::new(
        App::new()
            .route(create_cookie)
            .route(create_cookie_on_a_response)
            .route(get_headers)
            .route(get_or_create_task)
            .route(traced)
            .route(delete_thing),
    )
}

#[tokio::test]
async fn a_handler_sets_cookies_through_the_handle_or_on_its_response() {
    for path in ["/cookie-and-object/", "/cookie/"] {
        let response = client().post(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            response.json::<Value>(),
            json!({"message": "Come to the dark side, we have cookies"})
        );
        assert_eq!(
            response.header("set-cookie"),
            Some("fakesession=fake-cookie-session-value; Path=/; SameSite=lax"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_handler_adds_headers_to_its_json_answer() {
    let response = client().get("/headers-and-object/").await;
    assert_eq!(response.json::<Value>(), json!({"message": "Hello World"}));
    assert_eq!(response.header("x-cat-dog"), Some("alone in the world"));
    assert_eq!(response.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn a_handler_changes_its_status() {
    let client = client();
    let existing = client.put("/get-or-create-task/foo").await;
    assert_eq!(existing.status(), 200);
    assert_eq!(
        existing.json::<Value>(),
        json!("Listen to the Bar Fighters")
    );
    let created = client.put("/get-or-create-task/bar").await;
    assert_eq!(created.status(), 201);
    assert_eq!(created.json::<Value>(), json!("This didn't exist before"));
    // A status without a body empties it.
    let deleted = client.delete("/things/3").await;
    assert_eq!(deleted.status(), 204);
    assert_eq!(deleted.text(), "");
    assert_eq!(deleted.header("content-length"), None);
}

#[tokio::test]
async fn a_dependency_and_the_handler_share_the_handle_and_an_error_gets_none_of_it() {
    let ok = client().get("/traced/false").await;
    assert_eq!(ok.json::<Value>(), json!("traced"));
    assert_eq!(ok.header("x-trace"), Some("from-dependency"));
    let removal = ok.header("set-cookie").unwrap();
    assert!(removal.starts_with("old=\"\"; expires="), "{removal}");
    assert!(
        removal.ends_with("; Max-Age=0; Path=/; SameSite=lax"),
        "{removal}"
    );
    // FastAPI drops the sub-response when an exception is raised.
    let failed = client().get("/traced/true").await;
    assert_eq!(failed.status(), 404);
    assert_eq!(failed.json::<Value>(), json!({"detail": "Item not found"}));
    assert_eq!(failed.header("x-trace"), None);
    assert_eq!(failed.header("set-cookie"), None);
    // Nor does a validation error (the dependency ran, the path did not
    // parse).
    let invalid = client().get("/traced/maybe").await;
    assert_eq!(invalid.status(), 422);
    assert_eq!(invalid.header("x-trace"), None);
}
