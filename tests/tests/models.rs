//! `#[model]` beyond the parity examples: field types from other crates,
//! `extra = "forbid"` bodies, parameter models for headers and cookies,
//! defaults, and response models that do not fit.
//!
//! Expected errors are Pydantic 2's for the same input (checked with
//! `TypeAdapter(...).validate_python(...)` and FastAPI).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[model]
struct Event {
    id: uuid::Uuid,
    at: DateTime<FixedOffset>,
    local: Option<NaiveDateTime>,
    day: Option<NaiveDate>,
    time: Option<NaiveTime>,
    utc: Option<DateTime<Utc>>,
}

#[endpoint(POST "/events")]
async fn create_event(event: Json<Event>) -> Json<Value> {
    let e = event.0;
    Json(json!({
        "id": e.id.to_string(),
        "offset": e.at.offset().local_minus_utc(),
        "local": e.local.map(|d| d.to_string()),
        "day": e.day.map(|d| d.to_string()),
        "time": e.time.map(|t| t.to_string()),
        "utc": e.utc.map(|d| d.timestamp()),
    }))
}

#[endpoint(GET "/events/{id}")]
async fn read_event(id: uuid::Uuid, day: Option<NaiveDate>) -> Json<Value> {
    Json(json!({"id": id.to_string(), "day": day.map(|d| d.to_string())}))
}

#[model(extra = "forbid")]
struct Strict {
    #[field(default = "anonymous")]
    name: String,
    #[field(alias = "maxItems", ge = 1)]
    max_items: Option<u32>,
}

#[endpoint(POST "/strict")]
async fn strict(body: Json<Strict>) -> Json<Value> {
    Json(json!({"name": body.0.name, "max": body.0.max_items}))
}

#[model]
struct CommonHeaders {
    user_agent: Option<String>,
    #[field(min_length = 3)]
    x_token: String,
    x_tag: Vec<String>,
}

#[model]
struct Session {
    session_id: String,
    #[field(default = false)]
    tracked: bool,
}

#[endpoint(GET "/whoami")]
async fn whoami(headers: Headers<CommonHeaders>, cookies: Cookies<Session>) -> Json<Value> {
    Json(json!({
        "agent": headers.0.user_agent, "token": headers.0.x_token, "tags": headers.0.x_tag,
        "session": cookies.0.session_id, "tracked": cookies.0.tracked,
    }))
}

// ANCHOR: underscores
/// FastAPI's header model read with `Header(convert_underscores=False)`:
/// each field reads the header spelled as the field, underscores and all.
#[model]
struct RawHeaders {
    save_data: bool,
    if_modified_since: Option<String>,
    x_tag: Vec<String>,
}

#[endpoint(GET "/raw-headers")]
async fn raw_headers(
    #[param(convert_underscores = false)] headers: Headers<RawHeaders>,
) -> Json<Value> {
    let RawHeaders {
        save_data,
        if_modified_since,
        x_tag,
    } = headers.0;
    Json(json!({"save_data": save_data, "if_modified_since": if_modified_since, "x_tag": x_tag}))
}
// ANCHOR_END: underscores

#[model]
struct Public {
    name: String,
}

#[endpoint(GET "/leaky", response_model = Public)]
async fn leaky() -> Json<Value> {
    Json(json!({"name": "n", "secret": "s"}))
}

#[endpoint(GET "/broken", response_model = Public)]
async fn broken() -> Json<Value> {
    Json(json!({"nom": "n"}))
}

fn client() -> TestClient {
    TestClient::new(
        App::new()
            .route(create_event)
            .route(read_event)
            .route(strict)
            .route(whoami)
            .route(raw_headers)
            .route(leaky)
            .route(broken),
    )
}

#[tokio::test]
async fn uuids_and_datetimes_parse_as_pydantic_parses_them() {
    let response = client()
        .post("/events")
        .json(&json!({
            "id": "a8098c1a-f86e-11da-bd1a-00112444be1e",
            "at": "2032-04-23T10:20:30.400+02:30",
            "local": "2032-04-23",
            "day": "2032-04-23T00:00:00",
            "time": "10:20:30",
            "utc": 1_700_000_000,
        }))
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(
        response.json::<Value>(),
        json!({
            "id": "a8098c1a-f86e-11da-bd1a-00112444be1e", "offset": 9000,
            "local": "2032-04-23 00:00:00", "day": "2032-04-23", "time": "10:20:30",
            "utc": 1_700_000_000,
        })
    );
}

