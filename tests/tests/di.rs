//! Dependency injection beyond the parity example: overrides, the order of
//! app, router, route and argument dependencies, scopes, cleanup order,
//! error order, and routers. (A dependency cycle is a compile error:
//! `tests/ui/dependency_cycle.rs`.)

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use fastrs::di::Yield;
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

/// What ran during one request, in order.
#[derive(Default)]
struct Trail(Mutex<Vec<String>>);

impl Trail {
    fn push(&self, step: impl Into<String>) {
        self.0.lock().unwrap().push(step.into());
    }
    fn steps(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

#[dependency]
async fn new_trail() -> Trail {
    Trail::default()
}

#[dependency]
async fn app_check(trail: Depends<Trail>) {
    trail.push("app");
}

#[dependency]
async fn router_check(trail: Depends<Trail>) {
    trail.push("router");
}

#[dependency]
async fn route_check(trail: Depends<Trail>) {
    trail.push("route");
}

struct User(String);

#[dependency]
async fn current_user(trail: Depends<Trail>, user: String) -> User {
    trail.push("argument");
    User(user)
}

#[dependency(for_override)]
async fn fake_user(trail: Depends<Trail>, #[param(default = "tester")] as_user: String) -> User {
    trail.push("override");
    User(format!("fake {as_user}"))
}

#[endpoint(GET "/{team}/me", dependencies = [route_check])]
async fn me(team: String, user: Depends<User>, trail: Depends<Trail>) -> Json<Value> {
    Json(json!({"team": team, "user": user.0, "trail": trail.steps()}))
}

fn app() -> App {
    let teams = Router::new()
        .prefix("/teams")
        .tags(["teams"])
        .dependency(router_check)
        .route(me);
    App::new().dependency(app_check).include(teams)
}

#[tokio::test]
async fn dependencies_run_app_router_route_then_arguments_once_each() {
    let response = TestClient::new(app()).get("/teams/red/me?user=ann").await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(
        response.json::<Value>(),
        json!({"team": "red", "user": "ann", "trail": ["app", "router", "route", "argument"]})
    );
}

#[tokio::test]
async fn a_router_prefixes_paths_and_adds_tags() {
    let app = app();
    let info = &app.endpoints()[0];
    assert_eq!(info.path, "/teams/{team}/me");
    assert_eq!(info.tags, ["teams"]);
}

#[tokio::test]
async fn an_override_replaces_the_provider_and_its_parameters() {
    let client = TestClient::new(app().dependency_override(current_user, fake_user));
    // The original's required `user` is no longer asked for; the replacement's is read.
    let response = client.get("/teams/red/me?as_user=bob").await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(
        response.json::<Value>(),
        json!({"team": "red", "user": "fake bob", "trail": ["app", "router", "route", "override"]})
    );
    // Other apps keep the original.
    let response = TestClient::new(app()).get("/teams/red/me").await;
    assert_eq!(response.status(), 422);
}

// ---- scopes ---------------------------------------------------------------------

struct Settings {
    built: usize,
}

static SETTINGS_BUILT: AtomicUsize = AtomicUsize::new(0);

#[dependency(scope = "app")]
async fn load_settings() -> Settings {
    Settings {
        built: SETTINGS_BUILT.fetch_add(1, Ordering::SeqCst) + 1,
    }
}

struct Ticket(usize);

#[dependency(scope = "transient")]
async fn new_ticket(trail: Depends<Trail>) -> Ticket {
    trail.push("ticket");
    Ticket(trail.steps().len())
}

#[endpoint(GET "/scopes")]
async fn scopes(
    settings: Depends<Settings>,
    first: Depends<Ticket>,
    second: Depends<Ticket>,
) -> Json<Value> {
    Json(json!({"settings": settings.built, "tickets": [first.0, second.0]}))
}

#[tokio::test]
async fn app_scope_builds_once_and_transient_runs_every_time() {
    let app = App::new().route(scopes);
    let before = SETTINGS_BUILT.load(Ordering::SeqCst);
    // Resolvable outside any request, as a CLI or a job would.
    let Ok(settings) = app.resolve::<Settings, _>().await else {
        panic!("the app-scoped value resolves outside a request")
    };
    assert_eq!(settings.built, before + 1);
    let client = TestClient::new(app);
    for _ in 0..2 {
        let response = client.get("/scopes").await;
        assert_eq!(
            response.json::<Value>(),
            json!({"settings": before + 1, "tickets": [1, 2]})
        );
    }
    assert_eq!(SETTINGS_BUILT.load(Ordering::SeqCst), before + 1);
}

// ---- cleanup ----------------------------------------------------------------------

#[derive(Default)]
struct Log(Mutex<Vec<String>>);

#[dependency(scope = "app")]
async fn new_log() -> Log {
    Log::default()
}

struct First;
struct Second;

#[dependency]
async fn open_first(log: Depends<Log>) -> Yield<First> {
    log.0.lock().unwrap().push("open first".into());
    Yield::new(First, move |outcome| {
        let line = format!("close first after {}", outcome.status().as_u16());
        async move {
            log.0.lock().unwrap().push(line);
            Ok(())
        }
    })
}

#[dependency]
async fn open_second(_first: Depends<First>, log: Depends<Log>) -> Yield<Second> {
    log.0.lock().unwrap().push("open second".into());
    Yield::new(Second, move |_| async move {
        log.0.lock().unwrap().push("close second".into());
        Ok(())
    })
}

#[endpoint(GET "/work/{ok}")]
async fn work(ok: bool, _second: Depends<Second>) -> Result<&'static str, HttpError> {
    if ok {
        Ok("done")
    } else {
        Err(HttpError::new(StatusCode::CONFLICT, "busy"))
    }
}

#[endpoint(GET "/log")]
async fn read_log(log: Depends<Log>) -> Json<Vec<String>> {
    Json(log.0.lock().unwrap().clone())
}

#[tokio::test]
async fn cleanups_run_in_reverse_order_after_the_response_and_see_the_status() {
    let client = TestClient::new(App::new().route(work).route(read_log));
    assert_eq!(client.get("/work/true").await.text(), "done");
    assert_eq!(client.get("/work/false").await.status(), 409);
    assert_eq!(
        client.get("/log").await.json::<Value>(),
        json!([
            "open first",
            "open second",
            "close second",
            "close first after 200",
            "open first",
            "open second",
            "close second",
            "close first after 409",
        ])
    );
}

#[tokio::test]
async fn cleanups_run_when_validation_fails_after_the_dependencies() {
    let client = TestClient::new(App::new().route(work).route(read_log));
    assert_eq!(client.get("/work/maybe").await.status(), 422);
    assert_eq!(
        client.get("/log").await.json::<Value>(),
        json!([
            "open first",
            "open second",
            "close second",
            "close first after 422"
        ])
    );
}

// ---- errors and startup checks ---------------------------------------------------

struct Page(i64);

#[dependency]
async fn read_page(#[param(ge = 1)] page: i64) -> Page {
    Page(page)
}

#[endpoint(GET "/pages/{id}")]
async fn pages(id: i64, page: Depends<Page>) -> Json<Value> {
    Json(json!([id, page.0]))
}

#[tokio::test]
async fn dependency_errors_come_before_the_endpoints_own() {
    let response = TestClient::new(App::new().route(pages))
        .get("/pages/x?page=0")
        .await;
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [
            {"type": "greater_than_equal", "loc": ["query", "page"], "msg": "Input should be greater than or equal to 1", "input": "0", "ctx": {"ge": 1}},
            {"type": "int_parsing", "loc": ["path", "id"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x"},
        ]})
    );
}

