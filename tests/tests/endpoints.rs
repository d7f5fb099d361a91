//! The `#[endpoint]` surface through `TestClient`: methods, options, argument
//! sources and `#[param]` options, return types, errors, tower integration.

use std::convert::Infallible;

use fastrs::http::{HeaderValue, Method, Request};
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

// ---- methods and options -------------------------------------------------

#[endpoint(GET "/thing")]
async fn get_thing() -> &'static str {
    "get"
}
#[endpoint(POST "/thing", status = 201)]
async fn create_thing() -> Json<Value> {
    Json(json!({"created": true}))
}
#[endpoint(PUT "/thing")]
async fn put_thing() -> &'static str {
    "put"
}
#[endpoint(PATCH "/thing")]
async fn patch_thing() -> &'static str {
    "patch"
}
#[endpoint(DELETE "/thing", status = 204)]
async fn delete_thing() {}
#[endpoint(OPTIONS "/thing")]
async fn options_thing() -> &'static str {
    "options"
}
#[endpoint(HEAD "/probe")]
async fn probe() -> (StatusCode, &'static str) {
    (StatusCode::ACCEPTED, "ignored by HEAD")
}

/// Reads one thing.
///
/// The rest of the doc comment is the description.
#[endpoint(
    GET "/documented/{thing_id}",
    tags = ["things", "docs"],
    deprecated,
    operation_id = "documented_thing",
    include_in_schema = false
)]
async fn documented(thing_id: i64) -> Json<i64> {
    Json(thing_id)
}

#[endpoint(GET "/summarised", summary = "A summary", description = "Given, not the doc")]
/// This doc comment loses to the description option.
async fn summarised() {}

fn things() -> TestClient {
    TestClient::new(
        App::new()
            .route(get_thing)
            .route(create_thing)
            .route(put_thing)
            .route(patch_thing)
            .route(delete_thing)
            .route(options_thing)
            .route(probe)
            .route(documented)
            .route(summarised),
    )
}

// ---- statuses by name, lint levels, the prelude ---------------------------

// ANCHOR: status_names
/// The status and the documented responses named as `StatusCode`'s
/// constants (FastAPI's `status_code=status.HTTP_201_CREATED`).
#[endpoint(POST "/made", status = StatusCode::CREATED, responses = [(StatusCode::CONFLICT, "There already")])]
async fn made() -> Html<&'static str> {
    Html("<p>made</p>")
}
// ANCHOR_END: status_names

/// What a port reaches for first is in the prelude: these names are not
/// imported but from it.
#[endpoint(GET "/moved")]
async fn moved() -> Result<Redirect, RequestValidationError> {
    let _types: Option<(PlainText, StreamingResponse, FileResponse, Response)> = None;
    Ok(Redirect::to("/made"))
}

#[deny(dead_code)]
mod never_registered {
    use fastrs::prelude::*;

    // `allow` reaches the function rustc reports (this module would not
    // compile otherwise), and `expect` is fulfilled there.
    #[allow(dead_code)]
    #[endpoint(GET "/unused")]
    async fn allowed() {}

    #[expect(dead_code)]
    #[endpoint(GET "/unused-too")]
    async fn expected() {}
}

// ANCHOR: redirect_class
/// FastAPI's `response_class=RedirectResponse`: answered and documented
/// as its 307, with no content.
#[endpoint(GET "/typer", response_class = Redirect)]
async fn redirect_typer() -> Redirect {
    Redirect::to("https://typer.tiangolo.com")
}
// ANCHOR_END: redirect_class

#[tokio::test]
async fn a_redirect_class_documents_its_status_with_no_content() {
    let client = TestClient::new(App::new().route(redirect_typer));
    let response = client.get("/typer").await;
    assert_eq!(response.status(), 307);
    assert_eq!(
        response.header("location"),
        Some("https://typer.tiangolo.com")
    );
    let document = client.get("/openapi.json").await.json::<Value>();
    assert_eq!(
        document["paths"]["/typer"]["get"]["responses"],
        json!({"307": {"description": "Successful Response"}})
    );
}

