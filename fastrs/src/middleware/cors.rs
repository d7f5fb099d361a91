//! [`Cors`]: FastAPI's `CORSMiddleware` (Starlette's), with its options and
//! its answers: preflight requests answered `200 OK` (text) or `400
//! Disallowed CORS origin, method, headers`, simple requests given
//! `Access-Control-Allow-*` headers and `Vary: Origin`.
//!
//! Written here rather than taken from tower-http: Starlette's answers
//! (the 400 with the list of what failed, the plain-text body, the header
//! values and their order) are the contract, and tower-http's layer answers
//! differently on each of those.

use std::sync::Arc;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::{Method, Request, StatusCode};
use tower_layer::Layer;

use super::{add_vary, Around, AroundService, BoxFuture, Inner, Next};
use crate::body::Body;
use crate::response::{media, with_content_type, Response};

const SAFELISTED_HEADERS: [&str; 4] = [
    "Accept",
    "Accept-Language",
    "Content-Language",
    "Content-Type",
];
const ALL_METHODS: [&str; 8] = [
    "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY",
];

/// Cross-origin resource sharing, as FastAPI's `CORSMiddleware`. Add it
/// with [`App::layer`](crate::app::App::layer).
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::middleware::Cors;
///
/// let app = App::new().layer(
///     Cors::new()
///         .allow_origins(["https://app.example.com"])
///         .allow_credentials(true)
///         .allow_methods(["GET", "POST"])
///         .allow_headers(["X-Custom"])
///         .expose_headers(["X-Process"]),
/// );
/// ```
#[derive(Clone, Debug)]
pub struct Cors {
    allow_origins: Vec<String>,
    #[cfg(feature = "patterns")]
    allow_origin_regex: Option<regex::Regex>,
    allow_methods: Vec<String>,
    allow_headers: Vec<String>,
    allow_credentials: bool,
    allow_private_network: bool,
    expose_headers: Vec<String>,
    max_age: u64,
}

impl Default for Cors {
    fn default() -> Self {
        Cors::new()
    }
}

impl Cors {
    /// FastAPI's defaults: no origin allowed, `GET` only, no extra header,
    /// no credentials, `max_age` 600.
    pub fn new() -> Self {
        Cors {
            allow_origins: Vec::new(),
            #[cfg(feature = "patterns")]
            allow_origin_regex: None,
            allow_methods: vec!["GET".into()],
            allow_headers: Vec::new(),
            allow_credentials: false,
            allow_private_network: false,
            expose_headers: Vec::new(),
            max_age: 600,
        }
    }

    /// The origins allowed (`"*"`: any).
    pub fn allow_origins<I: IntoIterator<Item = S>, S: Into<String>>(mut self, origins: I) -> Self {
        self.allow_origins = origins.into_iter().map(Into::into).collect();
        self
    }

    /// Origins allowed by a regular expression matching the whole origin
    /// (the cargo feature `patterns`).
    ///
    /// # Panics
    /// If the expression does not compile (it is the programmer's, checked
    /// at startup).
    #[cfg(feature = "patterns")]
    #[cfg_attr(docsrs, doc(cfg(feature = "patterns")))]
    pub fn allow_origin_regex(mut self, regex: &str) -> Self {
        let anchored = format!("^(?:{regex})$");
        match regex::Regex::new(&anchored) {
            Ok(regex) => self.allow_origin_regex = Some(regex),
            Err(error) => {
                panic!("fastrs: Cors::allow_origin_regex({regex:?}) does not compile: {error}")
            }
        }
        self
    }

    /// Without the feature `patterns`: a compile error that names it.
    #[cfg(not(feature = "patterns"))]
    #[doc(hidden)]
    pub fn allow_origin_regex<R: crate::feature_off::PatternsOn>(self, regex: R) -> Self {
        regex.unavailable()
    }

