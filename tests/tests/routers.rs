//! Routers as FastAPI's `APIRouter`: include-time settings nest, outer
//! first (prefix, tags, dependencies, documented responses), a route's own
//! responses win over its routers', and `deprecated` / `include_in_schema`
//! reach every route below.

use std::sync::Mutex;

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

static ORDER: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

#[dependency]
async fn outer_check() {
    ORDER.lock().unwrap().push("outer");
}

#[dependency]
async fn inner_check(inner: Option<i64>) {
    let _ = inner;
    ORDER.lock().unwrap().push("inner");
}

#[endpoint(GET "/thing", tags = ["route"], responses = [(404, "No such thing")])]
async fn thing() -> &'static str {
    ORDER.lock().unwrap().push("handler");
    "thing"
}

#[endpoint(GET "/hidden")]
async fn hidden() -> &'static str {
    "hidden"
}

fn app() -> App {
    let inner = Router::new()
        .prefix("/inner")
        .tags(["inner"])
        .dependency(inner_check)
        .response(404, "Not found")
        .response(409, "Conflict")
        .route(thing);
    let outer = Router::new()
        .prefix("/outer")
        .tags(["outer"])
        .dependency(outer_check)
        .response(418, "I'm a teapot")
        .deprecated()
        .include(inner);
    let secret = Router::new()
        .prefix("/secret")
        .include_in_schema(false)
        .route(hidden);
    App::new().include(outer).include(secret)
}

#[tokio::test]
async fn nested_routers_apply_outer_settings_first() {
    let client = TestClient::new(app());
    assert_eq!(client.get("/outer/inner/thing").await.text(), "thing");
    assert_eq!(*ORDER.lock().unwrap(), ["outer", "inner", "handler"]);
    assert_eq!(client.get("/secret/hidden").await.text(), "hidden");

    let document = client.app().openapi().to_json();
    let op = &document["paths"]["/outer/inner/thing"]["get"];
    assert_eq!(op["tags"], json!(["outer", "inner", "route"]));
    assert_eq!(op["deprecated"], json!(true));
    // The inner router's dependency reads a query parameter: documented.
    assert_eq!(op["parameters"][0]["name"], "inner");
    let responses = op["responses"].as_object().unwrap();
    let mut codes: Vec<&str> = responses.keys().map(String::as_str).collect();
    codes.sort();
    assert_eq!(codes, ["200", "404", "409", "418", "422"]);
    // The route's own 404 wins over the router's.
    assert_eq!(responses["404"], json!({"description": "No such thing"}));
    assert_eq!(responses["418"], json!({"description": "I'm a teapot"}));
    // Left out of the document, still served.
    assert_eq!(document["paths"].get("/secret/hidden"), None::<&Value>);
}
