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

// --- Trailing slashes and proxies ------------------------------------------------

#[endpoint(GET "/items/")]
async fn items() -> &'static str {
    "items"
}

#[tokio::test]
async fn the_trailing_slash_policy_redirects_ignores_or_is_strict() {
    use fastrs::app::TrailingSlash;
    let redirect = TestClient::new(App::new().route(items));
    let response = redirect.get("/items?q=1").await;
    assert_eq!(response.status(), 307);
    assert_eq!(
        response.header("location"),
        Some("http://testserver/items/?q=1")
    );

    let ignore = TestClient::new(
        App::new()
            .route(items)
            .trailing_slash(TrailingSlash::Ignore),
    );
    let response = ignore.get("/items?q=1").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text(), "items");
    assert_eq!(ignore.get("/nothing").await.status(), 404);

    let strict = TestClient::new(
        App::new()
            .route(items)
            .trailing_slash(TrailingSlash::Strict),
    );
    let response = strict.get("/items").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.json::<Value>(), json!({"detail": "Not Found"}));
    assert_eq!(strict.get("/items/").await.text(), "items");
}

#[tokio::test]
async fn redirects_keep_the_clients_scheme_and_host_only_behind_a_trusted_proxy() {
    fn forwarded(client: &TestClient) -> fastrs::testing::TestRequest<'_> {
        client
            .get("/items")
            .header("x-forwarded-proto", "https")
            .header("x-forwarded-host", "api.example.com")
    }
    let untrusted = TestClient::new(App::new().route(items));
    let response = forwarded(&untrusted).await;
    assert_eq!(
        response.header("location"),
        Some("http://testserver/items/")
    );
    let trusted = TestClient::new(App::new().route(items).trust_proxies(["*"]));
    let response = forwarded(&trusted).await;
    assert_eq!(
        response.header("location"),
        Some("https://api.example.com/items/")
    );
}

async fn redirect_over_socket(app: App) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(app.serve_with(listener, std::future::pending()));
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /items HTTP/1.1\r\nhost: internal:8000\r\nx-forwarded-proto: https\r\nx-forwarded-host: api.example.com\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
        .lines()
        .find_map(|l| l.strip_prefix("location: "))
        .unwrap_or("")
        .trim()
        .to_owned()
}

// ANCHOR: trusted_proxy
#[tokio::test]
async fn a_proxy_is_trusted_by_its_address() {
    let trusted = App::new().route(items).trust_proxies(["127.0.0.1"]);
    assert_eq!(
        redirect_over_socket(trusted).await,
        "https://api.example.com/items/"
    );
    let other = App::new().route(items).trust_proxies(["10.0.0.1"]);
    assert_eq!(
        redirect_over_socket(other).await,
        "http://internal:8000/items/"
    );
}
// ANCHOR_END: trusted_proxy

// ANCHOR: client
/// Who is asking: the peer, or the client a trusted proxy forwards for.
#[endpoint(GET "/client")]
async fn client_address(client: fastrs::extract::Client) -> Json<Value> {
    Json(json!({"host": client.host().map(|h| h.to_string()), "port": client.port()}))
}
// ANCHOR_END: client

/// `GET /client` over a socket with `extra` headers; the JSON answer.
async fn client_over_socket(app: App, extra: &str) -> Value {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(app.serve_with(listener, std::future::pending()));
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let local_port = stream.local_addr().unwrap().port();
    let request = format!("GET /client HTTP/1.1\r\nhost: x\r\n{extra}connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("");
    let mut value: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("{answer}"));
    // The peer's port is the connection's own: say so, not its number.
    if value["port"] == json!(local_port) {
        value["port"] = json!("the connection's port");
    }
    value
}

