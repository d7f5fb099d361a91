//! Fuzz harnesses: each takes arbitrary bytes and panics when fastrs breaks
//! one of its promises on them. The cargo-fuzz targets in `fuzz/` call
//! these, and `tests/tests/fuzz_regressions.rs` replays every input that
//! once found something (`tests/fuzz-regressions/<harness>/`), so a fixed
//! bug stays fixed under `cargo test`.
//!
//! The promises: no input is ever answered 5xx or panics (every request
//! goes through a real [`App`], in process); a JSON body the one-pass fast
//! path accepts is accepted by the all-errors path with no error and the
//! same value; a `json_invalid` error points inside the body.

use std::sync::OnceLock;

use fastrs::extract::{Cookies, File, Form, Query};
use fastrs::http;
use fastrs::model::fast::from_slice;
use fastrs::model::{Constraints, Location, Validate, ValidateCx, ValidationErrors};
use fastrs::prelude::*;
use serde_json::{json, Value};
use tower::ServiceExt;

/// A model with what the JSON paths have to handle: nesting, lists, maps,
/// optional fields, constraints, an enum, defaults, coercion, validators
/// that transform, a computed field, tagged and untagged unions, and a
/// field that tells absent from `null`.
#[model(computed(total), validate = item_is_consistent)]
pub struct Item {
    #[field(min_length = 1, max_length = 20)]
    name: String,
    #[field(gt = 0, le = 1_000_000)]
    price: f64,
    #[field(default = 1, ge = 0)]
    quantity: i64,
    tags: Vec<String>,
    owner: Option<Owner>,
    attributes: std::collections::BTreeMap<String, i64>,
    kind: Option<Kind>,
    #[field(pattern = "^[a-z]+$", validate = code_not_reserved)]
    code: Option<String>,
    flag: Option<bool>,
    pet: Option<Pet>,
    shape: Option<Shape>,
    note: fastrs::model::Maybe<Option<String>>,
}

impl Item {
    /// Written out, never read.
    pub fn total(&self) -> f64 {
        self.price * self.quantity as f64
    }
}

/// A field validator that refuses one value and transforms the others.
fn code_not_reserved(code: Option<String>) -> Result<Option<String>, &'static str> {
    match code.as_deref() {
        Some("admin") => Err("is reserved"),
        _ => Ok(code.map(|c| c.to_uppercase())),
    }
}

/// A model validator across fields.
fn item_is_consistent(item: Item) -> Result<Item, &'static str> {
    if item.flag == Some(true) && item.tags.is_empty() {
        return Err("a flagged item needs a tag");
    }
    Ok(item)
}

/// A tagged union.
#[model(discriminator = "type")]
#[serde(rename_all = "lowercase")]
pub enum Pet {
    /// A cat.
    Cat(Cat),
    /// A dog.
    Dog(Dog),
}

/// A variant of [`Pet`].
#[model]
pub struct Cat {
    #[field(ge = 0)]
    lives: i64,
}

/// A variant of [`Pet`] that refuses unknown keys.
#[model(extra = "forbid")]
pub struct Dog {
    good: bool,
}

/// An untagged union: the variant with the most fields set wins.
#[model]
pub enum Shape {
    /// A circle.
    Circle(Circle),
    /// A rectangle.
    Rect(Rect),
}

/// A variant of [`Shape`].
#[model]
pub struct Circle {
    r: f64,
}

/// A variant of [`Shape`].
#[model]
pub struct Rect {
    w: f64,
    #[field(default = 1.0)]
    h: f64,
}

/// A nested model.
#[model]
pub struct Owner {
    id: u32,
    email: Option<fastrs::model::Email>,
}

/// A fieldless enum.
#[model]
pub enum Kind {
    /// One.
    Tool,
    /// Another.
    Part,
}

/// Query and form parameters as a model.
#[model(extra = "forbid")]
pub struct Filter {
    #[field(default = 10, gt = 0, le = 100)]
    limit: u32,
    q: Option<String>,
    tags: Vec<String>,
}

/// Cookies as a model.
#[model]
pub struct Session {
    session: Option<String>,
    visits: Option<u32>,
}

#[endpoint(POST "/json")]
async fn json_body(item: Json<Item>) -> Json<Item> {
    item
}

#[endpoint(GET "/query")]
async fn query(filter: Query<Filter>, n: Option<i64>, b: Vec<bool>) -> Json<Value> {
    Json(json!({"limit": filter.0.limit, "n": n, "b": b}))
}

#[endpoint(POST "/form")]
async fn form(filter: Form<Filter>) -> Json<u32> {
    Json(filter.0.limit)
}

#[endpoint(GET "/cookies")]
async fn cookies(session: Cookies<Session>, ads_id: Cookie<Option<String>>) -> Json<Value> {
    Json(json!({"session": session.0.session, "ads_id": ads_id.0}))
}

#[endpoint(POST "/upload")]
async fn upload(
    files: Option<Vec<UploadFile>>,
    raw: Option<File>,
    note: Form<Option<String>>,
) -> Json<Value> {
    let count = files.map_or(0, |f| f.len());
    Json(json!({"files": count, "raw": raw.map(|r| r.len()), "note": note.0}))
}

#[endpoint(GET "/items/{item_id}")]
async fn item(item_id: i64) -> Json<i64> {
    Json(item_id)
}

#[endpoint(GET "/users/{user_id}/items/{name}")]
async fn user_item(user_id: u32, name: String) -> Json<Value> {
    Json(json!([user_id, name]))
}

#[endpoint(GET "/files/{file_path:path}")]
async fn file_path(file_path: String) -> String {
    file_path
}

#[endpoint(GET "/users/me")]
async fn me() -> &'static str {
    "me"
}

