//! Middleware beyond the `middleware` example: FastAPI's
//! `TrustedHostMiddleware` answers (pinned from FastAPI 0.165 with
//! `allowed_hosts=["example.com", "*.example.com", "www.other.com"]`), and
//! the order of functions and layers.

use std::sync::Mutex;

use fastrs::middleware::TrustedHost;
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[endpoint(GET "/x")]
async fn x() -> Json<Value> {
    Json(json!({"ok": true}))
}

fn trusted() -> TestClient {
    TestClient::new(App::new().route(x).layer(TrustedHost::new([
        "example.com",
        "*.example.com",
        "www.other.com",
    ])))
}

#[tokio::test]
async fn allowed_hosts_pass_in_any_case_and_with_a_port() {
    let client = trusted();
    for host in ["example.com", "api.example.com:8000", "EXAMPLE.com"] {
        let response = client.get("/x?a=1").header("host", host).await;
        assert_eq!(response.status(), 200, "{host}");
        assert_eq!(response.json::<Value>(), json!({"ok": true}));
    }
}

#[tokio::test]
async fn other_hosts_are_400_and_a_www_form_is_redirected() {
    let client = trusted();
    for host in ["evil.com", "bad host", "[::1]"] {
        let response = client.get("/x?a=1").header("host", host).await;
        assert_eq!(response.status(), 400, "{host}");
        assert_eq!(response.text(), "Invalid host header");
        assert_eq!(
            response.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
    }
    for (host, location) in [
        ("other.com", "http://www.other.com/x?a=1"),
        ("other.com:81", "http://www.other.com:81/x?a=1"),
    ] {
        let response = client.get("/x?a=1").header("host", host).await;
        assert_eq!(response.status(), 307, "{host}");
        assert_eq!(response.header("location"), Some(location));
    }
}

#[test]
#[should_panic(expected = "domain wildcard patterns must be like '*.example.com'")]
fn a_wildcard_in_the_middle_is_refused_at_startup() {
    let _ = TrustedHost::new(["api.*.example.com"]);
}

static SEEN: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

fn mark(
    name: &'static str,
) -> impl Fn(
    fastrs::http::Request<fastrs::body::Body>,
    fastrs::middleware::Next,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = fastrs::Response> + Send>>
       + Send
       + Sync
       + 'static {
    move |request, next| {
        Box::pin(async move {
            SEEN.lock().unwrap().push(name);
            let response = next.run(request).await;
            SEEN.lock().unwrap().push(name);
            response
        })
    }
}

#[tokio::test]
async fn the_last_added_middleware_is_the_outermost() {
    let app = App::new()
        .route(x)
        .middleware(mark("first"))
        .layer(tower::layer::util::Identity::new())
        .middleware(mark("second"));
    let client = TestClient::new(app);
    assert_eq!(client.get("/x").await.status(), 200);
    assert_eq!(
        *SEEN.lock().unwrap(),
        ["second", "first", "first", "second"]
    );
}

// ---- HTTPS redirect (Starlette's HTTPSRedirectMiddleware) -----------------

// ANCHOR: https_redirect
fn https_only() -> App {
    App::new().route(x).https_redirect()
}
// ANCHOR_END: https_redirect

#[tokio::test]
async fn plain_http_is_redirected_to_https_dropping_the_default_ports() {
    let client = TestClient::new(https_only());
    // Starlette's own test: `http://testserver` (and `:80`, `:443`) go to
    // `https://testserver/`, another port is kept.
    for (host, location) in [
        ("testserver", "https://testserver/x?a=1"),
        ("testserver:80", "https://testserver/x?a=1"),
        ("testserver:443", "https://testserver/x?a=1"),
        ("testserver:123", "https://testserver:123/x?a=1"),
    ] {
        let response = client.get("/x?a=1").header("host", host).await;
        assert_eq!(response.status(), 307, "{host}");
        assert_eq!(response.header("location"), Some(location), "{host}");
        assert_eq!(response.text(), "");
    }
    // Every path, the unknown ones and the docs too.
    let docs = client.get("/docs").await;
    assert_eq!(docs.header("location"), Some("https://testserver/docs"));
    // A WebSocket handshake goes to `wss`.
    let handshake = client
        .get("/ws")
        .header("upgrade", "websocket")
        .header("connection", "upgrade")
        .await;
    assert_eq!(handshake.status(), 307);
    assert_eq!(handshake.header("location"), Some("wss://testserver/ws"));
}

#[tokio::test]
async fn a_trusted_proxys_https_passes_and_an_untrusted_one_does_not() {
    let untrusted = TestClient::new(https_only());
    let response = untrusted
        .get("/x")
        .header("x-forwarded-proto", "https")
        .await;
    assert_eq!(response.status(), 307, "a client cannot claim TLS");

    let behind_proxy = TestClient::new(https_only().trust_proxies(["*"]));
    let response = behind_proxy
        .get("/x")
        .header("x-forwarded-proto", "https")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"ok": true}));
    // The proxy's own plain-HTTP request is still redirected, to the host
    // it names.
    let response = behind_proxy
        .get("/x")
        .header("x-forwarded-proto", "http")
        .header("x-forwarded-host", "api.example.com")
        .await;
    assert_eq!(
        response.header("location"),
        Some("https://api.example.com/x")
    );
}
