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

// ANCHOR: webhook
#[model]
struct Subscription {
    username: String,
    monthly_fee: f64,
    start_date: String,
}

/// When a new user subscribes to your service we'll send you a POST request with this
/// data to the URL that you register for the event `new-subscription` in the dashboard.
#[endpoint(POST "new-subscription", webhook)]
async fn new_subscription(body: Json<Subscription>) {
    let _ = body;
}
// ANCHOR_END: webhook

// ANCHOR: callback
#[model]
struct Invoice {
    id: String,
    title: Option<String>,
    customer: String,
    total: f64,
}

#[model]
struct InvoiceEvent {
    description: String,
    paid: bool,
}

#[model]
struct InvoiceEventReceived {
    ok: bool,
}

// What the app sends to the `callback_url` once the invoice is processed
// (a plain comment: FastAPI's callback has no docstring).
#[endpoint(POST "{$callback_url}/invoices/{$request.body.id}")]
async fn invoice_notification(body: Json<InvoiceEvent>) -> Json<InvoiceEventReceived> {
    let _ = body;
    Json(InvoiceEventReceived { ok: true })
}

/// doc
#[endpoint(POST "/invoices/", callbacks = [invoice_notification])]
async fn create_invoice(invoice: Json<Invoice>, callback_url: Option<String>) -> Json<Value> {
    let _ = (invoice, callback_url);
    Json(json!({"msg": "Invoice received"}))
}
// ANCHOR_END: callback

// ANCHOR: hooks_app
fn hooks_app() -> App {
    App::new().webhook(new_subscription).route(create_invoice)
}
// ANCHOR_END: hooks_app

fn validation_error() -> Value {
    json!({"description": "Validation Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}})
}

/// FastAPI 0.165's `webhooks` for `@app.webhooks.post("new-subscription")`.
#[test]
fn a_webhook_is_documented_apart_from_the_paths() {
    let document = hooks_app().openapi().to_json();
    assert_eq!(
        document["webhooks"],
        json!({"new-subscription": {"post": {
            "summary": "New Subscription",
            "description": "When a new user subscribes to your service we'll send you a POST request with this\ndata to the URL that you register for the event `new-subscription` in the dashboard.",
            "operationId": "new_subscriptionnew_subscription_post",
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Subscription"}}}, "required": true},
            "responses": {
                "200": {"description": "Successful Response", "content": {"application/json": {"schema": {}}}},
                "422": validation_error()
            }
        }}})
    );
    assert!(document["paths"].get("new-subscription").is_none());
    let keys: Vec<&String> = document.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["openapi", "info", "paths", "webhooks", "components"]);
}

/// FastAPI 0.165's `callbacks` for `callbacks=invoices_callback_router.routes`.
#[test]
fn a_callback_is_documented_in_its_operation() {
    let document = hooks_app().openapi().to_json();
    let post = &document["paths"]["/invoices/"]["post"];
    assert_eq!(
        post["callbacks"],
        json!({"invoice_notification": {"{$callback_url}/invoices/{$request.body.id}": {"post": {
            "summary": "Invoice Notification",
            "operationId": "invoice_notification__callback_url__invoices___request_body_id__post",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InvoiceEvent"}}}},
            "responses": {
                "200": {"description": "Successful Response", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InvoiceEventReceived"}}}},
                "422": validation_error()
            }
        }}}})
    );
    let keys: Vec<&String> = post.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "summary",
            "description",
            "operationId",
            "parameters",
            "requestBody",
            "callbacks",
            "responses"
        ]
    );
    for name in [
        "Invoice",
        "InvoiceEvent",
        "InvoiceEventReceived",
        "Subscription",
    ] {
        assert!(
            document["components"]["schemas"][name].is_object(),
            "{name}"
        );
    }
}

#[test]
#[should_panic(expected = "is only documented, never routed")]
fn a_webhook_is_never_routed() {
    let _ = App::new().route(new_subscription);
}

// ANCHOR: tags_enum
/// Tags from an enum (FastAPI's `class Tags(Enum)`): one spelling for
/// every route.
#[model]
#[serde(rename_all = "lowercase")]
enum Tags {
    Items,
    Users,
}

#[endpoint(GET "/tagged/items", tags = [Tags::Items])]
async fn tagged_items() -> Json<Vec<String>> {
    Json(vec!["Portal gun".into(), "Plumbus".into()])
}

#[endpoint(GET "/tagged/users", tags = [Tags::Users, "admin"])]
async fn tagged_users() -> Json<Vec<String>> {
    Json(vec!["Rick".into(), "Morty".into()])
}
// ANCHOR_END: tags_enum

#[test]
fn tags_may_come_from_an_enum() {
    let document = App::new()
        .route(tagged_items)
        .route(tagged_users)
        .openapi()
        .to_json();
    assert_eq!(
        document["paths"]["/tagged/items"]["get"]["tags"],
        json!(["items"])
    );
    assert_eq!(
        document["paths"]["/tagged/users"]["get"]["tags"],
        json!(["users", "admin"])
    );
}
