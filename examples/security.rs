//! Port of FastAPI's security tutorials: OAuth2 with the password flow,
//! JWT tokens (HS256) and scopes, an inactive user, HTTP basic
//! credentials compared in constant time, API keys in a header, a query
//! parameter and a cookie, and HTTP bearer credentials.
//!
//! Run it with `PORT=8001 cargo run --release --example security`, open
//! `http://127.0.0.1:8001/docs`, press Authorize and log in as `johndoe`
//! with the password `secret`.

use fastrs::prelude::*;
use fastrs::security::{
    ApiKey, ApiKeyLocation, ApiKeyScheme, HttpAuthorizationCredentials, HttpBasicCredentials,
    OAuth2PasswordBearer, OAuth2PasswordRequestForm, OAuth2Token, SecurityScopes,
};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Validation};
use serde_json::{json, Value};

const SECRET_KEY: &str = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7";

/// A user as stored: the public fields and the password's (fake) hash.
struct StoredUser {
    user: User,
    hashed_password: &'static str,
}

/// The users: `johndoe` (password `secret`) and the disabled `alice`
/// (password `secretalice`).
fn users_db(username: &str) -> Option<StoredUser> {
    let (full_name, email, hashed_password, disabled) = match username {
        "johndoe" => ("John Doe", "johndoe@example.com", "fakehashedsecret", false),
        "alice" => (
            "Alice Wonderson",
            "alice@example.com",
            "fakehashedsecretalice",
            true,
        ),
        _ => return None,
    };
    Some(StoredUser {
        user: User {
            username: username.to_owned(),
            email: Some(email.to_owned()),
            full_name: Some(full_name.to_owned()),
            disabled: Some(disabled),
        },
        hashed_password,
    })
}

fn fake_hash_password(password: &str) -> String {
    format!("fakehashed{password}")
}

/// What `/token` answers.
#[model]
pub struct Token {
    access_token: String,
    token_type: String,
}

/// A user, as the API shows it.
#[model]
#[derive(Clone)]
pub struct User {
    username: String,
    email: Option<String>,
    full_name: Option<String>,
    disabled: Option<bool>,
}

// ANCHOR: scheme
/// The OAuth2 password flow: clients post the login form to `token`.
pub struct OAuth2;

impl OAuth2PasswordBearer for OAuth2 {
    const TOKEN_URL: &'static str = "token";
    const SCOPES: &'static [(&'static str, &'static str)] = &[
        ("me", "Read information about the current user."),
        ("items", "Read items."),
    ];
}
// ANCHOR_END: scheme

// ANCHOR: token
/// Signs the claims with HS256 (the header written as PyJWT writes it, so
/// that a token is the same string FastAPI's app would issue).
fn encode_token(claims: &Value) -> String {
    use base64::Engine;
    let b64 =
        |json: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json.to_string());
    let message = format!(
        "{}.{}",
        b64(&json!({"alg": "HS256", "typ": "JWT"})),
        b64(claims)
    );
    let key = EncodingKey::from_secret(SECRET_KEY.as_bytes());
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &key, Algorithm::HS256)
        .expect("HMAC signing does not fail");
    format!("{message}.{signature}")
}

#[endpoint(POST "/token")]
async fn login(form_data: OAuth2PasswordRequestForm) -> Result<Json<Token>, HttpError> {
    let incorrect = || HttpError::new(StatusCode::BAD_REQUEST, "Incorrect username or password");
    let stored = users_db(&form_data.username).ok_or_else(incorrect)?;
    if fake_hash_password(&form_data.password) != stored.hashed_password {
        return Err(incorrect());
    }
    let claims = json!({"sub": stored.user.username, "scopes": form_data.scopes});
    Ok(Json(Token {
        access_token: encode_token(&claims),
        token_type: "bearer".to_owned(),
    }))
}
// ANCHOR_END: token

