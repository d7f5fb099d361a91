//! One endpoint, several answer types (`#[responses]`), and response
//! classes as FastAPI documents them: `response_class = StreamingResponse`
//! or `FileResponse` (no content), a stream without a media type, and a
//! user's own class. The documents are FastAPI 0.165's for the same
//! declarations (`responses={...}` with `response_model`, `response_class`).

use fastrs::openapi::{Components, ResponseSchema};
use fastrs::prelude::*;
use fastrs::response::iter;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[model]
struct Item {
    name: String,
}

#[model]
struct Ticket {
    id: i64,
}

// ANCHOR: answers
/// What `GET /items/{item_id}` may answer.
#[responses]
enum ItemAnswer {
    /// The item, as JSON, with the endpoint's status.
    Found(Item),
    /// Or its picture, with the same status.
    #[response(media_type = "image/png")]
    Picture(FileResponse),
    /// Elsewhere: a `Redirect` documents its 307 with no content.
    #[response(description = "Moved")]
    Moved(Redirect),
    /// Not ready yet: another status, another model.
    #[response(status = StatusCode::ACCEPTED, description = "Queued")]
    Queued(Ticket),
    /// A bare status, no body.
    #[response(status = 410)]
    Gone,
}

#[endpoint(GET "/items/{item_id}")]
async fn item(item_id: String) -> Result<ItemAnswer, HttpError> {
    Ok(match item_id.as_str() {
        "picture" => ItemAnswer::Picture(
            FileResponse::open(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
                .await
                .map_err(|_| HttpError::new(StatusCode::NOT_FOUND, "no picture"))?
                .media_type("image/png"),
        ),
        "old" => ItemAnswer::Moved(Redirect::to("/items/new")),
        "later" => ItemAnswer::Queued(Ticket { id: 7 }),
        "gone" => ItemAnswer::Gone,
        _ => ItemAnswer::Found(Item { name: item_id }),
    })
}
// ANCHOR_END: answers

#[tokio::test]
async fn each_variant_is_sent_with_its_status_and_body() {
    let client = TestClient::new(App::new().route(item));
    let found = client.get("/items/plumbus").await;
    assert_eq!(found.status(), 200);
    assert_eq!(found.json::<Value>(), json!({"name": "plumbus"}));

    let picture = client.get("/items/picture").await;
    assert_eq!(picture.status(), 200);
    assert_eq!(picture.header("content-type"), Some("image/png"));
    assert!(picture.text().contains("[package]"));

    let moved = client.get("/items/old").await;
    assert_eq!(moved.status(), 307);
    assert_eq!(moved.header("location"), Some("/items/new"));

    let queued = client.get("/items/later").await;
    assert_eq!(queued.status(), 202);
    assert_eq!(queued.json::<Value>(), json!({"id": 7}));

    let gone = client.get("/items/gone").await;
    assert_eq!(gone.status(), 410);
    assert_eq!(gone.text(), "");
}

/// FastAPI's document for `response_model=Item, responses={200: {"content":
/// {"image/png": {}}}, 307: {"description": "Moved"}, 202: {"model":
/// Ticket, "description": "Queued"}}` (and a 410 added by status phrase).
#[tokio::test]
async fn each_variant_is_documented_as_fastapi_documents_the_same_responses() {
    let client = TestClient::new(App::new().route(item));
    let document = client.get("/openapi.json").await.json::<Value>();
    let responses = &document["paths"]["/items/{item_id}"]["get"]["responses"];
    let expected = json!({
        "200": {
            "description": "Successful Response",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Item"}},
                "image/png": {}
            }
        },
        "307": {"description": "Moved"},
        "202": {
            "description": "Queued",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ticket"}}}
        },
        "410": {"description": "Gone"},
        "422": {
            "description": "Validation Error",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}
        }
    });
    assert_eq!(responses, &expected);
    let order: Vec<&String> = responses.as_object().unwrap().keys().collect();
    assert_eq!(order, ["200", "307", "202", "410", "422"]);
    assert!(document["components"]["schemas"]["Ticket"].is_object());
}

