//! FastAPI's answers for every route of `security`, pinned as literals
//! (sent to the FastAPI app this example ports, FastAPI 0.165 with PyJWT on uvicorn, and
//! copied here): the token endpoint, scopes and their `WWW-Authenticate`
//! challenges, an inactive user, basic credentials, API keys and bearer
//! credentials. The tokens are the ones FastAPI's app issued: the port
//! issues the same strings and accepts FastAPI's.

#[path = "../security.rs"]
#[allow(dead_code)]
mod example;
mod support;

use fastrs::testing::{TestClient, TestResponse};
use serde_json::{json, Value};

/// FastAPI's token for johndoe with the scopes `me items`.
const JOHNDOE_ME_ITEMS: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJqb2huZG9lIiwic2NvcGVzIjpbIm1lIiwiaXRlbXMiXX0.-YIgpcKLW5jnYj0mTL547UydY42SG1jxXD0NLDiLduk";
/// johndoe with the scope `me` only.
const JOHNDOE_ME: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJqb2huZG9lIiwic2NvcGVzIjpbIm1lIl19.ETSQAWJhYrhNG-iUF67VVi681woomjQaEyrBNTI1pek";
/// johndoe with no scope.
const JOHNDOE_NO_SCOPE: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJqb2huZG9lIiwic2NvcGVzIjpbXX0.6EiuNc8SzOe52XJjGwVzIWr3zJnlWExBWcyARbeNx98";
/// The disabled alice, with the scopes `me items`.
const ALICE_ME_ITEMS: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInNjb3BlcyI6WyJtZSIsIml0ZW1zIl19.K2Q-RaVYjHJiKtBDTKwL___QOXGv3x5JDtIy17QyNHI";
/// The disabled alice, with no scope.
const ALICE: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInNjb3BlcyI6W119.D60PtDxxAfb1bubJTvc7KSJ7OA6RtAbc1a0qVkdOKYA";

fn client() -> TestClient {
    TestClient::new(example::app())
}

fn assert_answer(response: &TestResponse, status: u16, body: Value, challenge: Option<&str>) {
    assert_eq!(response.status(), status, "{}", response.text());
    assert_eq!(response.json::<Value>(), body);
    support::assert_headers(
        response,
        &[
            ("content-type", Some("application/json")),
            ("www-authenticate", challenge),
        ],
    );
}

async fn bearer(client: &TestClient, path: &str, token: &str) -> TestResponse {
    client
        .get(path)
        .header("authorization", &format!("Bearer {token}"))
        .await
}

fn not_authenticated() -> Value {
    json!({"detail": "Not authenticated"})
}

fn could_not_validate() -> Value {
    json!({"detail": "Could not validate credentials"})
}

#[tokio::test]
async fn the_token_endpoint_issues_fastapis_tokens() {
    let client = client();
    let response = client
        .post("/token")
        .form(&[
            ("username", "johndoe"),
            ("password", "secret"),
            ("scope", "me items"),
        ])
        .await;
    assert_answer(
        &response,
        200,
        json!({"access_token": JOHNDOE_ME_ITEMS, "token_type": "bearer"}),
        None,
    );
    let response = client
        .post("/token")
        .form(&[
            ("username", "alice"),
            ("password", "secretalice"),
            ("grant_type", "password"),
        ])
        .await;
    assert_answer(
        &response,
        200,
        json!({"access_token": ALICE, "token_type": "bearer"}),
        None,
    );
    let incorrect = json!({"detail": "Incorrect username or password"});
    for form in [
        [("username", "johndoe"), ("password", "wrong")],
        [("username", "nobody"), ("password", "x")],
    ] {
        let response = client.post("/token").form(&form).await;
        assert_answer(&response, 400, incorrect.clone(), None);
    }
}