#[tokio::test]
async fn the_client_is_the_peer_or_whom_a_trusted_proxy_forwards_for() {
    let peer = json!({"host": "127.0.0.1", "port": "the connection's port"});
    // No proxy trusted: X-Forwarded-For is the client's own claim.
    let app = || App::new().route(client_address);
    let forged = "x-forwarded-for: 203.0.113.7\r\n";
    assert_eq!(client_over_socket(app(), "").await, peer);
    assert_eq!(client_over_socket(app(), forged).await, peer);
    // The peer is a trusted proxy: the nearest untrusted forwarded address,
    // port 0 (uvicorn's --proxy-headers).
    let behind = || app().trust_proxies(["127.0.0.1", "10.0.0.2"]);
    let chain = "x-forwarded-for: 198.51.100.1, 203.0.113.7, 10.0.0.2\r\n";
    assert_eq!(
        client_over_socket(behind(), chain).await,
        json!({"host": "203.0.113.7", "port": 0})
    );
    // Every forwarded address trusted: the first.
    let all_trusted = "x-forwarded-for: 10.0.0.2\r\n";
    assert_eq!(
        client_over_socket(behind(), all_trusted).await,
        json!({"host": "10.0.0.2", "port": 0})
    );
    // Nothing forwarded: the proxy itself.
    assert_eq!(client_over_socket(behind(), "").await, peer);
    // A forwarded client that is no address is unknown.
    let obfuscated = "x-forwarded-for: _hidden\r\n";
    assert_eq!(
        client_over_socket(behind(), obfuscated).await,
        json!({"host": null, "port": null})
    );
    // Through the app's layers too.
    let layered = app().middleware(|request, next| async move { next.run(request).await });
    assert_eq!(client_over_socket(layered, "").await, peer);
    // In process there is no peer.
    let in_process = TestClient::new(app()).get("/client").await;
    assert_eq!(
        in_process.json::<Value>(),
        json!({"host": null, "port": null})
    );
    // Unless whoever serves the app records it, as a `PeerAddr`.
    let mut request = fastrs::http::Request::get("/client")
        .body(fastrs::body::Body::empty())
        .unwrap();
    let recorded: std::net::SocketAddr = "192.0.2.9:4000".parse().unwrap();
    request
        .extensions_mut()
        .insert(fastrs::app::PeerAddr(recorded));
    let response = app().handle(request).await.unwrap();
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap();
    let answer: Value = serde_json::from_slice(&body.to_bytes()).unwrap();
    assert_eq!(answer, json!({"host": "192.0.2.9", "port": 4000}));
}

/// `GET /client` over a socket; the answer's `x-peer` header.
async fn peer_header_over_socket(app: App, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(app.serve_with(listener, std::future::pending()));
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
        .lines()
        .find_map(|line| line.strip_prefix("x-peer: "))
        .unwrap_or_else(|| panic!("no x-peer in {answer}"))
        .to_owned()
}

#[tokio::test]
async fn what_sees_only_the_request_finds_the_peer_in_its_extensions() {
    // Middleware, with no proxy trusted, reads the connection's peer as a
    // `PeerAddr`.
    let with_peer_header = |app: App| {
        app.middleware(|request, next| async move {
            let peer = request
                .extensions()
                .get::<fastrs::app::PeerAddr>()
                .map_or("none".to_owned(), |p| p.0.ip().to_string());
            let mut response = next.run(request).await;
            response
                .headers_mut()
                .insert("x-peer", peer.parse().unwrap());
            response
        })
    };
    let app = with_peer_header(App::new().route(client_address));
    assert_eq!(peer_header_over_socket(app, "/client").await, "127.0.0.1");
    // A mounted app sees it too: its `Client` is the connection's peer.
    let inner = with_peer_header(App::new().route(client_address));
    let outer = App::new().mount("/inner", inner);
    assert_eq!(
        peer_header_over_socket(outer, "/inner/client").await,
        "127.0.0.1"
    );
}

#[test]
#[should_panic(expected = "trust_proxies: \"localhost\" is not an IP address")]
fn a_proxy_is_named_by_its_address() {
    let _ = App::new().trust_proxies(["localhost"]);
}

// --- Exception handlers scoped to a router ------------------------------------------

#[derive(Debug)]
struct OutOfStock(String);

impl std::fmt::Display for OutOfStock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is out of stock", self.0)
    }
}

impl std::error::Error for OutOfStock {}

#[endpoint(GET "/orders/{item}")]
async fn order(item: String) -> Result<&'static str, fastrs::Error> {
    match item.as_str() {
        "gone" => Err(OutOfStock(item).into()),
        "missing" => Err(HttpError::new(StatusCode::NOT_FOUND, "No such item").into()),
        _ => Ok("ordered"),
    }
}

