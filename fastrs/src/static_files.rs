//! Static files (FastAPI's `StaticFiles`): a directory served as a tower
//! `Service`, to [`mount`](crate::App::mount) under a prefix.
//!
//! - Files are sent as [`FileResponse`](crate::response::FileResponse)
//!   sends them (content type, `ETag`, `Last-Modified`, `Range`), and a
//!   client whose copy is current gets `304 Not Modified`
//!   (`If-None-Match`, `If-Modified-Since`).
//! - Nothing outside the directory is ever served: `..` (written as is or
//!   percent-encoded), backslashes, NUL and symbolic links that lead out
//!   are a 404, like a missing file (`{"detail": "Not Found"}`, FastAPI's
//!   answer).
//! - With [`html`](StaticFiles::html), a directory serves its
//!   `index.html` (a directory without its trailing slash is redirected to
//!   it) and a missing file serves `404.html` with a 404, as Starlette's
//!   `html=True` does.
//! - A client that accepts gzip gets `name.gz` instead of `name` when the
//!   directory holds one (precompressed assets), with
//!   `Content-Encoding: gzip` and `Vary: Accept-Encoding`.
//! - Methods other than GET and HEAD are a 405 with `Allow: GET, HEAD`.

use std::convert::Infallible;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::header::{HeaderValue, ACCEPT_ENCODING, ALLOW, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use http::{Method, Request, StatusCode};
use tower_service::Service;

use crate::error::HttpError;
use crate::response::file::{guess_media_type, FileParts};
use crate::response::{answer_request, Body, IntoResponse, Response};

/// A directory served over HTTP: mount it with
/// [`App::mount`](crate::App::mount).
///
/// ```no_run
/// use fastrs::prelude::*;
/// use fastrs::static_files::StaticFiles;
///
/// let app = App::new().mount("/static", StaticFiles::new("static").html(true));
/// # let _ = app;
/// ```
#[derive(Debug, Clone)]
pub struct StaticFiles(Arc<Settings>);

#[derive(Debug)]
struct Settings {
    directory: PathBuf,
    html: bool,
    precompressed: bool,
}

impl StaticFiles {
    /// Serves the files under `directory` (relative to the working
    /// directory, as FastAPI's `directory=`).
    pub fn new(directory: impl Into<PathBuf>) -> Self {
        StaticFiles(Arc::new(Settings {
            directory: directory.into(),
            html: false,
            precompressed: true,
        }))
    }

    /// Serves `index.html` for a directory and `404.html` for a missing
    /// file (FastAPI's `html=True`): a single-page app or a static site.
    pub fn html(self, html: bool) -> Self {
        self.change(|s| s.html = html)
    }

    /// Whether `name.gz` is sent instead of `name` to a client that accepts
    /// gzip (on by default).
    pub fn precompressed(self, precompressed: bool) -> Self {
        self.change(|s| s.precompressed = precompressed)
    }

    fn change(self, change: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = Settings {
            directory: self.0.directory.clone(),
            html: self.0.html,
            precompressed: self.0.precompressed,
        };
        change(&mut settings);
        StaticFiles(Arc::new(settings))
    }

    /// The answer to one request.
    async fn answer(settings: Arc<Settings>, head: http::request::Parts) -> Response {
        if head.method != Method::GET && head.method != Method::HEAD {
            let mut response =
                HttpError::from_status(StatusCode::METHOD_NOT_ALLOWED).into_response();
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
            return response;
        }
        let Ok(root) = tokio::fs::canonicalize(&settings.directory).await else {
            crate::log::error!(
                "static files: the directory {} cannot be read",
                settings.directory.display()
            );
            return not_found();
        };
        let raw = head.uri.path();
        let Some(relative) = relative_path(raw) else {
            return not_found();
        };
        let wanted = root.join(&relative);
        match inside(&root, &wanted).await {
            Some((path, meta)) if meta.is_dir() => {
                if !settings.html {
                    return not_found();
                }
                if !raw.ends_with('/') {
                    return redirect_to_directory(&head);
                }
                let index = path.join("index.html");
                match inside(&root, &index).await {
                    Some((index, meta)) if meta.is_file() => {
                        send(&settings, &head, &root, index, &meta).await
                    }
                    _ => missing(&settings, &root).await,
                }
            }
            Some((path, meta)) if meta.is_file() => {
                send(&settings, &head, &root, path, &meta).await
            }
            _ => missing(&settings, &root).await,
        }
    }
}

/// The request path as a relative path inside the directory, or `None`
/// when it tries to leave it or holds what no file name should.
fn relative_path(raw: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    let mut relative = PathBuf::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => continue,
            ".." => return None,
            s if s.contains(['\\', '\0']) || Path::new(s).is_absolute() => return None,
            // A Windows drive (`C:`) would make the join absolute.
            s if s.contains(':') && cfg!(windows) => return None,
            s => relative.push(s),
        }
    }
    Some(relative)
}

/// `path` resolved (symbolic links followed) and its metadata, when it
/// exists and lies inside `root`.
async fn inside(root: &Path, path: &Path) -> Option<(PathBuf, std::fs::Metadata)> {
    let real = tokio::fs::canonicalize(path).await.ok()?;
    if !real.starts_with(root) {
        return None;
    }
    let meta = tokio::fs::metadata(&real).await.ok()?;
    Some((real, meta))
}