#[tokio::test]
async fn the_login_form_is_validated_as_fastapi_validates_it() {
    let client = client();
    let missing = |name: &str| json!({"type": "missing", "loc": ["body", name], "msg": "Field required", "input": null});
    let response = client.post("/token").form(&[("username", "johndoe")]).await;
    assert_answer(
        &response,
        422,
        json!({"detail": [missing("password")]}),
        None,
    );
    let both = json!({"detail": [missing("username"), missing("password")]});
    let response = client.post("/token").form(&[]).await;
    assert_answer(&response, 422, both.clone(), None);
    let response = client
        .post("/token")
        .json(&json!({"username": "johndoe", "password": "secret"}))
        .await;
    assert_answer(&response, 422, both, None);
    let response = client
        .post("/token")
        .form(&[
            ("username", "johndoe"),
            ("password", "secret"),
            ("grant_type", "foo"),
        ])
        .await;
    assert_answer(
        &response,
        422,
        json!({"detail": [{"type": "string_pattern_mismatch", "loc": ["body", "grant_type"], "msg": "String should match pattern '^password$'", "input": "foo", "ctx": {"pattern": "^password$"}}]}),
        None,
    );
}

#[tokio::test]
async fn scopes_are_required_and_named_in_the_challenge() {
    let client = client();
    let response = bearer(&client, "/users/me", JOHNDOE_ME_ITEMS).await;
    assert_answer(
        &response,
        200,
        json!({"username": "johndoe", "email": "johndoe@example.com", "full_name": "John Doe", "disabled": false}),
        None,
    );
    let response = bearer(&client, "/users/me/items", JOHNDOE_ME_ITEMS).await;
    assert_answer(
        &response,
        200,
        json!([{"item_id": "Foo", "owner": "johndoe"}]),
        None,
    );
    let not_enough = json!({"detail": "Not enough permissions"});
    let response = bearer(&client, "/users/me/items", JOHNDOE_ME).await;
    assert_answer(
        &response,
        401,
        not_enough.clone(),
        Some("Bearer scope=\"items me\""),
    );
    let response = bearer(&client, "/users/me", JOHNDOE_NO_SCOPE).await;
    assert_answer(&response, 401, not_enough, Some("Bearer scope=\"me\""));
    // No scope required: any valid token.
    let response = bearer(&client, "/status", JOHNDOE_NO_SCOPE).await;
    assert_answer(&response, 200, json!({"status": "ok"}), None);
}

#[tokio::test]
async fn an_inactive_user_is_400_once_the_scopes_pass() {
    let client = client();
    for path in ["/users/me", "/users/me/items"] {
        let response = bearer(&client, path, ALICE_ME_ITEMS).await;
        assert_answer(&response, 400, json!({"detail": "Inactive user"}), None);
    }
    // Without the scopes, the permissions fail first.
    let response = bearer(&client, "/users/me", ALICE).await;
    assert_answer(
        &response,
        401,
        json!({"detail": "Not enough permissions"}),
        Some("Bearer scope=\"me\""),
    );
}

#[tokio::test]
async fn a_missing_or_malformed_bearer_token_is_401() {
    let client = client();
    let response = client.get("/users/me").await;
    assert_answer(&response, 401, not_authenticated(), Some("Bearer"));
    let response = client
        .get("/users/me")
        .header("authorization", "Basic abc")
        .await;
    assert_answer(&response, 401, not_authenticated(), Some("Bearer"));
    for value in ["Bearer", "Bearer garbage"] {
        let response = client.get("/users/me").header("authorization", value).await;
        assert_answer(
            &response,
            401,
            could_not_validate(),
            Some("Bearer scope=\"me\""),
        );
    }
    let response = bearer(&client, "/users/me/items", "garbage").await;
    assert_answer(
        &response,
        401,
        could_not_validate(),
        Some("Bearer scope=\"items me\""),
    );
    let response = client
        .get("/status")
        .header("authorization", "bearer   garbage")
        .await;
    assert_answer(&response, 401, could_not_validate(), Some("Bearer"));
}

