//! Port of FastAPI's dependency tutorials:
//! function and struct
//! dependencies, sub-dependencies, the per-request cache and opting out of
//! it, cleanup after the response (`yield`), cleanup that turns an error
//! into an `HttpError`, and route dependencies whose errors win over 422.
//!
//! Run it with `PORT=8001 cargo run --release --example dependencies`.
//!
//! Arguments name their provider, as FastAPI's `Depends(provider)` does:
//! `#[depends(dep_counter)] count: u64`, so that values FastAPI returns as
//! plain `str`, `int` or `dict` are plain types here too, however many
//! providers return one. The counter and the event log are app-scoped
//! values rather than globals, so that every app (every test) has its own.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use fastrs::di::Yield;
use fastrs::prelude::*;
use serde_json::{json, Value};

const CATALOG: [&str; 3] = ["Foo", "Bar", "Baz"];

// ANCHOR: functions
/// The common query parameters, from a function.
#[dependency]
async fn common_parameters(
    q: Option<String>,
    #[param(default = 0)] skip: i64,
    #[param(default = 100)] limit: i64,
) -> Value {
    json!({"q": q, "skip": skip, "limit": limit})
}

#[endpoint(GET "/items")]
async fn read_items(#[depends(common_parameters)] commons: Value) -> Json<Value> {
    Json(commons)
}
// ANCHOR_END: functions

// ANCHOR: classes
/// The common query parameters, from a struct (FastAPI's class dependency).
#[dependency]
pub struct CommonQueryParams {
    q: Option<String>,
    #[param(default = 0)]
    skip: i64,
    #[param(default = 100)]
    limit: i64,
}
// ANCHOR_END: classes

/// `items[start:stop]` with Python's rules (negative indexes from the end).
fn python_slice<T>(items: &[T], start: i64, stop: i64) -> &[T] {
    let len = items.len() as i64;
    let clamp = |i: i64| if i < 0 { (len + i).max(0) } else { i.min(len) };
    let (start, stop) = (clamp(start), clamp(stop));
    if start >= stop {
        &[]
    } else {
        &items[start as usize..stop as usize]
    }
}

// ANCHOR: class_endpoint
#[endpoint(GET "/class-items")]
async fn read_class_items(commons: Depends<CommonQueryParams>) -> Json<Value> {
    let mut response = json!({});
    if let Some(q) = commons.q.as_ref().filter(|q| !q.is_empty()) {
        response["q"] = json!(q);
    }
    let stop = commons.skip.saturating_add(commons.limit);
    let items: Vec<Value> = python_slice(&CATALOG, commons.skip, stop)
        .iter()
        .map(|name| json!({"item_name": name}))
        .collect();
    response["items"] = json!(items);
    Json(response)
}
// ANCHOR_END: class_endpoint

// ANCHOR: sub
/// The `q` query parameter. (FastAPI writes these two as `def`; a plain
/// `fn` would run on the blocking pool, which code this quick does not
/// need: as `async fn`s that never wait, the route is answered in place.)
#[dependency]
async fn query_extractor(q: Option<String>) -> Option<String> {
    q
}

/// `q`, or else the `last_query` cookie: a second provider of an
/// `Option<String>`, which depends on the first.
#[dependency]
async fn query_or_cookie_extractor(
    #[depends(query_extractor)] q: Option<String>,
    last_query: Cookie<Option<String>>,
) -> Option<String> {
    match q.filter(|q| !q.is_empty()) {
        Some(q) => Some(q),
        None => last_query.0,
    }
}

#[endpoint(GET "/sub")]
pub async fn read_query(
    #[depends(query_or_cookie_extractor)] query_or_default: Option<String>,
) -> Json<Value> {
    Json(json!({"q_or_cookie": query_or_default}))
}
// ANCHOR_END: sub

// ANCHOR: cache
/// The app's counter: app-scoped, so each app (each test) has its own.
#[derive(Default)]
pub struct Counter(AtomicU64);

#[dependency(scope = "app")]
async fn new_counter() -> Counter {
    Counter::default()
}

/// How many times `dep_counter` has run.
#[dependency]
async fn dep_counter(counter: Depends<Counter>) -> u64 {
    counter.0.fetch_add(1, Ordering::SeqCst) + 1
}

/// `dep_counter`'s value, seen through another dependency.
#[dependency]
async fn super_dep(#[depends(dep_counter)] count: u64) -> u64 {
    count
}

