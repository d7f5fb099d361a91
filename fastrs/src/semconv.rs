//! Names from OpenTelemetry's HTTP semantic conventions that the metrics
//! and the traces share.

use http::Method;

/// `method`'s name when it is one of HTTP's; `None` for any other, which
/// the conventions name `_OTHER`, so that a client sending made-up methods
/// cannot grow the series or the span names.
pub(crate) fn known_method(method: &Method) -> Option<&'static str> {
    const KNOWN: [(Method, &str); 9] = [
        (Method::GET, "GET"),
        (Method::POST, "POST"),
        (Method::PUT, "PUT"),
        (Method::DELETE, "DELETE"),
        (Method::PATCH, "PATCH"),
        (Method::HEAD, "HEAD"),
        (Method::OPTIONS, "OPTIONS"),
        (Method::TRACE, "TRACE"),
        (Method::CONNECT, "CONNECT"),
    ];
    KNOWN
        .iter()
        .find(|(known, _)| known == method)
        .map(|(_, name)| *name)
}

/// The name of a method outside HTTP's.
pub(crate) const OTHER_METHOD: &str = "_OTHER";
