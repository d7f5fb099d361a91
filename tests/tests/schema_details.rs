//! Schema details pinned to FastAPI 0.165 (Pydantic 2): a model that may
//! be null is not titled, a `default_factory` is not documented, a field
//! may be required and still null.

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[model]
struct Image {
    url: String,
}

// ANCHOR: fields
#[model]
struct Item {
    // (Pydantic: `image: Image | None = None`; a doc comment would be
    // its description.)
    image: Option<Image>,
    images: Option<Vec<Image>>,
    #[field(description = "c")]
    color: Option<Image>,
    // Must be sent, may be null (Pydantic: `req: str | None`).
    #[field(required)]
    req: Option<String>,
    // A default made for each value and not documented (Pydantic:
    // `Field(default_factory=list)`).
    #[field(default_factory = Vec::new())]
    tags: Vec<String>,
    #[field(default_factory = 3)]
    n: i64,
}
// ANCHOR_END: fields

#[endpoint(POST "/items")]
async fn create(item: Json<Item>) -> Json<Item> {
    item
}

/// FastAPI's `Item` component for the same Pydantic model (the integer's
/// `format` is fastrs's documented difference).
#[tokio::test]
async fn the_schema_is_pydantics() {
    let client = TestClient::new(App::new().route(create));
    let document = client.get("/openapi.json").await.json::<Value>();
    let image = json!({"anyOf": [{"$ref": "#/components/schemas/Image"}, {"type": "null"}]});
    assert_eq!(
        document["components"]["schemas"]["Item"],
        json!({
            "properties": {
                "image": image,
                "images": {
                    "anyOf": [
                        {"items": {"$ref": "#/components/schemas/Image"}, "type": "array"},
                        {"type": "null"}
                    ],
                    "title": "Images"
                },
                "color": {
                    "anyOf": [{"$ref": "#/components/schemas/Image"}, {"type": "null"}],
                    "description": "c"
                },
                "req": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Req"},
                "tags": {"items": {"type": "string"}, "type": "array", "title": "Tags"},
                "n": {"type": "integer", "format": "int64", "title": "N"}
            },
            "type": "object",
            "required": ["req"],
            "title": "Item"
        })
    );
}

#[tokio::test]
async fn a_required_field_may_be_null_but_not_missing() {
    let client = TestClient::new(App::new().route(create));
    let sent = client
        .post("/items")
        .json(&json!({"req": null}))
        .send()
        .await;
    assert_eq!(sent.status(), 200);
    assert_eq!(
        sent.json::<Value>(),
        json!({"image": null, "images": null, "color": null, "req": null, "tags": [], "n": 3})
    );
    let missing = client.post("/items").json(&json!({})).send().await;
    assert_eq!(missing.status(), 422);
    assert_eq!(
        missing.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["body", "req"], "msg": "Field required", "input": {}}]})
    );
}

// ANCHOR: examples
/// Examples of the whole model (Pydantic's
/// `model_config["json_schema_extra"]["examples"]`), written as JSON.
#[model(examples = [{"name": "Foo", "price": 35.4}])]
struct Priced {
    name: String,
    price: f64,
}

#[model]
struct Plain {
    name: String,
}

#[endpoint(PUT "/a/{item_id}")]
async fn model_examples(item_id: i64, item: Json<Priced>) -> Json<Value> {
    let _ = (item_id, item);
    Json(json!({}))
}

/// `Body(examples=[...])`: beside the body's schema.
#[endpoint(PUT "/b/{item_id}")]
async fn body_examples(
    item_id: i64,
    #[param(examples = [{"name": "Foo"}])] item: Json<Plain>,
) -> Json<Value> {
    let _ = (item_id, item);
    Json(json!({}))
}

/// `Body(openapi_examples={...})`: named examples of the media type, which
/// Swagger UI offers in a list.
#[endpoint(PUT "/c/{item_id}")]
async fn named_body_examples(
    item_id: i64,
    #[param(openapi_examples = {
        "normal": {
            "summary": "A normal example",
            "description": "A **normal** item works correctly.",
            "value": {"name": "Foo"}
        },
        "invalid": {"summary": "Invalid", "value": {"name": 1}}
    })]
    item: Json<Plain>,
) -> Json<Value> {
    let _ = (item_id, item);
    Json(json!({}))
}

