//! [`RequestContext`]: the request as extractors see it.
//!
//! It owns the request head, the path parameters the router matched and the
//! body (until an extractor takes it). Query strings and cookies are parsed on
//! demand, per lookup, without allocating when nothing is escaped: an
//! endpoint that reads no query parameter never parses the query.

use std::borrow::Cow;
use std::sync::Arc;

use http::header::{HeaderName, HeaderValue};
use http::request::Parts;
use serde_json::Value;

use crate::body::Body;
use crate::decl::ParamSpec;
use crate::response::Response;
use crate::state::Cleanup;
use crate::state::{AppState, RequestCache, Sharing};

/// The request body once read, shared by every body argument.
pub(crate) enum BodyState {
    /// Not read yet.
    Unread,
    /// Read and parsed as a JSON object (or any JSON value); boxed, for a
    /// `Value` is large and every request's context carries this state.
    Parsed(Box<Value>),
    /// Empty: every field is absent.
    Empty,
    /// Unusable, and the error was reported by the first reader.
    Failed,
    /// Read as a form; file parts are taken by the arguments that read them.
    #[cfg(feature = "forms")]
    Form(super::form_data::FormData),
}

/// The scopes of every enclosing `#[param(scopes = [...])]`, outermost
/// first, and their set hashed: a provider used under other scopes is
/// another cache entry, as in FastAPI.
pub(crate) struct RequiredScopes {
    pub(crate) list: Vec<&'static str>,
    pub(crate) key: u64,
}

/// What routing found for a request, kept while the request goes through a
/// router's middleware as a plain `http::Request`.
#[derive(Clone)]
pub(crate) struct Routed {
    path_names: Option<Arc<[Box<str>]>>,
    path_values: Vec<String>,
    body_limit: usize,
    app: Option<Arc<AppState>>,
    peer: Option<std::net::SocketAddr>,
    strict_content_type: Option<bool>,
}

impl Routed {
    /// The client's address, when the server gave it.
    pub(crate) fn peer(&self) -> Option<std::net::SocketAddr> {
        self.peer
    }

    /// The context again, for the request as the middleware passed it on.
    pub(crate) fn into_context(self, request: http::Request<Body>) -> RequestContext {
        let (head, body) = request.into_parts();
        let mut cx = RequestContext::with_route(
            head,
            body,
            self.path_names,
            self.path_values,
            self.body_limit,
            self.app,
        );
        cx.peer = self.peer;
        cx.strict_content_type = self.strict_content_type;
        cx
    }
}

/// The request being handled, as extractors see it.
pub struct RequestContext {
    head: Parts,
    /// `None` for a route without parameters: no `Arc` to count.
    path_names: Option<Arc<[Box<str>]>>,
    path_values: Vec<String>,
    body: Option<Body>,
    body_limit: usize,
    pub(crate) body_state: BodyState,
    /// Request-scoped dependency values, by provider and required scopes
    /// (the cache).
    pub(crate) cache: RequestCache,
    /// Which values go into the cache (all but where an endpoint's
    /// arguments are resolved: see [`Sharing`]).
    pub(crate) sharing: Sharing,
    /// The OAuth2 scopes required where dependency resolution now is
    /// (`None` for none, the common case: one word in the context).
    pub(crate) scopes: Option<Box<RequiredScopes>>,
    /// Cleanups of request-scoped dependency values, in the order the
    /// values were built.
    pub(crate) cleanups: Vec<Cleanup>,
    // `None` until set: a request that uses no dependency pays nothing.
    app: Option<Arc<AppState>>,
    /// The endpoint's `strict_content_type`, when it sets one (else the
    /// app's).
    pub(crate) strict_content_type: Option<bool>,
    /// The address of the connection's peer, when the server gave it.
    pub(crate) peer: Option<std::net::SocketAddr>,
    /// What the request's response handles changed (`None` until one is
    /// taken).
    pub(crate) response_changes:
        Option<Arc<std::sync::Mutex<super::response_handle::ResponseChanges>>>,
}

impl RequestContext {
    /// A context for `head` and `body`, with the path parameters the router
    /// matched (names in template order, values decoded).
    pub fn new(
        head: Parts,
        body: Body,
        path_names: Arc<[Box<str>]>,
        path_values: Vec<String>,
        body_limit: usize,
    ) -> Self {
        let path_names = (!path_names.is_empty()).then_some(path_names);
        RequestContext::with_route(head, body, path_names, path_values, body_limit, None)
    }

    /// Attaches the app's state.
    pub(crate) fn with_app(mut self, state: Arc<AppState>) -> Self {
        self.app = Some(state);
        self
    }

    /// A context for a request routed by an app: [`RequestContext::new`]
    /// with the app's state, built in place.
    pub(crate) fn routed(
        head: Parts,
        body: Body,
        path_names: &Arc<[Box<str>]>,
        path_values: Vec<String>,
        body_limit: usize,
        app: Arc<AppState>,
    ) -> Self {
        let path_names = (!path_names.is_empty()).then(|| path_names.clone());
        RequestContext::with_route(head, body, path_names, path_values, body_limit, Some(app))
    }

