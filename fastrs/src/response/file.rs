//! Files: [`FileResponse`] (FastAPI's `FileResponse`) and what it shares
//! with the static files service: the headers a file is sent with, `Range`
//! requests (206, 416), conditional GETs (304) and the body that reads the
//! file as the client takes it.
//!
//! A `FileResponse` is built without the request, so its `Range` is
//! applied by the pipeline once the handler has answered: the response
//! carries a [`FileParts`] extension and a
//! [`CompleteWithHead`](super::CompleteWithHead) that calls
//! [`answer_request`], which reads the request's `Range` and `If-Range`
//! against it.

use std::io::SeekFrom;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::SystemTime;

use bytes::{Bytes, BytesMut};
use http::header::{
    HeaderValue, ACCEPT_RANGES, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH,
    CONTENT_LOCATION, CONTENT_RANGE, CONTENT_TYPE, DATE, ETAG, EXPIRES, IF_MODIFIED_SINCE,
    IF_NONE_MATCH, IF_RANGE, LAST_MODIFIED, RANGE, VARY,
};
use http::request::Parts;
use http::{Method, StatusCode};
use http_body::{Frame, SizeHint};
use tokio::io::{AsyncRead, AsyncSeekExt, ReadBuf};

use super::{Body, BoxError, CompleteWithHead, IntoResponse, Response};

/// How much of a file one read takes.
const READ_SIZE: usize = 64 * 1024;

/// A file sent as the response (FastAPI's `FileResponse`): its content type
/// guessed from the extension (`text/plain` when unknown), `Content-Length`,
/// `Last-Modified`, a strong `ETag`, `Accept-Ranges: bytes`, and, when a
/// download name is given, `Content-Disposition`. A `Range` request gets
/// the part asked for (206) or a 416; `If-Range` is honoured.
///
/// The file is read as the client takes it, never all at once.
///
/// ```no_run
/// use fastrs::prelude::*;
/// use fastrs::response::FileResponse;
///
/// #[endpoint(GET "/report")]
/// async fn report() -> Result<FileResponse, HttpError> {
///     FileResponse::open("reports/latest.pdf")
///         .await
///         .map(|file| file.filename("report.pdf"))
///         .map_err(|_| HttpError::new(StatusCode::NOT_FOUND, "Report not found"))
/// }
/// ```
#[derive(Debug, Clone)]
pub struct FileResponse {
    parts: FileParts,
    media_type: HeaderValue,
    disposition: Option<HeaderValue>,
}

/// What is known of a file being sent: enough to answer a `Range` or a
/// conditional request without opening it again.
#[derive(Debug, Clone)]
pub(crate) struct FileParts {
    path: PathBuf,
    len: u64,
    etag: HeaderValue,
    modified: Option<SystemTime>,
    /// Whether `If-None-Match` and `If-Modified-Since` may answer 304
    /// (the static files service's behaviour; a `FileResponse` always
    /// sends the file, as Starlette's does).
    conditional: bool,
}

impl FileResponse {
    /// The file at `path`, looked at now (an error when it is missing or
    /// not a regular file) and read when the response is sent.
    pub async fn open(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let meta = tokio::fs::metadata(path).await?;
        if !meta.is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} is not a file", path.display()),
            ));
        }
        Ok(FileResponse {
            parts: FileParts::new(path.to_path_buf(), &meta, false),
            media_type: guess_media_type(path),
            disposition: None,
        })
    }

    /// Offers the file as a download named `name` (`Content-Disposition:
    /// attachment`), as FastAPI's `filename=` does.
    pub fn filename(mut self, name: &str) -> Self {
        self.disposition = Some(disposition("attachment", name));
        if self.parts.path.extension().is_none() {
            self.media_type = guess_media_type(Path::new(name));
        }
        self
    }

    /// Shows the file in the browser under `name` (`Content-Disposition:
    /// inline`).
    pub fn inline(mut self, name: &str) -> Self {
        self.disposition = Some(disposition("inline", name));
        self
    }

    /// Sends `media_type` instead of the guessed one.
    pub fn media_type(mut self, media_type: &str) -> Self {
        if let Some(value) = super::stream::content_type(media_type) {
            self.media_type = value;
        }
        self
    }

    /// The file's length in bytes.
    pub fn len(&self) -> u64 {
        self.parts.len
    }

    /// True for an empty file.
    pub fn is_empty(&self) -> bool {
        self.parts.len == 0
    }
}

