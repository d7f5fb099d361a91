//! [`TrustedHost`]: FastAPI's `TrustedHostMiddleware` (Starlette's): a
//! request whose `Host` is not one of the allowed hosts is answered `400
//! Invalid host header` in plain text (a malformed `Host` too), or, when
//! only its `www.` form is allowed, redirected there (307).

use std::sync::Arc;

use bytes::Bytes;
use http::header::{HeaderValue, HOST, LOCATION};
use http::{Request, StatusCode};
use tower_layer::Layer;

use super::{Around, AroundService, BoxFuture, Inner, Next};
use crate::body::Body;
use crate::response::{media, with_content_type, Response};

/// Only the given hosts may be asked for, as FastAPI's
/// `TrustedHostMiddleware`. Add it with
/// [`App::layer`](crate::app::App::layer).
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::middleware::TrustedHost;
///
/// let app = App::new().layer(TrustedHost::new(["example.com", "*.example.com"]));
/// ```
#[derive(Clone, Debug)]
pub struct TrustedHost {
    allowed: Arc<Vec<String>>,
    www_redirect: bool,
}

impl TrustedHost {
    /// Allows `hosts`: exact names, `*.example.com` for any subdomain, or
    /// `*` for any host.
    ///
    /// # Panics
    /// On a pattern with a `*` anywhere but as a leading `*.` (the
    /// programmer's, checked at startup), as Starlette asserts.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(hosts: I) -> Self {
        let allowed: Vec<String> = hosts.into_iter().map(|h| h.into().to_lowercase()).collect();
        for pattern in &allowed {
            let bad = pattern.get(1..).is_some_and(|rest| rest.contains('*'))
                || (pattern.starts_with('*') && pattern != "*" && !pattern.starts_with("*."));
            if bad {
                panic!("fastrs: TrustedHost pattern {pattern:?}: domain wildcard patterns must be like '*.example.com'");
            }
        }
        TrustedHost {
            allowed: Arc::new(allowed),
            www_redirect: true,
        }
    }

    /// Whether a host whose `www.` form is allowed is redirected there
    /// (default) or refused.
    pub fn www_redirect(mut self, redirect: bool) -> Self {
        self.www_redirect = redirect;
        self
    }
}

/// Starlette's `parse_host_header`: the host (lower-cased) of a valid
/// `Host` header, without its port.
fn parse_host(header: &str) -> Option<String> {
    let (host, port) = if let Some(rest) = header.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let inside_ok = inside.parse::<std::net::Ipv6Addr>().is_ok()
            || (inside.starts_with('v') && inside.contains('.'));
        if !inside_ok {
            return None;
        }
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (format!("[{inside}]"), port)
    } else {
        match header.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), Some(port)),
            None => (header.to_owned(), None),
        }
    };
    if let Some(port) = port {
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._~%!$&'()*+,;=-".contains(c);
    if host.is_empty() || !(host.starts_with('[') || host.chars().all(allowed)) {
        return None;
    }
    Some(host.to_lowercase())
}

impl Layer<Inner> for TrustedHost {
    type Service = AroundService<TrustedHost>;

    fn layer(&self, inner: Inner) -> Self::Service {
        AroundService::new(self.clone(), inner)
    }
}

impl Around for TrustedHost {
    fn around(self: Arc<Self>, request: Request<Body>, next: Next) -> BoxFuture<'static, Response> {
        match self.refusal(&request) {
            Some(response) => Box::pin(async move { response }),
            None => Box::pin(next.run(request)),
        }
    }
}

impl TrustedHost {
    /// The answer for a request that may not pass, if it may not.
    fn refusal(&self, request: &Request<Body>) -> Option<Response> {
        if self.allowed.iter().any(|p| p == "*") {
            return None;
        }
        let invalid = || {
            with_content_type(
                StatusCode::BAD_REQUEST,
                media::text_plain(),
                Bytes::from_static(b"Invalid host header"),
            )
        };
        let header = request.headers().get(HOST).and_then(|h| h.to_str().ok());
        let Some(host) = header.and_then(parse_host) else {
            return Some(invalid());
        };
        let mut www = false;
        for pattern in self.allowed.iter() {
            if host == *pattern || (pattern.starts_with('*') && host.ends_with(&pattern[1..])) {
                return None;
            }
            if format!("www.{host}") == *pattern {
                www = true;
            }
        }
        if www && self.www_redirect {
            let uri = request.uri();
            let path = uri.path_and_query().map_or("/", |p| p.as_str());
            let scheme = uri.scheme_str().unwrap_or("http");
            let location = format!("{scheme}://www.{}{path}", header.unwrap_or(""));
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::TEMPORARY_REDIRECT;
            if let Ok(location) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(LOCATION, location);
            }
            return Some(response);
        }
        Some(invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::parse_host;

    #[test]
    fn hosts_parse_as_starlette_parses_them() {
        assert_eq!(
            parse_host("Example.COM:8000").as_deref(),
            Some("example.com")
        );
        assert_eq!(parse_host("example.com").as_deref(), Some("example.com"));
        assert_eq!(parse_host("[::1]:80").as_deref(), Some("[::1]"));
        assert_eq!(parse_host("[::1]").as_deref(), Some("[::1]"));
        for bad in [
            "",
            "exa mple.com",
            "example.com:",
            "example.com:8o",
            "[zz]",
            "a/b",
            "[::1]x",
        ] {
            assert_eq!(parse_host(bad), None, "{bad:?}");
        }
    }
}
