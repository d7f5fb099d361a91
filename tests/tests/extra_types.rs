//! Pydantic's other types, each pinned to FastAPI 0.165 (Pydantic 2.14):
//! root models over a list or a map, durations (`timedelta`), binary data
//! (`bytes`, base64 in JSON) and URLs (`HttpUrl`, `AnyUrl`). Every
//! expected schema and answer below is what FastAPI gives for the same
//! Pydantic declarations.

use std::collections::HashMap;

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

// ANCHOR: root
/// A list as a body of its own (Pydantic: `class Tags(RootModel[list[str]])`).
#[model]
struct Tags(Vec<String>);

/// A map as a body (Pydantic: `class Scores(RootModel[dict[str, int]])`).
#[model]
struct Scores(#[field(min_length = 1)] HashMap<String, i64>);

#[endpoint(POST "/tags")]
async fn put_tags(tags: Json<Tags>) -> Json<Tags> {
    tags
}

#[endpoint(POST "/scores")]
async fn put_scores(scores: Json<Scores>) -> Json<Value> {
    Json(json!({"players": scores.len()}))
}
// ANCHOR_END: root

#[tokio::test]
async fn a_newtype_over_a_list_or_map_is_a_root_model() {
    let client = TestClient::new(App::new().route(put_tags).route(put_scores));
    let document = client.get("/openapi.json").await.json::<Value>();
    let schemas = &document["components"]["schemas"];
    assert_eq!(
        schemas["Tags"],
        json!({"items": {"type": "string"}, "type": "array", "title": "Tags"})
    );
    // (FastAPI's `Scores` with `Field(min_length=1)` on the root.)
    assert_eq!(
        schemas["Scores"],
        json!({
            "additionalProperties": {"type": "integer", "format": "int64"},
            "type": "object",
            "minProperties": 1,
            "title": "Scores"
        })
    );
    let tags = &document["paths"]["/tags"]["post"];
    let reference = json!({"$ref": "#/components/schemas/Tags"});
    assert_eq!(
        tags["requestBody"]["content"]["application/json"]["schema"],
        reference
    );
    assert_eq!(
        tags["responses"]["200"]["content"]["application/json"]["schema"],
        reference
    );

    let ok = client.post("/tags").json(&json!(["a", "b"])).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.json::<Value>(), json!(["a", "b"]));
    let bad_item = client.post("/tags").json(&json!(["a", 1])).await;
    assert_eq!(bad_item.status(), 422);
    assert_eq!(
        bad_item.json::<Value>(),
        json!({"detail": [{"type": "string_type", "loc": ["body", 1], "msg": "Input should be a valid string", "input": 1}]})
    );
    let not_a_list = client.post("/tags").json(&json!({"a": 1})).await;
    assert_eq!(
        not_a_list.json::<Value>(),
        json!({"detail": [{"type": "list_type", "loc": ["body"], "msg": "Input should be a valid list", "input": {"a": 1}}]})
    );

    let scores = client.post("/scores").json(&json!({"a": 1, "b": 2})).await;
    assert_eq!(scores.json::<Value>(), json!({"players": 2}));
    let bad_value = client.post("/scores").json(&json!({"a": "x"})).await;
    assert_eq!(
        bad_value.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["body", "a"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x"}]})
    );
    let not_a_map = client.post("/scores").json(&json!([1])).await;
    assert_eq!(
        not_a_map.json::<Value>(),
        json!({"detail": [{"type": "dict_type", "loc": ["body"], "msg": "Input should be a valid dictionary", "input": [1]}]})
    );
    let empty = client.post("/scores").json(&json!({})).await;
    assert_eq!(
        empty.json::<Value>(),
        json!({"detail": [{"type": "too_short", "loc": ["body"], "msg": "Dictionary should have at least 1 item after validation, not 0", "input": {}, "ctx": {"field_type": "Dictionary", "min_length": 1, "actual_length": 0}}]})
    );
}

// ANCHOR: duration
/// A duration (Pydantic: `took: timedelta`), with the feature `chrono`.
#[model]
struct Job {
    took: chrono::TimeDelta,
}

#[endpoint(POST "/jobs")]
async fn put_job(job: Json<Job>) -> Json<Job> {
    job
}

#[endpoint(GET "/waits")]
async fn waits(d: Option<chrono::TimeDelta>) -> Json<Value> {
    Json(json!({"seconds": d.map(|d| d.num_seconds())}))
}
// ANCHOR_END: duration

#[tokio::test]
async fn durations_are_pydantics_timedelta() {
    let client = TestClient::new(App::new().route(put_job).route(waits));
    let document = client.get("/openapi.json").await.json::<Value>();
    assert_eq!(
        document["components"]["schemas"]["Job"]["properties"]["took"],
        json!({"type": "string", "format": "duration", "title": "Took"})
    );
    assert_eq!(
        document["paths"]["/waits"]["get"]["parameters"][0]["schema"],
        json!({"anyOf": [{"type": "string", "format": "duration"}, {"type": "null"}], "title": "D"})
    );

    // What FastAPI answers for each `took` sent: ISO 8601, clock text and
    // seconds in; ISO 8601 out, as Pydantic writes it.
    let cases = [
        (json!("P3D"), "P3D"),
        (json!("PT1H30M"), "PT1H30M"),
        (json!("PT0.5S"), "PT0.5S"),
        (json!(3600), "PT1H"),
        (json!(1.5), "PT1.5S"),
        (json!(-1), "-PT1S"),
        (json!("-PT1S"), "-PT1S"),
        (json!("01:02:03"), "PT1H2M3S"),
        (json!("1 day, 01:00:00"), "P1DT1H"),
        (json!("P1Y"), "P1Y"),
        (json!("P1W"), "P7D"),
        (json!("P1M"), "P30D"),
        (json!(true), "PT1S"),
        (json!("PT36H"), "P1DT12H"),
        (json!(259_200.000_001), "P3DT0.000001S"),
        (json!("-P1DT1S"), "-P1DT1S"),
    ];
    for (sent, written) in cases {
        let answer = client.post("/jobs").json(&json!({"took": sent})).await;
        assert_eq!(answer.status(), 200, "{sent}");
        assert_eq!(answer.json::<Value>(), json!({"took": written}), "{sent}");
    }

    let refused = [
        (
            json!(null),
            json!({"type": "time_delta_type", "loc": ["body", "took"], "msg": "Input should be a valid timedelta", "input": null}),
        ),
        (
            json!("P"),
            json!({"type": "time_delta_parsing", "loc": ["body", "took"], "msg": "Input should be a valid timedelta, input is too short", "input": "P", "ctx": {"error": "input is too short"}}),
        ),
        (
            json!("1:00"),
            json!({"type": "time_delta_parsing", "loc": ["body", "took"], "msg": "Input should be a valid timedelta, \"day\" identifier in duration not correctly formatted", "input": "1:00", "ctx": {"error": "\"day\" identifier in duration not correctly formatted"}}),
        ),
        (
            json!(1e20),
            json!({"type": "time_delta_parsing", "loc": ["body", "took"], "msg": "Input should be a valid timedelta, durations may not exceed 999,999,999 days", "input": 1e20, "ctx": {"error": "durations may not exceed 999,999,999 days"}}),
        ),
    ];
    for (sent, error) in refused {
        let answer = client.post("/jobs").json(&json!({"took": sent})).await;
        assert_eq!(answer.status(), 422, "{sent}");
        assert_eq!(answer.json::<Value>(), json!({"detail": [error]}), "{sent}");
    }

    // In a query: the text only (a bare number is not a duration there).
    let ok = client.get("/waits?d=P1DT2H").await;
    assert_eq!(ok.json::<Value>(), json!({"seconds": 93_600}));
    let number = client.get("/waits?d=90").await;
    assert_eq!(
        number.json::<Value>(),
        json!({"detail": [{"type": "time_delta_parsing", "loc": ["query", "d"], "msg": "Input should be a valid timedelta, \"day\" identifier in duration not correctly formatted", "input": "90", "ctx": {"error": "\"day\" identifier in duration not correctly formatted"}}]})
    );
    assert_eq!(
        client.get("/waits?d=bad").await.json::<Value>()["detail"][0]["msg"],
        "Input should be a valid timedelta, invalid digit in duration"
    );
}

// ANCHOR: binary
/// Binary data, base64 in JSON (Pydantic: `data: bytes` with
/// `ser_json_bytes="base64"` and `val_json_bytes="base64"`).
#[model]
struct Blob {
    data: fastrs::model::Binary,
    thumbnail: Option<fastrs::model::Binary>,
}

#[endpoint(POST "/blobs")]
async fn put_blob(blob: Json<Blob>) -> Json<Blob> {
    blob
}
// ANCHOR_END: binary

#[tokio::test]
async fn binary_data_is_base64_as_pydantic_writes_it() {
    let client = TestClient::new(App::new().route(put_blob));
    let document = client.get("/openapi.json").await.json::<Value>();
    let binary = json!({"type": "string", "contentEncoding": "base64", "contentMediaType": "application/octet-stream"});
    let blob = &document["components"]["schemas"]["Blob"]["properties"];
    let mut titled = binary.clone();
    titled["title"] = json!("Data");
    assert_eq!(blob["data"], titled);
    assert_eq!(
        blob["thumbnail"],
        json!({"anyOf": [binary, {"type": "null"}], "title": "Thumbnail"})
    );

    let ok = client
        .post("/blobs")
        .json(&json!({"data": "+/+/", "thumbnail": "aGVsbG8"}))
        .await;
    assert_eq!(
        ok.json::<Value>(),
        json!({"data": "-_-_", "thumbnail": "aGVsbG8="})
    );
    let not_base64 = client.post("/blobs").json(&json!({"data": "!!"})).await;
    assert_eq!(not_base64.status(), 422);
    assert_eq!(
        not_base64.json::<Value>(),
        json!({"detail": [{"type": "bytes_invalid_encoding", "loc": ["body", "data"], "msg": "Data should be valid base64: Invalid symbol 33, offset 0.", "input": "!!", "ctx": {"encoding": "base64", "encoding_error": "Invalid symbol 33, offset 0."}}]})
    );
    let not_text = client.post("/blobs").json(&json!({"data": 5})).await;
    assert_eq!(
        not_text.json::<Value>(),
        json!({"detail": [{"type": "bytes_type", "loc": ["body", "data"], "msg": "Input should be a valid bytes", "input": 5}]})
    );
}

// ANCHOR: urls
use fastrs::model::{AnyUrl, HttpUrl};

/// URLs (Pydantic: `url: HttpUrl`, `feed: AnyUrl | None = None`), with
/// the feature `url`.
#[model]
struct Site {
    url: HttpUrl,
    feed: Option<AnyUrl>,
}

#[endpoint(POST "/sites")]
async fn put_site(site: Json<Site>) -> Json<Site> {
    site
}

#[endpoint(GET "/visit")]
async fn visit(u: HttpUrl) -> Json<Value> {
    Json(json!({"host": u.host_str()}))
}
// ANCHOR_END: urls

#[tokio::test]
async fn urls_are_pydantics_http_url_and_any_url() {
    let client = TestClient::new(App::new().route(put_site).route(visit));
    let document = client.get("/openapi.json").await.json::<Value>();
    let site = &document["components"]["schemas"]["Site"]["properties"];
    assert_eq!(
        site["url"],
        json!({"type": "string", "maxLength": 2083, "minLength": 1, "format": "uri", "title": "Url"})
    );
    assert_eq!(
        site["feed"],
        json!({"anyOf": [{"type": "string", "minLength": 1, "format": "uri"}, {"type": "null"}], "title": "Feed"})
    );
    assert_eq!(
        document["paths"]["/visit"]["get"]["parameters"][0]["schema"],
        json!({"type": "string", "format": "uri", "minLength": 1, "maxLength": 2083, "title": "U"})
    );

    let written = [
        (
            json!({"url": "http://example.com"}),
            json!({"url": "http://example.com/", "feed": null}),
        ),
        (
            json!({"url": "HTTPS://Example.COM:443/a b?x=1#f"}),
            json!({"url": "https://example.com/a%20b?x=1#f", "feed": null}),
        ),
        (
            json!({"url": "http://x.com", "feed": "mailto:a@b.c"}),
            json!({"url": "http://x.com/", "feed": "mailto:a@b.c"}),
        ),
        (
            json!({"url": "http://münchen.de/ü", "feed": "ftp://a"}),
            json!({"url": "http://xn--mnchen-3ya.de/%C3%BC", "feed": "ftp://a/"}),
        ),
    ];
    for (sent, answer) in written {
        let response = client.post("/sites").json(&sent).await;
        assert_eq!(response.status(), 200, "{sent}");
        assert_eq!(response.json::<Value>(), answer);
    }

    let long = format!("http://{}.com", "a".repeat(2100));
    let refused = [
        (
            json!("ftp://x.com"),
            json!({"type": "url_scheme", "loc": ["body", "url"], "msg": "URL scheme should be 'http' or 'https'", "input": "ftp://x.com", "ctx": {"expected_schemes": "'http' or 'https'"}}),
        ),
        (
            json!("example.com"),
            json!({"type": "url_parsing", "loc": ["body", "url"], "msg": "Input should be a valid URL, relative URL without a base", "input": "example.com", "ctx": {"error": "relative URL without a base"}}),
        ),
        (
            json!(""),
            json!({"type": "url_parsing", "loc": ["body", "url"], "msg": "Input should be a valid URL, input is empty", "input": "", "ctx": {"error": "input is empty"}}),
        ),
        (
            json!(5),
            json!({"type": "url_type", "loc": ["body", "url"], "msg": "URL input should be a string or URL", "input": 5}),
        ),
        (
            json!("http://"),
            json!({"type": "url_parsing", "loc": ["body", "url"], "msg": "Input should be a valid URL, empty host", "input": "http://", "ctx": {"error": "empty host"}}),
        ),
        (
            json!("http://[::1"),
            json!({"type": "url_parsing", "loc": ["body", "url"], "msg": "Input should be a valid URL, invalid IPv6 address", "input": "http://[::1", "ctx": {"error": "invalid IPv6 address"}}),
        ),
        (
            json!("http://a:99999"),
            json!({"type": "url_parsing", "loc": ["body", "url"], "msg": "Input should be a valid URL, invalid port number", "input": "http://a:99999", "ctx": {"error": "invalid port number"}}),
        ),
        (
            json!(long),
            json!({"type": "url_too_long", "loc": ["body", "url"], "msg": "URL should have at most 2083 characters", "input": long, "ctx": {"max_length": 2083}}),
        ),
    ];
    for (sent, error) in refused {
        let response = client.post("/sites").json(&json!({"url": sent})).await;
        assert_eq!(response.status(), 422, "{sent}");
        assert_eq!(response.json::<Value>(), json!({"detail": [error]}));
    }

    assert_eq!(
        client
            .get("/visit?u=https://Example.org/x")
            .await
            .json::<Value>(),
        json!({"host": "example.org"})
    );
    assert_eq!(
        client.get("/visit?u=nope").await.json::<Value>(),
        json!({"detail": [{"type": "url_parsing", "loc": ["query", "u"], "msg": "Input should be a valid URL, relative URL without a base", "input": "nope", "ctx": {"error": "relative URL without a base"}}]})
    );
}