/// A parameter's `examples` (in its schema) and `openapi_examples`.
#[endpoint(GET "/d")]
async fn query_examples(
    #[param(examples = ["x"], openapi_examples = {"one": {"summary": "One", "value": "y"}})]
    q: Option<String>,
) -> Json<Value> {
    let _ = q;
    Json(json!({}))
}
// ANCHOR_END: examples

/// FastAPI 0.165's document for the same declarations.
#[test]
fn examples_are_written_where_fastapi_writes_them() {
    let document = App::new()
        .route(model_examples)
        .route(body_examples)
        .route(named_body_examples)
        .route(query_examples)
        .openapi()
        .to_json();
    let body = |path: &str| document["paths"][path]["put"]["requestBody"].clone();
    assert_eq!(
        document["components"]["schemas"]["Priced"],
        json!({
            "properties": {"name": {"type": "string", "title": "Name"}, "price": {"type": "number", "title": "Price"}},
            "type": "object",
            "required": ["name", "price"],
            "title": "Priced",
            "examples": [{"name": "Foo", "price": 35.4}]
        })
    );
    assert_eq!(
        body("/a/{item_id}"),
        json!({"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Priced"}}}})
    );
    assert_eq!(
        body("/b/{item_id}"),
        json!({"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Plain", "examples": [{"name": "Foo"}]}}}})
    );
    assert_eq!(
        body("/c/{item_id}"),
        json!({"required": true, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Plain"},
            "examples": {
                "normal": {"summary": "A normal example", "description": "A **normal** item works correctly.", "value": {"name": "Foo"}},
                "invalid": {"summary": "Invalid", "value": {"name": 1}}
            }
        }}})
    );
    assert_eq!(
        document["paths"]["/d"]["get"]["parameters"],
        json!([{
            "name": "q", "in": "query", "required": false,
            "schema": {"anyOf": [{"type": "string"}, {"type": "null"}], "examples": ["x"], "title": "Q"},
            "examples": {"one": {"summary": "One", "value": "y"}}
        }])
    );
}

// ANCHOR: untyped
/// Untyped parameters (FastAPI's `r=Query()` and `q: list | None`): the
/// text as sent, documented as any value.
#[endpoint(GET "/untyped/")]
async fn untyped(r: Value, q: Option<Vec<Value>>) -> Json<Value> {
    Json(json!({"q": q, "r": r}))
}
// ANCHOR_END: untyped

/// FastAPI 0.165's parameters and answers for the same function.
#[tokio::test]
async fn untyped_parameters_are_any_value() {
    let client = TestClient::new(App::new().route(untyped));
    let document = client.get("/openapi.json").await.json::<Value>();
    assert_eq!(
        document["paths"]["/untyped/"]["get"]["parameters"],
        json!([
            {"name": "r", "in": "query", "required": true, "schema": {"title": "R"}},
            {"name": "q", "in": "query", "required": false, "schema": {"anyOf": [{"type": "array", "items": {}}, {"type": "null"}], "title": "Q"}}
        ])
    );
    let sent = client.get("/untyped/?q=1&q=a&r=x").await;
    assert_eq!(sent.json::<Value>(), json!({"q": ["1", "a"], "r": "x"}));
    let missing = client.get("/untyped/").await;
    assert_eq!(
        missing.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["query", "r"], "msg": "Field required", "input": null}]})
    );
}

// ANCHOR: sets
/// Python's `set[str]`: a list of unique items, duplicates dropped.
#[model]
struct Tagged {
    name: String,
    #[field(default = std::collections::BTreeSet::new())]
    tags: std::collections::BTreeSet<String>,
    #[field(default = std::collections::HashSet::new())]
    ids: std::collections::HashSet<i64>,
}