impl IntoResponse for FileResponse {
    fn into_response(self) -> Response {
        let mut response = self.parts.whole();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, self.media_type);
        if let Some(disposition) = self.disposition {
            headers.insert(CONTENT_DISPOSITION, disposition);
        }
        response
            .extensions_mut()
            .insert(CompleteWithHead(answer_request));
        response
    }
}

/// The content type Starlette sends for the file at `path`: guessed from
/// its extension, `text/plain` when unknown, text with `charset=utf-8`.
pub(crate) fn guess_media_type(path: &Path) -> HeaderValue {
    let guessed = mime_guess::from_path(path)
        .first_raw()
        .unwrap_or("text/plain");
    super::stream::content_type(guessed)
        .unwrap_or_else(|| HeaderValue::from_static("application/octet-stream"))
}

/// Starlette's `Content-Disposition`: `filename="name"` when the name
/// needs no quoting, else RFC 5987's `filename*=utf-8''...`.
fn disposition(kind: &str, name: &str) -> HeaderValue {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let quoted = percent_encoding::utf8_percent_encode(name, KEEP).to_string();
    let value = if quoted == name {
        format!("{kind}; filename=\"{name}\"")
    } else {
        format!("{kind}; filename*=utf-8''{quoted}")
    };
    HeaderValue::try_from(value).expect("a quoted name is visible ASCII")
}

impl FileParts {
    pub(crate) fn new(path: PathBuf, meta: &std::fs::Metadata, conditional: bool) -> Self {
        let modified = meta.modified().ok();
        let stamp = modified
            .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let etag = HeaderValue::try_from(format!("\"{stamp:x}-{:x}\"", meta.len()))
            .expect("hex digits and a dash are a valid header value");
        FileParts {
            path,
            len: meta.len(),
            etag,
            modified,
            conditional,
        }
    }

    /// The whole file with its headers (no content type), a 200 that
    /// [`answer_request`] may still narrow.
    pub(crate) fn whole(self) -> Response {
        let mut response = Response::new(Body::new(FileBody::new(self.path.clone(), 0, self.len)));
        let headers = response.headers_mut();
        headers.insert(CONTENT_LENGTH, HeaderValue::from(self.len));
        headers.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
        headers.insert(ETAG, self.etag.clone());
        if let Some(modified) = self.modified {
            if let Ok(date) = HeaderValue::try_from(httpdate::fmt_http_date(modified)) {
                headers.insert(LAST_MODIFIED, date);
            }
        }
        response.extensions_mut().insert(self);
        response
    }

    /// True when the client's copy is current (`If-None-Match`, else
    /// `If-Modified-Since`).
    fn not_modified(&self, request: &Parts) -> bool {
        if let Some(tags) = request.headers.get(IF_NONE_MATCH) {
            let tags = tags.to_str().unwrap_or("");
            let ours = self.etag.to_str().unwrap_or("");
            return tags
                .split(',')
                .map(str::trim)
                .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == ours);
        }
        let since = request
            .headers
            .get(IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok());
        match (since, self.modified) {
            // HTTP dates have whole seconds.
            (Some(since), Some(modified)) => {
                let secs = |t: SystemTime| {
                    t.duration_since(SystemTime::UNIX_EPOCH)
                        .map_or(0, |d| d.as_secs())
                };
                secs(modified) <= secs(since)
            }
            _ => false,
        }
    }

    /// True when an `If-Range` allows the range (absent, or naming this
    /// version of the file).
    fn range_applies(&self, request: &Parts) -> bool {
        match request.headers.get(IF_RANGE).and_then(|v| v.to_str().ok()) {
            None => true,
            Some(tag) if tag.starts_with('"') => self.etag == tag,
            Some(date) => {
                let modified = self.modified.map(httpdate::fmt_http_date);
                modified.as_deref() == Some(date)
            }
        }
    }
}