    /// The methods allowed (`"*"`: all). Default `GET`.
    pub fn allow_methods<I: IntoIterator<Item = S>, S: Into<String>>(mut self, methods: I) -> Self {
        let methods: Vec<String> = methods.into_iter().map(Into::into).collect();
        self.allow_methods = if methods.iter().any(|m| m == "*") {
            ALL_METHODS.iter().map(|m| (*m).to_owned()).collect()
        } else {
            methods
        };
        self
    }

    /// The request headers allowed besides the CORS-safelisted ones (`"*"`:
    /// any).
    pub fn allow_headers<I: IntoIterator<Item = S>, S: Into<String>>(mut self, headers: I) -> Self {
        self.allow_headers = headers.into_iter().map(Into::into).collect();
        self
    }

    /// Whether cookies and credentials may be sent (the allowed origin is
    /// then named, never `*`).
    pub fn allow_credentials(mut self, allow: bool) -> Self {
        self.allow_credentials = allow;
        self
    }

    /// Whether private-network preflights are allowed.
    pub fn allow_private_network(mut self, allow: bool) -> Self {
        self.allow_private_network = allow;
        self
    }

    /// The response headers the browser may show to scripts.
    pub fn expose_headers<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        headers: I,
    ) -> Self {
        self.expose_headers = headers.into_iter().map(Into::into).collect();
        self
    }

    /// How long, in seconds, a browser may cache a preflight answer.
    pub fn max_age(mut self, seconds: u64) -> Self {
        self.max_age = seconds;
        self
    }

    /// The settings, computed once.
    fn compile(&self) -> Policy {
        let allow_all_origins = self.allow_origins.iter().any(|o| o == "*");
        let allow_all_headers = self.allow_headers.iter().any(|h| h == "*");
        let explicit_origin = !allow_all_origins || self.allow_credentials;
        let mut simple = Vec::new();
        if allow_all_origins {
            simple.push(("access-control-allow-origin", "*".to_owned()));
        }
        if self.allow_credentials {
            simple.push(("access-control-allow-credentials", "true".to_owned()));
        }
        if !self.expose_headers.is_empty() {
            simple.push((
                "access-control-expose-headers",
                self.expose_headers.join(", "),
            ));
        }
        let mut preflight = vec![(
            "vary",
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network".to_owned(),
        )];
        if !explicit_origin {
            preflight.push(("access-control-allow-origin", "*".to_owned()));
        }
        preflight.push((
            "access-control-allow-methods",
            self.allow_methods.join(", "),
        ));
        preflight.push(("access-control-max-age", self.max_age.to_string()));
        let mut allowed: Vec<String> = SAFELISTED_HEADERS.iter().map(|h| (*h).to_owned()).collect();
        for header in &self.allow_headers {
            if !allowed.contains(header) {
                allowed.push(header.clone());
            }
        }
        allowed.sort();
        if !allow_all_headers {
            preflight.push(("access-control-allow-headers", allowed.join(", ")));
        }
        if self.allow_credentials {
            preflight.push(("access-control-allow-credentials", "true".to_owned()));
        }
        Policy {
            config: self.clone(),
            allow_all_origins,
            allow_all_headers,
            explicit_origin,
            allowed_headers: allowed.iter().map(|h| h.to_lowercase()).collect(),
            simple: headers(simple),
            preflight: headers(preflight),
        }
    }
}

