//! `responses = [...]` as FastAPI's "Additional Responses in OpenAPI":
//! a description that defaults to the status's phrase, another media type
//! beside the success's JSON, examples, a 200 entry merged with the
//! success, a shared list spread into a route's own, and a declared 422
//! kept. Each document is FastAPI 0.165's for the same declarations.

use fastrs::openapi::ResponseDecl;
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[model]
struct Item {
    id: String,
    value: String,
}

#[model]
struct Message {
    message: String,
}

fn foo() -> Json<Item> {
    Json(Item {
        id: "foo".into(),
        value: "there goes my hero".into(),
    })
}

// ANCHOR: phrase
/// `responses={404: {"model": Message}}`: described as "Not Found".
#[endpoint(GET "/a/{item_id}", responses = [(404, Message)])]
async fn model_only(item_id: String) -> Result<Json<Item>, HttpError> {
    match item_id.as_str() {
        "foo" => Ok(foo()),
        _ => Err(HttpError::new(StatusCode::NOT_FOUND, "Item not found")),
    }
}
// ANCHOR_END: phrase

// ANCHOR: media
/// `responses={200: {"content": {"image/png": {}}, "description": ...}}`:
/// merged into the success, beside its JSON.
#[endpoint(
    GET "/b/{item_id}",
    responses = [(200, "Return the JSON item or an image.", media_type = "image/png")]
)]
async fn item_or_image(item_id: String, img: Option<bool>) -> Json<Item> {
    let _ = (item_id, img);
    foo()
}
// ANCHOR_END: media

// ANCHOR: example
/// An example written as JSON, merged into the success's JSON entry.
#[endpoint(
    GET "/c/{item_id}",
    responses = [
        (404, "The item was not found", Message),
        (200, "Item requested by ID", example = {"id": "bar", "value": "The bar tenders"}),
    ]
)]
async fn with_example(item_id: String) -> Json<Item> {
    let _ = item_id;
    foo()
}
// ANCHOR_END: example

// ANCHOR: shared
/// FastAPI's `responses = {404: ..., 302: ..., 403: ...}`, shared.
const SHARED: &[ResponseDecl] = &[
    ResponseDecl::new(404, "Item not found"),
    ResponseDecl::new(302, "The item was moved"),
    ResponseDecl::new(403, "Not enough privileges"),
];

/// `responses={**responses, 200: {"content": {"image/png": {}}}}`.
#[endpoint(GET "/d/{item_id}", responses = [..SHARED, (200, media_type = "image/png")])]
async fn shared(item_id: String, img: Option<bool>) -> Json<Item> {
    let _ = (item_id, img);
    foo()
}
// ANCHOR_END: shared

/// Named examples, under the declared response's JSON.
#[endpoint(
    GET "/e",
    responses = [(404, "x", examples = {"one": {"summary": "One", "value": {"message": "m"}}})]
)]
async fn named_examples() -> Json<Value> {
    Json(json!(1))
}

/// A declared 422 is kept as declared.
#[endpoint(GET "/f", responses = [(422, "Refused", Message)])]
async fn own_422(q: i64) -> Json<i64> {
    Json(q)
}

fn app() -> App {
    App::new()
        .route(model_only)
        .route(item_or_image)
        .route(with_example)
        .route(shared)
        .route(named_examples)
        .route(own_422)
}

fn responses(document: &Value, path: &str) -> Value {
    document["paths"][path]["get"]["responses"].clone()
}

fn validation_error() -> Value {
    json!({
        "description": "Validation Error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}
    })
}

fn item_json() -> Value {
    json!({"schema": {"$ref": "#/components/schemas/Item"}})
}

#[tokio::test]
async fn responses_document_as_fastapi_does() {
    let client = TestClient::new(app());
    let document = client.get("/openapi.json").await.json::<Value>();
    assert_eq!(
        responses(&document, "/a/{item_id}"),
        json!({
            "200": {"description": "Successful Response", "content": {"application/json": item_json()}},
            "404": {"description": "Not Found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}}},
            "422": validation_error()
        })
    );
    assert_eq!(
        responses(&document, "/b/{item_id}"),
        json!({
            "200": {
                "description": "Return the JSON item or an image.",
                "content": {"application/json": item_json(), "image/png": {}}
            },
            "422": validation_error()
        })
    );
    assert_eq!(
        responses(&document, "/c/{item_id}"),
        json!({
            "200": {
                "description": "Item requested by ID",
                "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Item"},
                    "example": {"id": "bar", "value": "The bar tenders"}
                }}
            },
            "404": {"description": "The item was not found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}}},
            "422": validation_error()
        })
    );
    let d = responses(&document, "/d/{item_id}");
    assert_eq!(
        d,
        json!({
            "200": {"description": "Successful Response", "content": {"application/json": item_json(), "image/png": {}}},
            "404": {"description": "Item not found"},
            "302": {"description": "The item was moved"},
            "403": {"description": "Not enough privileges"},
            "422": validation_error()
        })
    );
    let order: Vec<&String> = d.as_object().unwrap().keys().collect();
    assert_eq!(order, ["200", "404", "302", "403", "422"]);
    assert_eq!(
        responses(&document, "/e"),
        json!({
            "200": {"description": "Successful Response", "content": {"application/json": {"schema": {}}}},
            "404": {"description": "x", "content": {"application/json": {
                "examples": {"one": {"summary": "One", "value": {"message": "m"}}}
            }}}
        })
    );
    assert_eq!(
        responses(&document, "/f")["422"],
        json!({"description": "Refused", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}}})
    );
}

