//! Forms and uploads beyond the FastAPI port (examples/tests/forms.rs):
//! spooling to disk, the body limit on multipart bodies, the part limit,
//! optional files, a file read as a stream, and `JsonOrForm`.

use fastrs::extract::File;
use fastrs::prelude::*;
use fastrs::testing::{Multipart, TestClient};
use serde_json::{json, Value};
use tokio::io::AsyncReadExt;

#[endpoint(POST "/upload")]
async fn upload(mut file: UploadFile) -> Result<Json<Value>, HttpError> {
    let failed = |_| HttpError::from_status(StatusCode::INTERNAL_SERVER_ERROR);
    let content = file.bytes().await.map_err(failed)?;
    let on_disk = file.is_on_disk();
    let size = file.size();
    // Read again, as a stream.
    let mut streamed = Vec::new();
    let mut reader = file.into_reader().await.map_err(failed)?;
    reader.read_to_end(&mut streamed).await.map_err(failed)?;
    Ok(Json(json!({
        "on_disk": on_disk,
        "size": size,
        "same": content.as_ref() == streamed.as_slice(),
        "first": content.first(),
        "last": content.last(),
    })))
}

#[endpoint(POST "/maybe")]
async fn maybe(file: Option<UploadFile>, raw: Option<File>) -> Json<Value> {
    Json(json!({
        "file": file.as_ref().and_then(UploadFile::filename),
        "raw": raw.map(|r| r.len()),
    }))
}

#[endpoint(POST "/fields")]
async fn fields(tags: Form<Vec<String>>, #[param(ge = 1)] count: Form<i64>) -> Json<Value> {
    Json(json!({"tags": tags.0, "count": count.0}))
}

// ANCHOR: json_or_form
#[model]
struct Note {
    #[field(min_length = 1)]
    text: String,
    #[field(default = 1)]
    stars: i64,
}

#[endpoint(POST "/notes")]
async fn note(note: JsonOrForm<Note>) -> Json<Value> {
    Json(json!({"text": note.0.text, "stars": note.0.stars}))
}
// ANCHOR_END: json_or_form

fn app() -> App {
    App::new()
        .route(upload)
        .route(maybe)
        .route(fields)
        .route(note)
        .upload_spool_size(64)
        .body_limit(4096)
        .max_form_parts(5)
}

fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[tokio::test]
async fn a_small_file_stays_in_memory_and_a_large_one_is_spooled() {
    let client = TestClient::new(app());
    for (len, on_disk) in [(64, false), (65, true), (3000, true)] {
        let body = content(len);
        let form = Multipart::new().file("file", "f.bin", "application/octet-stream", &body);
        let response = client.post("/upload").multipart(form).await;
        assert_eq!(response.status(), 200, "{}", response.text());
        assert_eq!(
            response.json::<Value>(),
            json!({"on_disk": on_disk, "size": len, "same": true, "first": body[0], "last": body[len - 1]}),
            "{len} bytes"
        );
    }
}

#[tokio::test]
async fn a_multipart_body_past_the_limit_is_413() {
    let client = TestClient::new(app());
    let form = Multipart::new().file("file", "f.bin", "application/octet-stream", content(5000));
    let response = client.post("/upload").multipart(form).await;
    assert_eq!(response.status(), 413);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Request body is larger than the limit of 4096 bytes"})
    );
}

#[tokio::test]
async fn a_form_with_too_many_parts_is_400() {
    let client = TestClient::new(app());
    let pairs: Vec<(String, String)> = (0..6).map(|i| ("tags".into(), i.to_string())).collect();
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = client.post("/fields").form(&pairs).await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Too many form fields: at most 5 are accepted"})
    );
    let mut form = Multipart::new();
    for i in 0..6 {
        form = form.text("tags", &i.to_string());
    }
    let response = client.post("/fields").multipart(form).await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn list_fields_take_every_value_and_constraints_apply() {
    let client = TestClient::new(app());
    let response = client
        .post("/fields")
        .form(&[("tags", "a"), ("tags", "b"), ("count", "2")])
        .await;
    assert_eq!(
        response.json::<Value>(),
        json!({"tags": ["a", "b"], "count": 2})
    );
    let response = client.post("/fields").form(&[("count", "0")]).await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [
            {"type": "missing", "loc": ["body", "tags"], "msg": "Field required", "input": null},
            {"type": "greater_than_equal", "loc": ["body", "count"], "msg": "Input should be greater than or equal to 1", "input": "0", "ctx": {"ge": 1}}
        ]})
    );
}

#[tokio::test]
async fn optional_files_may_be_absent() {
    let client = TestClient::new(app());
    let response = client.post("/maybe").multipart(Multipart::new()).await;
    assert_eq!(response.json::<Value>(), json!({"file": null, "raw": null}));
    let form = Multipart::new()
        .file("file", "a.txt", "text/plain", "x")
        .file("raw", "b.txt", "text/plain", "abc");
    let response = client.post("/maybe").multipart(form).await;
    assert_eq!(response.json::<Value>(), json!({"file": "a.txt", "raw": 3}));
}

#[tokio::test]
async fn json_or_form_reads_either_by_content_type() {
    let client = TestClient::new(app());
    let json_body = client
        .post("/notes")
        .json(&json!({"text": "hi", "stars": 3}))
        .await;
    assert_eq!(json_body.json::<Value>(), json!({"text": "hi", "stars": 3}));
    let form = client
        .post("/notes")
        .form(&[("text", "hi"), ("stars", "3")])
        .await;
    assert_eq!(form.json::<Value>(), json!({"text": "hi", "stars": 3}));
    let multipart = client
        .post("/notes")
        .multipart(Multipart::new().text("text", "hi"))
        .await;
    assert_eq!(multipart.json::<Value>(), json!({"text": "hi", "stars": 1}));
    let invalid = client.post("/notes").form(&[("stars", "x")]).await;
    assert_eq!(invalid.status(), 422);
    assert_eq!(
        invalid.json::<Value>()["detail"][1]["loc"],
        json!(["body", "stars"])
    );
}

#[test]
fn forms_and_files_are_documented_with_their_media_types() {
    let document = app().openapi().to_json();
    let paths = &document["paths"];
    let upload = &paths["/upload"]["post"]["requestBody"];
    assert_eq!(
        upload["content"]["multipart/form-data"]["schema"],
        json!({"$ref": "#/components/schemas/Body_upload_upload_post"})
    );
    let maybe = &document["components"]["schemas"]["Body_maybe_maybe_post"];
    assert!(maybe.get("required").is_none(), "{maybe}");
    let fields = &paths["/fields"]["post"]["requestBody"]["content"];
    assert!(
        fields["application/x-www-form-urlencoded"].is_object(),
        "{fields}"
    );
    let notes = &paths["/notes"]["post"]["requestBody"]["content"];
    let note = json!({"schema": {"$ref": "#/components/schemas/Note"}});
    for media in [
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        assert_eq!(notes[media], note, "{media}");
    }
}
