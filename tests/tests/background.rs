//! Background tasks: they run after the response has been sent (over a real
//! socket: the client has the whole answer while a task still waits), in
//! order, shared by an endpoint and its providers; a failing or panicking
//! task is logged and ends its request's run without touching the answer
//! or other requests; blocking tasks run on blocking threads; and a
//! graceful shutdown waits for running tasks.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What the tasks did, in order, per test.
#[derive(Default)]
struct Events(Mutex<Vec<String>>);

impl Events {
    fn push(&self, event: &str) {
        self.0.lock().unwrap().push(event.to_owned());
    }
    fn all(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

#[dependency(scope = "app")]
async fn events() -> Events {
    Events::default()
}

#[endpoint(GET "/events")]
async fn read_events(events: Depends<Events>) -> Json<Vec<String>> {
    Json(events.all())
}

// --- Order, failures, blocking tasks ------------------------------------------

#[endpoint(POST "/work")]
async fn work(
    tasks: BackgroundTasks,
    events: Depends<Events>,
    fail: Option<String>,
) -> &'static str {
    // `Events` is not `Clone`: the app-scoped value's own `Arc` goes to the tasks.
    let events = events.into_arc();
    let e = events.clone();
    tasks.add_task(move || async move { e.push("first") });
    match fail.as_deref() {
        Some("error") => tasks.add_task(|| async { Err::<(), _>("the mail server said no") }),
        Some("panic") => tasks.add_task(|| async {
            let fails = true;
            if fails {
                panic!("a task panics on purpose");
            }
        }),
        _ => {}
    }
    let e = events.clone();
    tasks.add_blocking(move || {
        std::thread::sleep(Duration::from_millis(5));
        e.push("blocking");
    });
    let e = events.clone();
    tasks.add_task(move || async move { e.push("last") });
    "accepted"
}

#[tokio::test]
async fn tasks_run_in_order_and_a_failure_ends_only_its_own_run() {
    let client = TestClient::new(App::new().route(work).route(read_events));
    assert_eq!(client.post("/work").await.text(), "accepted");
    assert_eq!(
        client.get("/events").await.json::<Value>(),
        json!(["first", "blocking", "last"])
    );

    for failure in ["error", "panic"] {
        let response = client.post("/work").query(&[("fail", failure)]).await;
        assert_eq!(response.status(), 200, "{failure}");
        assert_eq!(response.text(), "accepted");
    }
    // Each failing run stopped after its first task; the next request's
    // tasks all ran.
    assert_eq!(client.post("/work").await.status(), 200);
    assert_eq!(
        client.get("/events").await.json::<Value>(),
        json!(["first", "blocking", "last", "first", "first", "first", "blocking", "last"])
    );
}

// --- Shared by the endpoint and its providers ----------------------------------

struct Audited;

#[dependency]
async fn audited(tasks: BackgroundTasks, events: Depends<Events>) -> Audited {
    let e = events.into_arc();
    tasks.add_task(move || async move { e.push("from the dependency") });
    Audited
}

#[endpoint(POST "/audited")]
async fn audited_work(
    _audit: Depends<Audited>,
    tasks: BackgroundTasks,
    events: Depends<Events>,
) -> &'static str {
    let e = events.into_arc();
    tasks.add_task(move || async move { e.push("from the endpoint") });
    assert_eq!(tasks.len(), 2);
    "ok"
}

#[tokio::test]
async fn an_endpoint_and_its_dependencies_share_one_task_list() {
    let client = TestClient::new(App::new().route(audited_work).route(read_events));
    assert_eq!(client.post("/audited").await.text(), "ok");
    assert_eq!(
        client.get("/events").await.json::<Value>(),
        json!(["from the dependency", "from the endpoint"])
    );
}

// --- After the response, over a socket, and waited for at shutdown -----------------

/// Lets the slow task go on once the client has its answer.
static GATE: Mutex<Option<tokio::sync::oneshot::Receiver<()>>> = Mutex::new(None);
/// Set by the slow task when it has finished.
static SLOW_DONE: AtomicBool = AtomicBool::new(false);

#[endpoint(POST "/slow")]
async fn slow(tasks: BackgroundTasks) -> &'static str {
    let opened = GATE.lock().unwrap().take();
    tasks.add_task(move || async move {
        if let Some(opened) = opened {
            let _ = opened.await;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        SLOW_DONE.store(true, Ordering::SeqCst);
    });
    "sent"
}

async fn post(address: std::net::SocketAddr, path: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!("POST {path} HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    // Read until the whole answer (its declared length) is here, without
    // waiting for the connection to close.
    let mut answer = Vec::new();
    let mut buffer = [0u8; 1024];
    loop {
        let n = stream.read(&mut buffer).await.unwrap();
        answer.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&answer).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .and_then(|l| l.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if body.len() >= length {
                return text;
            }
        }
    }
}

#[tokio::test]
async fn the_answer_arrives_before_the_task_and_shutdown_waits_for_it() {
    let (open, opened) = tokio::sync::oneshot::channel();
    *GATE.lock().unwrap() = Some(opened);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(App::new().route(slow).serve_with(listener, async {
        let _ = stopped.await;
    }));

    let answer = post(address, "/slow").await;
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.ends_with("\r\n\r\nsent"), "{answer}");
    // The client has the whole answer; the task is still waiting.
    assert!(!SLOW_DONE.load(Ordering::SeqCst));

    // Let the task go on and stop the server at once: the shutdown waits.
    open.send(()).unwrap();
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    assert!(SLOW_DONE.load(Ordering::SeqCst));
}
