//! Operation options of FastAPI's "Path Operation Advanced Configuration":
//! `openapi_extra` (an extension, a hand-written request body for an
//! endpoint that reads its raw body) and the docstring cut at `\f`. Each
//! document is FastAPI 0.165's for the same app.

use fastrs::extract::RawBody;
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

// ANCHOR: extension
#[endpoint(GET "/items/", openapi_extra = {"x-aperture-labs-portal": "blue"})]
async fn read_items() -> Json<Value> {
    Json(json!([{"item_id": "portal-gun"}]))
}
// ANCHOR_END: extension

// ANCHOR: raw_body
/// The body is read raw, so the document's request body is written by hand.
#[endpoint(
    POST "/items/",
    openapi_extra = {
        "requestBody": {
            "content": {"application/json": {"schema": {
                "required": ["name", "price"],
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "price": {"type": "number"},
                    "description": {"type": "string"}
                }
            }}},
            "required": true
        }
    }
)]
async fn create_item(body: RawBody) -> Json<Value> {
    Json(json!({"size": body.len()}))
}
// ANCHOR_END: raw_body

// ANCHOR: form_feed
/// Create an item with all the information:
///
/// - **name**: each item must have a name
/// \f
/// :param item: User input.
#[endpoint(POST "/items2/")]
async fn create_item2(name: String) -> Json<String> {
    Json(name)
}
// ANCHOR_END: form_feed

fn app() -> App {
    App::new()
        .route(read_items)
        .route(create_item)
        .route(create_item2)
}

#[tokio::test]
async fn openapi_extra_is_merged_into_the_operation() {
    let client = TestClient::new(app());
    let document = client.get("/openapi.json").await.json::<Value>();
    let get = &document["paths"]["/items/"]["get"];
    assert_eq!(get["x-aperture-labs-portal"], "blue");
    assert_eq!(get["operationId"], "read_items_items__get");
    let post = &document["paths"]["/items/"]["post"];
    assert_eq!(
        post,
        &json!({
            "summary": "Create Item",
            "description": "The body is read raw, so the document's request body is written by hand.",
            "operationId": "create_item_items__post",
            "requestBody": {
                "content": {"application/json": {"schema": {
                    "properties": {
                        "name": {"type": "string"},
                        "price": {"type": "number"},
                        "description": {"type": "string"}
                    },
                    "type": "object",
                    "required": ["name", "price"]
                }}},
                "required": true
            },
            "responses": {
                "200": {"description": "Successful Response", "content": {"application/json": {"schema": {}}}}
            }
        })
    );
    let sent = client.post("/items/").body("{\"name\": 1}").send().await;
    assert_eq!(sent.json::<Value>(), json!({"size": 11}));
}

#[tokio::test]
async fn the_description_stops_at_the_form_feed() {
    let client = TestClient::new(app());
    let document = client.get("/openapi.json").await.json::<Value>();
    assert_eq!(
        document["paths"]["/items2/"]["post"]["description"],
        "Create an item with all the information:\n\n- **name**: each item must have a name"
    );
}

#[model]
struct Item {
    name: String,
    price: f64,
}

#[model]
struct User {
    username: String,
    email: String,
}

// ANCHOR: unique_id
/// FastAPI's "Generate Clients" recipe: the first tag, then the name.
fn tag_and_name(info: &fastrs::decl::EndpointInfo) -> String {
    format!(
        "{}-{}",
        info.tags.first().copied().unwrap_or("default"),
        info.name
    )
}

#[endpoint(GET "/items/", tags = ["items"])]
async fn get_items() -> Json<Vec<Item>> {
    Json(Vec::new())
}

#[endpoint(POST "/multi/", tags = ["users"])]
async fn multi(user: Json<User>, item: Json<Item>) -> Json<Vec<i64>> {
    let _ = (user, item);
    Json(Vec::new())
}

#[endpoint(GET "/r/", tags = ["x"])]
async fn rr() -> Json<i64> {
    Json(1)
}

/// A router's own function wins for its routes.
fn router_id(info: &fastrs::decl::EndpointInfo) -> String {
    format!("r-{}", info.name)
}

fn client_app() -> App {
    App::new()
        .generate_unique_id_function(tag_and_name)
        .route(get_items)
        .route(multi)
        .include(
            Router::new()
                .generate_unique_id_function(router_id)
                .route(rr),
        )
}
// ANCHOR_END: unique_id

#[tokio::test]
async fn unique_ids_name_operations_bodies_and_responses() {
    let document = client_app().openapi().to_json();
    let paths = &document["paths"];
    assert_eq!(paths["/items/"]["get"]["operationId"], "items-get_items");
    assert_eq!(
        paths["/items/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            ["title"],
        "Response Items-Get Items"
    );
    // FastAPI 0.165's operation for the same route and function.
    assert_eq!(
        paths["/multi/"]["post"],
        json!({
            "tags": ["users"],
            "summary": "Multi",
            "operationId": "users-multi",
            "requestBody": {
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Body_users-multi"}}},
                "required": true
            },
            "responses": {
                "200": {"description": "Successful Response", "content": {"application/json": {"schema": {
                    "items": {"type": "integer", "format": "int64"},
                    "type": "array",
                    "title": "Response Users-Multi"
                }}}},
                "422": {"description": "Validation Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}}
            }
        })
    );
    assert!(document["components"]["schemas"]["Body_users-multi"].is_object());
    assert_eq!(paths["/r/"]["get"]["operationId"], "r-rr");
}

#[endpoint(POST "/m/", operation_id = "custom")]
async fn given_id(a: Json<i64>, b: Json<i64>) -> Json<Vec<i64>> {
    Json(vec![*a, *b])
}

/// With `operation_id`, that is the unique id: it names the body and the
/// response too, as in FastAPI.
#[test]
fn an_operation_id_is_the_unique_id() {
    let document = App::new()
        .generate_unique_id_function(tag_and_name)
        .route(given_id)
        .openapi()
        .to_json();
    let post = &document["paths"]["/m/"]["post"];
    assert_eq!(post["operationId"], "custom");
    assert_eq!(
        post["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Body_custom"
    );
    assert_eq!(
        post["responses"]["200"]["content"]["application/json"]["schema"]["title"],
        "Response Custom"
    );
}
