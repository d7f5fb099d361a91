//! `#[endpoint]` and `#[dependency]` on a plain `fn`: run on tokio's
//! blocking pool, as FastAPI runs a `def` in its threadpool, so that a
//! function that blocks does not hold up the server's other requests.

use std::sync::mpsc;
use std::sync::Mutex;
use std::time::Duration;

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

/// A rendezvous between two requests: the blocking one waits for the
/// other to arrive.
pub struct Gate {
    sender: Mutex<mpsc::Sender<()>>,
    receiver: Mutex<mpsc::Receiver<()>>,
}

#[dependency(scope = "app")]
async fn gate() -> Gate {
    let (sender, receiver) = mpsc::channel();
    Gate {
        sender: Mutex::new(sender),
        receiver: Mutex::new(receiver),
    }
}

/// Blocks its thread until `/open` has run: if it ran on the runtime's
/// (single) thread, `/open` could never run and it would time out.
#[endpoint(GET "/wait")]
fn wait(gate: Depends<Gate>) -> &'static str {
    let receiver = gate.receiver.lock().unwrap();
    match receiver.recv_timeout(Duration::from_secs(10)) {
        Ok(()) => "opened",
        Err(_) => "timed out",
    }
}

#[endpoint(GET "/open")]
async fn open(gate: Depends<Gate>) -> &'static str {
    gate.sender.lock().unwrap().send(()).unwrap();
    "open"
}

/// A plain `fn` provider, its arguments read as an async one's.
#[dependency]
fn parse_limit(#[param(default = 10, le = 100)] limit: i64) -> Result<usize, HttpError> {
    usize::try_from(limit).map_err(|_| HttpError::new(StatusCode::BAD_REQUEST, "negative limit"))
}

#[endpoint(GET "/items")]
fn items(#[depends(parse_limit)] limit: usize) -> Json<Value> {
    Json(json!({"limit": limit}))
}

#[endpoint(GET "/panics")]
fn panics() -> &'static str {
    panic!("a blocking handler panics on purpose")
}

fn app() -> App {
    App::new()
        .route(wait)
        .route(open)
        .route(items)
        .route(panics)
}

#[tokio::test]
async fn a_plain_fn_endpoint_blocks_a_pool_thread_not_the_server() {
    // The test's runtime has one thread: the blocking handler must run
    // elsewhere for `/open` to be served while it waits.
    let client = TestClient::new(app());
    let (waited, opened) = tokio::join!(client.get("/wait"), async {
        tokio::task::yield_now().await;
        client.get("/open").await
    });
    assert_eq!(opened.text(), "open");
    assert_eq!(waited.status(), 200);
    assert_eq!(waited.text(), "opened");
}

#[tokio::test]
async fn a_plain_fn_provider_validates_its_arguments_and_answers_its_errors() {
    let client = TestClient::new(app());
    let response = client.get("/items?limit=5").await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(response.json::<Value>()["limit"], 5);

    let response = client.get("/items?limit=500").await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>()["detail"][0]["type"],
        "less_than_equal"
    );

    let response = client.get("/items?limit=-1").await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "negative limit"})
    );
}

#[tokio::test]
async fn a_panic_in_a_plain_fn_is_a_500_and_the_app_keeps_serving() {
    let client = TestClient::new(app());
    let response = client.get("/panics").await;
    assert_eq!(response.status(), 500);
    assert_eq!(response.text(), "Internal Server Error");
    let response = client.get("/items").await;
    assert_eq!(response.status(), 200);
}

#[test]
fn a_plain_fn_providers_parameters_are_documented() {
    let doc = serde_json::to_value(app().openapi()).unwrap();
    let limit = &doc["paths"]["/items"]["get"]["parameters"][0];
    assert_eq!(limit["name"], "limit");
    assert_eq!(limit["schema"]["maximum"], 100);
    assert_eq!(limit["schema"]["default"], 10);
}
