//! Dispatch: what happens to every request that reaches the app's routes.
//!
//! 1. Decode the path and look it up in the route table (the docs pages
//!    are routes too).
//! 2. Found: build the [`RequestContext`] (head, path parameters, body, the
//!    app's state) and hand it, with the app's and routers' dependencies, to
//!    the endpoint, whose pipeline ([`crate::pipeline::run_endpoint`]) runs
//!    dependencies, arguments, the handler, exception handlers and cleanups.
//! 3. Not found: a mounted service under the path's prefix answers it;
//!    else 404, 405 with `Allow`, or Starlette's 307 to the path with
//!    or without its trailing slash; the 404 and 405 are `HttpError`s, so
//!    the app's `HttpError` handler sees them, as FastAPI's does.
//! 4. A panic in the endpoint becomes a logged 500; a HEAD answer loses its
//!    body but keeps its length.
//!
//! The endpoint's future is the only allocation of its own, and an endpoint
//! with nothing to wait for has none: it is answered in place
//! ([`AnswerAtOnce`](crate::pipeline::AnswerAtOnce)), when the app gives it
//! no dependency and the dependencies of its arguments can be resolved at
//! once (`InPlace::ready`).

use std::any::Any;
use std::borrow::Cow;
use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::header::{CONTENT_LENGTH, HOST, LOCATION};
use http::{HeaderValue, Request, StatusCode};
use http_body::Body as _;

use super::mount::{redirect_with_slash, Claim};
use super::{InPlace, PeerAddr, Route, Shared, TrailingSlash};
use crate::error::HttpError;
use crate::extract::RequestContext;
use crate::pipeline::{Inherited, ResponseFuture};
use crate::response::{internal_server_error, Body, IntoResponse, Response};
use crate::routing::RouteMatch;

/// The future of one routed request.
pub struct DispatchFuture(DispatchState);

enum DispatchState {
    Ready(Option<Box<Response>>),
    Running { future: ResponseFuture, head: bool },
}

impl DispatchFuture {
    fn ready(response: Response) -> Self {
        DispatchFuture(DispatchState::Ready(Some(Box::new(response))))
    }
}

impl Future for DispatchFuture {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().0 {
            DispatchState::Ready(response) => Poll::Ready(Ok(response
                .take()
                .map_or_else(internal_server_error, |response| *response))),
            DispatchState::Running { future, head } => {
                let polled =
                    std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx)));
                let mut response = match polled {
                    Ok(Poll::Pending) => return Poll::Pending,
                    Ok(Poll::Ready(response)) => response,
                    Err(panic) => {
                        crate::log::error!("handler panicked: {}", panic_message(&*panic));
                        internal_server_error()
                    }
                };
                if *head {
                    drop_body(&mut response);
                }
                Poll::Ready(Ok(response))
            }
        }
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// Makes a GET answer the HEAD answer: its head, with its length, and no
/// body.
fn drop_body(response: &mut Response) {
    let body = std::mem::take(response.body_mut());
    if let Some(len) = body.size_hint().exact() {
        response
            .headers_mut()
            .entry(CONTENT_LENGTH)
            .or_insert(HeaderValue::from(len));
    }
}

/// The path as Starlette routes it: percent-decoded.
pub(super) fn decoded_path(path: &str) -> Cow<'_, str> {
    if has_percent(path.as_bytes()) {
        percent_encoding::percent_decode_str(path).decode_utf8_lossy()
    } else {
        Cow::Borrowed(path)
    }
}

/// True when `bytes` hold a `%`. Looked for in every request's path, so
/// eight bytes at a time: a word holds a `%` when its XOR with eight of
/// them has a zero byte, which `(x - 0x01..) & !x & 0x80..` finds exactly.
/// The last word overlaps the one before it, so no byte is looked at one
/// by one unless the path is shorter than a word.
fn has_percent(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const PERCENTS: u64 = ONES * b'%' as u64;
    let has = |word: &[u8; 8]| {
        let x = u64::from_ne_bytes(*word) ^ PERCENTS;
        x.wrapping_sub(ONES) & !x & (ONES << 7) != 0
    };
    let Some(last) = bytes.last_chunk::<8>() else {
        return bytes.contains(&b'%');
    };
    let word = |chunk: &[u8]| <&[u8; 8]>::try_from(chunk).is_ok_and(has);
    bytes.chunks_exact(8).any(word) || has(last)
}

/// Routes one request.
///
/// The request stays whole until its context is built: its head is moved
/// once.
///
/// `peer` is the client's address, when the server gives it.
pub(super) fn dispatch(
    shared: &Arc<Shared>,
    request: Request<Body>,
    peer: Option<std::net::SocketAddr>,
) -> DispatchFuture {
    if shared.https_redirect {
        return redirect_or_route(shared, request, peer);
    }
    route(shared, request, peer)
}