#[endpoint(PUT "/tagged/")]
async fn put_tagged(item: Json<Tagged>) -> Json<Value> {
    let mut ids: Vec<i64> = item.ids.iter().copied().collect();
    ids.sort();
    Json(json!({"name": item.name, "tags": item.tags, "ids": ids}))
}

#[endpoint(GET "/q/")]
async fn set_query(q: std::collections::BTreeSet<i64>) -> Json<Vec<i64>> {
    Json(q.into_iter().collect())
}
// ANCHOR_END: sets

/// FastAPI 0.165's schema, answers and errors for the same models.
#[tokio::test]
async fn sets_are_unique_lists_as_pydantic_has_them() {
    let client = TestClient::new(App::new().route(put_tagged).route(set_query));
    let document = client.get("/openapi.json").await.json::<Value>();
    assert_eq!(
        document["components"]["schemas"]["Tagged"]["properties"],
        json!({
            "name": {"type": "string", "title": "Name"},
            "tags": {"items": {"type": "string"}, "type": "array", "uniqueItems": true, "title": "Tags", "default": []},
            "ids": {"items": {"type": "integer", "format": "int64"}, "type": "array", "uniqueItems": true, "title": "Ids", "default": []}
        })
    );
    assert_eq!(
        document["paths"]["/q/"]["get"]["parameters"],
        json!([{"name": "q", "in": "query", "required": true, "schema": {"type": "array", "uniqueItems": true, "items": {"type": "integer", "format": "int64"}, "title": "Q"}}])
    );
    let put = |body: Value| {
        let client = &client;
        async move {
            client
                .put("/tagged/")
                .json(&body)
                .send()
                .await
                .json::<Value>()
        }
    };
    assert_eq!(
        put(json!({"name": "a", "tags": ["x", "y", "x"], "ids": [1, "2", 2]})).await,
        json!({"name": "a", "tags": ["x", "y"], "ids": [1, 2]})
    );
    assert_eq!(
        put(json!({"name": "a", "ids": [1, "b"]})).await,
        json!({"detail": [{"type": "int_parsing", "loc": ["body", "ids", 1], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "b"}]})
    );
    assert_eq!(
        put(json!({"name": "a", "tags": "x"})).await,
        json!({"detail": [{"type": "set_type", "loc": ["body", "tags"], "msg": "Input should be a valid set", "input": "x"}]})
    );
    assert_eq!(
        client.get("/q/?q=3&q=1&q=3").await.json::<Value>(),
        json!([1, 3])
    );
    assert_eq!(
        client.get("/q/?q=3&q=x").await.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["query", "q", 1], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x"}]})
    );
}

// ANCHOR: required_params
/// Parameters that must be sent though their type may be empty (FastAPI's
/// `q: str | None` and `x_token: str | None = Header()`, no default).
#[endpoint(GET "/required/")]
async fn required_params(
    #[param(required)] q: Option<String>,
    #[param(required)] x_token: Header<Option<String>>,
) -> Json<Value> {
    Json(json!({"q": q, "x_token": x_token.0}))
}
// ANCHOR_END: required_params

/// FastAPI 0.165's parameters and answers for the same function.
#[tokio::test]
async fn a_required_parameter_may_have_an_optional_type() {
    let client = TestClient::new(App::new().route(required_params));
    let document = client.get("/openapi.json").await.json::<Value>();
    assert_eq!(
        document["paths"]["/required/"]["get"]["parameters"],
        json!([
            {"name": "q", "in": "query", "required": true, "schema": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Q"}},
            {"name": "x-token", "in": "header", "required": true, "schema": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "X-Token"}}
        ])
    );
    let sent = client
        .get("/required/?q=a")
        .header("x-token", "t")
        .send()
        .await;
    assert_eq!(sent.json::<Value>(), json!({"q": "a", "x_token": "t"}));
    let missing = client.get("/required/").await;
    assert_eq!(
        missing.json::<Value>(),
        json!({"detail": [
            {"type": "missing", "loc": ["query", "q"], "msg": "Field required", "input": null},
            {"type": "missing", "loc": ["header", "x-token"], "msg": "Field required", "input": null}
        ]})
    );
}