#[tokio::test]
async fn statuses_may_be_named_by_their_constants() {
    let client = TestClient::new(App::new().route(made).route(moved));
    let response = client.post("/made").send().await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.text(), "<p>made</p>");
    let document = client.get("/openapi.json").send().await.json::<Value>();
    let responses = &document["paths"]["/made"]["post"]["responses"];
    assert_eq!(
        responses["201"]["content"]["text/html"]["schema"]["type"],
        "string"
    );
    assert_eq!(responses["409"]["description"], "There already");
    assert!(responses.get("200").is_none(), "{responses}");
    let moved = client.get("/moved").send().await;
    assert_eq!(moved.status(), 307);
}

#[tokio::test]
async fn every_method_reaches_its_endpoint() {
    let client = things();
    assert_eq!(client.get("/thing").await.text(), "get");
    assert_eq!(client.put("/thing").await.text(), "put");
    assert_eq!(client.patch("/thing").await.text(), "patch");
    assert_eq!(client.options("/thing").await.text(), "options");
    let created = client.post("/thing").await;
    assert_eq!(created.status(), 201);
    assert_eq!(created.json::<Value>(), json!({"created": true}));
    let deleted = client.delete("/thing").await;
    assert_eq!(deleted.status(), 204);
    assert_eq!(deleted.bytes().len(), 0);
    assert_eq!(deleted.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn an_explicit_head_endpoint_answers_head_without_a_body() {
    let response = things().head("/probe").await;
    assert_eq!(response.status(), 202);
    assert_eq!(response.text(), "");
    // HEAD is declared, GET is not.
    let response = things().get("/probe").await;
    assert_eq!(response.status(), 405);
    assert_eq!(response.header("allow"), Some("HEAD"));
}

#[tokio::test]
async fn a_405_lists_every_method_of_the_path() {
    let response = things().request(Method::TRACE, "/thing").await;
    assert_eq!(response.status(), 405);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Method Not Allowed"})
    );
    assert_eq!(
        response.header("allow"),
        Some("GET, POST, PUT, PATCH, DELETE, OPTIONS")
    );
}

#[test]
fn endpoint_options_are_recorded_in_the_info() {
    let app = App::new()
        .route(documented)
        .route(summarised)
        .route(create_thing);
    let [doc, summary, created] = app.endpoints() else {
        panic!("three endpoints")
    };
    assert_eq!(doc.method, Method::GET);
    assert_eq!(doc.path, "/documented/{thing_id}");
    assert_eq!(doc.name, "documented");
    assert_eq!(doc.tags, ["things", "docs"]);
    assert!(doc.deprecated);
    assert_eq!(doc.operation_id, Some("documented_thing"));
    assert!(!doc.include_in_schema);
    assert_eq!(
        doc.description,
        Some("Reads one thing.\n\nThe rest of the doc comment is the description.")
    );
    assert_eq!(doc.summary, None);
    assert_eq!(doc.params.len(), 1);
    assert_eq!(doc.params[0].name, "thing_id");
    assert_eq!(summary.summary, Some("A summary"));
    assert_eq!(summary.description, Some("Given, not the doc"));
    assert_eq!(created.status, StatusCode::CREATED);
    assert!(!created.deprecated && created.include_in_schema);
}

#[tokio::test]
async fn a_variable_may_share_an_endpoints_name() {
    // The endpoint is a plain function, so a binding can shadow its name.
    let documented = TestClient::new(App::new().route(documented));
    let response = documented.get("/documented/7").await;
    assert_eq!(response.json::<i64>(), 7);
}

// ---- argument sources and #[param] options --------------------------------

#[model]
#[serde(rename_all = "snake_case")]
#[derive(Debug, PartialEq)]
enum Color {
    DeepRed,
    Green,
}

#[endpoint(GET "/lists")]
async fn lists(
    #[param(ge = 0, le = 10, max_length = 3)] n: Vec<i64>,
    #[param(default = vec![Color::Green])] color: Vec<Color>,
    x_id: Header<Vec<u32>>,
) -> Json<Value> {
    Json(json!({"n": n, "color": color, "x_id": x_id.0}))
}

#[endpoint(GET "/aliased")]
async fn aliased(
    #[param(alias = "page-size", default = 20, gt = 0, multiple_of = 5)] page_size: u32,
    #[param(alias = "X-Request-ID", min_length = 4)] request_id: Header<String>,
    #[param(alias = "session-id", pattern = "^[a-f0-9]+$")] session: Cookie<String>,
    #[param(default = "guest")] name: String,
) -> Json<Value> {
    Json(
        json!({"page_size": page_size, "request_id": request_id.0, "session": session.0, "name": name}),
    )
}

fn params() -> TestClient {
    TestClient::new(App::new().route(lists).route(aliased))
}

#[tokio::test]
async fn repeated_query_keys_and_headers_fill_vecs_with_defaults() {
    let response = params()
        .get("/lists?n=1&n=10&color=deep_red")
        .header("x-id", "7")
        .header("X-Id", "8")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"n": [1, 10], "color": ["deep_red"], "x_id": [7, 8]})
    );
    let response = params()
        .get("/lists")
        .query(&[("n", "0")])
        .header("x-id", "1")
        .await;
    assert_eq!(
        response.json::<Value>(),
        json!({"n": [0], "color": ["green"], "x_id": [1]})
    );
}