    /// A fresh context: nothing read, nothing cached, nothing to clean up.
    fn with_route(
        head: Parts,
        body: Body,
        path_names: Option<Arc<[Box<str>]>>,
        path_values: Vec<String>,
        body_limit: usize,
        app: Option<Arc<AppState>>,
    ) -> Self {
        RequestContext {
            head,
            path_names,
            path_values,
            body: Some(body),
            body_limit,
            body_state: BodyState::Unread,
            cache: RequestCache::default(),
            sharing: Sharing::ALL,
            scopes: None,
            cleanups: Vec::new(),
            app,
            strict_content_type: None,
            peer: None,
            response_changes: None,
        }
    }

    /// Takes a fresh context apart into the request and what routing found,
    /// to pass the request through a router's middleware (see
    /// [`Routed::into_context`] for the way back).
    pub(crate) fn into_request(self) -> (http::Request<Body>, Routed) {
        let request = http::Request::from_parts(self.head, self.body.unwrap_or_default());
        let routed = Routed {
            path_names: self.path_names,
            path_values: self.path_values,
            body_limit: self.body_limit,
            app: self.app,
            peer: self.peer,
            strict_content_type: self.strict_content_type,
        };
        (request, routed)
    }

    /// The app's state; a context made outside any app (a test's) shares
    /// one empty state.
    pub(crate) fn app(&self) -> &AppState {
        static NO_APP: std::sync::OnceLock<AppState> = std::sync::OnceLock::new();
        match &self.app {
            Some(app) => app,
            None => NO_APP.get_or_init(AppState::default),
        }
    }

    /// The request's extensions: a type map that lives as long as the
    /// request, where extractors can share state (one `BackgroundTasks`
    /// list for an endpoint and its providers, say).
    pub fn extensions(&self) -> &http::Extensions {
        &self.head.extensions
    }

    /// The request's extensions, to add to.
    pub fn extensions_mut(&mut self) -> &mut http::Extensions {
        &mut self.head.extensions
    }

    /// The key of the required scopes in the dependency cache (0: none).
    pub(crate) fn scopes_key(&self) -> u64 {
        self.scopes.as_ref().map_or(0, |s| s.key)
    }

    /// The OAuth2 scopes required where dependency resolution now is.
    pub(crate) fn required_scopes(&self) -> &[&'static str] {
        self.scopes.as_ref().map_or(&[], |s| &s.list)
    }

    /// The request head: method, URI, headers, extensions.
    pub fn head(&self) -> &Parts {
        &self.head
    }