#[tokio::test]
async fn the_answers_are_unchanged_by_what_is_documented() {
    let client = TestClient::new(app());
    let found = client.get("/a/foo").await;
    assert_eq!(found.json::<Value>()["id"], "foo");
    let missing = client.get("/a/bar").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.json::<Value>(), json!({"detail": "Item not found"}));
    assert_eq!(client.get("/f?q=x").await.status(), 422);
}

/// A router documents a shared list on each of its routes; a route's own
/// entry for the same status replaces the router's.
#[tokio::test]
async fn a_router_takes_a_shared_list_and_a_route_overrides_one_status() {
    #[endpoint(GET "/g", responses = [(404, "Gone for good")])]
    async fn g() -> Json<i64> {
        Json(1)
    }
    let app = App::new().include(Router::new().responses(SHARED).route(g));
    let document = app.openapi().to_json();
    let g = responses(&document, "/g");
    assert_eq!(g["404"], json!({"description": "Gone for good"}));
    assert_eq!(g["302"], json!({"description": "The item was moved"}));
    assert_eq!(g["403"], json!({"description": "Not enough privileges"}));
}

// ANCHOR: framework
struct Bearer;

impl fastrs::security::OAuth2PasswordBearer for Bearer {
    const TOKEN_URL: &'static str = "/token";
}

/// Reads a body: 400 and 413 are fastrs's own answers.
#[endpoint(POST "/notes")]
async fn add_note(note: Json<Message>) -> Json<Message> {
    note
}

/// Needs a token: 401 without one.
#[endpoint(GET "/me")]
async fn me(token: fastrs::security::OAuth2Token<Bearer>) -> Json<String> {
    Json(token.into_string())
}

/// A status the route documents itself stays its own.
#[endpoint(PUT "/notes", responses = [(400, "Not a note")])]
async fn put_note(note: Json<Message>) -> Json<Message> {
    note
}

/// Reads the body as sent: nothing to parse, but a limit (413).
#[endpoint(POST "/raw")]
async fn raw(body: fastrs::extract::RawBody) -> Json<usize> {
    Json(body.len())
}

fn documented() -> App {
    App::new()
        .document_framework_answers()
        .route(add_note)
        .route(me)
        .route(put_note)
        .route(raw)
}
// ANCHOR_END: framework

#[tokio::test]
async fn the_framework_answers_are_documented_when_asked() {
    let client = TestClient::new(documented());
    let document = client.get("/openapi.json").await.json::<Value>();
    let error = json!({"application/json": {"schema": {"$ref": "#/components/schemas/HTTPError"}}});
    let post = document["paths"]["/notes"]["post"]["responses"].clone();
    assert_eq!(
        post["400"],
        json!({"description": "There was an error parsing the body", "content": error})
    );
    assert_eq!(
        post["413"],
        json!({"description": "The request body is larger than the limit", "content": error})
    );
    assert!(post.get("401").is_none());
    let me = document["paths"]["/me"]["get"]["responses"].clone();
    assert_eq!(
        me["401"],
        json!({"description": "Not authenticated", "content": error})
    );
    assert!(me.get("400").is_none());
    let put = document["paths"]["/notes"]["put"]["responses"].clone();
    assert_eq!(put["400"], json!({"description": "Not a note"}));
    let raw = document["paths"]["/raw"]["post"]["responses"].clone();
    assert_eq!(
        raw["413"],
        json!({"description": "The request body is larger than the limit", "content": error})
    );
    assert!(raw.get("400").is_none());
    let over = client
        .post("/raw")
        .body(vec![b'x'; fastrs::app::DEFAULT_BODY_LIMIT + 1])
        .send()
        .await;
    assert_eq!(over.status(), 413);
    assert_eq!(
        document["components"]["schemas"]["HTTPError"],
        json!({
            "properties": {"detail": {"type": "string", "title": "Detail"}},
            "type": "object",
            "required": ["detail"],
            "title": "HTTPError"
        })
    );
    // What is documented is what is answered: bytes that are not UTF-8
    // cannot be parsed at all (invalid JSON text is a 422, as in FastAPI).
    let bad = client
        .post("/notes")
        .header("content-type", "application/json")
        .body(vec![0xff, 0xfe])
        .send()
        .await;
    assert_eq!(bad.status(), 400);
    assert_eq!(
        bad.json::<Value>(),
        json!({"detail": "There was an error parsing the body"})
    );
    let unauthorized = client.get("/me").await;
    assert_eq!(unauthorized.status(), 401);
    assert_eq!(
        unauthorized.json::<Value>(),
        json!({"detail": "Not authenticated"})
    );
}

#[test]
fn the_framework_answers_are_left_out_by_default() {
    let document = App::new().route(add_note).route(me).openapi().to_json();
    assert!(document["paths"]["/notes"]["post"]["responses"]
        .get("400")
        .is_none());
    assert!(responses(&document, "/me").get("401").is_none());
    assert!(document["components"]["schemas"].get("HTTPError").is_none());
}