/// [`dispatch`] for an app that redirects to HTTPS: out of the common
/// path, which then holds no borrow of the request.
#[cold]
#[inline(never)]
fn redirect_or_route(
    shared: &Arc<Shared>,
    request: Request<Body>,
    peer: Option<std::net::SocketAddr>,
) -> DispatchFuture {
    let mut request = request;
    record_peer(request.extensions_mut(), peer);
    match https_redirect(shared, &request) {
        Some(response) => DispatchFuture::ready(response),
        None => route(shared, request, peer),
    }
}

/// Routes one request (the HTTPS redirect done).
#[inline(always)]
fn route(
    shared: &Arc<Shared>,
    request: Request<Body>,
    peer: Option<std::net::SocketAddr>,
) -> DispatchFuture {
    if let Some(query) = request.uri().query() {
        // n parameters take at least 2n - 1 bytes: short queries need no
        // counting.
        if query.len() >= 2 * shared.max_query_params
            && 1 + query.bytes().filter(|&b| b == b'&').count() > shared.max_query_params
        {
            let (head, _) = request.into_parts();
            return DispatchFuture::ready(too_many_query_params(shared, &head));
        }
    }
    let path = decoded_path(request.uri().path());
    // `Found` is matched here, not in `answer`, so that the common case
    // is inlined.
    match shared.routes.lookup(request.method(), &path) {
        RouteMatch::Found {
            route,
            names,
            values,
            head: is_head,
        } => {
            drop(path);
            let routed = Routed {
                route,
                names,
                values,
                is_head,
                peer,
            };
            run(shared, routed, request)
        }
        RouteMatch::NotFound => {
            let path = path.into_owned();
            let (head, body) = request.into_parts();
            not_found(shared, head, body, &path, peer)
        }
        found => {
            drop(path);
            let (head, body) = request.into_parts();
            answer(shared, found, head, body, peer)
        }
    }
}

/// Hands a routed request to its endpoint: answered in place when the
/// endpoint can be ([`AnswerAtOnce`](crate::pipeline::AnswerAtOnce)), the
/// app gives it no dependency and its own dependencies are ready
/// (`InPlace::ready`), else by the endpoint's future.
#[inline(always)]
fn run(shared: &Arc<Shared>, routed: Routed<'_>, request: Request<Body>) -> DispatchFuture {
    if let Some(at_once) = &routed.route.at_once {
        if shared.dependencies.is_none() && at_once.ready(&shared.state) {
            return answer_at_once(shared, at_once, routed, request);
        }
    }
    let (head, body) = request.into_parts();
    let Routed {
        route,
        names,
        values,
        is_head,
        peer,
    } = routed;
    let mut cx = RequestContext::routed(
        head,
        body,
        names,
        values,
        shared.body_limit,
        shared.state.clone(),
    );
    cx.peer = peer;
    let inherited = Inherited {
        app: shared.dependencies.clone(),
        routers: route.routers.clone(),
    };
    DispatchFuture(DispatchState::Running {
        future: route.endpoint.handle(cx, inherited),
        head: is_head,
    })
}

/// What the route table found for a request.
struct Routed<'a> {
    route: &'a Route,
    /// The template's parameter names, and their values in the path.
    names: &'a Arc<[Box<str>]>,
    values: Vec<String>,
    /// A HEAD request answered by a GET route.
    is_head: bool,
    /// The client's address, when the server knows it.
    peer: Option<std::net::SocketAddr>,
}

/// A request answered in place: no future of its own; a panic is answered
/// as in [`DispatchFuture`], a HEAD answer loses its body. Not inlined, so
/// that [`run`] stays small for the routes that run their future.
#[inline(never)]
fn answer_at_once(
    shared: &Arc<Shared>,
    at_once: &InPlace,
    routed: Routed<'_>,
    request: Request<Body>,
) -> DispatchFuture {
    let (head, body) = request.into_parts();
    let mut cx = RequestContext::routed(
        head,
        body,
        routed.names,
        routed.values,
        shared.body_limit,
        shared.state.clone(),
    );
    cx.peer = routed.peer;
    let inherited = Inherited {
        app: None,
        routers: routed.route.routers.clone(),
    };
    // Boxed where it is made: the response is copied once.
    let answered = std::panic::catch_unwind(AssertUnwindSafe(|| {
        Box::new(at_once.endpoint.answer_at_once(&mut cx, &inherited))
    }));
    let mut response = answered.unwrap_or_else(|panic| {
        crate::log::error!("handler panicked: {}", panic_message(&*panic));
        Box::new(internal_server_error())
    });
    if routed.is_head {
        drop_body(&mut response);
    }
    DispatchFuture(DispatchState::Ready(Some(response)))
}

