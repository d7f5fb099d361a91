//! FastAPI's answers for every route of `params`, pinned as literals.
//!
//! Written by `tools/parity.py params <fastapi-url> --emit-rust` from the
//! FastAPI app this example ports (FastAPI on uvicorn) and
//! reviewed by hand. Each test sends one request through the fastrs port
//! and checks the status, the body and the headers FastAPI sent.

#[path = "../params.rs"]
#[allow(dead_code)]
mod example;
mod support;

use fastrs::testing::TestClient;
use serde_json::{json, Value};

fn client() -> TestClient {
    TestClient::new(example::app())
}

#[tokio::test]
async fn item_id_is_parsed_as_int() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items/5")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"item_id": 5}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn item_id_not_an_int_is_422() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items/foo")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["path", "item_id"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "foo"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn item_id_with_fraction_is_int_parsing() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items/42.5")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["path", "item_id"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "42.5"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn item_id_with_spaces_is_trimmed() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items/%2042%20")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"item_id": 42}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn item_id_with_underscores_is_accepted() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items/1_000")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"item_id": 1000}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn item_id_with_zero_fraction_is_accepted() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items/42.0")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"item_id": 42}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn items_with_trailing_slash_and_no_id_is_404() {
    let response = client().request(fastrs::http::Method::GET, "/items/").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.json::<Value>(), json!({"detail": "Not Found"}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn item_with_trailing_slash_redirects() {
    let response = client()
        .request(fastrs::http::Method::GET, "/items/5/")
        .await;
    assert_eq!(response.status(), 307);
    assert_eq!(response.text(), "");
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", Some("http://testserver/items/5")),
            ("x-error", None),
            ("content-type", None),
        ],
    );
}