fn app() -> &'static App {
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| {
        App::new()
            .route(json_body)
            .route(query)
            .route(form)
            .route(cookies)
            .route(upload)
            .route(item)
            .route(user_item)
            .route(file_path)
            .route(me)
            .body_limit(64 * 1024)
            .upload_spool_size(1024)
            .max_form_parts(100)
    })
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

/// Sends `request` through the app and returns the status and body; panics
/// on a 5xx.
fn send(request: http::Request<fastrs::body::Body>) -> (u16, Vec<u8>) {
    let label = format!("{} {}", request.method(), request.uri());
    runtime().block_on(async move {
        let Ok(response) = app().clone().oneshot(request).await;
        let status = response.status().as_u16();
        let body = http_body_util::BodyExt::collect(response.into_body())
            .await
            .map(|c| c.to_bytes().to_vec())
            .unwrap_or_default();
        assert!(
            status < 500,
            "{label} answered {status}: {}",
            String::from_utf8_lossy(&body)
        );
        (status, body)
    })
}

/// POSTs `data` to `uri` with `content_type`.
fn post(uri: &str, content_type: &str, data: &[u8]) -> (u16, Vec<u8>) {
    let request = http::Request::post(uri)
        .header("content-type", content_type)
        .body(fastrs::body::Body::full(data.to_vec()))
        .expect("a request");
    send(request)
}

fn request(method: &str, uri: &str) -> Option<http::request::Builder> {
    let uri: http::Uri = uri.parse().ok()?;
    Some(http::Request::builder().method(method).uri(uri))
}

/// A JSON body: the fast path and the all-errors path agree, the app never
/// answers 5xx, and a `json_invalid` error points inside the body.
pub fn json(data: &[u8]) {
    if let Some(fast) = from_slice::<Item>(data) {
        let value: Value = match serde_json::from_slice(data) {
            Ok(value) => value,
            // serde's limits beyond Python's inside a key the model
            // ignores: the one-pass path skips the key and accepts, as
            // FastAPI does; only a whole parse hits the limit (README: a
            // 400 there).
            Err(error) if is_serde_limit(&error) => return,
            Err(error) => panic!("the fast path accepted what is not JSON: {error}"),
        };
        let mut errors = ValidationErrors::new();
        let mut cx = ValidateCx::new(Location::Body, Vec::new(), &mut errors);
        let slow = Item::validate(&value, &Constraints::NONE, &mut cx);
        assert!(
            errors.is_empty(),
            "the fast path accepted what validation refuses: {}",
            json!(errors)
        );
        let slow = slow.expect("no errors and a value");
        assert_eq!(
            json!(fast),
            json!(slow),
            "the two paths read different values"
        );
    }
    let (status, body) = post("/json", "application/json", data);
    assert!(matches!(status, 200 | 400 | 413 | 422), "{status}");
    if status == 422 {
        let answer: Value = serde_json::from_slice(&body).expect("a 422 is JSON");
        for error in answer["detail"].as_array().into_iter().flatten() {
            if error["type"] == "json_invalid" {
                let position = error["loc"][1].as_u64().expect("a position");
                let chars = String::from_utf8_lossy(data).chars().count() as u64;
                assert!(position <= chars, "json_invalid at {position} of {chars}");
            }
        }
    }
}

/// True for the errors where serde_json is stricter than Python's `json`:
/// numbers past f64, nesting past 128 levels, and lone UTF-16 surrogates
/// in `\u` escapes (Python keeps them in the string).
fn is_serde_limit(error: &serde_json::Error) -> bool {
    let message = error.to_string();
    [
        "number out of range",
        "recursion limit exceeded",
        "lone leading surrogate in hex escape",
        "unexpected end of hex escape",
    ]
    .iter()
    .any(|limit| message.starts_with(limit))
}

/// A query string, to a parameter model (`extra = "forbid"`) and scalars.
pub fn query_string(data: &[u8]) {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(builder) = request("GET", &format!("/query?{query}")) {
        send(
            builder
                .body(fastrs::body::Body::empty())
                .expect("a request"),
        );
    }
}

/// A urlencoded form body, to a form model.
pub fn form_body(data: &[u8]) {
    post("/form", "application/x-www-form-urlencoded", data);
}

/// A `Cookie` header, to a cookie model and a cookie parameter.
pub fn cookie_header(data: &[u8]) {
    let Ok(value) = http::HeaderValue::from_bytes(data) else {
        return;
    };
    if let Some(builder) = request("GET", "/cookies") {
        send(
            builder
                .header("cookie", value)
                .body(fastrs::body::Body::empty())
                .expect("a request"),
        );
    }
}

/// A multipart body (boundary `XYZ`), to files, bytes and a form field.
pub fn multipart(data: &[u8]) {
    let (status, _) = post("/upload", "multipart/form-data; boundary=XYZ", data);
    assert!(matches!(status, 200 | 400 | 413 | 422), "{status}");
}

/// A request path, to static, parameter and `{name:path}` routes.
pub fn path(data: &[u8]) {
    let Ok(path) = std::str::from_utf8(data) else {
        return;
    };
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    if let Some(builder) = request("GET", &path) {
        send(
            builder
                .body(fastrs::body::Body::empty())
                .expect("a request"),
        );
    }
}

/// A harness: arbitrary bytes in, a panic when a promise is broken.
pub type Harness = fn(&[u8]);

/// Every harness by name, for the fuzz targets and the regression test.
pub const HARNESSES: &[(&str, Harness)] = &[
    ("json", json),
    ("query_string", query_string),
    ("form_body", form_body),
    ("cookie_header", cookie_header),
    ("multipart", multipart),
    ("path", path),
];