#[tokio::test]
async fn list_errors_carry_indexes_and_list_length_is_checked() {
    let response = params().get("/lists?n=11&n=x&color=blue").await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [
            {"type": "less_than_equal", "loc": ["query", "n", 0], "msg": "Input should be less than or equal to 10", "input": "11", "ctx": {"le": 10}},
            {"type": "int_parsing", "loc": ["query", "n", 1], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x"},
            {"type": "enum", "loc": ["query", "color", 0], "msg": "Input should be 'deep_red' or 'green'", "input": "blue", "ctx": {"expected": "'deep_red' or 'green'"}},
            {"type": "missing", "loc": ["header", "x-id"], "msg": "Field required", "input": null},
        ]})
    );
    let response = params()
        .get("/lists?n=1&n=2&n=3&n=4")
        .header("x-id", "1")
        .await;
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{
            "type": "too_long", "loc": ["query", "n"],
            "msg": "List should have at most 3 items after validation, not 4",
            "input": ["1", "2", "3", "4"],
            "ctx": {"field_type": "List", "max_length": 3, "actual_length": 4}
        }]})
    );
}

#[tokio::test]
async fn aliases_defaults_and_constraints_apply_to_every_source() {
    let ok = params()
        .get("/aliased?page-size=15")
        .header("x-request-id", "abcd")
        .header("cookie", "session-id=beef")
        .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(
        ok.json::<Value>(),
        json!({"page_size": 15, "request_id": "abcd", "session": "beef", "name": "guest"})
    );

    let bad = params()
        .get("/aliased?page-size=7&page_size=5")
        .header("x-request-id", "abc")
        .header("cookie", "session-id=XYZ")
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(
        bad.json::<Value>(),
        json!({"detail": [
            {"type": "multiple_of", "loc": ["query", "page-size"], "msg": "Input should be a multiple of 5", "input": "7", "ctx": {"multiple_of": 5}},
            {"type": "string_too_short", "loc": ["header", "X-Request-ID"], "msg": "String should have at least 4 characters", "input": "abc", "ctx": {"min_length": 4}},
            {"type": "string_pattern_mismatch", "loc": ["cookie", "session-id"], "msg": "String should match pattern '^[a-f0-9]+$'", "input": "XYZ", "ctx": {"pattern": "^[a-f0-9]+$"}},
        ]})
    );

    let missing = params().get("/aliased").await;
    assert_eq!(
        missing.json::<Value>(),
        json!({"detail": [
            {"type": "missing", "loc": ["header", "X-Request-ID"], "msg": "Field required", "input": null},
            {"type": "missing", "loc": ["cookie", "session-id"], "msg": "Field required", "input": null},
        ]})
    );
}