/// The 400 for a request with more query parameters than the app allows,
/// counted on the raw bytes before anything is parsed. (Cookies are
/// counted where they are read, so that requests that read none pay
/// nothing.)
#[cold]
fn too_many_query_params(shared: &Shared, head: &http::request::Parts) -> Response {
    let detail = format!(
        "Too many query parameters: more than {}",
        shared.max_query_params
    );
    let error = HttpError::new(StatusCode::BAD_REQUEST, detail);
    shared.state.errors.resolve(error.into_response(), head)
}

/// The answer to a path the table knows: the endpoint's, or 405.
fn answer(
    shared: &Arc<Shared>,
    found: RouteMatch<'_, Route>,
    head: http::request::Parts,
    body: Body,
    peer: Option<std::net::SocketAddr>,
) -> DispatchFuture {
    match found {
        RouteMatch::Found {
            route,
            names,
            values,
            head: is_head,
        } => {
            let routed = Routed {
                route,
                names,
                values,
                is_head,
                peer,
            };
            run(shared, routed, Request::from_parts(head, body))
        }
        RouteMatch::MethodNotAllowed { allow } => {
            let allow = allow.clone();
            let error = HttpError::from_status(StatusCode::METHOD_NOT_ALLOWED);
            let mut response = shared.state.errors.resolve(error.into_response(), &head);
            response.headers_mut().insert(http::header::ALLOW, allow);
            DispatchFuture::ready(response)
        }
        RouteMatch::NotFound => {
            let error = HttpError::from_status(StatusCode::NOT_FOUND);
            DispatchFuture::ready(shared.state.errors.resolve(error.into_response(), &head))
        }
    }
}

/// A path the table does not know: the same path with or without its
/// trailing slash may be a route, which the app's [`TrailingSlash`] policy
/// redirects to (Starlette's 307), answers as that route, or ignores.
#[cold]
#[inline(never)]
fn not_found(
    shared: &Arc<Shared>,
    head: http::request::Parts,
    body: Body,
    path: &str,
    peer: Option<std::net::SocketAddr>,
) -> DispatchFuture {
    let mut head = head;
    record_peer(&mut head.extensions, peer);
    let claimed = shared
        .mounts
        .iter()
        .find_map(|mount| Some((mount, mount.claims(head.uri.path())?)));
    match claimed {
        Some((_, Claim::Prefix)) => {
            let origin = origin(shared, &head);
            let location = redirect_with_slash(&origin, head.uri.path(), head.uri.query());
            return DispatchFuture::ready(location);
        }
        Some((mount, Claim::Rest)) => {
            let origin = origin(shared, &head);
            return DispatchFuture(DispatchState::Running {
                future: mount.forward(head, body, origin),
                head: false,
            });
        }
        None => {}
    }
    let other = (path != "/").then(|| match path.strip_suffix('/') {
        Some(stripped) => stripped.to_owned(),
        None => format!("{path}/"),
    });
    let other = other.filter(|other| shared.routes.has_path(other));
    match (other, shared.trailing_slash) {
        (Some(_), TrailingSlash::Redirect) => match slash_redirect(shared, &head) {
            Some(response) => DispatchFuture::ready(response),
            None => answer(shared, RouteMatch::NotFound, head, body, peer),
        },
        (Some(other), TrailingSlash::Ignore) => {
            let found = shared.routes.lookup(&head.method, &other);
            answer(shared, found, head, body, peer)
        }
        _ => answer(shared, RouteMatch::NotFound, head, body, peer),
    }
}

/// Starlette's `redirect_slashes`: the 307 to the path with (or without)
/// its trailing slash. Behind a trusted proxy (`App::trust_proxies`), the
/// scheme and host are the ones the client used, from `X-Forwarded-Proto`
/// and `X-Forwarded-Host`, so a service behind TLS termination never
/// redirects to `http`.
fn slash_redirect(shared: &Shared, head: &http::request::Parts) -> Option<Response> {
    let raw = head.uri.path();
    let other = match raw.strip_suffix('/') {
        Some(stripped) => stripped.to_owned(),
        None => format!("{raw}/"),
    };
    let origin = origin(shared, head);
    let location = match head.uri.query() {
        Some(query) => format!("{origin}{other}?{query}"),
        None => format!("{origin}{other}"),
    };
    let location = HeaderValue::from_str(&location).ok()?;
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::TEMPORARY_REDIRECT;
    response.headers_mut().insert(LOCATION, location);
    Some(response)
}

