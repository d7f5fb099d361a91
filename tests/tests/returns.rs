//! Smaller gaps of issue 13 (item 6): `Json<T>` derefs to `T`, a `Vec` of
//! models is returned bare and documented, and an integer past `i64` in a
//! body gets the error a path parameter gets.

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[model]
#[derive(Clone)]
struct Item {
    name: String,
    count: i64,
}

#[endpoint(POST "/items")]
async fn create(item: Json<Item>) -> Json<Value> {
    // Deref: the fields of `T` through `Json<T>`.
    Json(json!({"name": item.name, "count": item.count}))
}

#[endpoint(GET "/items")]
async fn list() -> Vec<Item> {
    vec![
        Item {
            name: "a".into(),
            count: 1,
        },
        Item {
            name: "b".into(),
            count: 2,
        },
    ]
}

#[endpoint(GET "/count/{count}")]
async fn count(count: i64) -> Json<i64> {
    Json(count)
}

#[endpoint(GET "/by-name")]
async fn by_name() -> std::collections::BTreeMap<String, Item> {
    [(
        "a".to_owned(),
        Item {
            name: "a".into(),
            count: 1,
        },
    )]
    .into()
}

#[endpoint(GET "/maybe/{name}")]
async fn maybe(name: String) -> Option<Item> {
    (name == "a").then_some(Item { name, count: 1 })
}

#[endpoint(POST "/items-list", status = 201)]
async fn items_list() -> Vec<Item> {
    vec![Item {
        name: "a".into(),
        count: 1,
    }]
}

fn client() -> TestClient {
    TestClient::new(
        App::new()
            .route(create)
            .route(list)
            .route(count)
            .route(by_name)
            .route(maybe)
            .route(items_list),
    )
}

#[tokio::test]
async fn maps_and_options_of_models_are_responses_and_keep_the_status() {
    // FastAPI 0.165's answers and schemas for `-> dict[str, Item]`,
    // `-> Item | None` and `-> list[Item]` with `status_code=201`.
    let client = client();
    let response = client.get("/by-name").await;
    assert_eq!(
        response.json::<Value>(),
        json!({"a": {"name": "a", "count": 1}})
    );
    let response = client.get("/maybe/x").await;
    assert_eq!(
        (response.status().as_u16(), response.text()),
        (200, "null".to_owned())
    );
    let response = client.post("/items-list").await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.json::<Value>(), json!([{"name": "a", "count": 1}]));
    let document = App::new()
        .route(by_name)
        .route(maybe)
        .route(items_list)
        .openapi()
        .to_json();
    let schema = |path: &str, method: &str, status: &str| {
        document["paths"][path][method]["responses"][status]["content"]["application/json"]
            ["schema"]
            .clone()
    };
    assert_eq!(
        schema("/by-name", "get", "200"),
        json!({"additionalProperties": {"$ref": "#/components/schemas/Item"}, "type": "object", "title": "Response By Name By Name Get"})
    );
    assert_eq!(
        schema("/maybe/{name}", "get", "200"),
        json!({"anyOf": [{"$ref": "#/components/schemas/Item"}, {"type": "null"}], "title": "Response Maybe Maybe  Name  Get"})
    );
    assert_eq!(
        schema("/items-list", "post", "201"),
        json!({"items": {"$ref": "#/components/schemas/Item"}, "type": "array", "title": "Response Items List Items List Post"})
    );
}

#[tokio::test]
async fn json_derefs_to_its_value() {
    let response = client()
        .post("/items")
        .json(&json!({"name": "x", "count": 3}))
        .await;
    assert_eq!(response.json::<Value>(), json!({"name": "x", "count": 3}));
}

#[tokio::test]
async fn a_vec_of_models_is_a_response() {
    let response = client().get("/items").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!([{"name": "a", "count": 1}, {"name": "b", "count": 2}])
    );
    let document = App::new().route(list).openapi().to_json();
    assert_eq!(
        document["paths"]["/items"]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"],
        json!({"type": "array", "items": {"$ref": "#/components/schemas/Item"}, "title": "Response List Items Get"})
    );
}

#[tokio::test]
async fn an_integer_past_i64_is_the_same_error_in_a_body_and_a_path() {
    let client = client();
    let path = client.get("/count/9223372036854775808").await;
    let body = client
        .post("/items")
        .body(r#"{"name": "x", "count": 9223372036854775808}"#)
        .header("content-type", "application/json")
        .await;
    assert_eq!((path.status().as_u16(), body.status().as_u16()), (422, 422));
    let path_error = path.json::<Value>()["detail"][0].clone();
    let body_error = body.json::<Value>()["detail"][0].clone();
    assert_eq!(
        path_error["type"], body_error["type"],
        "{path_error} {body_error}"
    );
    assert_eq!(path_error["msg"], body_error["msg"]);
    assert_eq!(body_error["loc"], json!(["body", "count"]));
}
