//! The request itself as an argument: [`RequestHead`] gives the method, URI,
//! version and headers (FastAPI's `request: Request`), for what no typed
//! parameter covers; [`Client`] is who sent it (`request.client`).

use std::net::{IpAddr, SocketAddr};

use http::{HeaderMap, Method, Uri, Version};

use super::{Arg, FromRequest, RequestContext};
use crate::model::ValidationErrors;
use crate::response::Rejection;

/// The request's method, URI, version and headers.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::extract::RequestHead;
///
/// #[endpoint(GET "/echo-path")]
/// async fn echo_path(request: RequestHead) -> String {
///     request.uri.path().to_owned()
/// }
/// ```
#[derive(Debug, Clone)]
pub struct RequestHead {
    /// The method.
    pub method: Method,
    /// The URI as sent (path and query).
    pub uri: Uri,
    /// The HTTP version.
    pub version: Version,
    /// The headers.
    pub headers: HeaderMap,
}

impl FromRequest for RequestHead {
    type Value = RequestHead;

    fn reads_at_once(_: &Arg<RequestHead>) -> bool {
        true
    }

    async fn from_request(
        cx: &mut RequestContext,
        _: &Arg<RequestHead>,
        _: &mut ValidationErrors,
    ) -> Result<Option<Self>, Rejection> {
        let head = cx.head();
        Ok(Some(RequestHead {
            method: head.method.clone(),
            uri: head.uri.clone(),
            version: head.version,
            headers: head.headers.clone(),
        }))
    }
}

/// Who sent the request (FastAPI's `request.client`): the address of the
/// connection's peer, or, when that peer is a trusted proxy
/// ([`App::trust_proxies`](crate::App::trust_proxies)), the client its
/// `X-Forwarded-For` names: the nearest address that is not itself a
/// trusted proxy (all trusted: the first), with port 0, as uvicorn's
/// `--proxy-headers` reads it. Read without an allocation.
///
/// Unknown (`None`) for a request that came through no socket (a
/// [`TestClient`](crate::testing::TestClient)'s), or whose forwarded client
/// is not an IP address.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::extract::Client;
///
/// #[endpoint(GET "/whoami")]
/// async fn whoami(client: Client) -> String {
///     match client.host() {
///         Some(host) => host.to_string(),
///         None => "unknown".to_owned(),
///     }
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client(Option<SocketAddr>);

impl Client {
    /// The client's address and port.
    pub fn addr(&self) -> Option<SocketAddr> {
        self.0
    }

    /// The client's address (FastAPI's `request.client.host`).
    pub fn host(&self) -> Option<IpAddr> {
        self.0.map(|a| a.ip())
    }

    /// The client's port (FastAPI's `request.client.port`; 0 when the
    /// client was named by a proxy).
    pub fn port(&self) -> Option<u16> {
        self.0.map(|a| a.port())
    }
}

impl FromRequest for Client {
    type Value = Client;

    fn reads_at_once(_: &Arg<Client>) -> bool {
        true
    }

    async fn from_request(
        cx: &mut RequestContext,
        _: &Arg<Client>,
        _: &mut ValidationErrors,
    ) -> Result<Option<Self>, Rejection> {
        Ok(Some(Client(client_of(cx))))
    }
}

/// The request's client: the peer, or the client a trusted proxy
/// forwarded it for.
fn client_of(cx: &RequestContext) -> Option<SocketAddr> {
    let recorded = || cx.extensions().get::<crate::app::PeerAddr>().map(|p| p.0);
    let peer = cx.peer.or_else(recorded)?;
    let proxies = &cx.app().proxies;
    if !proxies.trusts_ip(peer.ip()) {
        return Some(peer);
    }
    let forwarded = cx.head().headers.get_all("x-forwarded-for");
    let mut entries = forwarded
        .iter()
        .rev()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.rsplit(','))
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .peekable();
    if entries.peek().is_none() {
        // The proxy forwarded nothing: it is the client.
        return Some(peer);
    }
    let mut leftmost = None;
    for entry in entries {
        match entry.parse::<IpAddr>() {
            Ok(ip) if proxies.trusts_ip(ip) => leftmost = Some(ip),
            // The nearest client no trusted proxy vouches for.
            Ok(ip) => return Some(SocketAddr::new(ip, 0)),
            Err(_) => return None,
        }
    }
    leftmost.map(|ip| SocketAddr::new(ip, 0))
}

/// The path prefix the app is served under (FastAPI's `request.scope
/// ["root_path"]`): [`App::root_path`](crate::App::root_path) (or the
/// `ROOT_PATH` variable), followed by the prefix of the mount the request
/// came through, if any; empty when neither. The request's own path is
/// without it: a proxy or the mount took it off. Use it to write links the
/// client can follow.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::extract::RootPath;
///
/// #[endpoint(GET "/app")]
/// async fn read_main(root_path: RootPath) -> Json<serde_json::Value> {
///     Json(serde_json::json!({"message": "Hello World", "root_path": root_path.0}))
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootPath(pub String);

impl FromRequest for RootPath {
    type Value = RootPath;

    fn reads_at_once(_: &Arg<RootPath>) -> bool {
        true
    }

    async fn from_request(
        cx: &mut RequestContext,
        _: &Arg<RootPath>,
        _: &mut ValidationErrors,
    ) -> Result<Option<Self>, Rejection> {
        Ok(Some(RootPath(root_path(cx).into_owned())))
    }
}

/// The app's root path and the request's mount prefix, joined.
pub(crate) fn root_path(cx: &RequestContext) -> std::borrow::Cow<'_, str> {
    let own = cx.app().root_path.get().map_or("", |p| &**p);
    let mounted = cx
        .extensions()
        .get::<crate::app::MountedAt>()
        .map_or("", |m| &*m.0);
    match (own.is_empty(), mounted.is_empty()) {
        (_, true) => std::borrow::Cow::Borrowed(own),
        (true, false) => std::borrow::Cow::Borrowed(mounted),
        (false, false) => std::borrow::Cow::Owned(format!("{own}{mounted}")),
    }
}