#[tokio::test]
async fn bad_uuids_and_datetimes_give_pydantics_errors() {
    let response = client()
        .post("/events")
        .json(&json!({"id": 5, "at": "2032-13-01T00:00:00", "day": "2032-02-30", "time": "x", "local": "x"}))
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [
            {"type": "uuid_type", "loc": ["body", "id"], "msg": "UUID input should be a string, bytes or UUID object", "input": 5},
            {"type": "datetime_from_date_parsing", "loc": ["body", "at"], "msg": "Input should be a valid datetime or date, month value is outside expected range of 1-12", "input": "2032-13-01T00:00:00", "ctx": {"error": "month value is outside expected range of 1-12"}},
            {"type": "datetime_from_date_parsing", "loc": ["body", "local"], "msg": "Input should be a valid datetime or date, input is too short", "input": "x", "ctx": {"error": "input is too short"}},
            {"type": "date_from_datetime_parsing", "loc": ["body", "day"], "msg": "Input should be a valid date or datetime, day value is outside expected range", "input": "2032-02-30", "ctx": {"error": "day value is outside expected range"}},
            {"type": "time_parsing", "loc": ["body", "time"], "msg": "Input should be in a valid time format, input is too short", "input": "x", "ctx": {"error": "input is too short"}},
        ]})
    );
}

#[tokio::test]
async fn uuids_and_dates_work_as_parameters() {
    let response = client()
        .get("/events/a8098c1a-f86e-11da-bd1a-00112444be1e?day=2032-04-23")
        .await;
    assert_eq!(
        response.json::<Value>(),
        json!({"id": "a8098c1a-f86e-11da-bd1a-00112444be1e", "day": "2032-04-23"})
    );
    let response = client().get("/events/x?day=20").await;
    assert_eq!(response.status(), 422);
    let detail = response.json::<Value>()["detail"].clone();
    assert_eq!(detail[0]["type"], "uuid_parsing");
    assert_eq!(detail[0]["loc"], json!(["path", "id"]));
    // A numeric string is a Unix timestamp to Pydantic; 20 s is no exact date.
    assert_eq!(detail[1]["type"], "date_from_datetime_inexact");
    assert_eq!(detail[1]["loc"], json!(["query", "day"]));
}

#[tokio::test]
async fn forbidden_extra_keys_are_each_reported_after_the_fields() {
    let response = client()
        .post("/strict")
        .json(&json!({"maxItems": 0, "extra": 1, "max_items": 5}))
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [
            {"type": "greater_than_equal", "loc": ["body", "maxItems"], "msg": "Input should be greater than or equal to 1", "input": 0, "ctx": {"ge": 1}},
            {"type": "extra_forbidden", "loc": ["body", "extra"], "msg": "Extra inputs are not permitted", "input": 1},
            {"type": "extra_forbidden", "loc": ["body", "max_items"], "msg": "Extra inputs are not permitted", "input": 5},
        ]})
    );
    let response = client().post("/strict").json(&json!({"maxItems": 2})).await;
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "anonymous", "max": 2})
    );
}

#[tokio::test]
async fn header_and_cookie_models_read_their_sources() {
    let response = client()
        .get("/whoami")
        .header("user-agent", "curl")
        .header("x-token", "secret")
        .header("x-tag", "a")
        .header("x-tag", "b")
        .header("cookie", "session_id=s1")
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(
        response.json::<Value>(),
        json!({"agent": "curl", "token": "secret", "tags": ["a", "b"], "session": "s1", "tracked": false})
    );
    let response = client().get("/whoami").header("x-token", "ab").await;
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [
            {"type": "string_too_short", "loc": ["header", "x_token"], "msg": "String should have at least 3 characters", "input": "ab", "ctx": {"min_length": 3}},
            {"type": "missing", "loc": ["header", "x_tag"], "msg": "Field required", "input": {"x_token": "ab"}},
            {"type": "missing", "loc": ["cookie", "session_id"], "msg": "Field required", "input": {}},
        ]})
    );
}