/// `scheme://host` as the client reached the app: behind a trusted proxy
/// (`App::trust_proxies`), from `X-Forwarded-Proto` and `X-Forwarded-Host`,
/// so a service behind TLS termination never redirects to `http`.
fn origin(shared: &Shared, head: &http::request::Parts) -> String {
    let host = client_host(shared, &head.headers, &head.extensions, &head.uri);
    let scheme = forwarded(shared, &head.headers, &head.extensions, "x-forwarded-proto")
        .filter(|s| *s == "https" || *s == "http")
        .or_else(|| head.uri.scheme_str())
        .unwrap_or("http");
    format!("{scheme}://{host}")
}

/// Puts the client's address in the request's extensions, as a
/// [`PeerAddr`], for what reads only the request: a trusted proxy's
/// `X-Forwarded-*` headers here, layers, middleware and mounted apps.
/// Done off the common path: a request whose extensions are touched on
/// its way to the endpoint is copied again at each call.
#[inline]
pub(super) fn record_peer(extensions: &mut http::Extensions, peer: Option<std::net::SocketAddr>) {
    if let Some(peer) = peer {
        if extensions.get::<PeerAddr>().is_none() {
            extensions.insert(PeerAddr(peer));
        }
    }
}

/// The first value of the `X-Forwarded-*` header `name`, when the request
/// comes from a trusted proxy.
fn forwarded<'h>(
    shared: &Shared,
    headers: &'h http::HeaderMap,
    extensions: &http::Extensions,
    name: &str,
) -> Option<&'h str> {
    let peer = extensions.get::<PeerAddr>().map(|p| p.0.ip());
    let trusted = shared.state.proxies.trusts(peer);
    let value = trusted.then(|| headers.get(name)).flatten()?;
    let first = value.to_str().ok()?.split(',').next()?.trim();
    (!first.is_empty()).then_some(first)
}

/// The host (with its port) the client asked for.
fn client_host<'h>(
    shared: &Shared,
    headers: &'h http::HeaderMap,
    extensions: &http::Extensions,
    uri: &'h http::Uri,
) -> &'h str {
    forwarded(shared, headers, extensions, "x-forwarded-host")
        .or_else(|| headers.get(HOST).and_then(|h| h.to_str().ok()))
        .or_else(|| uri.authority().map(|a| a.as_str()))
        .unwrap_or("localhost")
}

/// [`App::https_redirect`](super::App::https_redirect): the 307 to the
/// same URL over TLS for a request that did not come over it (its own
/// scheme, or a trusted proxy's `X-Forwarded-Proto`, says so), as
/// Starlette's `HTTPSRedirectMiddleware`: `http` becomes `https`, a
/// WebSocket handshake's `ws` becomes `wss`, and the ports 80 and 443 are
/// dropped.
fn https_redirect(shared: &Shared, request: &Request<Body>) -> Option<Response> {
    let (headers, extensions, uri) = (request.headers(), request.extensions(), request.uri());
    let scheme = forwarded(shared, headers, extensions, "x-forwarded-proto")
        .or_else(|| uri.scheme_str())
        .unwrap_or("http");
    if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("wss") {
        return None;
    }
    let websocket = headers
        .get(http::header::UPGRADE)
        .is_some_and(|u| u.as_bytes().eq_ignore_ascii_case(b"websocket"));
    let secure = if websocket { "wss" } else { "https" };
    let host = client_host(shared, headers, extensions, uri);
    let host = match host.rsplit_once(':') {
        Some((name, "80" | "443")) if !name.is_empty() => name,
        _ => host,
    };
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let location = HeaderValue::from_str(&format!("{secure}://{host}{path}")).ok()?;
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::TEMPORARY_REDIRECT;
    response.headers_mut().insert(LOCATION, location);
    Some(response)
}

#[cfg(test)]
mod tests {
    use super::has_percent;

    #[test]
    fn a_percent_is_found_at_every_place_of_every_length() {
        for len in 0..40 {
            let clean = "a".repeat(len);
            assert!(!has_percent(clean.as_bytes()), "none in {len} bytes");
            for at in 0..len {
                let mut bytes = clean.clone().into_bytes();
                bytes[at] = b'%';
                assert!(has_percent(&bytes), "at {at} of {len}");
            }
        }
        // Bytes one off from `%` (0x25), and bytes with the high bit set.
        assert!(!has_percent(b"/$&$&$&$&$&\xa5\xa5\xe2\x82\xac"));
        assert!(has_percent("/caf%C3%A9".as_bytes()));
    }
}
