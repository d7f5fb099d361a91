//! FastAPI's answers for every route of `forms`, pinned as literals (sent
//! to the FastAPI app this example ports, FastAPI 0.165 with python-multipart on uvicorn,
//! and copied here): form fields and form models as urlencoded and
//! multipart bodies, files as bytes and as `UploadFile`, and malformed
//! multipart bodies.

#[path = "../forms.rs"]
#[allow(dead_code)]
mod example;
mod support;

use fastrs::testing::{Multipart, TestClient, TestResponse};
use serde_json::{json, Value};

fn client() -> TestClient {
    TestClient::new(example::app())
}

fn assert_answer(response: &TestResponse, status: u16, body: Value) {
    assert_eq!(response.status(), status, "{}", response.text());
    assert_eq!(response.json::<Value>(), body);
    support::assert_headers(response, &[("content-type", Some("application/json"))]);
}

fn missing(name: &str) -> Value {
    json!({"type": "missing", "loc": ["body", name], "msg": "Field required", "input": null})
}

#[tokio::test]
async fn form_fields_from_urlencoded_and_multipart_bodies() {
    let client = client();
    let ok = client
        .post("/login")
        .form(&[("username", "bob"), ("password", "x")])
        .await;
    assert_answer(&ok, 200, json!({"username": "bob"}));
    let multipart = Multipart::new()
        .text("username", "bob")
        .text("password", "x");
    let ok = client.post("/login").multipart(multipart).await;
    assert_answer(&ok, 200, json!({"username": "bob"}));
    // The last of repeated keys; bytes that are not UTF-8 are replaced.
    let repeated = client
        .post("/login")
        .body("username=bob&username=al&password=x")
        .header("content-type", "application/x-www-form-urlencoded")
        .await;
    assert_answer(&repeated, 200, json!({"username": "al"}));
    let lossy = client
        .post("/login")
        .body("username=b%FFob&password=x")
        .header("content-type", "application/x-www-form-urlencoded")
        .await;
    assert_answer(&lossy, 200, json!({"username": "b\u{FFFD}ob"}));
}

#[tokio::test]
async fn missing_and_empty_form_fields_are_all_reported() {
    let client = client();
    let one = client.post("/login").form(&[("username", "bob")]).await;
    assert_answer(&one, 422, json!({"detail": [missing("password")]}));
    let none = client.post("/login").form(&[]).await;
    let both = json!({"detail": [missing("username"), missing("password")]});
    assert_answer(&none, 422, both.clone());
    // An empty value is no value.
    let empty = client
        .post("/login")
        .form(&[("username", ""), ("password", "x")])
        .await;
    assert_answer(&empty, 422, json!({"detail": [missing("username")]}));
    // JSON, or any other content type, is an empty form.
    let json_body = client
        .post("/login")
        .json(&json!({"username": "bob", "password": "x"}))
        .await;
    assert_answer(&json_body, 422, both.clone());
    let text = client
        .post("/login")
        .body("username=bob&password=x")
        .header("content-type", "text/plain")
        .await;
    assert_answer(&text, 422, both);
}