#[tokio::test]
async fn the_json_body_needs_a_json_content_type() {
    #[endpoint(POST "/body")]
    async fn body(item: Json<Value>) -> Json<Value> {
        item
    }
    #[endpoint(POST "/list")]
    async fn list(items: Json<Vec<i64>>) -> Json<Vec<i64>> {
        items
    }
    let client = TestClient::new(App::new().route(body).route(list));
    let ok = client.post("/body").json(&json!({"a": 1})).await;
    assert_eq!(ok.json::<Value>(), json!({"a": 1}));
    let ok = client
        .post("/body")
        .header("content-type", "application/vnd.api+json")
        .body(r#"[1]"#)
        .await;
    assert_eq!(ok.json::<Value>(), json!([1]));
    // Another content type is not parsed: the body is the raw text, which
    // `Value` (FastAPI's `Any`) takes as a string and a list refuses.
    let plain = client
        .post("/body")
        .header("content-type", "text/plain")
        .body("[1]")
        .await;
    assert_eq!(plain.status(), 200);
    assert_eq!(plain.json::<Value>(), json!("[1]"));
    let plain = client
        .post("/list")
        .header("content-type", "text/plain")
        .body("[1]")
        .await;
    assert_eq!(plain.status(), 422);
    assert_eq!(
        plain.json::<Value>(),
        json!({"detail": [{"type": "list_type", "loc": ["body"], "msg": "Input should be a valid list", "input": "[1]"}]})
    );
    let empty = client
        .post("/body")
        .header("content-type", "application/json")
        .await;
    assert_eq!(
        empty.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": null}]})
    );
    let broken = client
        .post("/body")
        .header("content-type", "application/json")
        .body("{\"a\": x}")
        .await;
    assert_eq!(broken.status(), 422);
    let detail = &broken.json::<Value>()["detail"][0];
    assert_eq!(detail["type"], "json_invalid");
    assert_eq!(detail["loc"], json!(["body", 6]));
}

// ---- return types -------------------------------------------------------------

#[model]
struct Item {
    name: String,
    price: f64,
}

#[endpoint(GET "/model")]
async fn bare_model() -> Item {
    Item {
        name: "Foo".into(),
        price: 1.5,
    }
}
#[endpoint(GET "/string")]
async fn string() -> String {
    format!("{}-{}", "a", "b")
}
#[endpoint(GET "/unit")]
async fn unit() {}
#[endpoint(GET "/raw")]
async fn raw() -> fastrs::http::Response<String> {
    fastrs::http::Response::builder()
        .status(StatusCode::IM_A_TEAPOT)
        .header("x-raw", "yes")
        .body("raw body".to_owned())
        .unwrap()
}
#[endpoint(GET "/status-body", status = 201)]
async fn status_body() -> (StatusCode, Json<Value>) {
    (StatusCode::ACCEPTED, Json(json!({"queued": true})))
}
#[endpoint(GET "/result/{ok}", status = 201)]
async fn result(ok: bool) -> Result<Json<Value>, HttpError> {
    if ok {
        Ok(Json(json!("fine")))
    } else {
        Err(HttpError::new(
            StatusCode::CONFLICT,
            json!({"reason": "taken", "codes": [1, 2]}),
        )
        .with_header("retry-after", "5"))
    }
}

fn returns() -> TestClient {
    TestClient::new(
        App::new()
            .route(bare_model)
            .route(string)
            .route(unit)
            .route(raw)
            .route(status_body)
            .route(result),
    )
}

#[tokio::test]
async fn a_bare_model_is_json() {
    let response = returns().get("/model").await;
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "Foo", "price": 1.5})
    );
}

#[tokio::test]
async fn strings_are_plain_text_and_unit_is_null() {
    let response = returns().get("/string").await;
    assert_eq!(
        response.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(response.text(), "a-b");
    let response = returns().get("/unit").await;
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.text(), "null");
}

#[tokio::test]
async fn a_raw_response_and_an_explicit_status_are_kept() {
    let response = returns().get("/raw").await;
    assert_eq!(response.status(), 418);
    assert_eq!(response.header("x-raw"), Some("yes"));
    assert_eq!(response.text(), "raw body");
    let response = returns().get("/status-body").await;
    assert_eq!(response.status(), 202);
    assert_eq!(response.json::<Value>(), json!({"queued": true}));
}

#[tokio::test]
async fn a_result_uses_the_declared_status_or_the_error() {
    let ok = returns().get("/result/true").await;
    assert_eq!(ok.status(), 201);
    assert_eq!(ok.json::<Value>(), json!("fine"));
    let err = returns().get("/result/false").await;
    assert_eq!(err.status(), 409);
    assert_eq!(err.header("retry-after"), Some("5"));
    assert_eq!(
        err.json::<Value>(),
        json!({"detail": {"reason": "taken", "codes": [1, 2]}})
    );
}

