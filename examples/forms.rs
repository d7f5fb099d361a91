//! Port of FastAPI's "Form Data", "Form Models" and "Request Files"
//! tutorials: form fields, a form model that forbids extra fields, a file
//! read as bytes, an `UploadFile`, and several files with a form field.
//!
//! Run it with `PORT=8001 cargo run --release --example forms`, then for
//! instance `curl -F file=@Cargo.toml localhost:8001/uploadfile`.

use fastrs::extract::File;
use fastrs::prelude::*;
use serde_json::{json, Value};

// ANCHOR: login
#[endpoint(POST "/login")]
async fn login(username: Form<String>, password: Form<String>) -> Json<Value> {
    let _ = password;
    Json(json!({"username": username.0}))
}
// ANCHOR_END: login

// ANCHOR: signup
/// A sign-up form; any other field is refused.
#[model(extra = "forbid")]
pub struct SignupForm {
    username: String,
    password: String,
    age: Option<i64>,
}

#[endpoint(POST "/signup")]
async fn signup(data: Form<SignupForm>) -> Json<Value> {
    Json(json!(data.0))
}
// ANCHOR_END: signup

// ANCHOR: files
#[endpoint(POST "/files")]
async fn create_file(file: File) -> Json<Value> {
    Json(json!({"file_size": file.len()}))
}

#[endpoint(POST "/uploadfile")]
async fn create_upload_file(mut file: UploadFile) -> Result<Json<Value>, HttpError> {
    let content = file
        .bytes()
        .await
        .map_err(|_| HttpError::from_status(StatusCode::INTERNAL_SERVER_ERROR))?;
    Ok(Json(json!({
        "filename": file.filename(),
        "content_type": file.content_type(),
        "size": content.len(),
    })))
}

#[endpoint(POST "/uploadfiles")]
async fn create_upload_files(
    files: Vec<UploadFile>,
    #[param(default = "none".to_owned())] note: Form<String>,
) -> Json<Value> {
    let filenames: Vec<_> = files.iter().map(UploadFile::filename).collect();
    Json(json!({"filenames": filenames, "note": note.0}))
}
// ANCHOR_END: files

/// The app: every route of the port.
pub fn app() -> App {
    App::new()
        .route(login)
        .route(signup)
        .route(create_file)
        .route(create_upload_file)
        .route(create_upload_files)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
