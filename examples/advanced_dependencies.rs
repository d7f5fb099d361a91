//! FastAPI's advanced dependencies: a parametrised dependency (a callable
//! instance, `FixedContentQueryChecker("bar")`), a session the handler
//! changes and its `yield` cleanup commits or rolls back, and dependencies
//! written as plain functions (FastAPI's `def`, run in a threadpool).
//!
//! Run it with `PORT=8001 cargo run --release --example advanced_dependencies`.

use std::sync::Mutex;

use fastrs::di::Yield;
use fastrs::prelude::*;
use serde_json::{json, Value};

// ANCHOR: checker
/// Whether the query `q` holds a fixed piece of text (FastAPI's
/// `FixedContentQueryChecker`, whose `__call__` reads `q`).
pub struct FixedContentQueryChecker {
    fixed_content: &'static str,
}

#[dependency]
impl FixedContentQueryChecker {
    async fn call(&self, #[param(default = "")] q: String) -> bool {
        !q.is_empty() && q.contains(self.fixed_content)
    }
}

/// FastAPI's `checker = FixedContentQueryChecker("bar")`: a provider of its
/// own, named like the static.
#[dependency]
static CHECKER: FixedContentQueryChecker = FixedContentQueryChecker {
    fixed_content: "bar",
};

#[endpoint(GET "/query-checker/")]
async fn read_query_check(#[depends(CHECKER)] fixed_content_included: bool) -> Json<Value> {
    Json(json!({"fixed_content_in_query": fixed_content_included}))
}
// ANCHOR_END: checker

// ANCHOR: session
/// The notes as stored: app-scoped, so that each app (each test) has its
/// own.
#[derive(Default)]
pub struct Store(Mutex<Vec<String>>);

impl Store {
    fn notes(&self) -> Vec<String> {
        self.0.lock().map(|n| n.clone()).unwrap_or_default()
    }
}

#[dependency(scope = "app")]
async fn store() -> Store {
    Store::default()
}

/// One request's writes, kept until its end.
pub struct Session {
    pending: Vec<String>,
}

/// FastAPI's `get_db` with `yield`: the session is lent to whoever asks
/// for it during the request, then handed back to the cleanup, which
/// commits when the handler succeeded and rolls back when it failed,
/// before the response is sent.
#[dependency]
async fn get_session(store: Depends<Store>) -> Yield<Session> {
    let store = store.into_arc();
    Yield::lend(
        Session {
            pending: Vec::new(),
        },
        move |session, outcome| {
            if !outcome.failed() {
                if let Ok(mut notes) = store.0.lock() {
                    notes.extend(session.pending);
                }
            }
            async { Ok(()) }
        },
    )
    .before_response()
}

/// A dependency that writes in the session before the handler does.
#[dependency]
async fn audit(#[depends(get_session)] session: &mut Session, x_user: Header<String>) -> String {
    session.pending.push(format!("{} wrote", x_user.0));
    x_user.0
}

#[endpoint(POST "/notes/", status = 201, responses = [(409, "The note is there already")])]
async fn add_note(
    #[depends(audit)] user: String,
    #[depends(get_session)] session: &mut Session,
    store: Depends<Store>,
    #[param(min_length = 1)] text: String,
) -> Result<Json<Value>, HttpError> {
    if store.notes().contains(&text) {
        // Refused: the audit line written above is rolled back too.
        return Err(HttpError::new(StatusCode::CONFLICT, "Note already there"));
    }
    session.pending.push(text);
    Ok(Json(
        json!({"user": user, "pending": session.pending.len()}),
    ))
}

#[endpoint(GET "/notes/")]
async fn read_notes(store: Depends<Store>) -> Json<Vec<String>> {
    Json(store.notes())
}
// ANCHOR_END: session

// ANCHOR: sync
/// A plain `fn` dependency and endpoint (FastAPI's `def`): each runs on
/// the blocking pool, so that a slow call in it holds up no other request.
#[dependency]
fn word_count(#[param(default = "")] text: String) -> usize {
    text.split_whitespace().count()
}

#[endpoint(GET "/words/")]
fn count_words(#[depends(word_count)] words: usize) -> Json<Value> {
    Json(json!({"words": words}))
}
// ANCHOR_END: sync

/// The app: every route of the example.
pub fn app() -> App {
    App::new()
        .route(read_query_check)
        .route(add_note)
        .route(read_notes)
        .route(count_words)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
