//! Endpoints answered in place: a function that never awaits, with
//! arguments all read from the request head, on a route that inherits no
//! dependency, is answered without a future of its own. Which endpoints
//! qualify, and that the answer is the one the endpoint's future gives
//! (the same route with an app dependency, which always runs the future):
//! validation errors, exception handlers (the app's and a router's), HEAD,
//! background tasks, panics, and dependencies added after the route.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::task::Poll;

use fastrs::di::Yield;
use fastrs::extract::{Arg, FromRequest, RequestContext};
use fastrs::model::ValidationErrors;
use fastrs::pipeline::{IntoEndpoint, RouteEndpoint};
use fastrs::prelude::*;
use fastrs::testing::{TestClient, TestResponse};
use serde_json::{json, Value};

fn answers_at_once(endpoint: fn() -> RouteEndpoint) -> bool {
    endpoint().into_endpoint().at_once().is_some()
}

// --- Which endpoints answer at once ---------------------------------------

#[endpoint(GET "/plain")]
async fn plain() -> &'static str {
    "Hello, World!"
}

#[endpoint(GET "/items/{id}")]
async fn read_item(
    id: i64,
    q: Option<String>,
    user_agent: Header<Option<String>>,
    session: Cookie<Option<String>>,
) -> Json<Value> {
    Json(json!({"id": id, "q": q, "agent": user_agent.0, "session": session.0}))
}

async fn lookup(id: i64) -> i64 {
    id
}

#[endpoint(GET "/waits/{id}")]
async fn waits(id: i64) -> String {
    lookup(id).await.to_string()
}

#[model]
struct Item {
    name: String,
}

#[endpoint(POST "/items")]
async fn create(item: Json<Item>) -> String {
    item.0.name
}

#[endpoint(POST "/named")]
async fn named(#[param(body)] name: String) -> String {
    name
}

struct Db;

#[dependency]
async fn db() -> Db {
    Db
}

#[endpoint(GET "/with-db")]
async fn with_db(_db: Depends<Db>) -> &'static str {
    "db"
}

struct Pool;

#[dependency]
async fn pool() -> Pool {
    lookup(1).await;
    Pool
}

#[endpoint(GET "/with-pool")]
async fn with_pool(_pool: Depends<Pool>) -> &'static str {
    "pool"
}

struct Session;

#[dependency]
async fn session(_db: Depends<Db>) -> Yield<Session> {
    Yield::new(Session, |_| async { Ok(()) })
}

#[endpoint(GET "/with-session")]
async fn with_session(_session: Depends<Session>) -> &'static str {
    "session"
}

struct Payload(String);

#[dependency]
async fn payload(item: Json<Item>) -> Payload {
    Payload(item.0.name)
}

#[endpoint(POST "/with-payload")]
async fn with_payload(payload: Depends<Payload>) -> String {
    payload.0.clone()
}

#[endpoint(GET "/scoped")]
async fn scoped(#[param(scopes = ["read"])] _db: Depends<Db>) -> &'static str {
    "scoped"
}

#[endpoint(GET "/guarded", dependencies = [db])]
async fn guarded() -> &'static str {
    "guarded"
}

#[endpoint(GET "/joined")]
async fn joined() -> String {
    tokio::join!(lookup(1), lookup(2)).0.to_string()
}

#[test]
fn an_endpoint_that_never_awaits_and_reads_the_head_answers_at_once() {
    assert!(answers_at_once(plain));
    assert!(answers_at_once(read_item));
    assert!(answers_at_once(tasks_after));
    assert!(answers_at_once(fails));
    assert!(answers_at_once(with_db), "a dependency that never waits");
    assert!(answers_at_once(greet), "a chain that never waits");
}

#[test]
fn awaiting_a_body_or_a_dependency_keeps_the_future() {
    assert!(!answers_at_once(waits), "the function awaits");
    assert!(!answers_at_once(joined), "a macro that may hide an await");
    assert!(!answers_at_once(create), "the body is read");
    assert!(!answers_at_once(named), "a body key is read");
    assert!(!answers_at_once(with_pool), "a dependency that awaits");
    assert!(!answers_at_once(with_session), "a dependency with cleanup");
    assert!(
        !answers_at_once(with_payload),
        "a dependency reads the body"
    );
    assert!(
        !answers_at_once(scoped),
        "a dependency with security scopes"
    );
    assert!(!answers_at_once(guarded), "a route dependency");
    assert!(!answers_at_once(ip), "a user's extractor, by default");
}

// --- The same answer as the endpoint's future -----------------------------

struct Nothing;

#[dependency]
async fn nothing() -> Nothing {
    Nothing
}