#[endpoint(GET "/sub-counter")]
async fn get_sub_counter(
    #[depends(super_dep)] subcount: u64,
    #[depends(dep_counter)] count: u64,
) -> Json<Value> {
    Json(json!({"counter": count, "subcounter": subcount}))
}

#[endpoint(GET "/sub-counter-no-cache")]
async fn get_sub_counter_no_cache(
    #[depends(super_dep)] subcount: u64,
    #[depends(dep_counter, use_cache = false)] count: u64,
) -> Json<Value> {
    Json(json!({"counter": count, "subcounter": subcount}))
}
// ANCHOR_END: cache

// ANCHOR: yield
/// What happened to database sessions, app-scoped like the counter.
#[derive(Default)]
pub struct Events(Mutex<Vec<&'static str>>);

impl Events {
    fn push(&self, name: &'static str) {
        if let Ok(mut events) = self.0.lock() {
            events.push(name);
        }
    }
}

#[dependency(scope = "app")]
async fn new_event_log() -> Events {
    Events::default()
}

/// A database session ("db"), closed after the response has been sent.
#[dependency]
async fn get_db(events: Depends<Events>) -> Yield<&'static str> {
    events.push("open");
    Yield::new("db", move |_outcome| async move {
        events.push("close");
        Ok(())
    })
}

#[endpoint(GET "/db-items/{item_id}")]
async fn read_db_item(
    item_id: String,
    #[depends(get_db)] db: &'static str,
    events: Depends<Events>,
) -> Result<Json<Value>, HttpError> {
    if item_id != "plumbus" {
        return Err(HttpError::new(StatusCode::NOT_FOUND, "Item not found"));
    }
    events.push("handled");
    Ok(Json(json!({"item_id": item_id, "db": db})))
}

#[endpoint(GET "/events")]
async fn read_events(events: Depends<Events>) -> Json<Value> {
    Json(json!(events
        .0
        .lock()
        .map(|e| e.clone())
        .unwrap_or_default()))
}

/// The handler's complaint about an item's owner.
#[derive(Debug)]
pub struct OwnerError(String);

impl fmt::Display for OwnerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OwnerError {}

/// The current user's name; its cleanup turns an `OwnerError` into a 400.
/// A plain `fn`, as FastAPI's `def`: it runs on the blocking pool, and so
/// does `read_owned`.
#[dependency]
fn get_username() -> Yield<&'static str> {
    Yield::new("Rick", |outcome| {
        let owner_error = outcome.error(|e: Option<&OwnerError>| e.map(ToString::to_string));
        async move {
            match owner_error {
                Some(e) => Err(HttpError::new(
                    StatusCode::BAD_REQUEST,
                    format!("Owner error: {e}"),
                )),
                None => Ok(()),
            }
        }
    })
    .before_response()
}

fn owned(item_id: &str) -> Option<(&'static str, &'static str)> {
    match item_id {
        "plumbus" => Some(("Freshly pickled plumbus", "Morty")),
        "portal-gun" => Some(("Gun to create portals", "Rick")),
        _ => None,
    }
}

#[endpoint(GET "/owned/{item_id}")]
fn read_owned(
    item_id: String,
    #[depends(get_username)] username: &'static str,
) -> Result<Json<Value>, fastrs::Error> {
    let (description, owner) =
        owned(&item_id).ok_or_else(|| HttpError::new(StatusCode::NOT_FOUND, "Item not found"))?;
    if owner != username {
        return Err(OwnerError(username.to_owned()).into());
    }
    Ok(Json(json!({"description": description, "owner": owner})))
}
// ANCHOR_END: yield

// ANCHOR: decorators
#[dependency]
async fn verify_token(x_token: Header<String>) -> Result<(), HttpError> {
    if x_token.0 != "fake-super-secret-token" {
        return Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "X-Token header invalid",
        ));
    }
    Ok(())
}

#[dependency]
async fn verify_key(x_key: Header<String>) -> Result<(), HttpError> {
    if x_key.0 != "fake-super-secret-key" {
        return Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "X-Key header invalid",
        ));
    }
    Ok(())
}

#[endpoint(GET "/protected", dependencies = [verify_token, verify_key])]
async fn read_protected() -> Json<Value> {
    Json(json!([{"item": "Foo"}, {"item": "Bar"}]))
}
// ANCHOR_END: decorators

/// The app, as the tests build it.
pub fn app() -> App {
    App::new()
        .route(read_items)
        .route(read_class_items)
        .route(read_query)
        .route(get_sub_counter)
        .route(get_sub_counter_no_cache)
        .route(read_db_item)
        .route(read_events)
        .route(read_owned)
        .route(read_protected)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
