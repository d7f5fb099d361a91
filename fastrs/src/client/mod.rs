//! The typed client (feature `client`): call a fastrs service from Rust
//! through the same `#[endpoint]` declarations and models that serve it.
//!
//! With the feature on, each `#[endpoint] async fn name(...)` also declares
//! a trait of the same name with one method, `name`, implemented for
//! [`Client`]. Importing the endpoint (`use api::routes::read_item;`)
//! imports its method too, so a caller writes:
//!
//! ```ignore
//! let client = Client::new("http://127.0.0.1:8000").bearer(&token);
//! let item: ItemOut = client.read_item((42,)).await?;
//! ```
//!
//! - **Arguments**: one tuple, holding the endpoint's path, query,
//!   header, cookie and body arguments in the order of the function
//!   (`Header<T>`, `Json<T>`, `Form<T>` are passed as their `T`).
//!   Dependencies, security credentials and the request handles are not
//!   sent: what they read from the request (a bearer token, an API key
//!   header) comes from the client's own settings ([`Client::bearer`],
//!   [`Client::header`]). A provider's own parameters are not arguments of
//!   the method.
//! - **Result**: the success model (the `Ok` type, or the
//!   `response_model`), decoded and validated as the server would
//!   validate it; or a [`ClientError`]: a 422's validation errors, any
//!   other error status as the [`HttpError`] the server
//!   answered, a body that is not the declared model, or a failure to
//!   send.
//! - An endpoint whose argument or answer the client cannot send or read
//!   (a file upload, a stream, a `Response`) still compiles; calling its
//!   method is the compile error, naming the type.
//!
//! The method's types are computed from the declaration, so a renamed
//! field or a changed argument type breaks the caller's build, not
//! production. Nothing here runs in a server: the methods are generic
//! code that is compiled only where it is called.

mod answer;
mod args;

pub use answer::{ClientAnswer, Modelled};
pub(crate) use args::omitted;
pub use args::{ArgList, ClientArg, Flat, NotSent, Omitted, Outgoing, Role, Sent, TooMany};

use std::fmt;
use std::future::Future;

use http::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE};
use http::{Method, StatusCode};
use serde::Deserialize;
use serde_json::Value;

use crate::decl::ParamSpec;
use crate::error::HttpError;

/// A connection to a fastrs (or FastAPI) service: its base URL, headers
/// sent with every call (the bearer token), and a pooled `reqwest` client.
/// Cheap to clone; clones share the pool.
///
/// ```
/// use fastrs::client::Client;
///
/// let client = Client::new("http://127.0.0.1:8000").bearer("the token");
/// assert_eq!(client.base_url(), "http://127.0.0.1:8000");
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    headers: HeaderMap,
}

impl Client {
    /// A client of the service at `base_url` (`http://host:port`, with the
    /// root path if the service is mounted under one).
    pub fn new(base_url: impl Into<String>) -> Self {
        Self::with_http(reqwest::Client::new(), base_url)
    }

    /// A client sending through `http`, a `reqwest::Client` configured by
    /// the caller (timeouts, proxies, TLS).
    pub fn with_http(http: reqwest::Client, base_url: impl Into<String>) -> Self {
        let mut base_url = base_url.into();
        while base_url.ends_with('/') {
            base_url.pop();
        }
        Client {
            http,
            base_url,
            headers: HeaderMap::new(),
        }
    }

    /// The same client sending `Authorization: Bearer <token>` with every
    /// call: what an OAuth2 password flow or an HTTP bearer scheme reads.
    ///
    /// # Panics
    ///
    /// When the token has characters a header cannot carry (a newline).
    pub fn bearer(self, token: &str) -> Self {
        self.header(AUTHORIZATION.as_str(), &format!("Bearer {token}"))
    }

    /// The same client sending the header `name: value` with every call
    /// (an API key, a tenant), replacing an earlier value of `name`.
    ///
    /// # Panics
    ///
    /// When `name` is no header name or `value` has characters a header
    /// cannot carry: both are the caller's constants, not a server's input.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("a valid header name");
        let value = HeaderValue::from_str(value).expect("a valid header value");
        self.headers.insert(name, value);
        self
    }

    /// The base URL calls are sent to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

/// What a typed call can answer besides its success model.
#[derive(Debug)]
pub enum ClientError {
    /// 422: the server found the request invalid (FastAPI's `detail`
    /// list). A typed call sends what its types allow, so this is a
    /// constraint the types do not carry (a `max_length`, a `gt`).
    Validation(Vec<ValidationIssue>),
    /// Any other status outside 2xx, as the server answered it: the status,
    /// the `detail`, and the headers (`WWW-Authenticate` on a 401).
    Http(HttpError),
    /// A 2xx answer whose body is not the declared model (a server of
    /// another version, a proxy's page).
    Decode {
        /// The answer's status.
        status: StatusCode,
        /// What did not match, as the validation errors of the body.
        reason: String,
    },
    /// The request could not be made or sent (a header value with a
    /// newline, a refused connection, a timeout).
    Transport(String),
}

