//! FastAPI's answers for every route of `bigger_app`, pinned as literals
//! (sent to the FastAPI app this example ports, FastAPI 0.165 on uvicorn, and copied here):
//! the app's query-token dependency on every route, the items router's
//! header dependency, prefixes, tags, documented responses, the admin
//! router's include-time settings, and Starlette's slash redirects.

#[path = "../bigger_app/main.rs"]
#[allow(dead_code)]
mod example;
mod support;

use fastrs::testing::{TestClient, TestResponse};
use serde_json::{json, Value};
use support::assert_headers;

const TOKEN: (&str, &str) = ("x-token", "fake-super-secret-token");

fn client() -> TestClient {
    TestClient::new(example::app())
}

fn check(response: &TestResponse, status: u16, body: Value) {
    assert_eq!(response.status(), status, "{}", response.text());
    assert_eq!(response.json::<Value>(), body);
    assert_headers(response, &[("content-type", Some("application/json"))]);
}

fn missing(location: &str, name: &str) -> Value {
    json!({"type": "missing", "loc": [location, name], "msg": "Field required", "input": null})
}

#[tokio::test]
async fn the_root_needs_the_apps_query_token() {
    let client = client();
    check(
        &client.get("/?token=jessica").await,
        200,
        json!({"message": "Hello Bigger Applications!"}),
    );
    check(
        &client.get("/").await,
        422,
        json!({"detail": [missing("query", "token")]}),
    );
    check(
        &client.get("/?token=bad").await,
        400,
        json!({"detail": "No Jessica token provided"}),
    );
}

#[tokio::test]
async fn users_routes_answer_under_their_own_paths() {
    let client = client();
    check(
        &client.get("/users/?token=jessica").await,
        200,
        json!([{"username": "Rick"}, {"username": "Morty"}]),
    );
    check(
        &client.get("/users/me?token=jessica").await,
        200,
        json!({"username": "fakecurrentuser"}),
    );
    check(
        &client.get("/users/rick?token=jessica").await,
        200,
        json!({"username": "rick"}),
    );
    let response = client.delete("/users/me?token=jessica").await;
    check(&response, 405, json!({"detail": "Method Not Allowed"}));
    assert_headers(&response, &[("allow", Some("GET"))]);
}

#[tokio::test]
async fn items_routes_need_the_routers_header_too() {
    let client = client();
    let (name, value) = TOKEN;
    check(
        &client
            .get("/items/?token=jessica")
            .header(name, value)
            .await,
        200,
        json!({"plumbus": {"name": "Plumbus"}, "gun": {"name": "Portal Gun"}}),
    );
    check(
        &client.get("/items/?token=jessica").await,
        422,
        json!({"detail": [missing("header", "x-token")]}),
    );
    check(
        &client
            .get("/items/?token=jessica")
            .header(name, "nope")
            .await,
        400,
        json!({"detail": "X-Token header invalid"}),
    );
    // Both missing: the app's dependency's error first, then the router's.
    check(
        &client.get("/items/").await,
        422,
        json!({"detail": [missing("query", "token"), missing("header", "x-token")]}),
    );
    check(
        &client
            .get("/items/plumbus?token=jessica")
            .header(name, value)
            .await,
        200,
        json!({"name": "Plumbus", "item_id": "plumbus"}),
    );
    check(
        &client
            .get("/items/nope?token=jessica")
            .header(name, value)
            .await,
        404,
        json!({"detail": "Item not found"}),
    );
    check(
        &client
            .put("/items/plumbus?token=jessica")
            .header(name, value)
            .await,
        200,
        json!({"item_id": "plumbus", "name": "The great Plumbus"}),
    );
    check(
        &client
            .put("/items/gun?token=jessica")
            .header(name, value)
            .await,
        403,
        json!({"detail": "You can only update the item: plumbus"}),
    );
}

#[tokio::test]
async fn the_admin_router_gets_its_prefix_and_dependency_where_included() {
    let client = client();
    let (name, value) = TOKEN;
    check(
        &client
            .post("/admin/?token=jessica")
            .header(name, value)
            .await,
        200,
        json!({"message": "Admin getting schwifty"}),
    );
    check(
        &client.post("/admin/?token=jessica").await,
        422,
        json!({"detail": [missing("header", "x-token")]}),
    );
}

#[tokio::test]
async fn a_path_without_its_trailing_slash_is_redirected() {
    let client = client();
    let (name, value) = TOKEN;
    let response = client.get("/items?token=jessica").header(name, value).await;
    assert_eq!(response.status(), 307);
    assert_headers(
        &response,
        &[("location", Some("http://testserver/items/?token=jessica"))],
    );
    let response = client.get("/users?token=jessica").await;
    assert_eq!(response.status(), 307);
    assert_headers(
        &response,
        &[("location", Some("http://testserver/users/?token=jessica"))],
    );
}
