//! API keys in a header, a query parameter or a cookie ([`ApiKey`]).

use std::marker::PhantomData;

use serde_json::json;

use super::{not_authenticated, Credential};
use crate::decl::OperationDoc;
use crate::error::HttpError;
use crate::extract::RequestContext;
use crate::response::Rejection;

/// Where an API key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header (FastAPI's `APIKeyHeader`).
    Header,
    /// A query parameter (`APIKeyQuery`).
    Query,
    /// A cookie (`APIKeyCookie`).
    Cookie,
}

impl ApiKeyLocation {
    /// FastAPI's scheme name for keys sent here.
    pub const fn scheme_name(self) -> &'static str {
        match self {
            ApiKeyLocation::Header => "APIKeyHeader",
            ApiKeyLocation::Query => "APIKeyQuery",
            ApiKeyLocation::Cookie => "APIKeyCookie",
        }
    }

    const fn as_str(self) -> &'static str {
        match self {
            ApiKeyLocation::Header => "header",
            ApiKeyLocation::Query => "query",
            ApiKeyLocation::Cookie => "cookie",
        }
    }
}

/// An API key scheme: implement it for a unit struct and read keys with
/// [`ApiKey<ThatStruct>`](ApiKey).
///
/// ```
/// use fastrs::security::{ApiKeyLocation, ApiKeyScheme};
///
/// struct ApiKeyHeader;
///
/// impl ApiKeyScheme for ApiKeyHeader {
///     const NAME: &'static str = "x-api-key";
///     const LOCATION: ApiKeyLocation = ApiKeyLocation::Header;
/// }
/// ```
pub trait ApiKeyScheme: Send + Sync + 'static {
    /// The header, query parameter or cookie name.
    const NAME: &'static str;
    /// Where the key is sent.
    const LOCATION: ApiKeyLocation;
    /// The name under `components.securitySchemes` (FastAPI's class name by
    /// default: `APIKeyHeader`, `APIKeyQuery`, `APIKeyCookie`).
    const SCHEME_NAME: &'static str = Self::LOCATION.scheme_name();
    /// The scheme's description in the document.
    const DESCRIPTION: Option<&'static str> = None;
}

/// The API key of the scheme `S`. Absent or empty: 401 with
/// `WWW-Authenticate: APIKey` (FastAPI's challenge for API keys);
/// `Option<ApiKey<S>>` is `None` instead.
pub struct ApiKey<S> {
    key: String,
    scheme: PhantomData<fn() -> S>,
}

impl<S> ApiKey<S> {
    /// A key (to call an endpoint's function directly in tests).
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey {
            key: key.into(),
            scheme: PhantomData,
        }
    }

    /// The key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The key, owned.
    pub fn into_string(self) -> String {
        self.key
    }
}

impl<S> std::ops::Deref for ApiKey<S> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.key
    }
}

impl<S> std::fmt::Debug for ApiKey<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(..)")
    }
}

impl<S: ApiKeyScheme> Credential for ApiKey<S> {
    fn read(cx: &RequestContext) -> Result<Option<Self>, Rejection> {
        // Starlette's reading: the first header, the last query value and
        // cookie.
        let key = match S::LOCATION {
            ApiKeyLocation::Header => cx.header_values(S::NAME).next(),
            ApiKeyLocation::Query => cx.query_values(S::NAME).last(),
            ApiKeyLocation::Cookie => {
                cx.check_cookie_count()?;
                cx.cookie_values(S::NAME).last()
            }
        };
        Ok(key.filter(|k| !k.is_empty()).map(ApiKey::new))
    }

    fn missing() -> HttpError {
        not_authenticated("APIKey")
    }

    fn document(doc: &mut OperationDoc<'_>) {
        let mut scheme = json!({"type": "apiKey", "in": S::LOCATION.as_str(), "name": S::NAME});
        if let Some(description) = S::DESCRIPTION {
            scheme["description"] = json!(description);
        }
        doc.security(S::SCHEME_NAME, scheme);
    }
}

super::security_argument!(ApiKey<S: ApiKeyScheme>);
