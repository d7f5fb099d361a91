//! Request ids ([`App::request_ids`](crate::App::request_ids)): each request
//! gets one, taken from `X-Request-ID` when a trusted proxy sends it,
//! generated otherwise; it is returned in the answer's `X-Request-ID`, is in
//! the access line, names the `tracing` span every log event of the request
//! is in, and is readable by handlers ([`RequestId`] as an argument) and
//! exception handlers (in the request head's extensions).

use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use http::{HeaderName, HeaderValue, Request};

use crate::extract::{Arg, FromRequest, RequestContext};
use crate::model::ValidationErrors;
use crate::response::{Body, Rejection, Response};

/// The header the id is read from and returned in.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The most characters an id sent by a proxy may have.
const MAX_SENT: usize = 200;

/// The request's id: from a trusted proxy's `X-Request-ID`, or 32 hex
/// digits generated for it. An argument of this type reads it (the app
/// must have [`App::request_ids`](crate::App::request_ids)); an exception
/// handler finds it in the head's extensions.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::app::RequestId;
///
/// #[endpoint(GET "/whoami")]
/// async fn whoami(id: RequestId) -> String {
///     format!("request {id}")
/// }
///
/// let app = App::new().request_ids().route(whoami);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(HeaderValue);

impl RequestId {
    /// The id's text.
    pub fn as_str(&self) -> &str {
        // Made of visible ASCII only: sent ones are checked, generated
        // ones are hex digits.
        self.0.to_str().unwrap_or_default()
    }

    /// The id as the header value it is returned in.
    pub fn header_value(&self) -> &HeaderValue {
        &self.0
    }

    /// The id for a request from `peer`: its `X-Request-ID` when `trusted`
    /// says the peer is a proxy the app believes and the value is 1 to 200
    /// visible ASCII characters, a new one otherwise.
    pub(crate) fn of<B>(
        request: &Request<B>,
        peer: Option<SocketAddr>,
        trusted: impl Fn(SocketAddr) -> bool,
    ) -> RequestId {
        let sent = peer
            .filter(|peer| trusted(*peer))
            .and_then(|_| request.headers().get(&REQUEST_ID_HEADER))
            .filter(|value| {
                let bytes = value.as_bytes();
                (1..=MAX_SENT).contains(&bytes.len()) && bytes.iter().all(|b| b.is_ascii_graphic())
            });
        match sent {
            Some(value) => RequestId(value.clone()),
            None => RequestId::generate(),
        }
    }

    /// A new id: 32 hex digits, unique in the process (a counter, mixed)
    /// and, with the process's random half, across processes.
    pub(crate) fn generate() -> RequestId {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        static PROCESS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
        let process = *PROCESS.get_or_init(|| {
            use std::hash::{BuildHasher, Hasher};
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos()),
            );
            hasher.write_u32(std::process::id());
            hasher.finish()
        });
        let n = mix(COUNTER.fetch_add(1, Ordering::Relaxed) ^ process);
        let mut text = [0u8; 32];
        for (i, word) in [process, n].into_iter().enumerate() {
            for (j, byte) in word.to_be_bytes().into_iter().enumerate() {
                let at = i * 16 + j * 2;
                text[at] = HEX[usize::from(byte >> 4)];
                text[at + 1] = HEX[usize::from(byte & 0xf)];
            }
        }
        RequestId(HeaderValue::from_bytes(&text).unwrap_or(HeaderValue::from_static("-")))
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// splitmix64's finalizer: a bijection, so distinct counts stay distinct.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromRequest for RequestId {
    type Value = RequestId;

    fn reads_at_once(_: &Arg<RequestId>) -> bool {
        true
    }

    async fn from_request(
        cx: &mut RequestContext,
        _: &Arg<RequestId>,
        _: &mut ValidationErrors,
    ) -> Result<Option<Self>, Rejection> {
        match cx.extensions().get::<RequestId>() {
            Some(id) => Ok(Some(id.clone())),
            None => {
                crate::log::error!(
                    "an endpoint reads RequestId, but the app gives none: call App::request_ids()"
                );
                Err(Rejection::from(crate::response::internal_server_error()))
            }
        }
    }
}

/// A response future whose answer gets the request's id in `X-Request-ID`
/// (unless the handler set one), polled inside the request's `tracing`
/// span when a subscriber is installed.
pub(crate) struct Identified<F> {
    future: F,
    id: HeaderValue,
    span: Option<tracing::Span>,
}

impl<F> Identified<F> {
    /// `future`, answered with `id`, polled in `span`.
    pub(crate) fn new(future: F, id: &RequestId, span: Option<tracing::Span>) -> Identified<F> {
        Identified {
            future,
            id: id.0.clone(),
            span,
        }
    }
}

/// The request's `tracing` span, when a subscriber is installed: entered
/// while the request is routed (an endpoint with nothing to wait for is
/// answered then) and each time its answer is polled.
pub(crate) fn span(id: &RequestId) -> Option<tracing::Span> {
    tracing::dispatcher::has_been_set().then(|| tracing::info_span!("request", request_id = %id))
}

impl<F, E> Future for Identified<F>
where
    F: Future<Output = Result<Response, E>> + Unpin,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        let _entered = this.span.as_ref().map(tracing::Span::enter);
        let mut answer = std::task::ready!(Pin::new(&mut this.future).poll(cx));
        if let Ok(response) = &mut answer {
            response
                .headers_mut()
                .entry(REQUEST_ID_HEADER)
                .or_insert_with(|| this.id.clone());
        }
        Poll::Ready(answer)
    }
}

/// Gives `request` its id (in its extensions) and returns it.
pub(crate) fn assign(
    request: &mut Request<Body>,
    peer: Option<SocketAddr>,
    trusted: impl Fn(SocketAddr) -> bool,
) -> RequestId {
    let id = RequestId::of(request, peer, trusted);
    request.extensions_mut().insert(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_32_hex_digits_and_distinct() {
        let a = RequestId::generate();
        let b = RequestId::generate();
        assert_ne!(a, b);
        for id in [&a, &b] {
            assert_eq!(id.as_str().len(), 32);
            assert!(id.as_str().bytes().all(|c| c.is_ascii_hexdigit()));
        }
        // The process's half is shared, the rest differs.
        assert_eq!(a.as_str()[..16], b.as_str()[..16]);
    }

    #[test]
    fn a_sent_id_is_taken_only_from_a_trusted_peer_and_when_sane() {
        let peer: SocketAddr = "10.0.0.1:5000".parse().unwrap();
        let with = |value: &str| {
            Request::builder()
                .header("x-request-id", value)
                .body(())
                .unwrap()
        };
        let trusted = |_| true;
        let untrusted = |_| false;
        assert_eq!(
            RequestId::of(&with("abc-123"), Some(peer), trusted).as_str(),
            "abc-123"
        );
        assert_ne!(
            RequestId::of(&with("abc-123"), Some(peer), untrusted).as_str(),
            "abc-123"
        );
        assert_ne!(
            RequestId::of(&with("has space"), Some(peer), trusted).as_str(),
            "has space"
        );
        let long = "x".repeat(201);
        assert_ne!(
            RequestId::of(&with(&long), Some(peer), trusted).as_str(),
            long
        );
        assert_ne!(RequestId::of(&with("abc"), None, trusted).as_str(), "abc");
    }
}