// ANCHOR: current_user
/// The user the token names, if it carries every scope required where
/// this dependency is used.
#[dependency]
async fn get_current_user(
    security_scopes: SecurityScopes,
    token: OAuth2Token<OAuth2>,
) -> Result<User, HttpError> {
    let authenticate_value = if security_scopes.scopes.is_empty() {
        "Bearer".to_owned()
    } else {
        format!("Bearer scope=\"{}\"", security_scopes.scope_str())
    };
    let unauthorized = |detail: &str| {
        HttpError::new(StatusCode::UNAUTHORIZED, detail.to_owned())
            .with_header("www-authenticate", &authenticate_value)
    };
    let credentials_exception = || unauthorized("Could not validate credentials");
    // HS256 only (a token with `alg: none` or another algorithm is
    // refused); `exp` is checked when present, as PyJWT does.
    let mut validation = Validation::new(Algorithm::HS256);
    validation.required_spec_claims.clear();
    let key = DecodingKey::from_secret(SECRET_KEY.as_bytes());
    let payload = jsonwebtoken::decode::<Value>(token.token(), &key, &validation)
        .map_err(|_| credentials_exception())?
        .claims;
    let username = payload["sub"].as_str().ok_or_else(credentials_exception)?;
    let token_scopes = match payload.get("scopes") {
        None => Vec::new(),
        Some(Value::Array(scopes)) => scopes.clone(),
        Some(_) => return Err(credentials_exception()),
    };
    let user = users_db(username).ok_or_else(credentials_exception)?.user;
    for scope in &security_scopes.scopes {
        if !token_scopes.iter().any(|s| s == scope.as_str()) {
            return Err(unauthorized("Not enough permissions"));
        }
    }
    Ok(user)
}

/// The current user, who must not be disabled. Another provider of a
/// `User`: arguments name the one they want.
#[dependency]
async fn get_current_active_user(
    #[depends(get_current_user, scopes = ["me"])] current_user: User,
) -> Result<User, HttpError> {
    if current_user.disabled == Some(true) {
        return Err(HttpError::new(StatusCode::BAD_REQUEST, "Inactive user"));
    }
    Ok(current_user)
}
// ANCHOR_END: current_user

// ANCHOR: routes
#[endpoint(GET "/users/me")]
async fn read_users_me(#[depends(get_current_active_user)] current_user: User) -> Json<User> {
    Json(current_user)
}

#[endpoint(GET "/users/me/items")]
async fn read_own_items(
    #[depends(get_current_active_user, scopes = ["items"])] current_user: &User,
) -> Json<Value> {
    Json(json!([{"item_id": "Foo", "owner": current_user.username}]))
}

#[endpoint(GET "/status")]
async fn read_system_status(#[depends(get_current_user)] current_user: &User) -> Json<Value> {
    let _ = current_user;
    Json(json!({"status": "ok"}))
}
// ANCHOR_END: routes

// ANCHOR: basic
#[endpoint(GET "/basic/me")]
async fn read_basic_user(credentials: HttpBasicCredentials) -> Result<Json<Value>, HttpError> {
    if !credentials.matches("stanleyjobson", "swordfish") {
        return Err(
            HttpError::new(StatusCode::UNAUTHORIZED, "Incorrect username or password")
                .with_header("www-authenticate", "Basic"),
        );
    }
    Ok(Json(json!({"username": credentials.username})))
}
// ANCHOR_END: basic

// ANCHOR: api_keys
/// A key in the `x-api-key` header.
pub struct ApiKeyHeader;

impl ApiKeyScheme for ApiKeyHeader {
    const NAME: &'static str = "x-api-key";
    const LOCATION: ApiKeyLocation = ApiKeyLocation::Header;
}

/// A key in the `api_key` query parameter.
pub struct ApiKeyQuery;

impl ApiKeyScheme for ApiKeyQuery {
    const NAME: &'static str = "api_key";
    const LOCATION: ApiKeyLocation = ApiKeyLocation::Query;
}

/// A key in the `session` cookie.
pub struct ApiKeyCookie;

impl ApiKeyScheme for ApiKeyCookie {
    const NAME: &'static str = "session";
    const LOCATION: ApiKeyLocation = ApiKeyLocation::Cookie;
}

#[endpoint(GET "/keys/header")]
async fn read_key_header(key: ApiKey<ApiKeyHeader>) -> Json<Value> {
    Json(json!({"key": key.key()}))
}

#[endpoint(GET "/keys/optional")]
async fn read_key_optional(
    query_key: Option<ApiKey<ApiKeyQuery>>,
    cookie_key: Option<ApiKey<ApiKeyCookie>>,
) -> Json<Value> {
    Json(json!({
        "query_key": query_key.as_deref(),
        "cookie_key": cookie_key.as_deref(),
    }))
}
// ANCHOR_END: api_keys

#[endpoint(GET "/bearer")]
async fn read_bearer(credentials: HttpAuthorizationCredentials) -> Json<Value> {
    Json(json!({"scheme": credentials.scheme, "credentials": credentials.credentials}))
}

/// The app: every route of the port.
pub fn app() -> App {
    App::new()
        .route(login)
        .route(read_users_me)
        .route(read_own_items)
        .route(read_system_status)
        .route(read_basic_user)
        .route(read_key_header)
        .route(read_key_optional)
        .route(read_bearer)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
