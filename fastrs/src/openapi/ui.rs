//! The docs pages' content: Swagger UI's and ReDoc's HTML and their assets,
//! all offline: the JavaScript and CSS are built into the binary
//! (`fastrs/assets/`, gzip-compressed, with their licences) and served by
//! fastrs itself, sent compressed to clients that accept gzip. No CDN, no
//! web fonts, Swagger's validator badge off. The app serves them as routes
//! (`crate::app`'s docs module).

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

/// Swagger UI's OAuth2 redirect script (swagger-ui-dist's
/// `oauth2-redirect.js`), gzip-compressed.
pub(crate) const OAUTH2_REDIRECT_JS: &[u8] = include_bytes!("../../assets/oauth2-redirect.js.gz");

/// The parameters fastrs gives Swagger UI unless told otherwise (FastAPI's
/// `swagger_ui_default_parameters`, and the validator badge off, since it
/// would call an outside server).
pub fn swagger_ui_default_parameters() -> serde_json::Map<String, serde_json::Value> {
    let defaults = serde_json::json!({
        "dom_id": "#swagger-ui",
        "layout": "BaseLayout",
        "deepLinking": true,
        "showExtensions": true,
        "showCommonExtensions": true,
        "validatorUrl": null,
    });
    match defaults {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// JSON for a `<script>`: `</` written `<\/`, so that a value cannot end
/// the script.
fn script_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".to_owned())
        .replace("</", "<\\/")
}

/// A Swagger UI page (FastAPI's `get_swagger_ui_html`), for an app that
/// serves its own docs page: where the document and the assets are, and
/// what Swagger UI is given.
///
/// ```
/// use fastrs::openapi::ui::SwaggerUiPage;
///
/// let page = SwaggerUiPage::new("/openapi.json", "My API")
///     .assets("/static/swagger-ui-bundle.js", "/static/swagger-ui.css")
///     .parameter("syntaxHighlight", serde_json::json!(false))
///     .html();
/// assert!(page.contains(r#""syntaxHighlight": false,"#));
/// ```
#[derive(Debug, Clone)]
pub struct SwaggerUiPage {
    openapi_url: String,
    title: String,
    js_url: String,
    css_url: String,
    parameters: serde_json::Map<String, serde_json::Value>,
    oauth2_redirect_url: Option<String>,
    init_oauth: Option<serde_json::Value>,
}

impl SwaggerUiPage {
    /// The page for the document at `openapi_url`, titled `title`, with the
    /// assets fastrs serves under `/docs` and the default parameters.
    pub fn new(openapi_url: &str, title: &str) -> Self {
        SwaggerUiPage {
            openapi_url: openapi_url.to_owned(),
            title: title.to_owned(),
            js_url: "/docs/swagger-ui-bundle.js".to_owned(),
            css_url: "/docs/swagger-ui.css".to_owned(),
            parameters: swagger_ui_default_parameters(),
            oauth2_redirect_url: None,
            init_oauth: None,
        }
    }

    /// Loads Swagger UI's script and style sheet from these URLs.
    pub fn assets(mut self, js_url: &str, css_url: &str) -> Self {
        self.js_url = js_url.to_owned();
        self.css_url = css_url.to_owned();
        self
    }

    /// Gives Swagger UI `name: value`, over the defaults (FastAPI's
    /// `swagger_ui_parameters`).
    pub fn parameter(mut self, name: &str, value: serde_json::Value) -> Self {
        self.parameters.insert(name.to_owned(), value);
        self
    }

    /// Gives Swagger UI every key of `parameters`, over the defaults.
    pub fn parameters(mut self, parameters: &serde_json::Map<String, serde_json::Value>) -> Self {
        for (name, value) in parameters {
            self.parameters.insert(name.clone(), value.clone());
        }
        self
    }

    /// Where the OAuth2 redirect page is, on this origin: Authorize with a
    /// flow that redirects comes back there.
    pub fn oauth2_redirect_url(mut self, url: &str) -> Self {
        self.oauth2_redirect_url = Some(url.to_owned());
        self
    }

    /// The settings given to `ui.initOAuth` (FastAPI's `init_oauth`:
    /// `clientId`, `appName`, `usePkceWithAuthorizationCodeGrant`...).
    pub fn init_oauth(mut self, settings: serde_json::Value) -> Self {
        self.init_oauth = Some(settings);
        self
    }

    /// The page's HTML.
    pub fn html(&self) -> String {
        let title = escape(&self.title);
        let js = escape(&self.js_url);
        let css = escape(&self.css_url);
        let spec = script_json(&self.openapi_url);
        let mut options = String::new();
        for (name, value) in &self.parameters {
            options.push_str(&format!(
                "  {}: {},\n",
                script_json(name),
                script_json(value)
            ));
        }
        if let Some(url) = &self.oauth2_redirect_url {
            options.push_str(&format!(
                "  oauth2RedirectUrl: window.location.origin + {},\n",
                script_json(url)
            ));
        }
        let init_oauth = match &self.init_oauth {
            Some(settings) => format!("ui.initOAuth({})\n", script_json(settings)),
            None => String::new(),
        };
        format!(
            r##"<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<link type="text/css" rel="stylesheet" href="{css}">
<title>{title} - Swagger UI</title>
</head>
<body>
<div id="swagger-ui"></div>
<script src="{js}"></script>
<script>
const ui = SwaggerUIBundle({{
  url: {spec},
{options}  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
}})
{init_oauth}</script>
</body>
</html>
"##
        )
    }
}

/// The Swagger UI page for the document at `openapi_url`, with the assets
/// under `base` and the default parameters.
pub fn swagger_html(title: &str, openapi_url: &str, base: &str) -> String {
    SwaggerUiPage::new(openapi_url, title)
        .assets(
            &format!("{base}/swagger-ui-bundle.js"),
            &format!("{base}/swagger-ui.css"),
        )
        .html()
}

/// The page Swagger UI's OAuth2 flows redirect to: it hands what the
/// authorization server sent back to the docs page that opened it.
pub fn oauth2_redirect_html(script_url: &str) -> String {
    let script = escape(script_url);
    format!(
        r#"<!DOCTYPE html>
<html lang="en-US">
<head><title>Swagger UI: OAuth2 Redirect</title></head>
<body>
<script src="{script}"></script>
</body>
</html>
"#
    )
}

/// The ReDoc page for the document at `openapi_url`, with its script under
/// `base`.
pub fn redoc_html(title: &str, openapi_url: &str, base: &str) -> String {
    redoc_page(title, openapi_url, &format!("{base}/redoc.standalone.js"))
}

/// The ReDoc page for the document at `openapi_url`, loading ReDoc from
/// `js_url` (FastAPI's `get_redoc_html`), for an app that serves its own.
pub fn redoc_page(title: &str, openapi_url: &str, js_url: &str) -> String {
    let title = escape(title);
    let spec = escape(openapi_url);
    let js = escape(js_url);
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
<script src="{js}"></script>
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
    match gunzip(gzipped) {
        Ok(plain) => {
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

/// The content of a gzip file (RFC 1952) of one member: its header read
/// past, its deflate stream inflated, its length checked against the
/// trailer's. The built-in assets are such files.
fn gunzip(gzipped: &[u8]) -> Result<Vec<u8>, String> {
    const FHCRC: u8 = 0x02;
    const FEXTRA: u8 = 0x04;
    const FNAME: u8 = 0x08;
    const FCOMMENT: u8 = 0x10;
    let truncated = || "truncated".to_owned();
    let [0x1f, 0x8b, 8, flags, _, _, _, _, _, _, ..] = *gzipped else {
        return Err("not a gzip file compressed with deflate".into());
    };
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let len = gzipped.get(at..at + 2).ok_or_else(truncated)?;
        at += 2 + usize::from(u16::from_le_bytes([len[0], len[1]]));
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let rest = gzipped.get(at..).ok_or_else(truncated)?;
            at += rest.iter().position(|&b| b == 0).ok_or_else(truncated)? + 1;
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    let body = gzipped.get(at..).ok_or_else(truncated)?;
    let trailer = body.len().checked_sub(8).ok_or_else(truncated)?;
    let plain = miniz_oxide::inflate::decompress_to_vec(&body[..trailer])
        .map_err(|e| format!("{:?}", e.status))?;
    let size = u32::from_le_bytes([
        body[trailer + 4],
        body[trailer + 5],
        body[trailer + 6],
        body[trailer + 7],
    ]);
    // ISIZE is the length modulo 2^32.
    if plain.len() as u32 != size {
        return Err(format!(
            "{} bytes inflated, the trailer says {size}",
            plain.len()
        ));
    }
    Ok(plain)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each built-in asset inflates to its whole text, as Python's `gzip`
    /// module reads it (lengths taken from `gzip.decompress`).
    #[test]
    fn the_built_in_assets_inflate() {
        for (asset, length, starts) in [
            (SWAGGER_JS, 1_732_839, "/*! For license information"),
            (SWAGGER_CSS, 187_956, ".swagger-ui{color:#3b4151;"),
            (REDOC_JS, 1_103_528, "/*! For license information"),
            (OAUTH2_REDIRECT_JS, 1_329, "\"use strict\";function run()"),
        ] {
            let plain = gunzip(asset).expect("a built-in asset inflates");
            assert_eq!(plain.len(), length);
            assert!(plain.starts_with(starts.as_bytes()));
        }
    }

    /// A cut file, or one that is not gzip, is an error, never a panic.
    #[test]
    fn a_damaged_file_is_an_error() {
        assert!(gunzip(b"").is_err());
        assert!(gunzip(b"plain text, not gzip").is_err());
        for cut in [
            3,
            10,
            20,
            OAUTH2_REDIRECT_JS.len() / 2,
            OAUTH2_REDIRECT_JS.len() - 1,
        ] {
            assert!(gunzip(&OAUTH2_REDIRECT_JS[..cut]).is_err(), "cut at {cut}");
        }
    }
}
