//! FastAPI's `root_path` ("Behind a Proxy"): an app served by a
//! path-stripping proxy under `/api/v1` matches its routes without the
//! prefix, reads it in handlers, lists it first in the document's
//! `servers` (unless told not to) and loads the document through it on
//! its docs pages; set by code or by the `ROOT_PATH` variable. Answers
//! pinned to FastAPI 0.165's tutorial (`behind_a_proxy`).

use fastrs::extract::RootPath;
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

// ANCHOR: root_path
#[endpoint(GET "/app")]
async fn read_main(root_path: RootPath) -> Json<Value> {
    Json(json!({"message": "Hello World", "root_path": root_path.0}))
}

fn behind_proxy() -> App {
    App::new().root_path("/api/v1").route(read_main)
}
// ANCHOR_END: root_path

#[tokio::test]
async fn handlers_read_the_root_path_and_routes_are_matched_without_it() {
    let client = TestClient::new(behind_proxy());
    let response = client.get("/app").await;
    assert_eq!(
        response.json::<Value>(),
        json!({"message": "Hello World", "root_path": "/api/v1"})
    );
    assert_eq!(client.get("/api/v1/app").await.status(), 404);
    // Without one, it is empty.
    let plain = TestClient::new(App::new().route(read_main));
    assert_eq!(plain.get("/app").await.json::<Value>()["root_path"], "");
}

#[tokio::test]
async fn the_document_lists_the_root_path_first_and_the_docs_load_through_it() {
    let client = TestClient::new(behind_proxy());
    let document = client.get("/openapi.json").await.json::<Value>();
    assert_eq!(document["servers"], json!([{"url": "/api/v1"}]));
    let docs = client.get("/docs").await.text();
    assert!(docs.contains(r#"url: "/api/v1/openapi.json""#), "{docs}");

    // FastAPI's tutorial with servers of its own: the root path first.
    let with_servers = behind_proxy()
        .server("https://stag.example.com", Some("Staging environment"))
        .server("https://prod.example.com", Some("Production environment"));
    let document = TestClient::new(with_servers)
        .get("/openapi.json")
        .await
        .json::<Value>();
    assert_eq!(
        document["servers"],
        json!([
            {"url": "/api/v1"},
            {"url": "https://stag.example.com", "description": "Staging environment"},
            {"url": "https://prod.example.com", "description": "Production environment"},
        ])
    );

    // `root_path_in_servers=False`: only the servers given.
    let unlisted = behind_proxy()
        .server("https://stag.example.com", Some("Staging environment"))
        .root_path_in_servers(false);
    let document = TestClient::new(unlisted)
        .get("/openapi.json")
        .await
        .json::<Value>();
    assert_eq!(
        document["servers"],
        json!([{"url": "https://stag.example.com", "description": "Staging environment"}])
    );
}

#[test]
fn a_root_path_is_kept_with_one_leading_slash_and_none_trailing() {
    for given in ["/api/v1", "api/v1", "/api/v1/"] {
        let client = TestClient::new(App::new().root_path(given).route(read_main));
        let answer = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async { client.get("/app").await.json::<Value>() });
        assert_eq!(answer["root_path"], "/api/v1", "{given}");
    }
}

/// `ROOT_PATH` is read by `serve` (uvicorn's `--root-path`); this test
/// binary's only use of the process environment.
#[tokio::test]
async fn serve_reads_root_path_from_the_environment() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    std::env::set_var("ROOT_PATH", "/proxied/");
    std::env::set_var("HOST", "127.0.0.1");
    std::env::set_var("PORT", port.to_string());
    tokio::spawn(App::new().route(read_main).serve());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut stream = loop {
        match tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            Ok(stream) => break stream,
            Err(_) if std::time::Instant::now() < deadline => {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await
            }
            Err(error) => panic!("the server did not start: {error}"),
        }
    };
    stream
        .write_all(b"GET /app HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.ends_with(r#""root_path":"/proxied"}"#), "{answer}");
}
