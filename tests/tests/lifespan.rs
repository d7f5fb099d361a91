//! The app's lifetime: app-scoped values built exactly once (even when the
//! first requests race), their cleanups run at shutdown and not before,
//! eager startup that fails the start with a clear message, startup and
//! shutdown hooks, and TestClient and the server running all of it.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fastrs::di::Yield;
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

// --- Built once, however many first requests race ----------------------------

static HITS_BUILT: AtomicUsize = AtomicUsize::new(0);

struct Hits(AtomicUsize);

#[dependency(scope = "app")]
async fn hits() -> Hits {
    // Slow to build, so that every first request arrives while it builds.
    tokio::time::sleep(Duration::from_millis(50)).await;
    HITS_BUILT.fetch_add(1, Ordering::SeqCst);
    Hits(AtomicUsize::new(0))
}

#[endpoint(POST "/hit")]
async fn hit(hits: Depends<Hits>) -> Json<usize> {
    Json(hits.0.fetch_add(1, Ordering::SeqCst) + 1)
}

#[endpoint(GET "/hits")]
async fn count(hits: Depends<Hits>) -> Json<usize> {
    Json(hits.0.load(Ordering::SeqCst))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_scoped_value_is_built_once_when_first_requests_race() {
    let client = Arc::new(TestClient::new(App::new().route(hit).route(count)));
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        requests.spawn(async move { client.post("/hit").await.status() });
    }
    while let Some(status) = requests.join_next().await {
        assert_eq!(status.unwrap(), 200);
    }
    assert_eq!(HITS_BUILT.load(Ordering::SeqCst), 1);
    // Every request wrote to the one shared value: no write was lost.
    assert_eq!(client.get("/hits").await.json::<usize>(), 50);
}

// --- Cleaned up at shutdown, not after the first request ----------------------

/// What happened to the app-scoped values and hooks, in order.
static EVENTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn event(what: &str) {
    EVENTS.lock().unwrap().push(what.to_owned());
}

struct Conn(Arc<AtomicBool>);
struct Cache;

#[dependency(scope = "app")]
async fn conn() -> Yield<Conn> {
    event("conn opened");
    let open = Arc::new(AtomicBool::new(true));
    let flag = open.clone();
    Yield::new(Conn(open), move |_| async move {
        flag.store(false, Ordering::SeqCst);
        event("conn closed");
        Ok(())
    })
}

#[dependency(scope = "app")]
async fn cache(_conn: Depends<Conn>) -> Yield<Cache> {
    event("cache filled");
    Yield::new(Cache, |_| async {
        event("cache dropped");
        Ok(())
    })
}

#[endpoint(GET "/open")]
async fn is_open(conn: Depends<Conn>, _cache: Depends<Cache>) -> Json<bool> {
    Json(conn.0.load(Ordering::SeqCst))
}

#[tokio::test]
async fn app_scoped_cleanups_run_at_shutdown_last_built_first_after_the_hooks() {
    let app = App::new()
        .route(is_open)
        .on_shutdown(|| async { event("first hook") })
        .on_shutdown(|| async { event("second hook") });
    let client = TestClient::new(app);
    for _ in 0..3 {
        // Still open after each request: the cleanup waits for shutdown.
        assert!(client.get("/open").await.json::<bool>());
    }
    client.shutdown().await;
    client.shutdown().await; // a second shutdown does nothing
    assert_eq!(
        *EVENTS.lock().unwrap(),
        [
            "conn opened",
            "cache filled",
            "second hook",
            "first hook",
            "cache dropped",
            "conn closed"
        ]
    );
}

// --- Eager startup --------------------------------------------------------------

static SETTINGS_BUILT: AtomicUsize = AtomicUsize::new(0);

struct Settings(&'static str);

#[dependency(scope = "app")]
async fn settings() -> Settings {
    SETTINGS_BUILT.fetch_add(1, Ordering::SeqCst);
    Settings("loaded")
}

#[endpoint(GET "/settings")]
async fn read_settings(settings: Depends<Settings>) -> &'static str {
    settings.0
}

#[tokio::test]
async fn an_eager_dependency_is_built_at_start_before_any_request() {
    let app = App::new().route(read_settings).startup(settings);
    let client = TestClient::start(app).await.unwrap();
    assert_eq!(SETTINGS_BUILT.load(Ordering::SeqCst), 1);
    assert_eq!(client.get("/settings").await.text(), "loaded");
    assert_eq!(client.get("/settings").await.text(), "loaded");
    assert_eq!(SETTINGS_BUILT.load(Ordering::SeqCst), 1);
}

struct Database;

#[dependency(scope = "app")]
async fn database() -> Result<Database, HttpError> {
    Err(HttpError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "database unreachable at 127.0.0.1:1",
    ))
}

#[tokio::test]
async fn a_failing_eager_dependency_fails_the_start_with_its_answer() {
    let app = App::new().startup(database);
    let Err(error) = TestClient::start(app).await else {
        panic!("the start should have failed");
    };
    assert_eq!(
        error.to_string(),
        "the app could not start: the dependency `database` answered 503 Service Unavailable: {\"detail\":\"database unreachable at 127.0.0.1:1\"}"
    );
}