#[tokio::test]
async fn users_me_wins_over_user_id() {
    let response = client()
        .request(fastrs::http::Method::GET, "/users/me")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"user_id": "the current user"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn user_id_is_a_string() {
    let response = client()
        .request(fastrs::http::Method::GET, "/users/alice")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"user_id": "alice"}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn model_alexnet() {
    let response = client()
        .request(fastrs::http::Method::GET, "/models/alexnet")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"model_name": "alexnet", "message": "Deep Learning FTW!"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn model_resnet() {
    let response = client()
        .request(fastrs::http::Method::GET, "/models/resnet")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"model_name": "resnet", "message": "Have some residuals"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn model_lenet() {
    let response = client()
        .request(fastrs::http::Method::GET, "/models/lenet")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"model_name": "lenet", "message": "LeCNN all the images"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn unknown_model_is_enum_error() {
    let response = client()
        .request(fastrs::http::Method::GET, "/models/vgg")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "enum", "loc": ["path", "model_name"], "msg": "Input should be 'alexnet', 'resnet' or 'lenet'", "input": "vgg", "ctx": {"expected": "'alexnet', 'resnet' or 'lenet'"}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn model_names_are_case_sensitive() {
    let response = client()
        .request(fastrs::http::Method::GET, "/models/Alexnet")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "enum", "loc": ["path", "model_name"], "msg": "Input should be 'alexnet', 'resnet' or 'lenet'", "input": "Alexnet", "ctx": {"expected": "'alexnet', 'resnet' or 'lenet'"}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn file_path_takes_the_rest_of_the_path() {
    let response = client()
        .request(fastrs::http::Method::GET, "/files/home/johndoe/myfile.txt")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"file_path": "home/johndoe/myfile.txt"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn file_path_keeps_a_leading_slash() {
    let response = client()
        .request(fastrs::http::Method::GET, "/files//home/johndoe/myfile.txt")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"file_path": "/home/johndoe/myfile.txt"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn file_path_may_be_empty() {
    let response = client().request(fastrs::http::Method::GET, "/files/").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"file_path": ""}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn file_path_is_percent_decoded() {
    let response = client()
        .request(fastrs::http::Method::GET, "/files/a%20b")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"file_path": "a b"}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn user_item_defaults() {
    let response = client()
        .request(fastrs::http::Method::GET, "/users/3/items/foo")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"item_id": "foo", "owner_id": 3, "description": "This is an amazing item that has a long description"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn user_item_with_q_and_short() {
    let response = client()
        .request(fastrs::http::Method::GET, "/users/3/items/foo?q=hi&short=1")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"item_id": "foo", "owner_id": 3, "q": "hi"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn short_accepts_yes() {
    let response = client()
        .request(fastrs::http::Method::GET, "/users/3/items/foo?short=yes")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"item_id": "foo", "owner_id": 3})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn short_rejects_maybe() {
    let response = client()
        .request(fastrs::http::Method::GET, "/users/3/items/foo?short=maybe")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "bool_parsing", "loc": ["query", "short"], "msg": "Input should be a valid boolean, unable to interpret input", "input": "maybe"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn empty_q_is_left_out() {
    let response = client()
        .request(fastrs::http::Method::GET, "/users/3/items/foo?q=")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"item_id": "foo", "owner_id": 3, "description": "This is an amazing item that has a long description"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn path_and_query_errors_are_all_reported() {
    let response = client()
        .request(fastrs::http::Method::GET, "/users/x/items/foo?short=2")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["path", "user_id"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x"}, {"type": "bool_parsing", "loc": ["query", "short"], "msg": "Input should be a valid boolean, unable to interpret input", "input": "2"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn repeated_scalar_query_takes_the_last() {
    let response = client()
        .request(
            fastrs::http::Method::GET,
            "/users/3/items/foo?short=True&short=off",
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"item_id": "foo", "owner_id": 3, "description": "This is an amazing item that has a long description"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn catalog_defaults() {
    let response = client()
        .request(fastrs::http::Method::GET, "/catalog")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!([{"item_name": "Foo"}, {"item_name": "Bar"}, {"item_name": "Baz"}])
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn catalog_skip() {
    let response = client()
        .request(fastrs::http::Method::GET, "/catalog?skip=1")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!([{"item_name": "Bar"}, {"item_name": "Baz"}])
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn catalog_skip_and_limit() {
    let response = client()
        .request(fastrs::http::Method::GET, "/catalog?skip=1&limit=1")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!([{"item_name": "Bar"}]));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn catalog_negative_skip_slices_like_python() {
    let response = client()
        .request(fastrs::http::Method::GET, "/catalog?skip=-1")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!([{"item_name": "Baz"}]));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn catalog_negative_limit_slices_like_python() {
    let response = client()
        .request(fastrs::http::Method::GET, "/catalog?limit=-1")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!([{"item_name": "Foo"}, {"item_name": "Bar"}])
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn catalog_bad_skip_and_limit_are_both_reported() {
    let response = client()
        .request(fastrs::http::Method::GET, "/catalog?skip=x&limit=y")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["query", "skip"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x"}, {"type": "int_parsing", "loc": ["query", "limit"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "y"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn catalog_empty_skip_is_int_parsing() {
    let response = client()
        .request(fastrs::http::Method::GET, "/catalog?skip=")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["query", "skip"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": ""}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn catalog_skip_past_the_end_is_empty() {
    let response = client()
        .request(fastrs::http::Method::GET, "/catalog?skip=20")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!([]));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn needy_without_needy_is_missing() {
    let response = client()
        .request(fastrs::http::Method::GET, "/needy/foo")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["query", "needy"], "msg": "Field required", "input": null}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn needy_with_needy() {
    let response = client()
        .request(fastrs::http::Method::GET, "/needy/foo?needy=sooo")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"item_id": "foo", "needy": "sooo", "skip": 0, "limit": null})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn needy_with_everything() {
    let response = client()
        .request(
            fastrs::http::Method::GET,
            "/needy/foo?needy=a&skip=2&limit=3",
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"item_id": "foo", "needy": "a", "skip": 2, "limit": 3})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn needy_reports_missing_and_bad_values() {
    let response = client()
        .request(fastrs::http::Method::GET, "/needy/foo?skip=a&limit=b")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["query", "needy"], "msg": "Field required", "input": null}, {"type": "int_parsing", "loc": ["query", "skip"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "a"}, {"type": "int_parsing", "loc": ["query", "limit"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "b"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn search_without_query() {
    let response = client().request(fastrs::http::Method::GET, "/search").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"items": [{"item_id": "Foo"}, {"item_id": "Bar"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn search_with_the_fixed_query() {
    let response = client()
        .request(fastrs::http::Method::GET, "/search?item-query=fixedquery")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"items": [{"item_id": "Foo"}, {"item_id": "Bar"}], "q": "fixedquery"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn search_query_too_short() {
    let response = client()
        .request(fastrs::http::Method::GET, "/search?item-query=ab")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "string_too_short", "loc": ["query", "item-query"], "msg": "String should have at least 3 characters", "input": "ab", "ctx": {"min_length": 3}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn search_query_too_long() {
    let response = client()
        .request(
            fastrs::http::Method::GET,
            "/search?item-query=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "string_too_long", "loc": ["query", "item-query"], "msg": "String should have at most 50 characters", "input": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ctx": {"max_length": 50}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn search_query_not_matching_the_pattern() {
    let response = client()
        .request(fastrs::http::Method::GET, "/search?item-query=nonfixed")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "string_pattern_mismatch", "loc": ["query", "item-query"], "msg": "String should match pattern '^fixedquery$'", "input": "nonfixed", "ctx": {"pattern": "^fixedquery$"}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn search_reads_the_alias_not_the_name() {
    let response = client()
        .request(fastrs::http::Method::GET, "/search?q=fixedquery")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"items": [{"item_id": "Foo"}, {"item_id": "Bar"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn search_empty_query_is_too_short() {
    let response = client()
        .request(fastrs::http::Method::GET, "/search?item-query=")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "string_too_short", "loc": ["query", "item-query"], "msg": "String should have at least 3 characters", "input": "", "ctx": {"min_length": 3}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn tags_absent_is_null() {
    let response = client().request(fastrs::http::Method::GET, "/tags").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"q": null}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn tags_repeated_keys_fill_the_list() {
    let response = client()
        .request(fastrs::http::Method::GET, "/tags?q=foo&q=bar")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"q": ["foo", "bar"]}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn tags_empty_value_is_an_empty_string() {
    let response = client()
        .request(fastrs::http::Method::GET, "/tags?q=")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"q": [""]}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn measure_int_size_is_a_float() {
    let response = client()
        .request(fastrs::http::Method::GET, "/measure/5?size=2")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"item_id": 5, "size": 2.0}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn measure_within_bounds() {
    let response = client()
        .request(fastrs::http::Method::GET, "/measure/5?size=10.4")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"item_id": 5, "size": 10.4})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn measure_both_lower_bounds_violated() {
    let response = client()
        .request(fastrs::http::Method::GET, "/measure/0?size=0")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "greater_than_equal", "loc": ["path", "item_id"], "msg": "Input should be greater than or equal to 1", "input": "0", "ctx": {"ge": 1}}, {"type": "greater_than", "loc": ["query", "size"], "msg": "Input should be greater than 0", "input": "0", "ctx": {"gt": 0.0}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn measure_both_upper_bounds_violated() {
    let response = client()
        .request(fastrs::http::Method::GET, "/measure/1001?size=10.5")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "less_than_equal", "loc": ["path", "item_id"], "msg": "Input should be less than or equal to 1000", "input": "1001", "ctx": {"le": 1000}}, {"type": "less_than", "loc": ["query", "size"], "msg": "Input should be less than 10.5", "input": "10.5", "ctx": {"lt": 10.5}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn measure_at_the_inclusive_bound() {
    let response = client()
        .request(fastrs::http::Method::GET, "/measure/1000?size=0.1")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"item_id": 1000, "size": 0.1})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn measure_without_size_is_missing() {
    let response = client()
        .request(fastrs::http::Method::GET, "/measure/5")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["query", "size"], "msg": "Field required", "input": null}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn measure_unparsable_values() {
    let response = client()
        .request(fastrs::http::Method::GET, "/measure/x?size=y")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["path", "item_id"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x"}, {"type": "float_parsing", "loc": ["query", "size"], "msg": "Input should be a valid number, unable to parse string as a number", "input": "y"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn measure_nan_size() {
    let response = client()
        .request(fastrs::http::Method::GET, "/measure/5?size=nan")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "less_than", "loc": ["query", "size"], "msg": "Input should be less than 10.5", "input": "nan", "ctx": {"lt": 10.5}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn measure_infinite_size() {
    let response = client()
        .request(fastrs::http::Method::GET, "/measure/5?size=inf")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "less_than", "loc": ["query", "size"], "msg": "Input should be less than 10.5", "input": "inf", "ctx": {"lt": 10.5}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn measure_negative_infinite_size() {
    let response = client()
        .request(fastrs::http::Method::GET, "/measure/5?size=-inf")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "greater_than", "loc": ["query", "size"], "msg": "Input should be greater than 0", "input": "-inf", "ctx": {"gt": 0.0}}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn headers_absent_are_null() {
    let response = client()
        .request(fastrs::http::Method::GET, "/headers")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"User-Agent": null, "X-Token values": null, "strange_header": null})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn headers_are_read_case_insensitively() {
    let response = client()
        .request(fastrs::http::Method::GET, "/headers")
        .header("User-Agent", "curl/8")
        .header("X-Token", "foo")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"User-Agent": "curl/8", "X-Token values": ["foo"], "strange_header": null})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn repeated_headers_fill_a_list_and_underscores_stay() {
    let response = client()
        .request(fastrs::http::Method::GET, "/headers")
        .header("x-token", "foo")
        .header("x-token", "bar")
        .header("strange_header", "s")
        .header("strange-header", "t")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"User-Agent": null, "X-Token values": ["foo", "bar"], "strange_header": "s"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn cookie_absent_is_null() {
    let response = client()
        .request(fastrs::http::Method::GET, "/cookies")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"ads_id": null}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn cookie_is_read() {
    let response = client()
        .request(fastrs::http::Method::GET, "/cookies")
        .header("Cookie", "ads_id=abc")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"ads_id": "abc"}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn cookie_among_others_is_unquoted() {
    let response = client()
        .request(fastrs::http::Method::GET, "/cookies")
        .header("Cookie", r#"a=1; ads_id="q"; b=2"#)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), json!({"ads_id": "q"}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn post_on_a_get_route_is_405() {
    let response = client()
        .request(fastrs::http::Method::POST, "/items/5")
        .await;
    assert_eq!(response.status(), 405);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Method Not Allowed"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", Some("GET")),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn delete_on_a_get_route_is_405() {
    let response = client()
        .request(fastrs::http::Method::DELETE, "/users/me")
        .await;
    assert_eq!(response.status(), 405);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Method Not Allowed"})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", Some("GET")),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn unknown_path_is_404() {
    let response = client().request(fastrs::http::Method::GET, "/nope").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.json::<Value>(), json!({"detail": "Not Found"}));
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn filter_defaults() {
    let response = client().request(fastrs::http::Method::GET, "/filter").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"limit": 100, "offset": 0, "order_by": "created_at", "tags": []})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn filter_repeated_tags_fill_the_list() {
    let response = client()
        .request(fastrs::http::Method::GET, "/filter?tags=a&tags=b&limit=5")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"limit": 5, "offset": 0, "order_by": "created_at", "tags": ["a", "b"]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn filter_reports_every_error_and_extra_keys() {
    let response = client()
        .request(
            fastrs::http::Method::GET,
            "/filter?limit=0&offset=-1&order_by=x&tags=a&extra=1",
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "greater_than", "loc": ["query", "limit"], "msg": "Input should be greater than 0", "input": "0", "ctx": {"gt": 0}}, {"type": "greater_than_equal", "loc": ["query", "offset"], "msg": "Input should be greater than or equal to 0", "input": "-1", "ctx": {"ge": 0}}, {"type": "literal_error", "loc": ["query", "order_by"], "msg": "Input should be 'created_at' or 'updated_at'", "input": "x", "ctx": {"expected": "'created_at' or 'updated_at'"}}, {"type": "extra_forbidden", "loc": ["query", "extra"], "msg": "Extra inputs are not permitted", "input": "1"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn filter_takes_the_last_scalar() {
    let response = client()
        .request(
            fastrs::http::Method::GET,
            "/filter?limit=1&limit=2&order_by=updated_at",
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"limit": 2, "offset": 0, "order_by": "updated_at", "tags": []})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

#[tokio::test]
async fn filter_limit_not_a_number() {
    let response = client()
        .request(fastrs::http::Method::GET, "/filter?limit=ten")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "int_parsing", "loc": ["query", "limit"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "ten"}]})
    );
    support::assert_headers(
        &response,
        &[
            ("allow", None),
            ("location", None),
            ("x-error", None),
            ("content-type", Some("application/json")),
        ],
    );
}

// Where fastrs answers differently from FastAPI, on purpose.

/// Python integers have no bound; an `i64` does. A value past it is a 422
/// naming the bound, not a 500.
#[tokio::test]
async fn item_id_past_i64_is_a_range_error() {
    let response = client().get("/items/99999999999999999999999").await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{
            "type": "less_than_equal", "loc": ["path", "item_id"],
            "msg": "Input should be less than or equal to 9223372036854775807",
            "input": "99999999999999999999999", "ctx": {"le": 9223372036854775807_i64}
        }]})
    );
}

/// FastAPI answers 405 to HEAD on a GET route; fastrs answers it as HTTP
/// asks, with the GET answer's headers and no body.
#[tokio::test]
async fn head_on_a_get_route_has_the_headers_and_no_body() {
    let response = client().head("/items/5").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.header("content-length"), Some("13"));
    assert_eq!(response.text(), "");
}

/// The README's 422 demo, exactly as it shows it.
#[tokio::test]
async fn the_readme_demo_reports_both_errors() {
    let response = client()
        .request(fastrs::http::Method::GET, "/users/x/items/foo?short=maybe")
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.text(),
        r#"{"detail":[{"type":"int_parsing","loc":["path","user_id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"},{"type":"bool_parsing","loc":["query","short"],"msg":"Input should be a valid boolean, unable to interpret input","input":"maybe"}]}"#
    );
}
