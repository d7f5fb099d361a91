//! The OpenAPI document beyond the parity examples, and the docs pages.

use std::process::Command;

use fastrs::openapi::{Components, ErrorResponses, ResponseDoc};
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[model]
struct Message {
    message: String,
}

/// A conflict, documented once for every endpoint that can return it.
#[derive(Debug)]
struct Conflict;

impl IntoResponse for Conflict {
    fn into_response(self) -> fastrs::Response {
        HttpError::new(StatusCode::CONFLICT, "conflict").into_response()
    }
}

impl ErrorResponses for Conflict {
    fn error_responses(components: &mut Components) -> Vec<ResponseDoc> {
        vec![ResponseDoc::json::<Message>(
            409,
            "The item changed meanwhile",
            components,
        )]
    }
}

/// Replace an item.
///
/// Everything about it.
#[endpoint(
    PUT "/items/{item_id}",
    tags = ["items"],
    summary = "Replace",
    operation_id = "replace_item",
    responses = [(404, "Item not found", Message), (403, "Not yours")]
)]
async fn replace(item_id: i64, item: Json<Message>) -> Result<Json<Message>, Conflict> {
    let _ = item_id;
    Ok(item)
}

#[endpoint(GET "/hidden", include_in_schema = false)]
async fn hidden() {}

#[endpoint(GET "/old", deprecated)]
async fn old(#[param(include_in_schema = false)] secret: Option<String>) -> Json<Option<String>> {
    Json(secret)
}

struct Paging(i64);
struct Sorting(i64);

#[dependency]
async fn paging(#[param(default = 10)] limit: i64) -> Paging {
    Paging(limit)
}

#[dependency]
async fn sorting(
    _paging: Depends<Paging>,
    #[param(default = 10)] limit: i64,
    x_sort: Header<Option<String>>,
) -> Sorting {
    let _ = x_sort;
    Sorting(limit)
}

#[endpoint(GET "/list")]
async fn list(
    paging: Depends<Paging>,
    sorting: Depends<Sorting>,
    q: Option<String>,
) -> Json<Value> {
    Json(json!([paging.0, sorting.0, q]))
}

fn app() -> App {
    App::new()
        .title("Inventory")
        .version("2.1.0")
        .description("What we have.")
        .contact(json!({"name": "Ops", "email": "ops@example.com"}))
        .license(json!({"name": "MIT", "identifier": "MIT"}))
        .server("https://api.example.com", Some("production"))
        .tag("items", "Things we sell")
        .route(replace)
        .route(hidden)
        .route(old)
        .route(list)
}

#[test]
fn the_document_carries_the_apps_metadata() {
    let doc = app().openapi().to_json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["info"],
        json!({"title": "Inventory", "version": "2.1.0", "description": "What we have.",
               "contact": {"name": "Ops", "email": "ops@example.com"},
               "license": {"name": "MIT", "identifier": "MIT"}})
    );
    assert_eq!(
        doc["servers"],
        json!([{"url": "https://api.example.com", "description": "production"}])
    );
    assert_eq!(
        doc["tags"],
        json!([{"name": "items", "description": "Things we sell"}])
    );
}

#[test]
fn endpoint_options_and_declared_responses_are_documented() {
    let doc = app().openapi().to_json();
    let op = &doc["paths"]["/items/{item_id}"]["put"];
    assert_eq!(op["tags"], json!(["items"]));
    assert_eq!(op["summary"], "Replace");
    assert_eq!(
        op["description"],
        "Replace an item.\n\nEverything about it."
    );
    assert_eq!(op["operationId"], "replace_item");
    let message = json!({"$ref": "#/components/schemas/Message"});
    assert_eq!(
        op["requestBody"]["content"]["application/json"]["schema"],
        message
    );
    assert_eq!(
        op["responses"]["200"]["content"]["application/json"]["schema"],
        message
    );
    assert_eq!(
        op["responses"]["404"],
        json!({"description": "Item not found", "content": {"application/json": {"schema": message}}})
    );
    assert_eq!(op["responses"]["403"], json!({"description": "Not yours"}));
    // Declared once by the error type.
    assert_eq!(
        op["responses"]["409"]["description"],
        "The item changed meanwhile"
    );
    assert_eq!(op["responses"]["422"]["description"], "Validation Error");
    assert_eq!(
        doc["components"]["schemas"]["Message"],
        json!({"properties": {"message": {"type": "string", "title": "Message"}},
               "type": "object", "required": ["message"], "title": "Message"})
    );
}