/// Issue 10, item 6: tokens that must never pass. Each was made with PyJWT
/// and answered 401 by FastAPI's app.
#[tokio::test]
async fn forged_expired_foreign_and_truncated_tokens_are_401() {
    let client = client();
    let tokens = [
        // A subject that does not exist.
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJnaG9zdCIsInNjb3BlcyI6WyJtZSJdfQ.Dd_0w9i4AoTsl6V7jxAwqg73L54A0B-0x0YrAowgy-A",
        // Expired (exp = 1000).
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJqb2huZG9lIiwic2NvcGVzIjpbIm1lIl0sImV4cCI6MTAwMH0.8a0Q3iEqrzRjfZDGnsxP8sN2ylT586Bz8DDiqpCJt9A",
        // Signed with another key.
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJqb2huZG9lIiwic2NvcGVzIjpbIm1lIl19.QumNhgMSvq6cYongKyj04b_7y07tcc8d3T1WJ3psTDI",
        // alg: none, no signature.
        "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJqb2huZG9lIiwic2NvcGVzIjpbIm1lIl19.",
        // scopes not a list; sub not a string.
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJqb2huZG9lIiwic2NvcGVzIjoibWUifQ.qBltdyNyWw_vqYEBCUgm_viWP0FitYuRmzIA2LqQA_c",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjUsInNjb3BlcyI6WyJtZSJdfQ.uiPCCfb3pMv8AEFYsHUxgqY93gNz8PFrGIUcjZMXUf0",
        // Truncated.
        &JOHNDOE_ME_ITEMS[..40],
        // Valid token with one signature character changed.
        &format!("{}A", &JOHNDOE_ME_ITEMS[..JOHNDOE_ME_ITEMS.len() - 1]),
    ];
    for token in tokens {
        let response = bearer(&client, "/status", token).await;
        assert_answer(&response, 401, could_not_validate(), Some("Bearer"));
    }
    // A token without scopes is fine where none is required.
    let response = bearer(&client, "/status", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJqb2huZG9lIn0.adqb-sj6G4xl7w7t9A4oRUBf1jNmcrc-0IcHjGhbz3o").await;
    assert_answer(&response, 200, json!({"status": "ok"}), None);
}

#[tokio::test]
async fn basic_credentials() {
    let client = client();
    let basic = |value: &str| client.get("/basic/me").header("authorization", value);
    let response = client.get("/basic/me").await;
    assert_answer(&response, 401, not_authenticated(), Some("Basic"));
    // Not base64, no colon, another scheme, not ASCII: all not authenticated.
    for value in ["Basic !!!", "Basic Zm9v", "Bearer x", "Basic //46eA=="] {
        let response = basic(value).await;
        assert_answer(&response, 401, not_authenticated(), Some("Basic"));
    }
    // stanleyjobson:wrong, then stanleyjobson:swordfish.
    let response = basic("Basic c3RhbmxleWpvYnNvbjp3cm9uZw==").await;
    assert_answer(
        &response,
        401,
        json!({"detail": "Incorrect username or password"}),
        Some("Basic"),
    );
    let response = basic("Basic c3RhbmxleWpvYnNvbjpzd29yZGZpc2g=").await;
    assert_answer(&response, 200, json!({"username": "stanleyjobson"}), None);
}

#[tokio::test]
async fn api_keys_in_a_header_a_query_and_a_cookie() {
    let client = client();
    let response = client.get("/keys/header").await;
    assert_answer(&response, 401, not_authenticated(), Some("APIKey"));
    let response = client.get("/keys/header").header("x-api-key", "").await;
    assert_answer(&response, 401, not_authenticated(), Some("APIKey"));
    let response = client.get("/keys/header").header("x-api-key", "k1").await;
    assert_answer(&response, 200, json!({"key": "k1"}), None);
    let response = client.get("/keys/optional").await;
    assert_answer(
        &response,
        200,
        json!({"query_key": null, "cookie_key": null}),
        None,
    );
    let response = client
        .get("/keys/optional?api_key=q1")
        .header("cookie", "session=c1")
        .await;
    assert_answer(
        &response,
        200,
        json!({"query_key": "q1", "cookie_key": "c1"}),
        None,
    );
    let response = client.get("/keys/optional?api_key=").await;
    assert_answer(
        &response,
        200,
        json!({"query_key": null, "cookie_key": null}),
        None,
    );
}

#[tokio::test]
async fn bearer_credentials() {
    let client = client();
    let get = |value: &str| client.get("/bearer").header("authorization", value);
    let response = client.get("/bearer").await;
    assert_answer(&response, 401, not_authenticated(), Some("Bearer"));
    for value in ["Bearer", "Basic xyz", ""] {
        let response = get(value).await;
        assert_answer(&response, 401, not_authenticated(), Some("Bearer"));
    }
    let response = get("Bearer abc def").await;
    assert_answer(
        &response,
        200,
        json!({"scheme": "Bearer", "credentials": "abc def"}),
        None,
    );
    let response = get("bEaReR abc").await;
    assert_answer(
        &response,
        200,
        json!({"scheme": "bEaReR", "credentials": "abc"}),
        None,
    );
}