#[derive(Debug)]
struct OutOfStock;

impl std::fmt::Display for OutOfStock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("out of stock")
    }
}

impl std::error::Error for OutOfStock {}

#[endpoint(GET "/fails/{how}")]
async fn fails(how: String) -> Result<&'static str, fastrs::Error> {
    match how.as_str() {
        "stock" => Err(OutOfStock.into()),
        "http" => Err(HttpError::new(StatusCode::NOT_FOUND, "No such thing").into()),
        _ => Ok("fine"),
    }
}

/// The app's routes; `forced` adds an app dependency that does nothing,
/// which makes every route run its future.
fn app(forced: bool) -> App {
    let shop = Router::new()
        .prefix("/shop")
        .error_handler(|e: OutOfStock| (StatusCode::CONFLICT, format!("shop: {e}")))
        .route(fails);
    let app = if forced {
        App::new().dependency(nothing)
    } else {
        App::new()
    };
    app.route(plain)
        .route(read_item)
        .route(fails)
        .include(shop)
        .error_handler(|e: OutOfStock| (StatusCode::GONE, format!("app: {e}")))
}

fn same(at_once: &TestResponse, future: &TestResponse) {
    assert_eq!(at_once.status(), future.status());
    assert_eq!(at_once.bytes(), future.bytes());
    let headers = |r: &TestResponse| {
        let mut all: Vec<(String, String)> = r
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("?").to_owned()))
            .collect();
        all.sort();
        all
    };
    assert_eq!(headers(at_once), headers(future));
}

#[tokio::test]
async fn the_answer_in_place_is_the_answer_of_the_endpoints_future() {
    let at_once = TestClient::new(app(false));
    let future = TestClient::new(app(true));
    let requests = [
        "/plain",
        "/items/3?q=x",
        "/items/x",
        "/items/3?q=a&q=b",
        "/fails/ok",
        "/fails/stock",
        "/fails/http",
        "/shop/fails/stock",
        "/shop/fails/http",
    ];
    for path in requests {
        let (a, f) = (at_once.get(path).await, future.get(path).await);
        same(&a, &f);
        let (a, f) = (at_once.head(path).await, future.head(path).await);
        same(&a, &f);
    }
    fn read(client: &TestClient) -> fastrs::testing::TestRequest<'_> {
        client
            .get("/items/3")
            .header("user-agent", "curl")
            .header("cookie", "session=s1")
    }
    let (a, f) = (read(&at_once).await, read(&future).await);
    same(&a, &f);
    assert_eq!(
        a.json::<Value>(),
        json!({"id": 3, "q": null, "agent": "curl", "session": "s1"})
    );
    // What those answers are, written out for the ones that matter.
    assert_eq!(
        at_once.get("/fails/stock").await.text(),
        "app: out of stock"
    );
    assert_eq!(at_once.get("/shop/fails/stock").await.status(), 409);
    let invalid = at_once.get("/items/x").await;
    assert_eq!(invalid.status(), 422);
    assert_eq!(
        invalid.json::<Value>()["detail"][0]["loc"],
        json!(["path", "id"])
    );
    let head = at_once.head("/plain").await;
    assert!(head.bytes().is_empty());
    assert_eq!(head.header("content-length"), Some("13"));
}

// --- Dependency chains ------------------------------------------------------

static TOKENS_READ: AtomicUsize = AtomicUsize::new(0);

struct Token(String);
struct Caller(String);
struct Greeting(String);

#[dependency]
async fn token(x_token: Header<String>) -> Result<Token, HttpError> {
    TOKENS_READ.fetch_add(1, Ordering::SeqCst);
    if x_token.0 == "expired" {
        return Err(HttpError::new(StatusCode::UNAUTHORIZED, "Token expired"));
    }
    Ok(Token(x_token.0))
}

#[dependency]
async fn caller(token: Depends<Token>) -> Caller {
    Caller(format!("user-{}", token.0.len()))
}

#[dependency]
async fn greeting(token: Depends<Token>, caller: Depends<Caller>, times: Option<i64>) -> Greeting {
    let times = times.map_or_else(String::new, |n| format!(" x{n}"));
    Greeting(format!("hello {} ({}){times}", caller.0, token.0))
}

#[endpoint(GET "/greet")]
async fn greet(greeting: Depends<Greeting>) -> Json<Value> {
    Json(json!({"greeting": greeting.0}))
}