#[test]
fn hidden_routes_and_parameters_stay_out_and_deprecation_shows() {
    let doc = app().openapi().to_json();
    assert!(doc["paths"].get("/hidden").is_none());
    let old = &doc["paths"]["/old"]["get"];
    assert_eq!(old["deprecated"], true);
    assert!(old.get("parameters").is_none());
    // No parameter is documented, but the operation still reads one, which
    // can be invalid: FastAPI 0.165 keeps the 422 and its components.
    assert_eq!(
        old["responses"]["422"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/HTTPValidationError"})
    );
    assert!(doc["components"]["schemas"]["ValidationError"].is_object());
}

#[test]
fn dependency_parameters_appear_once_in_fastapis_order() {
    let doc = app().openapi().to_json();
    let names: Vec<(String, String)> = doc["paths"]["/list"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["in"].as_str().unwrap().to_owned(),
                p["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let pairs: Vec<(&str, &str)> = names
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [("query", "limit"), ("query", "q"), ("header", "x-sort")]
    );
}

#[tokio::test]
async fn the_document_and_the_docs_pages_are_served() {
    let client = TestClient::new(app());
    let document = client.get("/openapi.json").await;
    assert_eq!(document.header("content-type"), Some("application/json"));
    assert_eq!(document.json::<Value>(), app().openapi().to_json());

    let swagger = client.get("/docs").await;
    assert_eq!(
        swagger.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = swagger.text();
    assert!(
        html.contains(r#"src="/docs/swagger-ui-bundle.js""#),
        "{html}"
    );
    assert!(html.contains(r#"href="/docs/swagger-ui.css""#), "{html}");
    assert!(html.contains(r#"url: "/openapi.json""#), "{html}");
    assert!(html.contains(r#""validatorUrl": null"#), "{html}");
    assert!(
        !html.contains("https://"),
        "the page loads nothing from the network: {html}"
    );

    let redoc = client.get("/redoc").await.text();
    assert!(
        redoc.contains(r#"<redoc spec-url="/openapi.json"></redoc>"#),
        "{redoc}"
    );
    assert!(
        redoc.contains(r#"src="/redoc/redoc.standalone.js""#),
        "{redoc}"
    );
    assert!(!redoc.contains("https://"), "{redoc}");
}

#[tokio::test]
async fn assets_are_sent_compressed_when_accepted_and_plain_otherwise() {
    let client = TestClient::new(app());
    let gzipped = client
        .get("/docs/swagger-ui-bundle.js")
        .header("accept-encoding", "gzip, br")
        .await;
    assert_eq!(gzipped.status(), 200);
    assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
    assert_eq!(&gzipped.bytes()[..2], &[0x1f, 0x8b]);
    let plain = client.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(
        plain.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(plain.text().contains("SwaggerUIBundle"));
    assert!(plain.bytes().len() > gzipped.bytes().len());
    let css = client.get("/docs/swagger-ui.css").await;
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let redoc = client.get("/redoc/redoc.standalone.js").await;
    assert!(redoc.text().contains("Redoc"));
}

#[tokio::test]
async fn docs_urls_can_be_moved_or_turned_off() {
    let moved = TestClient::new(
        app()
            .openapi_url(Some("/api/schema.json"))
            .docs_url(Some("/api/docs"))
            .redoc_url(None),
    );
    assert_eq!(moved.get("/openapi.json").await.status(), 404);
    assert_eq!(moved.get("/redoc").await.status(), 404);
    assert_eq!(moved.get("/api/schema.json").await.status(), 200);
    let html = moved.get("/api/docs").await.text();
    assert!(html.contains(r#"url: "/api/schema.json""#), "{html}");
    assert!(
        html.contains(r#"src="/api/docs/swagger-ui-bundle.js""#),
        "{html}"
    );
    assert_eq!(
        moved.get("/api/docs/swagger-ui-bundle.js").await.status(),
        200
    );

    let off = TestClient::new(app().openapi_url(None));
    for path in ["/openapi.json", "/docs", "/redoc"] {
        assert_eq!(off.get(path).await.status(), 404, "{path}");
    }
}

#[test]
fn a_fastrs_binary_prints_its_document_when_asked() {
    let output = Command::new(env!("CARGO_BIN_EXE_slow_server"))
        .arg("openapi")
        .output()
        .unwrap();
    assert!(output.status.success());
    let doc: Value = serde_json::from_slice(&output.stdout).expect("the document on stdout");
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["paths"]["/slow"]["get"]["operationId"], "slow_slow_get");
}

#[endpoint(GET "/report.csv", response_class = fastrs::response::PlainText)]
async fn report_csv() -> fastrs::response::StreamingResponse {
    let rows = fastrs::response::iter(["a,b\n", "1,2\n"]);
    fastrs::response::StreamingResponse::new(rows, "text/plain")
}

#[endpoint(GET "/maybe-html", response_class = fastrs::response::Html)]
async fn maybe_html() -> Result<fastrs::response::Html, HttpError> {
    Ok(fastrs::response::Html("<p>yes</p>".into()))
}

#[test]
fn response_class_documents_the_media_type_of_a_stream_or_a_result() {
    // FastAPI's `response_class=PlainTextResponse` and `HTMLResponse`: a
    // string schema under the class's media type, without a title.
    let doc =
        serde_json::to_value(App::new().route(report_csv).route(maybe_html).openapi()).unwrap();
    let content = |path: &str| doc["paths"][path]["get"]["responses"]["200"]["content"].clone();
    assert_eq!(
        content("/report.csv"),
        json!({"text/plain": {"schema": {"type": "string"}}})
    );
    assert_eq!(
        content("/maybe-html"),
        json!({"text/html": {"schema": {"type": "string"}}})
    );
}