#[endpoint(GET "/elsewhere/{n}")]
async fn elsewhere(n: i64) -> Result<String, fastrs::Error> {
    if n == 0 {
        return Err(OutOfStock("elsewhere".into()).into());
    }
    Ok(n.to_string())
}

fn scoped_app() -> App {
    let shop = Router::new()
        .prefix("/shop")
        .error_handler(|e: OutOfStock| (StatusCode::CONFLICT, format!("shop: {e}")))
        .error_handler(|_: fastrs::error::RequestValidationError| {
            (StatusCode::BAD_REQUEST, "shop: bad input")
        })
        .route(order);
    let outer = Router::new()
        .error_handler(|e: HttpError| (e.status(), format!("outer: {}", e.detail())))
        .include(shop);
    App::new()
        .include(outer)
        .route(elsewhere)
        .error_handler(|e: OutOfStock| (StatusCode::GONE, format!("app: {e}")))
}

#[tokio::test]
async fn a_routers_handlers_answer_for_its_routes_before_the_apps() {
    let client = TestClient::new(scoped_app());
    assert_eq!(client.get("/shop/orders/tea").await.text(), "ordered");
    let response = client.get("/shop/orders/gone").await;
    assert_eq!(response.status(), 409);
    assert_eq!(response.text(), "shop: gone is out of stock");
    // A type the inner router does not handle goes to the outer router's.
    let response = client.get("/shop/orders/missing").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.text(), "outer: \"No such item\"");
    // Outside the routers, the app's handler answers.
    let response = client.get("/elsewhere/0").await;
    assert_eq!(response.status(), 410);
    assert_eq!(response.text(), "app: elsewhere is out of stock");
    // Invalid input: the router's validation handler, the app's 422 elsewhere.
    assert_eq!(client.get("/elsewhere/x").await.status(), 422);
}

#[endpoint(GET "/count/{n}")]
async fn count(n: u8) -> String {
    n.to_string()
}

#[tokio::test]
async fn a_routers_validation_handler_answers_its_invalid_input() {
    let shop = Router::new()
        .error_handler(|_: fastrs::error::RequestValidationError| {
            (StatusCode::BAD_REQUEST, "shop: bad input")
        })
        .route(count);
    let client = TestClient::new(App::new().include(shop));
    let response = client.get("/count/x").await;
    assert_eq!(response.status(), 400);
    assert_eq!(response.text(), "shop: bad input");
}

// --- Middleware and layers scoped to a router ----------------------------------------

static LAYERS: Mutex<Vec<String>> = Mutex::new(Vec::new());

#[endpoint(GET "/api/{n}")]
async fn api(n: i64) -> String {
    LAYERS.lock().unwrap().push(format!("handler {n}"));
    n.to_string()
}

#[endpoint(GET "/public")]
async fn public() -> &'static str {
    "public"
}

#[tokio::test]
async fn a_routers_middleware_sees_only_its_routes() {
    let api_router = Router::new()
        .middleware(|request, next| async move {
            LAYERS
                .lock()
                .unwrap()
                .push(format!("router sees {}", request.uri().path()));
            let mut response = next.run(request).await;
            response
                .headers_mut()
                .insert("x-router", fastrs::http::HeaderValue::from_static("api"));
            response
        })
        .layer(tower::layer::util::Identity::new())
        .route(api);
    let app = App::new()
        .include(api_router)
        .route(public)
        .middleware(|request, next| async move {
            LAYERS
                .lock()
                .unwrap()
                .push(format!("app sees {}", request.uri().path()));
            next.run(request).await
        });
    let client = TestClient::new(app);

    let response = client.get("/api/7").await;
    assert_eq!(response.text(), "7");
    assert_eq!(response.header("x-router"), Some("api"));
    // Path parameters and validation work behind the router's layers.
    let response = client.get("/api/x").await;
    assert_eq!(response.status(), 422);
    assert_eq!(response.header("x-router"), Some("api"));

    let response = client.get("/public").await;
    assert_eq!(response.text(), "public");
    assert_eq!(response.header("x-router"), None);
    assert_eq!(
        *LAYERS.lock().unwrap(),
        [
            "app sees /api/7",
            "router sees /api/7",
            "handler 7",
            "app sees /api/x",
            "router sees /api/x",
            "app sees /public"
        ]
    );
}
