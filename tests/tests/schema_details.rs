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
