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

fn client() -> TestClient {
    TestClient::new(App::new().route(create).route(list).route(count))
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
