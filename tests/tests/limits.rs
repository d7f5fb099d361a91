//! Limits that keep a request's cost proportional to what it is worth:
//! query parameters and cookies are counted before anything is parsed
//! (400 beyond the app's limits), parameter models read the query once, and
//! the error list of one request stops at `ValidationErrors::MAX`, and the
//! input each error echoes at `ValidationErrors::MAX_INPUT_BYTES`.

use fastrs::extract::{Cookies, Query};
use fastrs::model::ValidationErrors;
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[model(extra = "forbid")]
struct Page {
    #[field(default = 10)]
    limit: u32,
}

#[endpoint(GET "/page")]
async fn page(page: Query<Page>) -> Json<u32> {
    Json(page.0.limit)
}

#[model]
struct Session {
    session: Option<String>,
}

#[endpoint(GET "/session")]
async fn session(session: Cookies<Session>) -> Json<Option<String>> {
    Json(session.0.session)
}

#[endpoint(POST "/numbers")]
async fn numbers(numbers: Json<Vec<i64>>) -> Json<usize> {
    Json(numbers.0.len())
}

fn client() -> TestClient {
    TestClient::new(
        App::new()
            .route(page)
            .route(session)
            .route(numbers)
            .max_query_params(50),
    )
}

fn query(count: usize) -> String {
    (0..count)
        .map(|i| format!("k{i}=v"))
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test]
async fn too_many_query_parameters_are_400_before_anything_is_parsed() {
    let client = client();
    let response = client.get(&format!("/page?limit=5&{}", query(49))).await;
    // 50 parameters: within the limit; the model forbids the 49 extras, and
    // says so for each, read in one pass.
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>()["detail"].as_array().unwrap().len(),
        49
    );
    assert_eq!(client.get("/page?limit=5").await.json::<u32>(), 5);

    let response = client.get(&format!("/page?{}", query(51))).await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Too many query parameters: more than 50"})
    );
}

#[tokio::test]
async fn too_many_cookies_are_400() {
    let client = client();
    let cookies = |n: usize| {
        (0..n)
            .map(|i| format!("c{i}=v"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let response = client
        .get("/session")
        .header("cookie", &format!("session=abc; {}", cookies(150)))
        .await;
    assert_eq!(response.json::<Value>(), json!("abc"));
    let response = client.get("/session").header("cookie", &cookies(201)).await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Too many cookies: more than 200"})
    );
}

#[tokio::test]
async fn a_request_reports_at_most_max_errors() {
    let body: Vec<Value> = (0..5000)
        .map(|i| json!(format!("not a number {i}")))
        .collect();
    let response = client().post("/numbers").json(&body).await;
    assert_eq!(response.status(), 422);
    let detail = response.json::<Value>()["detail"].clone();
    let detail = detail.as_array().unwrap();
    assert_eq!(detail.len(), ValidationErrors::MAX);
    // The first errors are FastAPI's.
    assert_eq!(
        detail[0],
        json!({"type": "int_parsing", "loc": ["body", 0], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "not a number 0"})
    );
    assert_eq!(detail[999]["loc"], json!(["body", 999]));
}

#[model]
struct Wide {
    #[field(max_length = 10)]
    name: String,
    required: i64,
    other: Option<Value>,
}

#[endpoint(POST "/wide")]
async fn wide(items: Json<Vec<Wide>>) -> Json<usize> {
    Json(items.0.len())
}

#[tokio::test]
async fn the_input_echoed_per_error_is_bounded() {
    let client = TestClient::new(App::new().route(wide).body_limit(16 << 20));
    // A long string: cut, ending with an ellipsis.
    let long = "x".repeat(100_000);
    let response = client
        .post("/wide")
        .json(&json!([{"name": long, "required": 1}]))
        .await;
    let input = response.json::<Value>()["detail"][0]["input"].clone();
    let input = input.as_str().unwrap_or_default();
    assert_eq!(input.len(), ValidationErrors::MAX_INPUT_BYTES + "…".len());
    assert!(input.ends_with("x…"));
    // 300 `missing` errors, each echoing its 20 KB object: about 4 KB
    // each (FastAPI's answer would be 6 MB).
    let big = json!({"name": "a", "other": "y".repeat(20_000)});
    let body: Vec<Value> = (0..300).map(|_| big.clone()).collect();
    let response = client.post("/wide").json(&body).await;
    assert_eq!(response.status(), 422);
    assert!(
        response.bytes().len() < 1_500_000,
        "{} bytes",
        response.bytes().len()
    );
    let first = &response.json::<Value>()["detail"][0];
    assert_eq!(first["type"], "missing");
    assert_eq!(first["input"]["name"], "a");
    // Small inputs are echoed whole, as FastAPI echoes them.
    let response = client.post("/wide").json(&json!([{"name": "a"}])).await;
    assert_eq!(
        response.json::<Value>()["detail"][0]["input"],
        json!({"name": "a"})
    );
}

#[endpoint(POST "/echo")]
async fn echo(body: Json<Value>) -> Json<Value> {
    body
}

#[tokio::test]
async fn a_body_with_a_byte_order_mark_is_read_as_fastapi_reads_it() {
    // FastAPI 0.165 answers {"a":1} to this body (Python's json.loads skips
    // the mark in bytes).
    let client = TestClient::new(App::new().route(echo));
    let response = client
        .post("/echo")
        .header("content-type", "application/json")
        .body(&b"\xEF\xBB\xBF{\"a\":1}"[..])
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"a": 1}));
}
