//! Port of FastAPI's "Background Tasks": a notification endpoint that
//! queues work to run after its response has been sent, from the endpoint
//! and from a dependency sharing the same task list, and a route that shows
//! what the tasks wrote.
//!
//! Run it with `PORT=8001 cargo run --release --example background`.

use std::sync::Mutex;

use fastrs::prelude::*;
use serde_json::{json, Value};

// ANCHOR: log
/// What the tasks wrote, in order: the app's one log.
pub struct Log(Mutex<Vec<String>>);

#[dependency(scope = "app")]
async fn log() -> Log {
    Log(Mutex::new(Vec::new()))
}

/// A task's work: it runs after the response has been sent.
fn write_log(log: Depends<Log>, message: String) {
    log.0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(message);
}
// ANCHOR_END: log

// ANCHOR: tasks
/// The query, with a task queued when there is one (FastAPI's `get_query`:
/// a dependency adding to the request's task list).
#[dependency]
async fn get_query(
    background_tasks: BackgroundTasks,
    log: Depends<Log>,
    q: Option<String>,
) -> Option<String> {
    if let Some(q) = q.as_deref().filter(|q| !q.is_empty()) {
        let message = format!("found query: {q}");
        background_tasks.add_task(move || async move { write_log(log, message) });
    }
    q
}

#[endpoint(POST "/send-notification/{email}")]
async fn send_notification(
    email: String,
    background_tasks: BackgroundTasks,
    #[depends(get_query)] _q: Option<String>,
    log: Depends<Log>,
) -> Json<Value> {
    let message = format!("message to {email}");
    background_tasks.add_task(move || async move { write_log(log, message) });
    Json(json!({"message": "Message sent"}))
}
// ANCHOR_END: tasks

#[endpoint(GET "/log")]
async fn read_log(log: Depends<Log>) -> Json<Value> {
    Json(json!(*log.0.lock().unwrap_or_else(|p| p.into_inner())))
}

/// The app, as the tests build it.
pub fn app() -> App {
    App::new().route(send_notification).route(read_log)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
