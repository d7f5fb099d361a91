//! [`GZip`]: FastAPI's `GZipMiddleware` (Starlette's): a response body of
//! at least `minimum_size` bytes is gzip-compressed when the request's
//! `Accept-Encoding` names gzip, and `Vary: Accept-Encoding` is added to
//! every answer that could have been (big enough, not already encoded, not
//! a partial answer, not an excluded media type such as images or
//! `text/event-stream`).
//!
//! Written here on flate2 rather than taken from tower-http, whose layer
//! decides differently when to compress and which `Vary` to send. Bodies of
//! known length are compressed whole; a streamed body (no exact length)
//! passes through unchanged.

use std::io::Write;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{HeaderValue, ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE};
use http::{Request, StatusCode};
use http_body::Body as _;
use tower_layer::Layer;

use super::{add_vary, Around, AroundService, BoxFuture, Inner, Next};
use crate::body::Body;
use crate::response::Response;

/// The media types Starlette never compresses.
const EXCLUDED: [&str; 14] = [
    "application/grpc",
    "application/gzip",
    "application/x-gzip",
    "application/zip",
    "audio/*",
    "font/woff",
    "font/woff2",
    "image/avif",
    "image/gif",
    "image/jpeg",
    "image/png",
    "image/webp",
    "text/event-stream",
    "video/*",
];

/// Gzip compression of responses, as FastAPI's `GZipMiddleware`. Add it
/// with [`App::layer`](crate::app::App::layer).
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::middleware::GZip;
///
/// let app = App::new().layer(GZip::new().minimum_size(1000));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct GZip {
    minimum_size: usize,
    level: u32,
}

impl Default for GZip {
    fn default() -> Self {
        GZip::new()
    }
}

impl GZip {
    /// FastAPI's defaults: bodies of 500 bytes and more, level 9.
    pub fn new() -> Self {
        GZip {
            minimum_size: 500,
            level: 9,
        }
    }

    /// The smallest body compressed, in bytes.
    pub fn minimum_size(mut self, bytes: usize) -> Self {
        self.minimum_size = bytes;
        self
    }

    /// The compression level, 0 to 9 (FastAPI's `compresslevel`).
    pub fn level(mut self, level: u32) -> Self {
        self.level = level.min(9);
        self
    }
}

impl Layer<Inner> for GZip {
    type Service = AroundService<GZip>;

    fn layer(&self, inner: Inner) -> Self::Service {
        AroundService::new(*self, inner)
    }
}

impl Around for GZip {
    fn around(self: Arc<Self>, request: Request<Body>, next: Next) -> BoxFuture<'static, Response> {
        let gzip = accepts_gzip(&request);
        let config = *self;
        Box::pin(async move { compress(config, gzip, next.run(request).await).await })
    }
}

fn accepts_gzip(request: &Request<Body>) -> bool {
    request
        .headers()
        .get_all(ACCEPT_ENCODING)
        .iter()
        .any(|v| v.to_str().is_ok_and(|v| v.contains("gzip")))
}

/// True when Starlette leaves the response alone: already encoded, a
/// partial answer, or an excluded media type.
fn left_alone(response: &Response) -> bool {
    let headers = response.headers();
    if headers.contains_key(CONTENT_ENCODING) || response.status() == StatusCode::PARTIAL_CONTENT {
        return true;
    }
    let media = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_lowercase();
    let family = format!("{}/*", media.split('/').next().unwrap_or(""));
    EXCLUDED.iter().any(|excluded| {
        *excluded == media
            || *excluded == family
            || (*excluded == "application/grpc" && media.starts_with("application/grpc+"))
    })
}

async fn compress(config: GZip, gzip: bool, response: Response) -> Response {
    if left_alone(&response) {
        return response;
    }
    let Some(length) = response.body().size_hint().exact() else {
        return response;
    };
    if (length as usize) < config.minimum_size {
        return response;
    }
    let (mut head, body) = response.into_parts();
    add_vary(&mut head.headers, "Accept-Encoding");
    if !gzip {
        return Response::from_parts(head, body);
    }
    let bytes = match body.collect_bytes().await {
        Ok(bytes) => bytes,
        Err(error) => {
            crate::log::error!("a response body could not be read for compression: {error}");
            return crate::response::internal_server_error();
        }
    };
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(config.level));
    let compressed = encoder.write_all(&bytes).and_then(|()| encoder.finish());
    match compressed {
        Ok(compressed) => {
            head.headers
                .insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            head.headers
                .insert(CONTENT_LENGTH, HeaderValue::from(compressed.len()));
            Response::from_parts(head, Body::full(Bytes::from(compressed)))
        }
        Err(error) => {
            crate::log::error!("a response body could not be compressed: {error}");
            Response::from_parts(head, Body::full(bytes))
        }
    }
}
