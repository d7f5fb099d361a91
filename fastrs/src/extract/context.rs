//! [`RequestContext`]: the request as extractors see it.
//!
//! It owns the request head, the path parameters the router matched and the
//! body (until an extractor takes it). Query strings and cookies are parsed on
//! demand, per lookup, without allocating when nothing is escaped: an
//! endpoint that reads no query parameter never parses the query.

use std::borrow::Cow;
use std::sync::Arc;

use http::request::Parts;

use crate::di::{DiState, ErasedProvider, RequestDi};
use crate::response::Body;

/// The dependencies every route of an app or router runs first.
pub(crate) type Inherited = Arc<[Arc<dyn ErasedProvider>]>;

/// The state of a context made outside any app (tests, `App::resolve`).
fn no_app() -> Arc<DiState> {
    static EMPTY: std::sync::OnceLock<Arc<DiState>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Arc::default).clone()
}

/// The request being handled, as extractors see it.
pub struct RequestContext {
    head: Parts,
    path_names: Arc<[Box<str>]>,
    path_values: Vec<String>,
    body: Option<Body>,
    body_limit: usize,
    pub(crate) body_state: super::body::BodyState,
    pub(crate) di: RequestDi,
    // Both `None` until set: a request that uses no dependency pays nothing.
    di_state: Option<Arc<DiState>>,
    inherited: Option<Inherited>,
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
        RequestContext {
            head,
            path_names,
            path_values,
            body: Some(body),
            body_limit,
            body_state: super::body::BodyState::Unread,
            di: RequestDi::default(),
            di_state: None,
            inherited: None,
        }
    }

    /// Attaches the app's dependency state.
    pub(crate) fn with_app(mut self, state: Arc<DiState>) -> Self {
        self.di_state = Some(state);
        self
    }

    /// Adds dependencies inherited from a nested router, run after the ones
    /// already inherited.
    pub(crate) fn with_more_inherited(mut self, more: &[Arc<dyn ErasedProvider>]) -> Self {
        if !more.is_empty() {
            let before = self.inherited.iter().flat_map(|i| i.iter());
            self.inherited = Some(before.chain(more).cloned().collect());
        }
        self
    }

    pub(crate) fn di_state(&self) -> Arc<DiState> {
        self.di_state.clone().unwrap_or_else(no_app)
    }

    pub(crate) fn inherited_dependencies(&self) -> Option<Inherited> {
        self.inherited.clone()
    }

    /// True when the app overrides some provider (tests).
    pub(crate) fn has_overrides(&self) -> bool {
        self.di_state
            .as_ref()
            .is_some_and(|s| !s.overrides.is_empty())
    }

    /// True when the app or a router gave the route dependencies to run.
    pub(crate) fn has_inherited_dependencies(&self) -> bool {
        self.inherited.is_some()
            || self
                .di_state
                .as_ref()
                .is_some_and(|s| !s.app_dependencies.is_empty())
    }

    /// The request head: method, URI, headers, extensions.
    pub fn head(&self) -> &Parts {
        &self.head
    }

    /// The value of the path parameter `name`.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path_names
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

    /// The query keys, decoded, in order (duplicates included).
    pub fn query_keys(&self) -> impl Iterator<Item = Cow<'_, str>> + '_ {
        let query = self.head.uri.query().unwrap_or("");
        form_urlencoded::parse(query.as_bytes()).map(|(key, _)| key)
    }

    /// Every value of the header `name` (lower-case), in order. Bytes that
    /// are not UTF-8 are read as Latin-1, as Starlette reads them.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = Cow<'a, str>> + 'a {
        self.head
            .headers
            .get_all(name)
            .into_iter()
            .map(|value| match value.to_str() {
                Ok(text) => Cow::Borrowed(text),
                Err(_) => Cow::Owned(value.as_bytes().iter().map(|&b| b as char).collect()),
            })
    }

    /// Every value of the cookie `name`, in the order sent.
    pub fn cookie_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = Cow<'a, str>> + 'a {
        self.header_values("cookie").flat_map(move |header| {
            cookie_pairs(&header)
                .filter(|(key, _)| *key == name)
                .map(|(_, value)| Cow::Owned(value.to_owned()))
                .collect::<Vec<_>>()
        })
    }

    /// The names of every cookie sent, in order.
    pub fn cookie_names(&self) -> Vec<String> {
        self.header_values("cookie")
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
    fn cookies_are_split_trimmed_and_unquoted() {
        let cx = context("/", &[("cookie", "a=1; ads_id=\"abc\" ;b=2")]);
        assert_eq!(cx.cookie_values("ads_id").collect::<Vec<_>>(), ["abc"]);
        assert_eq!(cx.cookie_values("b").collect::<Vec<_>>(), ["2"]);
        assert_eq!(cx.cookie_values("c").count(), 0);
    }
}
