//! JSON Lines (FastAPI's "Stream JSON Lines"): an endpoint that streams
//! `#[model]` values as `application/jsonl`, one compact JSON value per
//! line, documented with the item's schema as `itemSchema`.

use fastrs::prelude::*;
use fastrs::response::{iter, JsonLines};
use fastrs::testing::TestClient;
use serde_json::{json, Value};

// ANCHOR: jsonl
#[model]
struct Item {
    name: String,
    description: Option<String>,
}

/// The items, one line each, as they are produced.
#[endpoint(GET "/items/stream")]
async fn stream_items() -> JsonLines<Item> {
    let items = [
        ("Plumbus", "A multi-purpose household device."),
        ("Portal Gun", "A portal opening device."),
        ("Meeseeks Box", "A box that summons a Meeseeks."),
    ];
    JsonLines::new(iter(items.map(|(name, description)| Item {
        name: name.to_owned(),
        description: Some(description.to_owned()),
    })))
}
// ANCHOR_END: jsonl

#[tokio::test]
async fn each_item_is_one_line_of_json() {
    let client = TestClient::new(App::new().route(stream_items));
    let response = client.get("/items/stream").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.header("content-type"), Some("application/jsonl"));
    assert_eq!(
        response.text(),
        concat!(
            r#"{"name":"Plumbus","description":"A multi-purpose household device."}"#,
            "\n",
            r#"{"name":"Portal Gun","description":"A portal opening device."}"#,
            "\n",
            r#"{"name":"Meeseeks Box","description":"A box that summons a Meeseeks."}"#,
            "\n",
        )
    );
    let document = client.get("/openapi.json").await.json::<Value>();
    let content = &document["paths"]["/items/stream"]["get"]["responses"]["200"]["content"];
    assert_eq!(
        content,
        &json!({"application/jsonl": {"itemSchema": {"$ref": "#/components/schemas/Item"}}})
    );
    assert_eq!(
        document["components"]["schemas"]["Item"]["required"],
        json!(["name"])
    );
}
