//! `fastrs::security` beyond the FastAPI port (examples/tests/security.rs):
//! scopes seen and cached per scope set, optional credentials, a
//! credential's 401 before parameter errors, a realm, and the document's
//! schemes found through dependencies at any depth.

use std::sync::atomic::{AtomicUsize, Ordering};

use fastrs::prelude::*;
use fastrs::security::{
    HttpAuthorizationCredentials, HttpBasicCredentials, HttpBasicScheme, HttpBearerScheme,
    OAuth2PasswordBearer, OAuth2Token, SecurityScopes,
};
use fastrs::testing::TestClient;
use serde_json::{json, Value};

struct Scheme;

impl OAuth2PasswordBearer for Scheme {
    const TOKEN_URL: &'static str = "/auth/token";
    const SCOPES: &'static [(&'static str, &'static str)] =
        &[("read", "Read."), ("write", "Write.")];
    const DESCRIPTION: Option<&'static str> = Some("Tokens from /auth/token.");
}

static RUNS: AtomicUsize = AtomicUsize::new(0);

/// What the token may do, as far as this test cares: the scopes it was
/// asked for, and the token.
struct Grant {
    scopes: Vec<String>,
    token: String,
}

#[dependency]
async fn grant(scopes: SecurityScopes, token: OAuth2Token<Scheme>) -> Grant {
    RUNS.fetch_add(1, Ordering::SeqCst);
    Grant {
        scopes: scopes.scopes,
        token: token.into_string(),
    }
}

/// A reader: the grant with `read`.
struct Reader(Vec<String>);

#[dependency]
async fn reader(#[param(scopes = ["read"])] grant: Depends<Grant>) -> Reader {
    Reader(grant.scopes.clone())
}

#[endpoint(GET "/both")]
async fn both(
    #[param(scopes = ["write"])] reader: Depends<Reader>,
    #[param(scopes = ["write"])] again: Depends<Reader>,
    plain: Depends<Grant>,
) -> Json<Value> {
    Json(json!({"reader": reader.0, "again": again.0, "plain": plain.scopes, "token": plain.token}))
}

#[endpoint(GET "/maybe")]
async fn maybe(token: Option<OAuth2Token<Scheme>>) -> Json<Option<String>> {
    Json(token.map(OAuth2Token::into_string))
}

#[endpoint(GET "/first")]
async fn first(q: i64, credentials: HttpAuthorizationCredentials<Jwt>) -> Json<Value> {
    Json(json!({"q": q, "credentials": credentials.credentials}))
}

struct Jwt;

impl HttpBearerScheme for Jwt {
    const BEARER_FORMAT: Option<&'static str> = Some("JWT");
    const SCHEME_NAME: &'static str = "JWTBearer";
}

struct Realm;

impl HttpBasicScheme for Realm {
    const REALM: Option<&'static str> = Some("staff area");
}

#[endpoint(GET "/staff")]
async fn staff(credentials: Option<HttpBasicCredentials<Realm>>) -> Json<Option<String>> {
    Json(credentials.map(|c| c.username))
}

fn app() -> App {
    App::new()
        .route(both)
        .route(maybe)
        .route(first)
        .route(staff)
}

#[tokio::test]
async fn each_use_sees_its_scopes_and_each_scope_set_is_cached_once() {
    let client = TestClient::new(app());
    let before = RUNS.load(Ordering::SeqCst);
    let response = client
        .get("/both")
        .header("authorization", "Bearer t0k")
        .await;
    assert_eq!(
        response.json::<Value>(),
        json!({"reader": ["write", "read"], "again": ["write", "read"], "plain": [], "token": "t0k"})
    );
    // Two scope sets (write+read, none): two runs, not three.
    assert_eq!(RUNS.load(Ordering::SeqCst) - before, 2);
}

#[tokio::test]
async fn an_optional_credential_is_none_when_absent() {
    let client = TestClient::new(app());
    assert_eq!(client.get("/maybe").await.json::<Value>(), json!(null));
    let response = client
        .get("/maybe")
        .header("authorization", "Basic x")
        .await;
    assert_eq!(response.json::<Value>(), json!(null));
    let response = client
        .get("/maybe")
        .header("authorization", "Bearer abc")
        .await;
    assert_eq!(response.json::<Value>(), json!("abc"));
}

#[tokio::test]
async fn a_missing_credential_is_answered_before_parameter_errors() {
    let client = TestClient::new(app());
    let response = client.get("/first?q=x").await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "Not authenticated"})
    );
    assert_eq!(response.header("www-authenticate"), Some("Bearer"));
    let response = client
        .get("/first?q=x")
        .header("authorization", "Bearer abc")
        .await;
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn a_basic_scheme_with_a_realm_names_it_and_bad_base64_is_401_even_when_optional() {
    let client = TestClient::new(app());
    assert_eq!(client.get("/staff").await.json::<Value>(), json!(null));
    let response = client
        .get("/staff")
        .header("authorization", "Basic Zm9v")
        .await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.header("www-authenticate"),
        Some("Basic realm=\"staff area\"")
    );
    let response = client
        .get("/staff")
        .header("authorization", "Basic YTpi")
        .await;
    assert_eq!(response.json::<Value>(), json!("a"));
}

#[test]
fn schemes_are_documented_through_dependencies_with_their_scopes() {
    let document = app().openapi().to_json();
    assert_eq!(
        document["paths"]["/both"]["get"]["security"],
        json!([{"OAuth2PasswordBearer": ["write", "read"]}, {"OAuth2PasswordBearer": []}])
    );
    assert!(document["paths"]["/both"]["get"]["responses"]
        .get("422")
        .is_none());
    assert_eq!(
        document["paths"]["/first"]["get"]["security"],
        json!([{"JWTBearer": []}])
    );
    assert_eq!(
        document["components"]["securitySchemes"],
        json!({
            "OAuth2PasswordBearer": {
                "type": "oauth2",
                "description": "Tokens from /auth/token.",
                "flows": {"password": {"scopes": {"read": "Read.", "write": "Write."}, "tokenUrl": "/auth/token"}}
            },
            "JWTBearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "HTTPBasic": {"type": "http", "scheme": "basic"}
        })
    );
}
