//! The docs pages: `/openapi.json`, Swagger UI at `/docs` and ReDoc at
//! `/redoc` (each URL configurable, or off), all offline: the JavaScript and
//! CSS are built into the binary (`fastrs/assets/`, gzip-compressed, with
//! their licences) and served by fastrs itself, sent compressed to clients
//! that accept gzip. No CDN, no web fonts, Swagger's validator badge off.

use std::io::Read;

use bytes::Bytes;
use http::header::{CACHE_CONTROL, CONTENT_ENCODING};
use http::{HeaderValue, Method, StatusCode};

use crate::response::{with_body, Response};

const SWAGGER_JS: &[u8] = include_bytes!("../../assets/swagger-ui-bundle.js.gz");
const SWAGGER_CSS: &[u8] = include_bytes!("../../assets/swagger-ui.css.gz");
const REDOC_JS: &[u8] = include_bytes!("../../assets/redoc.standalone.js.gz");

/// Where the docs are served; `None` turns one off.
#[derive(Debug, Clone)]
pub struct DocsUrls {
    /// The OpenAPI document (default `/openapi.json`).
    pub openapi: Option<String>,
    /// Swagger UI (default `/docs`).
    pub swagger: Option<String>,
    /// ReDoc (default `/redoc`).
    pub redoc: Option<String>,
}

impl Default for DocsUrls {
    fn default() -> Self {
        DocsUrls {
            openapi: Some("/openapi.json".into()),
            swagger: Some("/docs".into()),
            redoc: Some("/redoc".into()),
        }
    }
}

/// What a docs URL serves.
pub(crate) enum DocsPage {
    Document,
    Swagger,
    Redoc,
    Asset(&'static [u8], &'static str),
}

impl DocsUrls {
    /// The docs page at `path`, if any.
    pub(crate) fn page(&self, method: &Method, path: &str) -> Option<DocsPage> {
        if method != Method::GET && method != Method::HEAD {
            return None;
        }
        let is = |url: &Option<String>| url.as_deref() == Some(path);
        let under = |url: &Option<String>, file: &str| {
            url.as_deref()
                .and_then(|base| path.strip_prefix(base))
                .is_some_and(|rest| rest.strip_prefix('/') == Some(file))
        };
        if is(&self.openapi) {
            Some(DocsPage::Document)
        } else if is(&self.swagger) && self.openapi.is_some() {
            Some(DocsPage::Swagger)
        } else if is(&self.redoc) && self.openapi.is_some() {
            Some(DocsPage::Redoc)
        } else if under(&self.swagger, "swagger-ui-bundle.js") {
            Some(DocsPage::Asset(
                SWAGGER_JS,
                "text/javascript; charset=utf-8",
            ))
        } else if under(&self.swagger, "swagger-ui.css") {
            Some(DocsPage::Asset(SWAGGER_CSS, "text/css; charset=utf-8"))
        } else if under(&self.redoc, "redoc.standalone.js") {
            Some(DocsPage::Asset(REDOC_JS, "text/javascript; charset=utf-8"))
        } else {
            None
        }
    }
}

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
        let mut plain = Vec::new();
        match flate2::read::GzDecoder::new(gzipped).read_to_end(&mut plain) {
            Ok(_) => with_body(StatusCode::OK, content_type, Bytes::from(plain)),
            Err(error) => {
                crate::log::error!("a built-in docs asset could not be decompressed: {error}");
                crate::response::internal_server_error()
            }
        }
    };
    response.headers_mut().insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    response
}