#[tokio::test]
async fn a_dependency_chain_in_place_answers_as_its_future_does() {
    let routes = |app: App| app.route(greet).route(with_db);
    let at_once = TestClient::new(routes(App::new()));
    let future = TestClient::new(routes(App::new().dependency(nothing)));
    let cases = [
        ("/greet", Some("abc")),
        ("/greet?times=2", Some("abc")),
        ("/greet", None),
        ("/greet", Some("expired")),
        ("/greet?times=x", Some("abc")),
        ("/greet?times=x", Some("expired")),
        ("/greet?times=x", None),
        ("/with-db", None),
    ];
    for (path, token) in cases {
        let ask = |client| {
            let request = TestClient::get(client, path);
            match token {
                Some(token) => request.header("x-token", token),
                None => request,
            }
        };
        let (a, f) = (ask(&at_once).await, ask(&future).await);
        same(&a, &f);
    }
    // What those answers are, written out.
    let before = TOKENS_READ.load(Ordering::SeqCst);
    let greeted = at_once.get("/greet?times=2").header("x-token", "abc").await;
    assert_eq!(
        greeted.json::<Value>(),
        json!({"greeting": "hello user-3 (abc) x2"})
    );
    assert_eq!(
        TOKENS_READ.load(Ordering::SeqCst),
        before + 1,
        "the token is read once, and shared by its two users"
    );
    let missing = at_once.get("/greet").await;
    assert_eq!(missing.status(), 422);
    assert_eq!(
        missing.json::<Value>()["detail"][0]["loc"],
        json!(["header", "x-token"])
    );
    let expired = at_once
        .get("/greet?times=x")
        .header("x-token", "expired")
        .await;
    assert_eq!(expired.status(), 401);
    assert_eq!(expired.json::<Value>(), json!({"detail": "Token expired"}));
}

/// Says whether the request is answered in place, where arguments are
/// polled with the no-op waker (whose data pointer is null) rather than
/// the task's.
struct AnsweredInPlace(bool);

impl FromRequest for AnsweredInPlace {
    type Value = AnsweredInPlace;

    fn reads_at_once(_: &Arg<AnsweredInPlace>) -> bool {
        true
    }

    async fn from_request(
        _: &mut RequestContext,
        _: &Arg<AnsweredInPlace>,
        _: &mut ValidationErrors,
    ) -> Result<Option<Self>, fastrs::response::Rejection> {
        let in_place = std::future::poll_fn(|task| Poll::Ready(task.waker().data().is_null()));
        Ok(Some(AnsweredInPlace(in_place.await)))
    }
}

struct Settings(&'static str);

#[dependency(scope = "app")]
async fn settings() -> Settings {
    Settings("hello")
}

#[dependency(scope = "app", for_override)]
async fn test_settings() -> Settings {
    Settings("bonjour")
}

#[endpoint(GET "/settings")]
async fn read_settings(settings: Depends<Settings>, in_place: AnsweredInPlace) -> String {
    format!("{} in place: {}", settings.0, in_place.0)
}

#[endpoint(GET "/greet-probe")]
async fn probed_greet(greeting: Depends<Greeting>, in_place: AnsweredInPlace) -> String {
    format!("{} in place: {}", greeting.0, in_place.0)
}

#[tokio::test]
async fn shared_state_is_read_in_place_once_built() {
    assert!(answers_at_once(read_settings));
    let client = TestClient::new(App::new().route(read_settings));
    // The first request builds the value (a request racing it would wait
    // for it): through the endpoint's future.
    assert_eq!(
        client.get("/settings").await.text(),
        "hello in place: false"
    );
    assert_eq!(client.get("/settings").await.text(), "hello in place: true");
    assert_eq!(client.get("/settings").await.text(), "hello in place: true");
}

#[tokio::test]
async fn an_overridden_provider_is_resolved_by_the_endpoints_future() {
    let app = App::new()
        .route(read_settings)
        .route(probed_greet)
        .dependency_override(settings, test_settings);
    let client = TestClient::new(app);
    for _ in 0..2 {
        let answer = client.get("/settings").await.text();
        assert_eq!(answer, "bonjour in place: false");
    }
    let greeted = client.get("/greet-probe").header("x-token", "abc").await;
    assert_eq!(greeted.text(), "hello user-3 (abc) in place: false");
    // Without the override, the chain is answered in place.
    let client = TestClient::new(App::new().route(probed_greet));
    let greeted = client.get("/greet-probe").header("x-token", "abc").await;
    assert_eq!(greeted.text(), "hello user-3 (abc) in place: true");
}

// --- Background tasks, panics, dependencies added later --------------------

static TASKS_RUN: AtomicUsize = AtomicUsize::new(0);

#[endpoint(GET "/tasks")]
async fn tasks_after(tasks: BackgroundTasks) -> &'static str {
    tasks.add_task(|| async {
        TASKS_RUN.fetch_add(1, Ordering::SeqCst);
    });
    "queued"
}