// ---- tower ----------------------------------------------------------------------

#[tokio::test]
async fn the_app_is_a_tower_service() {
    use tower::ServiceExt;
    let app = App::new().route(get_thing);
    let request = Request::get("/thing").body(String::new()).unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    let body = response.into_body().collect_bytes().await.unwrap();
    assert_eq!(&body[..], b"get");
}

#[tokio::test]
async fn tower_layers_wrap_every_response_404_included() {
    let layer = tower::util::MapResponseLayer::new(|mut response: fastrs::Response| {
        response
            .headers_mut()
            .insert("x-layer", HeaderValue::from_static("on"));
        response
    });
    let client = TestClient::new(App::new().route(get_thing).layer(layer));
    let response = client.get("/thing").await;
    assert_eq!(response.text(), "get");
    assert_eq!(response.header("x-layer"), Some("on"));
    let missing = client.get("/missing").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.header("x-layer"), Some("on"));
}

#[tokio::test]
async fn a_layer_that_fails_gives_500() {
    let failing = tower::layer::layer_fn(|_inner: fastrs::app::Routes| {
        tower::service_fn(|_req: Request<fastrs::response::Body>| async {
            Err::<fastrs::Response, _>(std::io::Error::other("layer broke"))
        })
    });
    let client = TestClient::new(App::new().route(get_thing).layer(failing));
    let response = client.get("/thing").await;
    assert_eq!(response.status(), 500);
    assert_eq!(response.text(), "Internal Server Error");
    let _: Option<Infallible> = None;
}

// ---- startup errors -----------------------------------------------------------

#[test]
#[should_panic(
    expected = "fastrs: route `GET /thing` is registered twice: by `get_thing` and by `get_thing_again`"
)]
fn the_same_route_twice_fails_at_startup_naming_both() {
    let _ = App::new().route(get_thing).route(get_thing_again);
}

#[endpoint(GET "/thing")]
async fn get_thing_again() -> &'static str {
    "again"
}

// A pattern that does not compile is a compile error now
// (tests/ui/invalid_pattern_in_a_parameter.rs); the check at registration
// stays for patterns built by hand (`fastrs::model::Pattern::new`).

#[test]
#[should_panic(expected = "cannot add a route after the app was layered")]
fn routes_after_a_layer_fail_at_startup() {
    let _ = App::new()
        .layer(tower::layer::util::Identity::new())
        .route(get_thing);
}

// ---- an optional body ------------------------------------------------------------

#[model]
struct Note {
    name: String,
}

#[endpoint(POST "/notes")]
async fn create_note(note: Json<Option<Note>>) -> Json<serde_json::Value> {
    Json(serde_json::json!({"item": note.0}))
}

#[tokio::test]
async fn an_optional_body_is_json_of_option_as_fastapi_reads_item_or_none() {
    // FastAPI 0.165: `item: Item | None = None`.
    let client = TestClient::new(App::new().route(create_note));
    let response = client.post("/notes").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<serde_json::Value>(),
        serde_json::json!({"item": null})
    );
    let response = client
        .post("/notes")
        .header("content-type", "application/json")
        .body("null")
        .await;
    assert_eq!(
        response.json::<serde_json::Value>(),
        serde_json::json!({"item": null})
    );
    let response = client
        .post("/notes")
        .json(&serde_json::json!({"name": "x"}))
        .await;
    assert_eq!(
        response.json::<serde_json::Value>(),
        serde_json::json!({"item": {"name": "x"}})
    );
    let response = client.post("/notes").json(&serde_json::json!({})).await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<serde_json::Value>(),
        serde_json::json!({"detail": [{"type": "missing", "loc": ["body", "name"], "msg": "Field required", "input": {}}]})
    );
    let doc = serde_json::to_value(App::new().route(create_note).openapi()).unwrap();
    assert_eq!(
        doc["paths"]["/notes"]["post"]["requestBody"],
        serde_json::json!({"content": {"application/json": {"schema": {"anyOf": [{"$ref": "#/components/schemas/Note"}, {"type": "null"}], "title": "Note"}}}})
    );
}