impl ClientError {
    /// The status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ClientError::Validation(_) => Some(StatusCode::UNPROCESSABLE_ENTITY),
            ClientError::Http(error) => Some(error.status()),
            ClientError::Decode { status, .. } => Some(*status),
            ClientError::Transport(_) => None,
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Validation(issues) => {
                let issues: Vec<String> = issues.iter().map(ToString::to_string).collect();
                write!(f, "422 Unprocessable Entity: {}", issues.join("; "))
            }
            ClientError::Http(error) => write!(f, "{}: {}", error.status(), error.detail()),
            ClientError::Decode { status, reason } => {
                write!(
                    f,
                    "{status}: the answer is not the declared model: {reason}"
                )
            }
            ClientError::Transport(reason) => write!(f, "the request was not answered: {reason}"),
        }
    }
}

impl std::error::Error for ClientError {}

/// One item of a 422's `detail`: FastAPI's `{"type", "loc", "msg",
/// "input", "ctx"}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ValidationIssue {
    /// The error's type (`missing`, `string_too_long`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Where: `["body", "title"]`, `["query", "limit"]`.
    pub loc: Vec<Value>,
    /// The message (`Field required`).
    pub msg: String,
    /// The value that was refused.
    #[serde(default)]
    pub input: Value,
    /// The constraint's values (`{"max_length": 200}`), when it has some.
    #[serde(default)]
    pub ctx: Option<Value>,
}

impl fmt::Display for ValidationIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc: Vec<String> = self
            .loc
            .iter()
            .map(|item| match item {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        write!(f, "{}: {}", loc.join("."), self.msg)
    }
}

/// The implementor of the endpoint traits: [`Client`]. (`Same<T>` is `T`;
/// it makes the traits' bounds depend on the implementor, so that an
/// endpoint the client cannot call fails where it is called, not where it
/// is declared.)
#[doc(hidden)]
pub trait Caller {
    /// `T` itself.
    type Same<T>;
    /// The client.
    fn client(&self) -> &Client;
}

impl Caller for Client {
    type Same<T> = T;
    fn client(&self) -> &Client {
        self
    }
}

/// One endpoint's call: what `#[endpoint]` writes into the method.
#[doc(hidden)]
pub struct Call {
    /// The endpoint's method.
    pub method: Method,
    /// Its path template (`/items/{item_id}`).
    pub path: &'static str,
}

/// Sends one call: the arguments are written into the request at once
/// (nothing of them is held while waiting), then the answer is read as
/// `A`. What every endpoint's method calls.
#[doc(hidden)]
pub fn call<L: ArgList, A: ClientAnswer>(
    caller: &Client,
    call: &Call,
    specs: &[&'static ParamSpec],
    values: L::Values,
) -> impl Future<Output = Result<A::Success, ClientError>> + Send + 'static {
    let mut outgoing = Outgoing::new(call.path);
    // The body's parts: the `Json<T>` arguments and the scalars read from
    // a key of the body (`#[param(body)]`).
    outgoing.json_parts = L::JSON_PARTS + specs.iter().filter(|spec| spec.body).count();
    L::put_all(values, specs, &mut outgoing);
    let request = build(caller, call, outgoing);
    let http = caller.http.clone();
    async move {
        let response = http
            .execute(request?)
            .await
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        if status.is_success() {
            A::decode(status, &body)
        } else {
            Err(error_answer(status, &headers, &body))
        }
    }
}