#[tokio::test]
async fn a_server_whose_start_fails_does_not_listen_and_says_why() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let served = App::new()
        .startup(database)
        .serve_with(listener, std::future::pending())
        .await;
    let error = served.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("the dependency `database` answered 503"),
        "{error}"
    );
}

#[test]
#[should_panic(
    expected = "`App::startup(read_count)` builds app-scoped values, and `read_count` is not one"
)]
fn only_app_scoped_providers_can_be_built_at_startup() {
    struct Count;
    #[dependency]
    async fn read_count() -> Count {
        Count
    }
    let _ = App::new().startup(read_count);
}

// --- Hooks ----------------------------------------------------------------------

static STARTED: AtomicBool = AtomicBool::new(false);

#[endpoint(GET "/started")]
async fn started() -> Json<bool> {
    Json(STARTED.load(Ordering::SeqCst))
}

#[tokio::test]
async fn test_client_starts_the_app_before_its_first_request() {
    let app = App::new().route(started).on_startup(|| async {
        STARTED.store(true, Ordering::SeqCst);
    });
    let client = TestClient::new(app);
    assert!(client.get("/started").await.json::<bool>());
}

/// A named hook with an error type of its own (FastAPI's
/// `@app.on_event("startup")` function).
async fn read_config() -> Result<(), std::io::Error> {
    Err(std::io::Error::new(
        std::io::ErrorKind::NotFound,
        "no config file at /etc/app.toml",
    ))
}

#[tokio::test]
async fn a_failing_startup_hook_stops_the_start() {
    let app = App::new().on_startup(read_config);
    let error = TestClient::start(app).await.err().unwrap();
    assert_eq!(
        error.to_string(),
        "the app could not start: a startup hook failed: no config file at /etc/app.toml"
    );
}

// --- The server runs the lifespan around serving ----------------------------------

static SERVER_EVENTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Client;

#[dependency(scope = "app")]
async fn http_client() -> Yield<Client> {
    SERVER_EVENTS.lock().unwrap().push("client built".into());
    Yield::new(Client, |_| async {
        SERVER_EVENTS.lock().unwrap().push("client closed".into());
        Ok(())
    })
}

#[endpoint(GET "/")]
async fn root(_client: Depends<Client>) -> Json<Value> {
    Json(json!({"ok": true}))
}

/// Serves `app` on a port of its own until the sender fires; the address,
/// the sender and the server's task.
async fn serve(
    app: App,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.serve_with(listener, async {
        let _ = stopped.await;
    }));
    (address, stop, server)
}

/// A connection to the server at `address`, once it accepts.
async fn connect(address: std::net::SocketAddr) -> tokio::net::TcpStream {
    loop {
        if let Ok(stream) = tokio::net::TcpStream::connect(address).await {
            return stream;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn the_server_starts_before_accepting_and_shuts_down_after_the_last_request() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = App::new()
        .route(root)
        .startup(http_client)
        .on_shutdown(|| async { SERVER_EVENTS.lock().unwrap().push("hook".into()) });
    let (address, stop, server) = serve(app).await;
    // Built at start, before the first request.
    let mut stream = connect(address).await;
    assert_eq!(*SERVER_EVENTS.lock().unwrap(), ["client built"]);
    stream
        .write_all(b"GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(*SERVER_EVENTS.lock().unwrap(), ["client built"]);
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    assert_eq!(
        *SERVER_EVENTS.lock().unwrap(),
        ["client built", "hook", "client closed"]
    );
}

// (Its own route: `root` builds the app-scoped client, whose events the
// test above reads, and tests run side by side under `cargo test`.)
#[endpoint(GET "/plain")]
async fn plain() -> &'static str {
    "plain"
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_at_once_when_the_server_stops() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // Every timeout far longer than the test: only the stop can end the
    // connection.
    let app = App::new()
        .route(plain)
        .idle_timeout(Duration::from_secs(600));
    let (address, stop, server) = serve(app).await;
    let mut stream = connect(address).await;
    stream
        .write_all(b"GET /plain HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let mut answer = vec![0; 1024];
    let n = stream.read(&mut answer).await.unwrap();
    assert!(answer[..n].starts_with(b"HTTP/1.1 200"));
    // The connection is open and idle; the server stops.
    let started = std::time::Instant::now();
    stop.send(()).unwrap();
    let closed = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut answer)).await;
    assert!(
        matches!(closed, Ok(Ok(0))),
        "the idle connection was not closed: {closed:?}"
    );
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stopped")
        .unwrap()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "closing took {:?}",
        started.elapsed()
    );
}

/// A named shutdown hook whose error is logged; the hooks registered
/// before it still run.
async fn flush_metrics() -> Result<(), String> {
    HOOK_EVENTS.lock().unwrap().push("flush failed".into());
    Err("the metrics server is gone".into())
}

static HOOK_EVENTS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

#[tokio::test]
async fn a_failing_shutdown_hook_is_logged_and_the_others_still_run() {
    let app = App::new()
        .on_shutdown(|| async { HOOK_EVENTS.lock().unwrap().push("first".into()) })
        .on_shutdown(flush_metrics);
    let client = TestClient::start(app).await.unwrap();
    client.shutdown().await;
    assert_eq!(*HOOK_EVENTS.lock().unwrap(), ["flush failed", "first"]);
}
