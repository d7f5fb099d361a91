//! The docs pages' content: Swagger UI's and ReDoc's HTML and their assets,
//! all offline: the JavaScript and CSS are built into the binary
//! (`fastrs/assets/`, gzip-compressed, with their licences) and served by
//! fastrs itself, sent compressed to clients that accept gzip. No CDN, no
//! web fonts, Swagger's validator badge off. The app serves them as routes
//! (`crate::app`'s docs module).

use std::io::Read;

use bytes::Bytes;
use http::header::{CACHE_CONTROL, CONTENT_ENCODING};
use http::{HeaderValue, StatusCode};

use crate::response::{with_body, Response};

/// Swagger UI's script, gzip-compressed.
pub(crate) const SWAGGER_JS: &[u8] = include_bytes!("../../assets/swagger-ui-bundle.js.gz");
/// Swagger UI's style sheet, gzip-compressed.
pub(crate) const SWAGGER_CSS: &[u8] = include_bytes!("../../assets/swagger-ui.css.gz");
/// ReDoc's script, gzip-compressed.
pub(crate) const REDOC_JS: &[u8] = include_bytes!("../../assets/redoc.standalone.js.gz");

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The Swagger UI page for the document at `openapi_url`.
pub fn swagger_html(title: &str, openapi_url: &str, base: &str) -> String {
    let title = escape(title);
    let spec = serde_json::to_string(openapi_url).unwrap_or_default();
    format!(
        r##"<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<link type="text/css" rel="stylesheet" href="{base}/swagger-ui.css">
<title>{title} - Swagger UI</title>
</head>
<body>
<div id="swagger-ui"></div>
<script src="{base}/swagger-ui-bundle.js"></script>
<script>
const ui = SwaggerUIBundle({{
  url: {spec},
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
}})
</script>
</body>
</html>
"##
    )
}

/// The ReDoc page for the document at `openapi_url`.
pub fn redoc_html(title: &str, openapi_url: &str, base: &str) -> String {
    let title = escape(title);
    let spec = escape(openapi_url);
    format!(
        r#"<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - ReDoc</title>
<style>body {{ margin: 0; padding: 0; }}</style>
</head>
<body>
<noscript>ReDoc requires JavaScript to function. Please enable it to browse the documentation.</noscript>
<redoc spec-url="{spec}"></redoc>
<script src="{base}/redoc.standalone.js"></script>
</body>
</html>
"#
    )
}

/// An asset decompressed, once per process (for the rare client that does
/// not accept gzip), then shared.
fn decompressed(gzipped: &'static [u8]) -> Option<Bytes> {
    static CACHE: std::sync::Mutex<Vec<(usize, Bytes)>> = std::sync::Mutex::new(Vec::new());
    let key = gzipped.as_ptr() as usize;
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, plain)) = cache.iter().find(|(k, _)| *k == key) {
        return Some(plain.clone());
    }
    let mut plain = Vec::new();
    match flate2::read::GzDecoder::new(gzipped).read_to_end(&mut plain) {
        Ok(_) => {
            let plain = Bytes::from(plain);
            cache.push((key, plain.clone()));
            Some(plain)
        }
        Err(error) => {
            crate::log::error!("a built-in docs asset could not be decompressed: {error}");
            None
        }
    }
}

/// A gzip-compressed asset: sent as is to clients that accept gzip,
/// decompressed for the others.
pub(crate) fn asset(
    gzipped: &'static [u8],
    content_type: &'static str,
    accept_encoding: Option<&HeaderValue>,
) -> Response {
    let accepts_gzip = accept_encoding
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|e| e.trim().split(';').next() == Some("gzip"))
        });
    let mut response = if accepts_gzip {
        let mut r = with_body(StatusCode::OK, content_type, Bytes::from_static(gzipped));
        r.headers_mut()
            .insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        r
    } else {
        match decompressed(gzipped) {
            Some(plain) => with_body(StatusCode::OK, content_type, plain),
            None => crate::response::internal_server_error(),
        }
    };
    response.headers_mut().insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    response
}