#[tokio::test]
async fn background_tasks_of_an_endpoint_answered_at_once_run_after_the_response() {
    let client = TestClient::new(App::new().route(tasks_after));
    let before = TASKS_RUN.load(Ordering::SeqCst);
    assert_eq!(client.get("/tasks").await.text(), "queued");
    assert_eq!(TASKS_RUN.load(Ordering::SeqCst), before + 1);
}

#[endpoint(GET "/panics")]
async fn panics() -> &'static str {
    panic!("a bug in the handler")
}

#[tokio::test]
async fn a_panic_in_place_is_a_500_and_the_app_goes_on() {
    let client = TestClient::new(App::new().route(panics).route(plain));
    assert!(answers_at_once(panics));
    let response = client.get("/panics").await;
    assert_eq!(response.status(), 500);
    assert_eq!(response.text(), "Internal Server Error");
    assert_eq!(client.get("/plain").await.text(), "Hello, World!");
}

static CHECKS: AtomicUsize = AtomicUsize::new(0);

struct Checked;

#[dependency]
async fn key(x_key: Header<Option<String>>) -> Result<Checked, HttpError> {
    CHECKS.fetch_add(1, Ordering::SeqCst);
    match x_key.0.as_deref() {
        Some("secret") => Ok(Checked),
        _ => Err(HttpError::new(StatusCode::UNAUTHORIZED, "No key")),
    }
}

#[tokio::test]
async fn dependencies_of_the_app_and_of_routers_run_before_an_endpoint_that_never_waits() {
    // The app's dependency is added after the route.
    let client = TestClient::new(App::new().route(plain).dependency(key));
    assert_eq!(client.get("/plain").await.status(), 401);
    let response = client.get("/plain").header("x-key", "secret").await;
    assert_eq!(response.text(), "Hello, World!");
    let router = Router::new().dependency(key).route(plain);
    let client = TestClient::new(App::new().include(router));
    let before = CHECKS.load(Ordering::SeqCst);
    assert_eq!(client.get("/plain").await.status(), 401);
    assert_eq!(CHECKS.load(Ordering::SeqCst), before + 1);
}

// --- An extractor that claims to read at once and waits -------------------

/// Says it reads at once, then waits: a bug, answered 500, never a hang.
struct Liar(String);

static LIAR_POLLS: Mutex<usize> = Mutex::new(0);

impl FromRequest for Liar {
    type Value = Liar;

    fn reads_at_once(_: &Arg<Liar>) -> bool {
        true
    }

    async fn from_request(
        cx: &mut RequestContext,
        _: &Arg<Liar>,
        _: &mut ValidationErrors,
    ) -> Result<Option<Self>, fastrs::response::Rejection> {
        *LIAR_POLLS.lock().unwrap() += 1;
        tokio::task::yield_now().await;
        Ok(Some(Liar(cx.head().uri.path().to_owned())))
    }
}

#[endpoint(GET "/liar")]
async fn liar(liar: Liar) -> String {
    liar.0
}

/// A user's extractor that does not claim to read at once.
struct ClientIp(String);

impl FromRequest for ClientIp {
    type Value = ClientIp;

    async fn from_request(
        cx: &mut RequestContext,
        _: &Arg<ClientIp>,
        _: &mut ValidationErrors,
    ) -> Result<Option<Self>, fastrs::response::Rejection> {
        let ip = cx.head().headers.get("x-forwarded-for");
        let ip = ip.and_then(|v| v.to_str().ok()).unwrap_or("unknown");
        Ok(Some(ClientIp(ip.to_owned())))
    }
}

#[endpoint(GET "/ip")]
async fn ip(client: ClientIp) -> String {
    client.0
}

#[tokio::test]
async fn an_extractor_that_waits_after_claiming_not_to_is_a_500() {
    assert!(answers_at_once(liar));
    let client = TestClient::new(App::new().route(liar).route(ip));
    let response = client.get("/liar").await;
    assert_eq!(response.status(), 500);
    assert_eq!(*LIAR_POLLS.lock().unwrap(), 1);
    // Through the endpoint's future, the same extractor works.
    let client = TestClient::new(App::new().dependency(nothing).route(liar));
    assert_eq!(client.get("/liar").await.text(), "/liar");
    let client = TestClient::new(App::new().route(ip));
    let response = client
        .get("/ip")
        .header("x-forwarded-for", "10.0.0.1")
        .await;
    assert_eq!(response.text(), "10.0.0.1");
}