/// Two JSON answers for one status document both (`anyOf`); a list is
/// titled as FastAPI titles a response model that is no reference.
#[responses]
enum OneOrMany {
    One(Item),
    Many(Vec<Item>),
}

#[endpoint(GET "/search")]
async fn search(many: bool) -> OneOrMany {
    if many {
        OneOrMany::Many(vec![Item { name: "a".into() }])
    } else {
        OneOrMany::One(Item { name: "a".into() })
    }
}

#[tokio::test]
async fn two_json_answers_for_one_status_are_any_of_both() {
    let client = TestClient::new(App::new().route(search));
    assert_eq!(
        client.get("/search?many=true").await.json::<Value>(),
        json!([{"name": "a"}])
    );
    let document = client.get("/openapi.json").await.json::<Value>();
    let schema = &document["paths"]["/search"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    assert_eq!(
        schema,
        &json!({"anyOf": [
            {"$ref": "#/components/schemas/Item"},
            {"type": "array", "items": {"$ref": "#/components/schemas/Item"}, "title": "Response Search Search Get"}
        ]})
    );
}

#[test]
fn an_answers_enum_documents_no_content_of_its_own() {
    let mut components = Components::default();
    assert_eq!(ItemAnswer::response_schema(&mut components), None);
    let answers = ItemAnswer::answers(&mut components, 201);
    let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
    // Variants without a status answer with the endpoint's.
    assert_eq!(statuses, [201, 201, 307, 202, 410]);
}

// ANCHOR: classes
/// FastAPI's `response_class=StreamingResponse`: no media type, so no
/// content in the document; sent without a `Content-Type`.
#[endpoint(GET "/stream", response_class = StreamingResponse)]
async fn stream() -> StreamingResponse {
    StreamingResponse::without_media_type(iter(["a", "b"]))
}

/// FastAPI's `response_class=FileResponse`: each file has its own type.
#[endpoint(GET "/file", response_class = FileResponse)]
async fn file() -> Result<FileResponse, HttpError> {
    FileResponse::open(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .await
        .map_err(|_| HttpError::new(StatusCode::NOT_FOUND, "gone"))
}
// ANCHOR_END: classes

#[tokio::test]
async fn stream_and_file_classes_document_no_content() {
    let client = TestClient::new(App::new().route(stream).route(file));
    let streamed = client.get("/stream").await;
    assert_eq!(streamed.status(), 200);
    assert_eq!(streamed.header("content-type"), None);
    assert_eq!(streamed.text(), "ab");
    let sent = client.get("/file").await;
    // The file's own type, guessed from its name.
    assert!(sent.header("content-type").unwrap_or("").contains("toml"));
    let document = client.get("/openapi.json").await.json::<Value>();
    for path in ["/stream", "/file"] {
        assert_eq!(
            document["paths"][path]["get"]["responses"],
            json!({"200": {"description": "Successful Response"}}),
            "{path}"
        );
    }
}

// ANCHOR: default_class
/// Text under a router's default class is sent and documented as it.
#[endpoint(GET "/page")]
async fn page() -> &'static str {
    "<h1>Hello</h1>"
}

/// A route's own class wins over the router's.
#[endpoint(GET "/page-plain", response_class = PlainText)]
async fn page_plain() -> String {
    "plain".to_owned()
}

/// Another type is sent as its type says, whatever the class.
#[endpoint(GET "/page-json")]
async fn page_json() -> Json<Item> {
    Json(Item { name: "x".into() })
}

/// An error keeps its own answer.
#[endpoint(GET "/page-missing")]
async fn page_missing() -> Result<String, HttpError> {
    Err(HttpError::new(StatusCode::NOT_FOUND, "no such page"))
}

fn pages() -> Router {
    Router::new()
        .default_response_class::<Html>()
        .route(page)
        .route(page_plain)
        .route(page_json)
        .route(page_missing)
}
// ANCHOR_END: default_class

#[tokio::test]
async fn a_routers_default_class_sends_and_documents_its_text() {
    let client = TestClient::new(App::new().include(pages()));
    let html = client.get("/page").await;
    assert_eq!(
        html.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(html.text(), "<h1>Hello</h1>");
    let plain = client.get("/page-plain").await;
    assert_eq!(
        plain.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    let json = client.get("/page-json").await;
    assert_eq!(json.header("content-type"), Some("application/json"));
    let missing = client.get("/page-missing").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.json::<Value>(), json!({"detail": "no such page"}));

    let document = client.get("/openapi.json").await.json::<Value>();
    let ok = |path: &str| document["paths"][path]["get"]["responses"]["200"].clone();
    // FastAPI 0.165, APIRouter(default_response_class=HTMLResponse).
    assert_eq!(
        ok("/page"),
        json!({"description": "Successful Response", "content": {"text/html": {"schema": {"type": "string"}}}})
    );
    assert_eq!(
        ok("/page-plain"),
        json!({"description": "Successful Response", "content": {"text/plain": {"schema": {"type": "string"}}}})
    );
    // FastAPI documents this one as HTML too (and fails to send it); here
    // the type says JSON, and JSON is what is sent and documented.
    assert_eq!(
        ok("/page-json")["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Item"})
    );
}

#[tokio::test]
async fn the_innermost_class_wins_and_the_app_has_one_too() {
    let inner = Router::new()
        .prefix("/inner")
        .default_response_class::<PlainText>()
        .route(page);
    let outer = Router::new()
        .default_response_class::<Html>()
        .include(inner)
        .route(page);
    let client = TestClient::new(App::new().include(outer));
    let inner = client.get("/inner/page").await;
    assert_eq!(
        inner.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    let outer = client.get("/page").await;
    assert_eq!(
        outer.header("content-type"),
        Some("text/html; charset=utf-8")
    );

    let app = App::new().default_response_class::<Html>().route(page);
    let client = TestClient::new(app);
    assert_eq!(
        client.get("/page").await.header("content-type"),
        Some("text/html; charset=utf-8")
    );
}

#[test]
#[should_panic(expected = "App::default_response_class comes before the routes it covers")]
fn the_apps_default_class_comes_before_its_routes() {
    let _ = App::new().route(page).default_response_class::<Html>();
}

// ANCHOR: own_class
/// A response class of one's own: what it documents, and the content type
/// text is sent with (FastAPI's `class Custom(Response): media_type =
/// "application/vnd.custom"`).
struct Custom;

impl fastrs::openapi::ResponseClass for Custom {
    const DEFAULT_STATUS: Option<u16> = None;

    fn class_schema(_: &mut Components) -> Option<Value> {
        Some(json!({"type": "string"}))
    }
    fn class_media() -> fastrs::openapi::ResponseMedia {
        fastrs::openapi::ResponseMedia::whole("application/vnd.custom")
    }
}

impl fastrs::response::TextClass for Custom {
    const CONTENT_TYPE: &'static str = "application/vnd.custom";
}

#[endpoint(GET "/custom", response_class = Custom)]
async fn custom() -> &'static str {
    "<x/>"
}
// ANCHOR_END: own_class

#[tokio::test]
async fn a_users_class_is_sent_and_documented_as_fastapi_does() {
    let client = TestClient::new(App::new().route(custom));
    let response = client.get("/custom").await;
    assert_eq!(
        response.header("content-type"),
        Some("application/vnd.custom")
    );
    assert_eq!(response.text(), "<x/>");
    let document = client.get("/openapi.json").await.json::<Value>();
    assert_eq!(
        document["paths"]["/custom"]["get"]["responses"],
        json!({"200": {"description": "Successful Response", "content": {"application/vnd.custom": {"schema": {"type": "string"}}}}})
    );
}
