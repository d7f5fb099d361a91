//! [`HttpUrl`] and [`AnyUrl`]: Pydantic's URL types, with the feature
//! `url`.
//!
//! Pydantic parses URLs with the `url` crate (WHATWG's URL standard), and so
//! do these: what is accepted, how it is written back (`http://example.com`
//! is `http://example.com/`, a domain in Unicode is punycode) and the reason
//! in a `url_parsing` error are Pydantic's. `HttpUrl` also takes Pydantic's
//! limits: the `http` and `https` schemes only, 2083 characters at most.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::constraints::Constraints;
use super::errors::ErrorKind;
use super::fast::FastDeserialize;
use super::validate::{Validate, ValidateCx};
use super::ParamValue;

/// The most characters an [`HttpUrl`] may have, as Pydantic's.
pub const HTTP_URL_MAX_LENGTH: usize = 2083;

fn error(kind: &'static str, msg: String, ctx: Option<Value>) -> ErrorKind {
    ErrorKind::Other {
        kind: kind.into(),
        msg: msg.into(),
        ctx,
    }
}

fn parse(text: &str) -> Result<url::Url, ErrorKind> {
    let reason = if text.is_empty() {
        "input is empty".to_owned()
    } else {
        match url::Url::parse(text) {
            Ok(url) => return Ok(url),
            Err(e) => e.to_string(),
        }
    };
    Err(error(
        "url_parsing",
        format!("Input should be a valid URL, {reason}"),
        Some(serde_json::json!({"error": reason})),
    ))
}

fn not_text() -> ErrorKind {
    error(
        "url_type",
        "URL input should be a string or URL".into(),
        None,
    )
}

/// Implements reading (JSON, the fast path, parameters), writing and
/// `Display` for a URL type from its `parse(&str) -> Result<Self, ErrorKind>`.
macro_rules! url_type {
    ($t:ident) => {
        impl $t {
            /// The URL as written back: normalized by the URL standard.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }

            /// The parsed URL.
            pub fn into_url(self) -> url::Url {
                self.0
            }
        }

        impl Deref for $t {
            type Target = url::Url;
            fn deref(&self) -> &url::Url {
                &self.0
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $t {
            type Err = ErrorKind;
            fn from_str(text: &str) -> Result<Self, ErrorKind> {
                $t::parse(text)
            }
        }

        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
                $t::parse(&text).map_err(|_| serde::de::Error::custom("not a valid URL"))
            }
        }

        impl FastDeserialize for $t {
            fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $t::deserialize(d)
            }
        }

        impl Validate for $t {
            fn validate(value: &Value, _: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
                let Value::String(text) = value else {
                    cx.error(not_text(), value);
                    return None;
                };
                $t::parse(text).map_err(|kind| cx.error(kind, value)).ok()
            }
        }

        impl ParamValue for $t {
            fn parse_param(raw: &str, _: &Constraints) -> Result<Self, ErrorKind> {
                $t::parse(raw)
            }
        }
    };
}

/// An `http` or `https` URL of at most 2083 characters (Pydantic's
/// `HttpUrl`), documented `format: uri` with its length limits.
///
/// ```
/// use fastrs::model::HttpUrl;
///
/// let url: HttpUrl = "HTTPS://Example.COM:443/a b".parse().unwrap();
/// assert_eq!(url.as_str(), "https://example.com/a%20b");
/// assert_eq!(url.host_str(), Some("example.com"));
/// assert!("ftp://example.com".parse::<HttpUrl>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HttpUrl(url::Url);

impl HttpUrl {
    /// Parses `text` as Pydantic's `HttpUrl` does; the error is the one
    /// its 422 reports (`url_too_long`, `url_parsing`, `url_scheme`).
    pub fn parse(text: &str) -> Result<HttpUrl, ErrorKind> {
        if text.chars().count() > HTTP_URL_MAX_LENGTH {
            return Err(error(
                "url_too_long",
                format!("URL should have at most {HTTP_URL_MAX_LENGTH} characters"),
                Some(serde_json::json!({"max_length": HTTP_URL_MAX_LENGTH})),
            ));
        }
        let url = parse(text)?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(error(
                "url_scheme",
                "URL scheme should be 'http' or 'https'".into(),
                Some(serde_json::json!({"expected_schemes": "'http' or 'https'"})),
            ));
        }
        Ok(HttpUrl(url))
    }
}

url_type!(HttpUrl);

/// A URL of any scheme (Pydantic's `AnyUrl`): `mailto:a@b.c`,
/// `file:///etc/hosts`, `urn:isbn:1`; documented `format: uri`.
///
/// ```
/// use fastrs::model::AnyUrl;
///
/// assert_eq!(AnyUrl::parse("ftp://a").unwrap().as_str(), "ftp://a/");
/// assert!(AnyUrl::parse("example.com").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AnyUrl(url::Url);

impl AnyUrl {
    /// Parses `text` as Pydantic's `AnyUrl` does; the error is its
    /// `url_parsing`.
    pub fn parse(text: &str) -> Result<AnyUrl, ErrorKind> {
        parse(text).map(AnyUrl)
    }
}

url_type!(AnyUrl);

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_and_msg(e: ErrorKind) -> (String, String) {
        (e.type_name().to_owned(), e.message().into_owned())
    }

    // Pydantic 2.14 (FastAPI 0.165) for the same texts.
    #[test]
    fn http_urls_are_written_and_refused_as_pydantic_does() {
        let written = |t: &str| HttpUrl::parse(t).map(|u| u.to_string()).ok();
        assert_eq!(
            written("http://example.com").as_deref(),
            Some("http://example.com/")
        );
        assert_eq!(
            written("http:/example.com").as_deref(),
            Some("http://example.com/")
        );
        assert_eq!(written(" http://x.com ").as_deref(), Some("http://x.com/"));
        assert_eq!(written("http://x.com:80").as_deref(), Some("http://x.com/"));
        assert_eq!(
            written("http://münchen.de/ü").as_deref(),
            Some("http://xn--mnchen-3ya.de/%C3%BC")
        );
        assert_eq!(
            written("http://user:pw@x.com:8080/p?q#f").as_deref(),
            Some("http://user:pw@x.com:8080/p?q#f")
        );
        let refused = |t: &str| kind_and_msg(HttpUrl::parse(t).unwrap_err());
        assert_eq!(
            refused("ws://x.com"),
            (
                "url_scheme".into(),
                "URL scheme should be 'http' or 'https'".into()
            )
        );
        assert_eq!(
            refused("http://a b.com"),
            (
                "url_parsing".into(),
                "Input should be a valid URL, invalid international domain name".into()
            )
        );
        assert_eq!(
            refused(""),
            (
                "url_parsing".into(),
                "Input should be a valid URL, input is empty".into()
            )
        );
        assert_eq!(
            refused(&format!("nope{}", "a".repeat(2100))),
            (
                "url_too_long".into(),
                "URL should have at most 2083 characters".into()
            )
        );
    }

    #[test]
    fn any_url_takes_any_scheme_and_no_host() {
        let written = |t: &str| AnyUrl::parse(t).map(|u| u.to_string()).ok();
        assert_eq!(written("a:b").as_deref(), Some("a:b"));
        assert_eq!(written("mailto:").as_deref(), Some("mailto:"));
        assert_eq!(
            written("file:///etc/passwd").as_deref(),
            Some("file:///etc/passwd")
        );
        assert_eq!(written("//x.com"), None);
        assert_eq!(written("http://"), None);
    }
}