/// A file found: sent whole or in part, or a 304.
async fn send(
    settings: &Settings,
    head: &http::request::Parts,
    root: &Path,
    path: PathBuf,
    meta: &std::fs::Metadata,
) -> Response {
    let media_type = guess_media_type(&path);
    if settings.precompressed && accepts_gzip(head) {
        let mut gz = path.clone().into_os_string();
        gz.push(".gz");
        if let Some((gz, gz_meta)) = inside(root, Path::new(&gz)).await {
            if gz_meta.is_file() {
                let mut response = FileParts::new(gz, &gz_meta, true).whole();
                let headers = response.headers_mut();
                headers.insert(CONTENT_TYPE, media_type);
                headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                headers.insert(VARY, HeaderValue::from_static("Accept-Encoding"));
                return answer_request(response, head);
            }
        }
    }
    let mut response = FileParts::new(path, meta, true).whole();
    response.headers_mut().insert(CONTENT_TYPE, media_type);
    answer_request(response, head)
}

/// True when the client takes gzip (`Accept-Encoding` names it, without
/// `q=0`).
fn accepts_gzip(head: &http::request::Parts) -> bool {
    head.headers.get_all(ACCEPT_ENCODING).iter().any(|value| {
        value.to_str().unwrap_or("").split(',').any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or("");
            let refused =
                parts.any(|p| p.replace(' ', "") == "q=0" || p.replace(' ', "") == "q=0.0");
            name.eq_ignore_ascii_case("gzip") && !refused
        })
    })
}

/// Nothing there: `404.html` in html mode when there is one, else
/// FastAPI's JSON 404.
async fn missing(settings: &Settings, root: &Path) -> Response {
    if settings.html {
        if let Some((page, meta)) = inside(root, &root.join("404.html")).await {
            if meta.is_file() {
                let mut response = FileParts::new(page, &meta, false).whole();
                // A 404 page answers no `Range`: drop what would apply one.
                response.extensions_mut().clear();
                *response.status_mut() = StatusCode::NOT_FOUND;
                response
                    .headers_mut()
                    .insert(CONTENT_TYPE, guess_media_type(Path::new("404.html")));
                return response;
            }
        }
    }
    not_found()
}

fn not_found() -> Response {
    HttpError::from_status(StatusCode::NOT_FOUND).into_response()
}

/// A directory asked for without its slash: Starlette's 307 to the URL
/// with it, under the mount's prefix, to where the client reached the app.
fn redirect_to_directory(head: &http::request::Parts) -> Response {
    let prefix = head
        .extensions
        .get::<crate::app::MountedAt>()
        .map_or("", |m| &m.0);
    let origin = match head.extensions.get::<crate::app::Origin>() {
        Some(origin) => origin.0.clone(),
        // Not mounted: served directly as a tower service.
        None => match head
            .headers
            .get(http::header::HOST)
            .and_then(|h| h.to_str().ok())
        {
            Some(host) => format!("http://{host}"),
            None => String::new(),
        },
    };
    let path = format!("{prefix}{}", head.uri.path());
    crate::app::redirect_with_slash(&origin, &path, head.uri.query())
}

impl Service<Request<Body>> for StaticFiles {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let settings = self.0.clone();
        let (head, _) = request.into_parts();
        Box::pin(async move {
            let is_head = head.method == Method::HEAD;
            let response = StaticFiles::answer(settings, head).await;
            Ok(if is_head {
                let (head, _) = response.into_parts();
                Response::from_parts(head, Body::empty())
            } else {
                response
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_directory_are_refused() {
        assert_eq!(relative_path("/a/b.txt"), Some(PathBuf::from("a/b.txt")));
        assert_eq!(relative_path("/a/./b.txt"), Some(PathBuf::from("a/b.txt")));
        assert_eq!(relative_path("//a//b"), Some(PathBuf::from("a/b")));
        assert_eq!(relative_path("/"), Some(PathBuf::new()));
        assert_eq!(relative_path("/../Cargo.toml"), None);
        assert_eq!(relative_path("/a/%2e%2e/%2E%2E/Cargo.toml"), None);
        assert_eq!(relative_path("/a%2f..%2f..%2fCargo.toml"), None);
        assert_eq!(relative_path("/..%5c..%5cCargo.toml"), None);
        assert_eq!(relative_path("/a%00.txt"), None);
        assert_eq!(relative_path("/%ff"), None);
    }

    #[test]
    fn gzip_is_taken_unless_refused() {
        let head = |value: &str| {
            let request = Request::get("/")
                .header(ACCEPT_ENCODING, value)
                .body(())
                .unwrap();
            request.into_parts().0
        };
        assert!(accepts_gzip(&head("gzip, deflate, br")));
        assert!(accepts_gzip(&head("br;q=1.0, GZIP;q=0.5")));
        assert!(!accepts_gzip(&head("gzip;q=0")));
        assert!(!accepts_gzip(&head("br")));
    }
}