fn headers(pairs: Vec<(&'static str, String)>) -> Vec<(HeaderName, HeaderValue)> {
    pairs
        .into_iter()
        .filter_map(|(name, value)| {
            let value = HeaderValue::from_str(&value).ok()?;
            Some((HeaderName::from_static(name), value))
        })
        .collect()
}

/// A [`Cors`] ready to answer.
pub struct Policy {
    config: Cors,
    allow_all_origins: bool,
    allow_all_headers: bool,
    explicit_origin: bool,
    allowed_headers: Vec<String>,
    simple: Vec<(HeaderName, HeaderValue)>,
    preflight: Vec<(HeaderName, HeaderValue)>,
}

impl Policy {
    fn is_allowed_origin(&self, origin: &str) -> bool {
        self.allow_all_origins
            || self.matches_origin_regex(origin)
            || self.config.allow_origins.iter().any(|o| o == origin)
    }

    #[cfg(feature = "patterns")]
    fn matches_origin_regex(&self, origin: &str) -> bool {
        self.config
            .allow_origin_regex
            .as_ref()
            .is_some_and(|r| r.is_match(origin))
    }

    #[cfg(not(feature = "patterns"))]
    fn matches_origin_regex(&self, _: &str) -> bool {
        false
    }

    /// Starlette's `preflight_response`.
    fn preflight(&self, request: &http::request::Parts, origin: &HeaderValue) -> Response {
        let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
        let mut answer = self.preflight.clone();
        let mut failures = Vec::new();
        let origin_text = origin.to_str().unwrap_or("");
        if self.is_allowed_origin(origin_text) {
            if self.explicit_origin {
                answer.push((
                    HeaderName::from_static("access-control-allow-origin"),
                    origin.clone(),
                ));
            }
        } else {
            failures.push("origin");
        }
        let method = header("access-control-request-method").unwrap_or("");
        if !self.config.allow_methods.iter().any(|m| m == method) {
            failures.push("method");
        }
        let requested = header("access-control-request-headers");
        if let (true, Some(requested)) = (self.allow_all_headers, requested) {
            if let Ok(value) = HeaderValue::from_str(requested) {
                answer.push((
                    HeaderName::from_static("access-control-allow-headers"),
                    value,
                ));
            }
        } else if let Some(requested) = requested {
            let all_allowed = requested
                .split(',')
                .all(|h| self.allowed_headers.contains(&h.trim().to_lowercase()));
            if !all_allowed {
                failures.push("headers");
            }
        }
        if header("access-control-request-private-network").is_some() {
            if self.config.allow_private_network {
                answer.push((
                    HeaderName::from_static("access-control-allow-private-network"),
                    HeaderValue::from_static("true"),
                ));
            } else {
                failures.push("private-network");
            }
        }
        let (status, text) = if failures.is_empty() {
            (StatusCode::OK, "OK".to_owned())
        } else {
            (
                StatusCode::BAD_REQUEST,
                format!("Disallowed CORS {}", failures.join(", ")),
            )
        };
        let mut response = with_content_type(status, media::text_plain(), Bytes::from(text));
        for (name, value) in answer {
            response.headers_mut().insert(name, value);
        }
        response
    }

    /// Starlette's `simple_response`: the route's answer, with CORS headers.
    fn decorate(&self, response: &mut Response, origin: Option<&HeaderValue>) {
        let headers = response.headers_mut();
        if origin.is_some() {
            for (name, value) in &self.simple {
                headers.insert(name.clone(), value.clone());
            }
        }
        let explicit = match origin {
            Some(origin) if self.allow_all_origins && self.config.allow_credentials => Some(origin),
            Some(origin)
                if !self.allow_all_origins
                    && self.is_allowed_origin(origin.to_str().unwrap_or("")) =>
            {
                Some(origin)
            }
            _ => None,
        };
        if let Some(origin) = explicit {
            headers.insert(http::header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        }
        add_vary(headers, "Origin");
    }
}

impl Layer<Inner> for Cors {
    type Service = AroundService<Policy>;

    fn layer(&self, inner: Inner) -> Self::Service {
        AroundService::new(self.compile(), inner)
    }
}

impl Around for Policy {
    fn around(self: Arc<Self>, request: Request<Body>, next: Next) -> BoxFuture<'static, Response> {
        let origin = request.headers().get(http::header::ORIGIN).cloned();
        let is_preflight = request.method() == Method::OPTIONS
            && request
                .headers()
                .contains_key(http::header::ACCESS_CONTROL_REQUEST_METHOD);
        if let (Some(origin), true) = (&origin, is_preflight) {
            let (parts, _) = request.into_parts();
            let response = self.preflight(&parts, origin);
            return Box::pin(async move { response });
        }
        Box::pin(async move {
            let mut response = next.run(request).await;
            self.decorate(&mut response, origin.as_ref());
            response
        })
    }
}
