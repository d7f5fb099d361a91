//! HTTP authentication: basic ([`HttpBasicCredentials`]) and bearer
//! ([`HttpAuthorizationCredentials`]) credentials from the `Authorization`
//! header.

use std::marker::PhantomData;

use base64::Engine;
use serde_json::json;

use super::{
    authorization, authorization_scheme_param, constant_time_eq, not_authenticated, Credential,
};
use crate::decl::OperationDoc;
use crate::error::HttpError;
use crate::extract::RequestContext;
use crate::response::Rejection;

/// An HTTP basic scheme's configuration (FastAPI's `HTTPBasic(...)`);
/// [`HttpBasic`] is the default one.
pub trait HttpBasicScheme: Send + Sync + 'static {
    /// The realm of the challenge: `WWW-Authenticate: Basic realm="..."`.
    const REALM: Option<&'static str> = None;
    /// The name under `components.securitySchemes`.
    const SCHEME_NAME: &'static str = "HTTPBasic";
    /// The scheme's description in the document.
    const DESCRIPTION: Option<&'static str> = None;
}

/// HTTP basic authentication with no realm.
#[derive(Debug)]
pub struct HttpBasic;

impl HttpBasicScheme for HttpBasic {}

/// The user name and password of `Authorization: Basic <base64>` (FastAPI's
/// `HTTPBasicCredentials`). Absent, of another scheme, not base64 of ASCII
/// or without `:`: 401 with `WWW-Authenticate: Basic` (with the realm when
/// the scheme has one).
pub struct HttpBasicCredentials<S = HttpBasic> {
    /// The user name.
    pub username: String,
    /// The password.
    pub password: String,
    scheme: PhantomData<fn() -> S>,
}

impl<S> HttpBasicCredentials<S> {
    /// Credentials (to call an endpoint's function directly in tests).
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        HttpBasicCredentials {
            username: username.into(),
            password: password.into(),
            scheme: PhantomData,
        }
    }

    /// True when both the user name and the password are these, compared
    /// in constant time (both are always compared, so the time does not
    /// say which one was wrong).
    pub fn matches(&self, username: &str, password: &str) -> bool {
        let good_user = constant_time_eq(self.username.as_bytes(), username.as_bytes());
        let good_password = constant_time_eq(self.password.as_bytes(), password.as_bytes());
        good_user & good_password
    }
}

impl<S> std::fmt::Debug for HttpBasicCredentials<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpBasicCredentials")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

fn basic_challenge<S: HttpBasicScheme>() -> HttpError {
    match S::REALM {
        Some(realm) => not_authenticated(&format!("Basic realm=\"{realm}\"")),
        None => not_authenticated("Basic"),
    }
}

/// Decodes base64 as Python's `b64decode` does by default: characters
/// outside the alphabet are skipped, padding is required.
fn python_b64decode(text: &str) -> Option<Vec<u8>> {
    let kept: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .collect();
    base64::engine::general_purpose::STANDARD.decode(kept).ok()
}

impl<S: HttpBasicScheme> Credential for HttpBasicCredentials<S> {
    fn read(cx: &RequestContext) -> Result<Option<Self>, Rejection> {
        let Some(value) = authorization(cx).filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let (scheme, param) = authorization_scheme_param(&value);
        if !scheme.eq_ignore_ascii_case("basic") {
            return Ok(None);
        }
        let decoded = python_b64decode(param)
            .filter(|bytes| bytes.is_ascii())
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(basic_challenge::<S>)?;
        let (username, password) = decoded.split_once(':').ok_or_else(basic_challenge::<S>)?;
        Ok(Some(HttpBasicCredentials::new(username, password)))
    }

    fn missing() -> HttpError {
        basic_challenge::<S>()
    }

    fn document(doc: &mut OperationDoc<'_>) {
        let mut scheme = json!({"type": "http", "scheme": "basic"});
        if let Some(description) = S::DESCRIPTION {
            scheme["description"] = json!(description);
        }
        doc.security(S::SCHEME_NAME, scheme);
    }
}