struct BadSettings;

#[dependency(scope = "app")]
async fn bad_settings(q: String) -> BadSettings {
    let _ = q;
    BadSettings
}

#[endpoint(GET "/bad", dependencies = [bad_settings])]
async fn bad() {}

#[test]
#[should_panic(
    expected = "the app-scoped dependency `bad_settings` reads the request parameter `q`"
)]
fn an_app_scoped_dependency_reading_the_request_fails_at_startup() {
    let _ = App::new().route(bad);
}

// ---- the request itself ------------------------------------------------------------

struct Origin(String);

#[dependency]
async fn find_origin(request: fastrs::extract::RequestHead) -> Origin {
    Origin(format!("{} {}", request.method, request.uri))
}

#[endpoint(POST "/origin")]
async fn read_origin(origin: Depends<Origin>) -> String {
    origin.0.clone()
}

#[tokio::test]
async fn a_provider_can_take_the_request_itself() {
    let response = TestClient::new(App::new().route(read_origin))
        .post("/origin?x=1")
        .await;
    assert_eq!(response.text(), "POST /origin?x=1");
}

// ---- values with one user and values shared --------------------------------------
//
// A value that only one user in the request asks for is handed over as is; a
// value that two users ask for is built once and shared. Each provider below
// counts its runs in the request's own `Runs`.