/// A byte range asked for, resolved against the file's length.
#[derive(Debug, PartialEq, Eq)]
enum Wanted {
    /// No usable `Range`: the whole file.
    Whole,
    /// Bytes `start..=end`.
    Part(u64, u64),
    /// A range that starts past the end: 416.
    Unsatisfiable,
    /// A range header Starlette refuses with a 400, and its message.
    Malformed(&'static str),
}

/// Reads `Range: bytes=...` for a file of `len` bytes as Starlette does.
/// Several ranges are answered with the whole file (a server may ignore
/// `Range`; the multipart answer is not supported).
fn wanted(range: &str, len: u64) -> Wanted {
    let Some((units, spec)) = range.split_once('=') else {
        return Wanted::Malformed("Malformed range header.");
    };
    if !units.trim().eq_ignore_ascii_case("bytes") {
        return Wanted::Malformed("Only support bytes range");
    }
    let mut parts = spec
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != "-");
    let Some(first) = parts.find_map(|part| parse_one(part, len)) else {
        return Wanted::Malformed("Range header: range must be requested");
    };
    if spec
        .split(',')
        .filter_map(|p| parse_one(p.trim(), len))
        .count()
        > 1
    {
        return Wanted::Whole;
    }
    // Starlette's half-open [start, end).
    let (start, end) = first;
    if start >= len {
        Wanted::Unsatisfiable
    } else if start >= end {
        Wanted::Malformed("Range header: start must be less than end")
    } else {
        Wanted::Part(start, end - 1)
    }
}

/// One `start-end` of a range header as Starlette reads it, half-open;
/// `None` for a part it ignores.
fn parse_one(part: &str, len: u64) -> Option<(u64, u64)> {
    let (start, end) = part.split_once('-')?;
    let (start, end) = (start.trim(), end.trim());
    let number = |s: &str| s.parse::<u64>().ok();
    if start.is_empty() {
        return Some((len.saturating_sub(number(end)?), len));
    }
    let start = number(start)?;
    let end = match end {
        "" => len,
        end => {
            let end = number(end)?;
            if end < len {
                end + 1
            } else {
                len
            }
        }
    };
    Some((start, end))
}

/// Applies the request's `Range` (and, for static files, its conditional
/// headers) to a file answer; any other response passes unchanged.
pub(crate) fn answer_request(mut response: Response, request: &Parts) -> Response {
    let Some(parts) = response.extensions_mut().remove::<FileParts>() else {
        return response;
    };
    if response.status() != StatusCode::OK
        || !(request.method == Method::GET || request.method == Method::HEAD)
    {
        return response;
    }
    if parts.conditional && parts.not_modified(request) {
        // Starlette's `NotModifiedResponse` keeps only these.
        let (mut head, _) = response.into_parts();
        head.status = StatusCode::NOT_MODIFIED;
        let kept = [ETAG, CACHE_CONTROL, CONTENT_LOCATION, DATE, EXPIRES, VARY];
        let mut headers = http::HeaderMap::new();
        for name in kept {
            if let Some(value) = head.headers.remove(&name) {
                headers.insert(name, value);
            }
        }
        head.headers = headers;
        return Response::from_parts(head, Body::empty());
    }
    let Some(range) = request.headers.get(RANGE) else {
        return response;
    };
    if !parts.range_applies(request) {
        return response;
    }
    match wanted(range.to_str().unwrap_or(""), parts.len) {
        Wanted::Whole => response,
        Wanted::Malformed(message) => super::with_content_type(
            StatusCode::BAD_REQUEST,
            super::media::text_plain(),
            Bytes::from_static(message.as_bytes()),
        ),
        Wanted::Unsatisfiable => {
            let mut response = super::with_content_type(
                StatusCode::RANGE_NOT_SATISFIABLE,
                super::media::text_plain(),
                Bytes::new(),
            );
            let all = HeaderValue::try_from(format!("bytes */{}", parts.len))
                .expect("digits are a valid header value");
            response.headers_mut().insert(CONTENT_RANGE, all);
            response
        }
        Wanted::Part(start, end) => {
            let (mut head, _) = response.into_parts();
            let length = end - start + 1;
            head.status = StatusCode::PARTIAL_CONTENT;
            head.headers
                .insert(CONTENT_LENGTH, HeaderValue::from(length));
            let range = HeaderValue::try_from(format!("bytes {start}-{end}/{}", parts.len))
                .expect("digits are a valid header value");
            head.headers.insert(CONTENT_RANGE, range);
            let body = FileBody::new(parts.path, start, length);
            Response::from_parts(head, Body::new(body))
        }
    }
}

