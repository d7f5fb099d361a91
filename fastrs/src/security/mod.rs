//! Security schemes, as FastAPI's `fastapi.security` has them: the OAuth2
//! password flow ([`OAuth2Token`], [`OAuth2PasswordRequestForm`]), HTTP
//! basic ([`HttpBasicCredentials`]) and bearer
//! ([`HttpAuthorizationCredentials`]) authentication, and API keys in a
//! header, a query parameter or a cookie ([`ApiKey`]).
//!
//! A scheme is configured by a type: implement its trait
//! ([`OAuth2PasswordBearer`], [`HttpBasicScheme`], [`HttpBearerScheme`],
//! [`ApiKeyScheme`]) for a unit struct, and name the struct in the
//! credential's type (`OAuth2Token<MyOAuth2>`); [`HttpBasic`] and
//! [`HttpBearer`] are the default configurations. A credential is an
//! argument of an endpoint or of a provider, read before the other
//! arguments (it is a dependency in FastAPI). Missing or malformed, it is
//! answered as FastAPI 0.165 answers: 401 `{"detail": "Not authenticated"}`
//! with the scheme's `WWW-Authenticate` challenge; `Option<Credential>` is
//! FastAPI's `auto_error=False` (`None` instead of the 401; a basic
//! credential that cannot be decoded is still a 401, as in FastAPI).
//!
//! Scopes: `#[param(scopes = ["me"])]` on a `Depends` argument is FastAPI's
//! `Security(dep, scopes=["me"])`: the provider, and every provider below
//! it, sees the scopes in [`SecurityScopes`] (the enclosing ones first), a
//! provider used under other scopes runs again (its cache key has them),
//! and the OAuth2 scheme documents them in the operation's `security`.
//!
//! Every scheme used by an operation, directly or through dependencies at
//! any depth, is listed under `components.securitySchemes` with FastAPI's
//! name and shape, and under the operation's `security`.

mod api_key;
mod http_auth;
mod oauth2;
#[cfg(feature = "forms")]
mod password_form;

pub use api_key::{ApiKey, ApiKeyLocation, ApiKeyScheme};
pub use http_auth::{
    HttpAuthorizationCredentials, HttpBasic, HttpBasicCredentials, HttpBasicScheme, HttpBearer,
    HttpBearerScheme,
};
pub use oauth2::{OAuth2PasswordBearer, OAuth2Token};
#[cfg(feature = "forms")]
#[cfg_attr(docsrs, doc(cfg(feature = "forms")))]
pub use password_form::OAuth2PasswordRequestForm;

use http::StatusCode;
use subtle::ConstantTimeEq;

use crate::decl::OperationDoc;
use crate::error::HttpError;
use crate::extract::{Arg, ArgKind, FromRequest, RequestContext};
use crate::model::ValidationErrors;
use crate::response::Rejection;

/// The OAuth2 scopes required where a provider is used: those of every
/// `#[param(scopes = [...])]` on the way from the endpoint to it, outermost
/// first (FastAPI's `SecurityScopes`). Empty in an endpoint's own
/// arguments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecurityScopes {
    /// The scopes, in order.
    pub scopes: Vec<String>,
}

impl SecurityScopes {
    /// The scopes separated by spaces, as a `WWW-Authenticate` challenge
    /// writes them (`Bearer scope="items me"`).
    pub fn scope_str(&self) -> String {
        self.scopes.join(" ")
    }
}

impl FromRequest for SecurityScopes {
    type Value = ();

    const KIND: ArgKind = ArgKind::Dependency;

    fn reads_at_once(_: &Arg<()>) -> bool {
        true
    }

    async fn from_request(
        cx: &mut RequestContext,
        _: &Arg<()>,
        _: &mut ValidationErrors,
    ) -> Result<Option<Self>, Rejection> {
        let scopes = cx.required_scopes().iter().map(|s| (*s).to_owned());
        Ok(Some(SecurityScopes {
            scopes: scopes.collect(),
        }))
    }
}

/// The scheme and the credentials of an `Authorization` header value: split
/// at the first space, the credentials trimmed (FastAPI's
/// `get_authorization_scheme_param`).
pub fn authorization_scheme_param(value: &str) -> (&str, &str) {
    match value.split_once(' ') {
        Some((scheme, param)) => (scheme, param.trim()),
        None => (value, ""),
    }
}