/// How many times each provider ran in one request.
#[derive(Default)]
struct Runs(Mutex<Vec<&'static str>>);

impl Runs {
    fn ran(&self, name: &'static str) {
        self.0.lock().unwrap().push(name);
    }
    fn count(&self, name: &str) -> usize {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|n| **n == name)
            .count()
    }
}

#[dependency]
async fn new_runs() -> Runs {
    Runs::default()
}

struct Session(String);
struct Account(String);
struct Greeting(String);

#[dependency]
async fn session(runs: Depends<Runs>, x_session: Header<String>) -> Session {
    runs.ran("session");
    Session(x_session.0)
}

#[dependency]
async fn account(runs: Depends<Runs>, session: Depends<Session>) -> Account {
    runs.ran("account");
    Account(format!("account of {}", session.0))
}

#[dependency]
async fn greeting(
    runs: Depends<Runs>,
    session: Depends<Session>,
    account: Depends<Account>,
) -> Greeting {
    runs.ran("greeting");
    Greeting(format!("hello {} ({})", account.0, session.0))
}

/// `Session` has two users (`account` and `greeting`), `Account` and
/// `Greeting` one each.
#[endpoint(GET "/diamond")]
async fn diamond(runs: Depends<Runs>, greeting: Depends<Greeting>) -> Json<Value> {
    Json(json!({
        "greeting": greeting.0,
        "runs": [runs.count("session"), runs.count("account"), runs.count("greeting")],
    }))
}

#[tokio::test]
async fn a_value_two_providers_use_is_built_once_and_the_others_once_each() {
    let client = TestClient::new(App::new().route(diamond));
    let response = client.get("/diamond").header("x-session", "s1").await;
    assert_eq!(
        response.json::<Value>(),
        json!({"greeting": "hello account of s1 (s1)", "runs": [1, 1, 1]})
    );
}

#[dependency]
async fn touch_session(runs: Depends<Runs>, session: Depends<Session>) {
    runs.ran(if session.0.is_empty() {
        "empty"
    } else {
        "touched"
    });
}

/// The arguments ask for `Session` once; the app's dependency asked first.
#[endpoint(GET "/after-the-app")]
async fn after_the_app(runs: Depends<Runs>, session: Depends<Session>) -> Json<Value> {
    Json(
        json!({"session": session.0, "runs": runs.count("session"), "touched": runs.count("touched")}),
    )
}

#[tokio::test]
async fn a_value_the_arguments_use_once_is_shared_with_the_app_dependency_that_built_it() {
    let app = App::new().dependency(touch_session).route(after_the_app);
    let response = TestClient::new(app)
        .get("/after-the-app")
        .header("x-session", "s2")
        .await;
    assert_eq!(
        response.json::<Value>(),
        json!({"session": "s2", "runs": 1, "touched": 1})
    );
}

/// `Account` twice, the second time without the cache: `account` runs
/// twice, and `Session`, which it uses, is still built once.
#[endpoint(GET "/uncached")]
async fn uncached(
    runs: Depends<Runs>,
    first: Depends<Account>,
    #[param(use_cache = false)] second: Depends<Account>,
) -> Json<Value> {
    Json(json!({
        "accounts": [first.0, second.0],
        "runs": [runs.count("session"), runs.count("account")],
    }))
}

#[tokio::test]
async fn a_provider_run_again_without_the_cache_shares_what_it_uses() {
    let response = TestClient::new(App::new().route(uncached))
        .get("/uncached")
        .header("x-session", "s3")
        .await;
    assert_eq!(
        response.json::<Value>(),
        json!({"accounts": ["account of s3", "account of s3"], "runs": [1, 2]})
    );
}
