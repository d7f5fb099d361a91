//! The OAuth2 password flow: the bearer token a client got from the token
//! URL ([`OAuth2Token`]). The form it logs in with is in
//! `password_form`.

use std::marker::PhantomData;

use serde_json::{json, Map, Value};

use super::{authorization, authorization_scheme_param, not_authenticated, Credential};
use crate::decl::OperationDoc;
use crate::error::HttpError;
use crate::extract::RequestContext;
use crate::response::Rejection;

/// An OAuth2 password flow scheme (FastAPI's `OAuth2PasswordBearer`):
/// implement it for a unit struct and read tokens with
/// [`OAuth2Token<ThatStruct>`](OAuth2Token).
///
/// ```
/// use fastrs::security::OAuth2PasswordBearer;
///
/// struct OAuth2;
///
/// impl OAuth2PasswordBearer for OAuth2 {
///     const TOKEN_URL: &'static str = "token";
///     const SCOPES: &'static [(&'static str, &'static str)] =
///         &[("me", "Read information about the current user.")];
/// }
/// ```
pub trait OAuth2PasswordBearer: Send + Sync + 'static {
    /// Where clients post the password form to get a token (relative to
    /// the API, as in FastAPI's `tokenUrl`).
    const TOKEN_URL: &'static str;
    /// The scopes the API knows, with their descriptions.
    const SCOPES: &'static [(&'static str, &'static str)] = &[];
    /// Where a token is refreshed, if anywhere.
    const REFRESH_URL: Option<&'static str> = None;
    /// The name under `components.securitySchemes`.
    const SCHEME_NAME: &'static str = "OAuth2PasswordBearer";
    /// The scheme's description in the document.
    const DESCRIPTION: Option<&'static str> = None;
}

/// The bearer token of the scheme `S`, from `Authorization: Bearer <token>`
/// (FastAPI's `Depends(oauth2_scheme)`). Absent, or with another
/// authorization scheme: 401 with `WWW-Authenticate: Bearer`.
/// `Option<OAuth2Token<S>>` is `None` instead.
pub struct OAuth2Token<S> {
    token: String,
    scheme: PhantomData<fn() -> S>,
}

impl<S> OAuth2Token<S> {
    /// A token (to call an endpoint's function directly in tests).
    pub fn new(token: impl Into<String>) -> Self {
        OAuth2Token {
            token: token.into(),
            scheme: PhantomData,
        }
    }

    /// The token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The token, owned.
    pub fn into_string(self) -> String {
        self.token
    }
}

impl<S> std::ops::Deref for OAuth2Token<S> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.token
    }
}

impl<S> std::fmt::Debug for OAuth2Token<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OAuth2Token(..)")
    }
}

impl<S: OAuth2PasswordBearer> Credential for OAuth2Token<S> {
    fn read(cx: &RequestContext) -> Result<Option<Self>, Rejection> {
        let Some(value) = authorization(cx).filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let (scheme, token) = authorization_scheme_param(&value);
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Ok(None);
        }
        Ok(Some(OAuth2Token::new(token)))
    }

    fn missing() -> HttpError {
        not_authenticated("Bearer")
    }

    fn document(doc: &mut OperationDoc<'_>) {
        let scopes: Map<String, Value> = S::SCOPES
            .iter()
            .map(|(name, description)| ((*name).to_owned(), json!(description)))
            .collect();
        let mut flow = json!({"scopes": scopes, "tokenUrl": S::TOKEN_URL});
        if let Some(refresh) = S::REFRESH_URL {
            flow["refreshUrl"] = json!(refresh);
        }
        let mut scheme = json!({"type": "oauth2", "flows": {"password": flow}});
        if let Some(description) = S::DESCRIPTION {
            scheme["description"] = json!(description);
        }
        doc.security(S::SCHEME_NAME, scheme);
    }
}

super::security_argument!(OAuth2Token<S: OAuth2PasswordBearer>);