/// FastAPI's answer to a missing or malformed credential: 401
/// `{"detail": "Not authenticated"}` with `WWW-Authenticate: challenge`.
pub fn not_authenticated(challenge: &str) -> HttpError {
    HttpError::new(StatusCode::UNAUTHORIZED, "Not authenticated")
        .with_header("www-authenticate", challenge)
}

/// Compares two secrets in time that depends on their lengths only, never
/// on where they differ (Python's `secrets.compare_digest`).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// What each scheme says: how to find its credential in a request, its
/// challenge, and its OpenAPI scheme. The extractor impls for the
/// credential and its `Option` are written once from this
/// ([`security_argument!`]).
trait Credential: Sized + Send + 'static {
    /// The credential; `Ok(None)` when it is absent (a 401 for a required
    /// credential, `None` for an optional one); `Err` for a credential
    /// that is present and unusable whether required or not.
    fn read(cx: &RequestContext) -> Result<Option<Self>, Rejection>;

    /// The 401 for an absent credential.
    fn missing() -> HttpError;

    /// Registers the scheme and the operation's use of it.
    fn document(doc: &mut OperationDoc<'_>);
}

/// The first value of the `Authorization` header, if any.
fn authorization(cx: &RequestContext) -> Option<String> {
    cx.header_values_named(&http::header::AUTHORIZATION)
        .next()
        .map(|v| v.into_owned())
}

/// `FromRequest` for a credential type and its `Option`: read before the
/// other arguments, as FastAPI's dependencies are.
macro_rules! security_argument {
    ($credential:ident<$S:ident: $bound:path>) => {
        impl<$S: $bound> $crate::extract::FromRequest for $credential<$S> {
            type Value = ();
            const KIND: $crate::extract::ArgKind = $crate::extract::ArgKind::Dependency;

            fn reads_at_once(_: &$crate::extract::Arg<()>) -> bool {
                true
            }

            async fn from_request(
                cx: &mut $crate::extract::RequestContext,
                _: &$crate::extract::Arg<()>,
                _: &mut $crate::model::ValidationErrors,
            ) -> Result<Option<Self>, $crate::response::Rejection> {
                match <Self as super::Credential>::read(cx)? {
                    Some(credential) => Ok(Some(credential)),
                    None => Err(<Self as super::Credential>::missing().into()),
                }
            }

            fn describe(_: &$crate::extract::Arg<()>, doc: &mut $crate::decl::OperationDoc<'_>) {
                <Self as super::Credential>::document(doc);
            }
        }

        impl<$S: $bound> $crate::extract::FromRequest for Option<$credential<$S>> {
            type Value = ();
            const KIND: $crate::extract::ArgKind = $crate::extract::ArgKind::Dependency;

            fn reads_at_once(_: &$crate::extract::Arg<()>) -> bool {
                true
            }

            async fn from_request(
                cx: &mut $crate::extract::RequestContext,
                _: &$crate::extract::Arg<()>,
                _: &mut $crate::model::ValidationErrors,
            ) -> Result<Option<Self>, $crate::response::Rejection> {
                Ok(Some(<$credential<$S> as super::Credential>::read(cx)?))
            }

            fn describe(_: &$crate::extract::Arg<()>, doc: &mut $crate::decl::OperationDoc<'_>) {
                <$credential<$S> as super::Credential>::document(doc);
            }
        }

        // The typed client sends the credential from its own settings.
        #[cfg(feature = "client")]
        $crate::client::omitted!(
            impl[$S: $bound] for $credential<$S>,
            impl[$S: $bound] for Option<$credential<$S>>,
        );
    };
}
use security_argument;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_values_split_as_fastapi_splits_them() {
        assert_eq!(authorization_scheme_param("Bearer abc"), ("Bearer", "abc"));
        assert_eq!(
            authorization_scheme_param("Bearer  abc def "),
            ("Bearer", "abc def")
        );
        assert_eq!(authorization_scheme_param("Bearer"), ("Bearer", ""));
        assert_eq!(authorization_scheme_param(""), ("", ""));
    }

    #[test]
    fn secrets_compare_equal_only_when_equal() {
        assert!(constant_time_eq(b"swordfish", b"swordfish"));
        assert!(!constant_time_eq(b"swordfish", b"swordfisH"));
        assert!(!constant_time_eq(b"swordfish", b"sword"));
    }
}