super::security_argument!(HttpBasicCredentials<S: HttpBasicScheme>);

/// An HTTP bearer scheme's configuration (FastAPI's `HTTPBearer(...)`);
/// [`HttpBearer`] is the default one.
pub trait HttpBearerScheme: Send + Sync + 'static {
    /// The token's format, documented as `bearerFormat` (`JWT`, say).
    const BEARER_FORMAT: Option<&'static str> = None;
    /// The name under `components.securitySchemes`.
    const SCHEME_NAME: &'static str = "HTTPBearer";
    /// The scheme's description in the document.
    const DESCRIPTION: Option<&'static str> = None;
}

/// HTTP bearer authentication.
#[derive(Debug)]
pub struct HttpBearer;

impl HttpBearerScheme for HttpBearer {}

/// The scheme and credentials of `Authorization: Bearer <credentials>`
/// (FastAPI's `HTTPAuthorizationCredentials` from `HTTPBearer`). Absent,
/// empty, or of another scheme: 401 with `WWW-Authenticate: Bearer`.
pub struct HttpAuthorizationCredentials<S = HttpBearer> {
    /// The scheme as sent (`Bearer`, in any case).
    pub scheme: String,
    /// The credentials: the rest of the header, trimmed.
    pub credentials: String,
    marker: PhantomData<fn() -> S>,
}

impl<S> HttpAuthorizationCredentials<S> {
    /// Credentials (to call an endpoint's function directly in tests).
    pub fn new(scheme: impl Into<String>, credentials: impl Into<String>) -> Self {
        HttpAuthorizationCredentials {
            scheme: scheme.into(),
            credentials: credentials.into(),
            marker: PhantomData,
        }
    }
}

impl<S> std::fmt::Debug for HttpAuthorizationCredentials<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpAuthorizationCredentials")
            .field("scheme", &self.scheme)
            .finish_non_exhaustive()
    }
}

impl<S: HttpBearerScheme> Credential for HttpAuthorizationCredentials<S> {
    fn read(cx: &RequestContext) -> Result<Option<Self>, Rejection> {
        let Some(value) = authorization(cx) else {
            return Ok(None);
        };
        let (scheme, credentials) = authorization_scheme_param(&value);
        if scheme.is_empty() || credentials.is_empty() || !scheme.eq_ignore_ascii_case("bearer") {
            return Ok(None);
        }
        Ok(Some(HttpAuthorizationCredentials::new(scheme, credentials)))
    }

    fn missing() -> HttpError {
        not_authenticated("Bearer")
    }

    fn document(doc: &mut OperationDoc<'_>) {
        let mut scheme = json!({"type": "http", "scheme": "bearer"});
        if let Some(format) = S::BEARER_FORMAT {
            scheme["bearerFormat"] = json!(format);
        }
        if let Some(description) = S::DESCRIPTION {
            scheme["description"] = json!(description);
        }
        doc.security(S::SCHEME_NAME, scheme);
    }
}

super::security_argument!(HttpAuthorizationCredentials<S: HttpBearerScheme>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_decoded_leniently_as_python_does() {
        assert_eq!(
            python_b64decode("Zm9vOmJhcg==").as_deref(),
            Some(&b"foo:bar"[..])
        );
        assert_eq!(
            python_b64decode("Zm9v!Om*Jh cg==").as_deref(),
            Some(&b"foo:bar"[..])
        );
        assert_eq!(python_b64decode("Zm9"), None, "padding is required");
        assert_eq!(python_b64decode("!!!").as_deref(), Some(&b""[..]));
    }

    #[test]
    fn basic_credentials_match_only_both_parts() {
        let credentials = HttpBasicCredentials::<HttpBasic>::new("stanley", "swordfish");
        assert!(credentials.matches("stanley", "swordfish"));
        assert!(!credentials.matches("stanley", "swordfisH"));
        assert!(!credentials.matches("Stanley", "swordfish"));
    }
}
