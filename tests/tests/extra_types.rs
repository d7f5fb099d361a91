//! Pydantic's other types, each pinned to FastAPI 0.165 (Pydantic 2.14):
//! root models over a list or a map, durations (`timedelta`), binary data
//! (`bytes`, base64 in JSON) and URLs (`HttpUrl`, `AnyUrl`). Every
//! expected schema and answer below is what FastAPI gives for the same
//! Pydantic declarations.

use std::collections::HashMap;

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

// ANCHOR: root
/// A list as a body of its own (Pydantic: `class Tags(RootModel[list[str]])`).
#[model]
struct Tags(Vec<String>);

/// A map as a body (Pydantic: `class Scores(RootModel[dict[str, int]])`).
#[model]
struct Scores(#[field(min_length = 1)] HashMap<String, i64>);

#[endpoint(POST "/tags")]
async fn put_tags(tags: Json<Tags>) -> Json<Tags> {
    tags
}

#[endpoint(POST "/scores")]
async fn put_scores(scores: Json<Scores>) -> Json<Value> {
    Json(json!({"players": scores.len()}))
}
// ANCHOR_END: root

#[tokio::test]
async fn a_newtype_over_a_list_or_map_is_a_root_model() {
    let client = TestClient::new(App::new().route(put_tags).route(put_scores));
    let document = client.get("/openapi.json").await.json::<Value>();
    let schemas = &document["components"]["schemas"];
    assert_eq!(
        schemas["Tags"],
        json!({"items": {"type": "string"}, "type": "array", "title": "Tags"})
    );
    // (FastAPI's `Scores` with `Field(min_length=1)` on the root.)
    assert_eq!(
        schemas["Scores"],
        json!({
            "additionalProperties": {"type": "integer", "format": "int64"},
            "type": "object",
            "minProperties": 1,
            "title": "Scores"
        })
    );
    let tags = &document["paths"]["/tags"]["post"];
    let reference = json!({"$ref": "#/components/schemas/Tags"});
    assert_eq!(
        tags["requestBody"]["content"]["application/json"]["schema"],
        reference
    );
    assert_eq!(
        tags["responses"]["200"]["content"]["application/json"]["schema"],
        reference
    );

    let ok = client.post("/tags").json(&json!(["a", "b"])).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.json::<Value>(), json!(["a", "b"]));
    let bad_item = client.post("/tags").json(&json!(["a", 1])).await;
    assert_eq!(bad_item.status(), 422);
    assert_eq!(
        bad_item.json::<Value>(),
        json!({"detail": [{"type": "string_type", "loc": ["body", 1], "msg": "Input should be a valid string", "input": 1}]})
    );
    let not_a_list = client.post("/tags").json(&json!({"a": 1})).await;
    assert_eq!(
        not_a_list.json::<Value>(),
        json!({"detail": [{"type": "list_type", "loc": ["body"], "msg": "Input should be a valid list", "input": {"a": 1}}]})
    );

    let scores = client.post("/scores").json(&json!({"a": 1, "b": 2})).await;
    assert_eq!(scores.json::<Value>(), json!({"players": 2}));
    let bad_value = client.post("/scores").json(&json!({"a": "x"})).await;
    assert_eq!(
        bad_value.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["body", "a"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x"}]})
    );
    let not_a_map = client.post("/scores").json(&json!([1])).await;
    assert_eq!(
        not_a_map.json::<Value>(),
        json!({"detail": [{"type": "dict_type", "loc": ["body"], "msg": "Input should be a valid dictionary", "input": [1]}]})
    );
    let empty = client.post("/scores").json(&json!({})).await;
    assert_eq!(
        empty.json::<Value>(),
        json!({"detail": [{"type": "too_short", "loc": ["body"], "msg": "Dictionary should have at least 1 item after validation, not 0", "input": {}, "ctx": {"field_type": "Dictionary", "min_length": 1, "actual_length": 0}}]})
    );
}