#[tokio::test]
async fn a_form_model_validates_every_field_and_forbids_extras() {
    let client = client();
    let ok = client
        .post("/signup")
        .form(&[("username", "bob"), ("password", "x"), ("age", "5")])
        .await;
    assert_answer(
        &ok,
        200,
        json!({"username": "bob", "password": "x", "age": 5}),
    );
    let empty_age = client
        .post("/signup")
        .form(&[("username", "bob"), ("password", "x"), ("age", "")])
        .await;
    assert_answer(
        &empty_age,
        200,
        json!({"username": "bob", "password": "x", "age": null}),
    );
    let multipart = Multipart::new()
        .text("username", "bob")
        .text("password", "x");
    let ok = client.post("/signup").multipart(multipart).await;
    assert_answer(
        &ok,
        200,
        json!({"username": "bob", "password": "x", "age": null}),
    );
    let bad_age = client
        .post("/signup")
        .form(&[("username", "bob"), ("password", "x"), ("age", "old")])
        .await;
    assert_answer(
        &bad_age,
        422,
        json!({"detail": [{"type": "int_parsing", "loc": ["body", "age"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "old"}]}),
    );
    let all = client
        .post("/signup")
        .form(&[("password", "x"), ("age", "z"), ("extra", "1")])
        .await;
    assert_answer(
        &all,
        422,
        json!({"detail": [
            {"type": "missing", "loc": ["body", "username"], "msg": "Field required", "input": {"password": "x", "age": "z", "extra": "1"}},
            {"type": "int_parsing", "loc": ["body", "age"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "z"},
            {"type": "extra_forbidden", "loc": ["body", "extra"], "msg": "Extra inputs are not permitted", "input": "1"}
        ]}),
    );
}

#[tokio::test]
async fn a_file_as_bytes_takes_a_file_part_or_a_text_field() {
    let client = client();
    let file = Multipart::new().file("file", "a.txt", "text/plain", "hello");
    let response = client.post("/files").multipart(file).await;
    assert_answer(&response, 200, json!({"file_size": 5}));
    let text = Multipart::new().text("file", "hello");
    let response = client.post("/files").multipart(text).await;
    assert_answer(&response, 200, json!({"file_size": 5}));
    let form = client.post("/files").form(&[("file", "hello")]).await;
    assert_answer(&form, 200, json!({"file_size": 5}));
}

#[tokio::test]
async fn an_upload_file_has_its_name_type_and_size() {
    let client = client();
    let file = Multipart::new().file("file", "a.txt", "text/plain", "hello");
    let response = client.post("/uploadfile").multipart(file).await;
    assert_answer(
        &response,
        200,
        json!({"filename": "a.txt", "content_type": "text/plain", "size": 5}),
    );
    let file = Multipart::new().file("file", "b.bin", "application/x-foo", "12345678");
    let response = client.post("/uploadfile").multipart(file).await;
    assert_answer(
        &response,
        200,
        json!({"filename": "b.bin", "content_type": "application/x-foo", "size": 8}),
    );
    let not_a_file = json!({"detail": [{"type": "value_error", "loc": ["body", "file"], "msg": "Value error, Expected UploadFile, received: <class 'str'>", "input": "notafile", "ctx": {"error": {}}}]});
    let text = Multipart::new().text("file", "notafile");
    let response = client.post("/uploadfile").multipart(text).await;
    assert_answer(&response, 422, not_a_file.clone());
    let form = client
        .post("/uploadfile")
        .form(&[("file", "notafile")])
        .await;
    assert_answer(&form, 422, not_a_file);
}

#[tokio::test]
async fn several_files_with_a_form_field() {
    let client = client();
    let form = Multipart::new()
        .file("files", "a.txt", "text/plain", "hello")
        .file("files", "b.bin", "application/octet-stream", "12345678")
        .text("note", "hi");
    let response = client.post("/uploadfiles").multipart(form).await;
    assert_answer(
        &response,
        200,
        json!({"filenames": ["a.txt", "b.bin"], "note": "hi"}),
    );
    let form = Multipart::new().file("files", "a.txt", "text/plain", "hello");
    let response = client.post("/uploadfiles").multipart(form).await;
    assert_answer(
        &response,
        200,
        json!({"filenames": ["a.txt"], "note": "none"}),
    );
    let form = Multipart::new().text("note", "hi");
    let response = client.post("/uploadfiles").multipart(form).await;
    assert_answer(&response, 422, json!({"detail": [missing("files")]}));
}

#[tokio::test]
async fn malformed_multipart_bodies_are_400_or_missing_parts_never_500() {
    let client = client();
    let send = |content_type: &'static str, body: &'static str| {
        client
            .post("/uploadfile")
            .header("content-type", content_type)
            .body(body)
    };
    let no_boundary = send("multipart/form-data", "garbage").await;
    assert_answer(
        &no_boundary,
        400,
        json!({"detail": "Missing boundary in multipart."}),
    );
    let not_multipart = send("multipart/form-data; boundary=XYZ", "garbage").await;
    assert_answer(
        &not_multipart,
        400,
        json!({"detail": "Invalid multipart data."}),
    );
    let wrong_boundary = send(
        "multipart/form-data; boundary=ABC",
        "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx\r\n--XYZ--\r\n",
    )
    .await;
    assert_answer(
        &wrong_boundary,
        400,
        json!({"detail": "Invalid multipart data."}),
    );
    // Cut short inside the part: the part is dropped, so the file is missing.
    let truncated = send(
        "multipart/form-data; boundary=XYZ",
        "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhel",
    )
    .await;
    assert_answer(&truncated, 422, json!({"detail": [missing("file")]}));
}

#[tokio::test]
async fn another_method_is_405() {
    let response = client().get("/uploadfile").await;
    assert_answer(&response, 405, json!({"detail": "Method Not Allowed"}));
    support::assert_headers(&response, &[("allow", Some("POST"))]);
}