#[tokio::test]
async fn a_response_model_drops_undeclared_fields() {
    let response = client().get("/leaky").await;
    assert_eq!(response.json::<Value>(), json!({"name": "n"}));
}

#[tokio::test]
async fn a_value_that_does_not_fit_the_response_model_is_500() {
    let response = client().get("/broken").await;
    assert_eq!(response.status(), 500);
    assert_eq!(response.text(), "Internal Server Error");
}

mod datetimes {
    //! Dates and times are written as Pydantic writes them (FastAPI 0.165's
    //! answers for the same inputs, copied here, for `dt`, `naive`, `d`,
    //! `t` and `many`): microseconds in six digits when there are any, `Z`
    //! for UTC, `±HH:MM` otherwise. `DateTime<Utc>` has no Python
    //! equivalent (Pydantic keeps the offset given); it is converted to
    //! UTC on input and written with `Z`.
    use fastrs::prelude::*;
    use fastrs::testing::TestClient;
    use serde_json::{json, Value};

    #[model]
    struct Times {
        dt: chrono::DateTime<chrono::FixedOffset>,
        naive: Option<chrono::NaiveDateTime>,
        utc: Option<chrono::DateTime<chrono::Utc>>,
        d: Option<chrono::NaiveDate>,
        t: Option<chrono::NaiveTime>,
        #[field(default = Vec::new())]
        many: Vec<chrono::NaiveDateTime>,
    }

    #[endpoint(POST "/t")]
    async fn echo(x: Json<Times>) -> Times {
        x.0
    }

    async fn post(body: Value) -> Value {
        TestClient::new(App::new().route(echo))
            .post("/t")
            .json(&body)
            .await
            .json()
    }

    #[tokio::test]
    async fn fractions_and_offsets_are_written_as_pydantic_writes_them() {
        assert_eq!(
            post(json!({"dt": "2024-01-01T10:00:00.4+02:30", "t": "10:00:00.4"})).await,
            json!({"dt": "2024-01-01T10:00:00.400000+02:30", "naive": null, "utc": null, "d": null, "t": "10:00:00.400000", "many": []})
        );
        assert_eq!(
            post(json!({"dt": "2024-01-01T10:00:00+00:00", "t": "10:00", "many": ["2024-01-01T10:00:00.123456789"]})).await,
            json!({"dt": "2024-01-01T10:00:00Z", "naive": null, "utc": null, "d": null, "t": "10:00:00", "many": ["2024-01-01T10:00:00.123456"]})
        );
        assert_eq!(
            post(json!({"dt": 1700000000.5, "naive": "2024-01-01T10:00:00", "utc": "2024-01-01T12:00:00+02:00", "d": "2024-01-02"})).await,
            json!({"dt": "2023-11-14T22:13:20.500000Z", "naive": "2024-01-01T10:00:00", "utc": "2024-01-01T10:00:00Z", "d": "2024-01-02", "t": null, "many": []})
        );
        assert_eq!(
            post(json!({"dt": "2024-01-01T10:00:00-05:45"})).await["dt"],
            "2024-01-01T10:00:00-05:45"
        );
    }
}

#[tokio::test]
async fn a_header_model_without_converted_underscores_reads_and_documents_them_as_written() {
    let client = client();
    let response = client
        .get("/raw-headers")
        .header("save_data", "true")
        .header("if_modified_since", "yesterday")
        .header("x_tag", "one")
        .header("x_tag", "two")
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(
        response.json::<Value>(),
        json!({"save_data": true, "if_modified_since": "yesterday", "x_tag": ["one", "two"]})
    );
    // FastAPI: `save-data` is not `save_data` there.
    let dashed = client.get("/raw-headers").header("save-data", "true").await;
    assert_eq!(dashed.status(), 422);
    let error = &dashed.json::<Value>()["detail"][0];
    assert_eq!(
        (&error["type"], &error["loc"]),
        (&json!("missing"), &json!(["header", "save_data"]))
    );

    let document = client.get("/openapi.json").await.json::<Value>();
    let names: Vec<&str> = document["paths"]["/raw-headers"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["save_data", "if_modified_since", "x_tag"]);
    // The converted model beside it keeps dashes.
    let converted = &document["paths"]["/whoami"]["get"]["parameters"][0]["name"];
    assert_eq!(converted, "user-agent");
}