/// The request `outgoing` describes, with the client's own headers.
fn build(
    caller: &Client,
    call: &Call,
    outgoing: Outgoing,
) -> Result<reqwest::Request, ClientError> {
    let Outgoing {
        path,
        query,
        headers,
        cookies,
        body,
        problem,
        json_parts: _,
    } = outgoing;
    if let Some(problem) = problem {
        return Err(ClientError::Transport(problem));
    }
    let mut url = format!("{}{}", caller.base_url, path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(
            &form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&query)
                .finish(),
        );
    }
    let mut request = caller
        .http
        .request(call.method.clone(), url)
        .headers(caller.headers.clone());
    for (name, value) in headers {
        let value = HeaderValue::from_str(&value).map_err(|_| {
            ClientError::Transport(format!("the header {name} cannot carry {value:?}"))
        })?;
        request = request.header(name, value);
    }
    if !cookies.is_empty() {
        // RFC 6265's cookie-octets: a `;` or a space would end the value
        // (or start another cookie), so such a value is refused, not sent.
        let octet = |b: u8| b.is_ascii_graphic() && !matches!(b, b'"' | b',' | b';' | b'\\');
        if let Some((name, value)) = cookies.iter().find(|(_, v)| !v.bytes().all(octet)) {
            return Err(ClientError::Transport(format!(
                "the cookie {name} cannot carry {value:?}"
            )));
        }
        let line: Vec<String> = cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        let value = HeaderValue::from_str(&line.join("; ")).map_err(|_| {
            ClientError::Transport("a cookie value cannot be sent as is".to_owned())
        })?;
        request = request.header(COOKIE, value);
    }
    request = match body {
        args::Body::None => request,
        args::Body::Json(value) => request
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(value.to_string()),
        args::Body::Form(fields) => request
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(
                form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(&fields)
                    .finish(),
            ),
    };
    request
        .build()
        .map_err(|e| ClientError::Transport(e.to_string()))
}

/// An error status as [`ClientError`]: a 422 with FastAPI's list is
/// [`ClientError::Validation`], anything else [`ClientError::Http`] with
/// the `detail` (the whole body when it has none).
fn error_answer(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ClientError {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    if status == StatusCode::UNPROCESSABLE_ENTITY {
        let issues = parsed
            .as_ref()
            .and_then(|v| v.get("detail"))
            .and_then(|d| Vec::<ValidationIssue>::deserialize(d).ok());
        if let Some(issues) = issues {
            return ClientError::Validation(issues);
        }
    }
    let detail = match parsed {
        Some(Value::Object(mut object)) if object.contains_key("detail") => {
            object.remove("detail").unwrap_or(Value::Null)
        }
        Some(other) => other,
        None => Value::String(String::from_utf8_lossy(body).into_owned()),
    };
    let mut error = HttpError::new(status, detail);
    for (name, value) in headers {
        if let Ok(value) = value.to_str() {
            error = error.with_header(name.as_str(), value);
        }
    }
    ClientError::Http(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_422_with_fastapis_list_is_validation_and_other_statuses_keep_their_detail() {
        let body = br#"{"detail":[{"type":"missing","loc":["body","title"],"msg":"Field required","input":null}]}"#;
        let ClientError::Validation(issues) =
            error_answer(StatusCode::UNPROCESSABLE_ENTITY, &HeaderMap::new(), body)
        else {
            panic!("a 422 with a list is a validation error");
        };
        assert_eq!(issues[0].kind, "missing");
        assert_eq!(issues[0].to_string(), "body.title: Field required");

        let mut headers = HeaderMap::new();
        headers.insert("www-authenticate", HeaderValue::from_static("Bearer"));
        let error = error_answer(
            StatusCode::UNAUTHORIZED,
            &headers,
            br#"{"detail":"Not authenticated"}"#,
        );
        let ClientError::Http(http) = &error else {
            panic!("a 401 is an HTTP error");
        };
        assert_eq!(http.detail(), &Value::from("Not authenticated"));
        assert_eq!(http.headers()["www-authenticate"], "Bearer");
        assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));

        // A 422 of another shape, and a body that is no JSON.
        let odd = error_answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            &headers,
            br#"{"detail":"no"}"#,
        );
        assert!(matches!(odd, ClientError::Http(e) if e.detail() == &Value::from("no")));
        let text = error_answer(StatusCode::BAD_GATEWAY, &headers, b"upstream down");
        assert!(
            matches!(text, ClientError::Http(e) if e.detail() == &Value::from("upstream down"))
        );
    }

    #[test]
    fn a_cookie_value_that_would_end_early_is_refused_not_sent() {
        let client = Client::new("http://127.0.0.1:1");
        let call = Call {
            method: Method::GET,
            path: "/",
        };
        let with = |value: &str| {
            let mut outgoing = Outgoing::new("/");
            outgoing
                .cookies
                .push(("session".to_owned(), value.to_owned()));
            build(&client, &call, outgoing)
        };
        let sent = with("abc-123_=.x").expect("plain octets are sent");
        assert_eq!(sent.headers()[COOKIE], "session=abc-123_=.x");
        for bad in ["a; admin=1", "a b", "\"q\"", "a,b", "caf\u{e9}"] {
            let refused = with(bad).expect_err(bad);
            assert!(refused.to_string().contains("cannot carry"), "{refused}");
        }
    }

    #[test]
    fn the_base_url_loses_its_trailing_slash() {
        assert_eq!(Client::new("http://h:1/api/").base_url(), "http://h:1/api");
    }
}