    /// The value of the path parameter `name`.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path_names
            .as_deref()?
            .iter()
            .position(|n| &**n == name)
            .and_then(|i| self.path_values.get(i))
            .map(String::as_str)
    }

    /// Every value of the query key `name`, in order, decoded.
    pub fn query_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = Cow<'a, str>> + 'a {
        let query = self.head.uri.query().unwrap_or("");
        form_urlencoded::parse(query.as_bytes())
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// Every `(key, value)` pair of the query string, decoded, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let query = self.head.uri.query().unwrap_or("");
        form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// `Err` (a 400) when the request sends more cookies than the app
    /// allows: counted on the raw headers, before any is parsed.
    pub fn check_cookie_count(&self) -> Result<(), crate::response::Rejection> {
        let max = self.app().max_cookies;
        let count: usize = self
            .head
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .map(|v| 1 + v.as_bytes().iter().filter(|&&b| b == b';').count())
            .sum();
        if count <= max {
            return Ok(());
        }
        let detail = format!("Too many cookies: more than {max}");
        Err(crate::error::HttpError::new(http::StatusCode::BAD_REQUEST, detail).into())
    }

    /// Every `(name, value)` pair of the cookies, in the order sent.
    pub fn cookie_pairs(&self) -> Vec<(String, String)> {
        self.header_values_named(&http::header::COOKIE)
            .flat_map(|header| {
                cookie_pairs(&header)
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The query keys, decoded, in order (duplicates included).
    pub fn query_keys(&self) -> impl Iterator<Item = Cow<'_, str>> + '_ {
        let query = self.head.uri.query().unwrap_or("");
        form_urlencoded::parse(query.as_bytes()).map(|(key, _)| key)
    }

    /// Every value of the header `name` (case-insensitive), in order.
    /// Bytes that are not UTF-8 are read as Latin-1, as Starlette reads
    /// them.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = Cow<'a, str>> + 'a {
        header_texts(self.head.headers.get_all(name))
    }

    /// [`RequestContext::header_values`] of a header name made beforehand
    /// (no parsing of the name).
    pub fn header_values_named(&self, name: &HeaderName) -> impl Iterator<Item = Cow<'_, str>> {
        header_texts(self.head.headers.get_all(name))
    }

    /// The values of a header parameter: by its name made at compile time
    /// when it has one, else by its text.
    pub(crate) fn header_param_values(
        &self,
        spec: &ParamSpec,
    ) -> impl Iterator<Item = Cow<'_, str>> {
        let values = match spec.header_lookup.get() {
            Some(name) => self.head.headers.get_all(name),
            None => self.head.headers.get_all(spec.header_name),
        };
        header_texts(values)
    }

    /// Every value of the cookie `name`, in the order sent.
    pub fn cookie_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = Cow<'a, str>> + 'a {
        self.header_values_named(&http::header::COOKIE)
            .flat_map(move |header| {
                cookie_pairs(&header)
                    .filter(|(key, _)| *key == name)
                    .map(|(_, value)| Cow::Owned(value.to_owned()))
                    .collect::<Vec<_>>()
            })
    }

    /// The names of every cookie sent, in order.
    pub fn cookie_names(&self) -> Vec<String> {
        self.header_values_named(&http::header::COOKIE)
            .flat_map(|header| {
                cookie_pairs(&header)
                    .map(|(k, _)| k.to_owned())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Takes the body; `None` if an extractor took it already.
    pub fn take_body(&mut self) -> Option<Body> {
        self.body.take()
    }

    /// The largest body, in bytes, that extractors read.
    pub fn body_limit(&self) -> usize {
        self.body_limit
    }
}

/// Splits a `Cookie` header into `(name, value)` pairs, as Starlette's
/// `cookie_parser` does: `;`-separated, trimmed, surrounding quotes removed.
fn cookie_pairs(header: &str) -> impl Iterator<Item = (&str, &str)> {
    header.split(';').filter_map(|chunk| {
        let (key, value) = chunk.split_once('=').unwrap_or(("", chunk));
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() && value.is_empty() {
            return None;
        }
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        Some((key, value))
    })
}

/// What a response that needs the request's context to be complete
/// carries: a WebSocket's `101` answers the handshake and starts the
/// session with the request's cleanups. The endpoint's pipeline calls it
/// once the handler has answered (a file answer, which needs only the
/// head, carries `response::CompleteWithHead`).
///
/// A function pointer set by the code that makes such a response, rather
/// than a call the pipeline makes itself: an app that never accepts a
/// WebSocket does not link the protocol (tungstenite, SHA-1, base64).
#[derive(Clone, Copy)]
pub(crate) struct CompleteWithRequest(pub(crate) fn(Response, &mut RequestContext) -> Response);

/// The values of one header as text; bytes that are not UTF-8 are read
/// as Latin-1.
fn header_texts(
    values: http::header::GetAll<'_, HeaderValue>,
) -> impl Iterator<Item = Cow<'_, str>> {
    values.into_iter().map(|value| match value.to_str() {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(value.as_bytes().iter().map(|&b| b as char).collect()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(uri: &str, headers: &[(&str, &str)]) -> RequestContext {
        let mut builder = http::Request::builder().uri(uri);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        let (head, ()) = builder.body(()).unwrap().into_parts();
        RequestContext::new(head, Body::empty(), Arc::from(vec![]), vec![], 1024)
    }

    #[test]
    fn query_values_are_decoded_and_keep_their_order() {
        let cx = context("/?q=a+b&x=1&q=%C3%A9&q=", &[]);
        let values: Vec<_> = cx.query_values("q").collect();
        assert_eq!(values, ["a b", "é", ""]);
    }

    #[test]
    fn header_values_are_case_insensitive_and_repeatable() {
        let cx = context("/", &[("X-Token", "foo"), ("x-token", "bar")]);
        let values: Vec<_> = cx.header_values("x-token").collect();
        assert_eq!(values, ["foo", "bar"]);
    }

    #[test]
    fn a_header_parameter_is_found_by_its_compiled_name_or_by_its_text() {
        let cx = context("/", &[("X-Token", "foo"), ("x-token", "bar")]);
        // A lower-case name is made at compile time...
        static LOWER: ParamSpec = ParamSpec::named("x-token");
        assert!(LOWER.header_lookup.get().is_some());
        let values: Vec<_> = cx.header_param_values(&LOWER).collect();
        assert_eq!(values, ["foo", "bar"]);
        // ...one written otherwise is looked up as text, case-insensitively.
        static UPPER: ParamSpec = ParamSpec::named("X-Token");
        assert!(UPPER.header_lookup.get().is_none());
        let values: Vec<_> = cx.header_param_values(&UPPER).collect();
        assert_eq!(values, ["foo", "bar"]);
    }

    #[test]
    fn cookies_are_split_trimmed_and_unquoted() {
        let cx = context("/", &[("cookie", "a=1; ads_id=\"abc\" ;b=2")]);
        assert_eq!(cx.cookie_values("ads_id").collect::<Vec<_>>(), ["abc"]);
        assert_eq!(cx.cookie_values("b").collect::<Vec<_>>(), ["2"]);
        assert_eq!(cx.cookie_values("c").count(), 0);
    }
}