/// The file's bytes `start..start + remaining`, opened on the first poll
/// and read one buffer at a time as the connection takes them.
struct FileBody {
    state: FileState,
    remaining: u64,
}

type Opening = Pin<Box<dyn std::future::Future<Output = std::io::Result<tokio::fs::File>> + Send>>;

enum FileState {
    Opening(Opening),
    Reading(tokio::fs::File, BytesMut),
}

impl FileBody {
    fn new(path: PathBuf, start: u64, remaining: u64) -> Self {
        let open = async move {
            let mut file = tokio::fs::File::open(path).await?;
            if start > 0 {
                file.seek(SeekFrom::Start(start)).await?;
            }
            Ok(file)
        };
        FileBody {
            state: FileState::Opening(Box::pin(open)),
            remaining,
        }
    }
}

impl http_body::Body for FileBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        loop {
            if this.remaining == 0 {
                return Poll::Ready(None);
            }
            match &mut this.state {
                FileState::Opening(open) => {
                    let file = std::task::ready!(open.as_mut().poll(cx))?;
                    this.state = FileState::Reading(file, BytesMut::new());
                }
                FileState::Reading(file, buffer) => {
                    let want = this.remaining.min(READ_SIZE as u64) as usize;
                    buffer.resize(want, 0);
                    let mut read = ReadBuf::new(&mut buffer[..]);
                    std::task::ready!(Pin::new(file).poll_read(cx, &mut read))?;
                    let n = read.filled().len();
                    if n == 0 {
                        // The file got shorter since it was looked at.
                        return Poll::Ready(Some(Err("the file ended before its length".into())));
                    }
                    this.remaining -= n as u64;
                    let chunk = buffer.split_to(n).freeze();
                    return Poll::Ready(Some(Ok(Frame::data(chunk))));
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_as_rfc_9110_says() {
        assert_eq!(wanted("bytes=0-9", 100), Wanted::Part(0, 9));
        assert_eq!(wanted("bytes=90-", 100), Wanted::Part(90, 99));
        assert_eq!(wanted("bytes=-10", 100), Wanted::Part(90, 99));
        assert_eq!(wanted("bytes=-200", 100), Wanted::Part(0, 99));
        assert_eq!(wanted("bytes=50-500", 100), Wanted::Part(50, 99));
        assert_eq!(wanted("Bytes = 0-0", 100), Wanted::Part(0, 0));
        assert_eq!(wanted("bytes=100-", 100), Wanted::Unsatisfiable);
        assert_eq!(wanted("bytes=-0", 100), Wanted::Unsatisfiable);
        assert_eq!(wanted("bytes=0-0", 0), Wanted::Unsatisfiable);
        assert_eq!(wanted("bytes=0-1,5-6", 100), Wanted::Whole);
        assert_eq!(wanted("bytes=x-y,0-1", 100), Wanted::Part(0, 1));
        let start_after_end = Wanted::Malformed("Range header: start must be less than end");
        assert_eq!(wanted("bytes=9-1", 100), start_after_end);
        assert_eq!(
            wanted("items=0-1", 100),
            Wanted::Malformed("Only support bytes range")
        );
        assert_eq!(
            wanted("bytes 0-1", 100),
            Wanted::Malformed("Malformed range header.")
        );
        let none = Wanted::Malformed("Range header: range must be requested");
        assert_eq!(wanted("bytes=a-b", 100), none);
        assert_eq!(wanted("bytes=-", 100), none);
    }

    #[test]
    fn content_types_and_dispositions_are_starlettes() {
        assert_eq!(
            guess_media_type(Path::new("a.txt")),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            guess_media_type(Path::new("a.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(guess_media_type(Path::new("a.png")), "image/png");
        assert_eq!(guess_media_type(Path::new("a.json")), "application/json");
        assert_eq!(
            guess_media_type(Path::new("noextension")),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            disposition("attachment", "report.pdf"),
            "attachment; filename=\"report.pdf\""
        );
        assert_eq!(
            disposition("attachment", "résumé final.pdf"),
            "attachment; filename*=utf-8''r%C3%A9sum%C3%A9%20final.pdf"
        );
        assert_eq!(
            disposition("inline", "a\"b"),
            "inline; filename*=utf-8''a%22b"
        );
    }
}
