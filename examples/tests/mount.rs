//! FastAPI's answers for `mount` (a sub-application and static files),
//! pinned as literals from the FastAPI app this example ports (FastAPI 0.165 on uvicorn).

#[path = "../mount.rs"]
#[allow(dead_code)]
mod example;
mod support;

use fastrs::testing::TestClient;
use serde_json::{json, Value};
use support::assert_headers;

#[tokio::test]
async fn the_sub_application_answers_under_its_prefix_with_its_own_document() {
    let client = TestClient::new(example::app());
    let response = client.get("/subapi/sub").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"message": "Hello World from sub API"})
    );
    assert_eq!(
        client.get("/app").await.json::<Value>(),
        json!({"message": "Hello World from main app"})
    );
    // Its own document, with its prefix as the server; the main app's
    // does not list the sub-application's paths.
    let document = client.get("/subapi/openapi.json").await.json::<Value>();
    assert_eq!(document["servers"], json!([{"url": "/subapi"}]));
    assert_eq!(
        document["paths"]["/sub"]["get"]["operationId"],
        "read_sub_sub_get"
    );
    let main = client.get("/openapi.json").await.json::<Value>();
    assert_eq!(main["paths"].as_object().unwrap().len(), 1);
    assert!(main.get("servers").is_none());
    // Its docs page loads its document.
    let docs = client.get("/subapi/docs").await.text();
    assert!(docs.contains("\"/subapi/openapi.json\""), "{docs}");
    // The prefix alone is redirected to the prefix with a slash.
    let response = client.get("/subapi").header("host", "localhost:9004").await;
    assert_eq!(response.status(), 307);
    assert_headers(
        &response,
        &[("location", Some("http://localhost:9004/subapi/"))],
    );
    let response = client.get("/subapi/").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.json::<Value>(), json!({"detail": "Not Found"}));
}

#[tokio::test]
async fn static_files_serve_index_pages_and_refuse_to_leave_the_directory() {
    let client = TestClient::new(example::app());
    let response = client.get("/static/").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text(), "<h1>index</h1>\n");
    assert_headers(
        &response,
        &[
            ("content-type", Some("text/html; charset=utf-8")),
            ("accept-ranges", Some("bytes")),
            ("content-length", Some("15")),
        ],
    );
    assert!(response.header("etag").is_some());
    assert!(response.header("last-modified").is_some());
    let response = client.get("/static/hello.txt").await;
    assert_eq!(response.text(), "hello\n");
    assert_headers(
        &response,
        &[("content-type", Some("text/plain; charset=utf-8"))],
    );
    // A directory without its slash.
    let response = client
        .get("/static/sub")
        .header("host", "localhost:9004")
        .await;
    assert_eq!(response.status(), 307);
    assert_headers(
        &response,
        &[("location", Some("http://localhost:9004/static/sub/"))],
    );
    assert_eq!(client.get("/static/sub/").await.text(), "sub\n");
    for path in [
        "/static/nope",
        "/static/../mount.rs",
        "/static/%2e%2e/mount.rs",
        "/static/sub/%2E%2E/%2e%2e/mount.rs",
    ] {
        let response = client.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(response.json::<Value>(), json!({"detail": "Not Found"}));
    }
    // Only GET and HEAD.
    let response = client.post("/static/hello.txt").await;
    assert_eq!(response.status(), 405);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Method Not Allowed"})
    );
    assert_headers(&response, &[("allow", Some("GET, HEAD"))]);
}
