//! The access log: one line for each request the server answers, on by
//! default, as uvicorn writes one.
//!
//! The request's side is small: a clock reading when its head arrives
//! (`clock`: one instruction where the kernel trusts the CPU's counter),
//! its method, version and target kept (the target copied inline, the
//! client's text written once per connection), and
//! when the response's head is ready, a second reading and one entry
//! pushed on a queue. A
//! thread of the log's own writes the queue out in batches, so that no
//! request waits for a write, and a stalled output loses lines (counted and
//! reported) rather than memory.
//!
//! When the program installed a `tracing` subscriber, each entry is an
//! event instead (target `fastrs::access`, with the fields `client`,
//! `method`, `path`, `http_version`, `status`, `duration_ms` and, when the
//! app gives requests ids, `request_id`), and the subscriber decides where
//! it goes and how it reads.

use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use http::{Method, StatusCode, Version};

mod clock;

use clock::{Clock, Scale, Stamp};

/// How the server logs the requests it answers ([`App::access_log`](crate::App::access_log)).
///
/// On by default, in plain text on standard output, as uvicorn's:
///
/// ```text
/// INFO:     127.0.0.1:51234 - "GET /items/5?q=x HTTP/1.1" 200 OK 0.41ms
/// ```
///
/// The docs pages' scripts and styles are not logged unless asked. With a
/// `tracing` subscriber installed, the lines are `tracing` events instead
/// (target `fastrs::access`), written by the subscriber.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::app::AccessLog;
///
/// let json_lines = App::new().access_log(AccessLog::json());
/// let quiet = App::new().access_log(AccessLog::off());
/// ```
#[derive(Clone)]
pub struct AccessLog {
    format: Option<AccessFormat>,
    docs_assets: bool,
    writer: Option<Arc<Mutex<dyn Write + Send>>>,
}

/// The form of an access line written without a `tracing` subscriber.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessFormat {
    /// uvicorn's line, with the time the answer took.
    Plain,
    /// One JSON object per line: `client`, `method`, `path`,
    /// `http_version`, `status`, `duration_ms` (and `request_id` when the
    /// app gives requests ids).
    Json,
}

impl AccessLog {
    /// uvicorn's plain line (the default).
    pub fn plain() -> AccessLog {
        AccessLog {
            format: Some(AccessFormat::Plain),
            docs_assets: false,
            writer: None,
        }
    }

    /// One JSON object per line.
    pub fn json() -> AccessLog {
        AccessLog {
            format: Some(AccessFormat::Json),
            ..AccessLog::plain()
        }
    }

    /// No access log (uvicorn's `--no-access-log`).
    pub fn off() -> AccessLog {
        AccessLog {
            format: None,
            ..AccessLog::plain()
        }
    }

    /// Logs the requests for the docs pages' scripts and styles too.
    pub fn docs_assets(mut self, logged: bool) -> AccessLog {
        self.docs_assets = logged;
        self
    }

    /// Writes the lines to `writer` instead of standard output (or of the
    /// installed `tracing` subscriber).
    pub fn writer(mut self, writer: impl Write + Send + 'static) -> AccessLog {
        self.writer = Some(Arc::new(Mutex::new(writer)));
        self
    }

    /// The format, `None` when the log is off.
    pub fn format(&self) -> Option<AccessFormat> {
        self.format
    }
}

impl Default for AccessLog {
    fn default() -> AccessLog {
        AccessLog::plain()
    }
}

impl fmt::Debug for AccessLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessLog")
            .field("format", &self.format)
            .field("docs_assets", &self.docs_assets)
            .field("writer", &self.writer.as_ref().map(|_| "custom"))
            .finish()
    }
}

/// A request whose answer is awaited: what its line needs from its head.
pub(crate) struct Started {
    at: Stamp,
    method: Method,
    target: Target,
    version: Version,
    client: ClientLabel,
}

/// A request's target (path and query), copied: inline when short, as
/// nearly every one is.
enum Target {
    Inline { len: u8, bytes: [u8; 64] },
    Long(Box<str>),
}

impl Target {
    fn new(text: &str) -> Target {
        match u8::try_from(text.len()) {
            Ok(len) if text.len() <= 64 => {
                let mut bytes = [0; 64];
                bytes[..text.len()].copy_from_slice(text.as_bytes());
                Target::Inline { len, bytes }
            }
            _ => Target::Long(text.into()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Copied whole from a `str`: valid UTF-8.
            Target::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or("/")
            }
            Target::Long(text) => text,
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            Target::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Target::Long(text) => text.as_bytes(),
        }
    }
}

/// One line to write.
struct Entry {
    started: Started,
    status: StatusCode,
    answered: Stamp,
    /// The request's id, when the app gives requests ids.
    id: Option<http::HeaderValue>,
}

/// The most entries waiting to be written; past it, lines are dropped and
/// counted.
const MAX_PENDING: usize = 100_000;

/// How often the log's thread writes what is waiting.
const WRITE_EVERY: Duration = Duration::from_millis(25);

/// The running access log of one server.
pub(crate) struct AccessSink {
    format: AccessFormat,
    /// Paths not logged (the docs pages' assets).
    skipped: Vec<String>,
    /// Events for the installed `tracing` subscriber, instead of lines.
    tracing: bool,
    /// The app gives requests ids: each line ends with it.
    ids: bool,
    clock: Clock,
    pending: Mutex<Vec<Entry>>,
    dropped: AtomicU64,
    writer: Arc<Mutex<dyn Write + Send>>,
    stopped: AtomicBool,
    /// The writing thread, joined when the server stops.
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl AccessSink {
    /// Starts the log (its writing thread when there is no `tracing`
    /// subscriber); `None` when it is off. `assets` are the docs pages'
    /// asset paths; `ids`: the app gives requests ids.
    pub(crate) fn start(
        config: &AccessLog,
        assets: Vec<String>,
        ids: bool,
    ) -> Option<Arc<AccessSink>> {
        let format = config.format?;
        let sink = Arc::new(AccessSink {
            format,
            skipped: if config.docs_assets {
                Vec::new()
            } else {
                assets
            },
            // A writer given is where the lines go, subscriber or not.
            tracing: config.writer.is_none() && tracing::dispatcher::has_been_set(),
            ids,
            clock: Clock::new(),
            pending: Mutex::new(Vec::with_capacity(1024)),
            dropped: AtomicU64::new(0),
            writer: config
                .writer
                .clone()
                .unwrap_or_else(|| Arc::new(Mutex::new(std::io::stdout()))),
            stopped: AtomicBool::new(false),
            thread: Mutex::new(None),
        });
        if !sink.tracing {
            let writing = sink.clone();
            let spawned = std::thread::Builder::new()
                .name("fastrs-access-log".into())
                .spawn(move || writing.write_until_stopped());
            match spawned {
                Ok(thread) => *sink.thread.lock().unwrap_or_else(|e| e.into_inner()) = Some(thread),
                Err(error) => {
                    crate::log::error!("the access log cannot start its thread: {error}");
                    return None;
                }
            }
        }
        Some(sink)
    }

    /// The log of one connection from `peer`: its client's text is
    /// written once, not for each line.
    pub(crate) fn for_connection(self: &Arc<Self>, peer: Option<SocketAddr>) -> ConnectionLog {
        ConnectionLog {
            sink: self.clone(),
            client: ClientLabel::of(peer),
        }
    }

    /// What a request's line needs, read from its head; `None` for a
    /// request that is not logged.
    fn started<B>(&self, request: &http::Request<B>, client: ClientLabel) -> Option<Started> {
        let uri = request.uri();
        if !self.skipped.is_empty() && self.skipped.iter().any(|p| p == uri.path()) {
            return None;
        }
        Some(Started {
            at: self.clock.now(),
            method: request.method().clone(),
            target: Target::new(uri.path_and_query().map_or("/", |p| p.as_str())),
            version: request.version(),
            client,
        })
    }

    /// Logs the answer to a started request.
    pub(crate) fn answered<B>(&self, started: Started, response: &http::Response<B>) {
        let id = if self.ids {
            response.headers().get(super::REQUEST_ID_HEADER).cloned()
        } else {
            None
        };
        let entry = Entry {
            answered: self.clock.now(),
            started,
            status: response.status(),
            id,
        };
        if self.tracing {
            entry.event(self.clock.scale());
            return;
        }
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        if pending.len() < MAX_PENDING {
            pending.push(entry);
        } else {
            drop(pending);
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Stops the log's thread once it has written what is waiting (it
    /// writes once more after the flag is set), and waits for it: every
    /// line is out when this returns. Blocks for up to one write period.
    pub(crate) fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
        let thread = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }

    fn write_until_stopped(&self) {
        let mut text = Vec::new();
        // Swapped with the queue: both keep their capacity.
        let mut batch = Vec::with_capacity(1024);
        loop {
            let stopping = self.stopped.load(Ordering::Relaxed);
            if !stopping {
                std::thread::sleep(WRITE_EVERY);
            }
            self.write_pending(&mut batch, &mut text);
            if stopping {
                return;
            }
        }
    }

    /// Formats and writes every waiting entry, and says how many were
    /// dropped since the last write.
    fn write_pending(&self, batch: &mut Vec<Entry>, text: &mut Vec<u8>) {
        std::mem::swap(
            &mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()),
            batch,
        );
        let dropped = self.dropped.swap(0, Ordering::Relaxed);
        if batch.is_empty() && dropped == 0 {
            return;
        }
        let scale = self.clock.scale();
        text.clear();
        text.reserve(batch.len() * 128);
        for entry in batch.iter() {
            match self.format {
                AccessFormat::Plain => entry.plain(scale, text),
                AccessFormat::Json => entry.json(scale, text),
            }
        }
        batch.clear();
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        // A closed or full output must not take the server down.
        let _ = writer.write_all(text);
        let _ = writer.flush();
        drop(writer);
        if dropped > 0 {
            crate::log::warning!(
                "the access log could not keep up: {dropped} line(s) were not written"
            );
        }
    }
}

impl Entry {
    fn took(&self, scale: Scale) -> Duration {
        scale.between(self.started.at, self.answered)
    }

    fn version(&self) -> &'static str {
        match self.started.version {
            Version::HTTP_09 => "HTTP/0.9",
            Version::HTTP_10 => "HTTP/1.0",
            Version::HTTP_2 => "HTTP/2",
            Version::HTTP_3 => "HTTP/3",
            _ => "HTTP/1.1",
        }
    }

    /// `INFO:     127.0.0.1:51234 - "GET /items/5 HTTP/1.1" 200 OK 0.41ms`
    fn plain(&self, scale: Scale, out: &mut Vec<u8>) {
        out.extend_from_slice(b"INFO:     ");
        out.extend_from_slice(self.started.client.as_bytes());
        out.extend_from_slice(b" - \"");
        out.extend_from_slice(self.started.method.as_str().as_bytes());
        out.push(b' ');
        out.extend_from_slice(self.started.target.as_bytes());
        out.push(b' ');
        out.extend_from_slice(self.version().as_bytes());
        out.extend_from_slice(b"\" ");
        out.extend_from_slice(self.status.as_str().as_bytes());
        if let Some(reason) = self.status.canonical_reason() {
            out.push(b' ');
            out.extend_from_slice(reason.as_bytes());
        }
        out.push(b' ');
        write_millis(self.took(scale), out);
        out.extend_from_slice(b"ms");
        if let Some(id) = &self.id {
            out.extend_from_slice(b" [");
            out.extend_from_slice(id.as_bytes());
            out.push(b']');
        }
        out.push(b'\n');
    }

    /// `{"client":"127.0.0.1:51234","method":"GET","path":"/items/5",
    /// "http_version":"HTTP/1.1","status":200,"duration_ms":0.41}`
    fn json(&self, scale: Scale, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"client\":\"");
        out.extend_from_slice(self.started.client.as_bytes());
        out.extend_from_slice(b"\",\"method\":");
        let _ = serde_json::to_writer(&mut *out, self.started.method.as_str());
        out.extend_from_slice(b",\"path\":");
        let _ = serde_json::to_writer(&mut *out, self.started.target.as_str());
        out.extend_from_slice(b",\"http_version\":\"");
        out.extend_from_slice(self.version().as_bytes());
        out.extend_from_slice(b"\",\"status\":");
        out.extend_from_slice(self.status.as_str().as_bytes());
        out.extend_from_slice(b",\"duration_ms\":");
        write_millis(self.took(scale), out);
        if let Some(id) = self.id.as_ref().and_then(|id| id.to_str().ok()) {
            out.extend_from_slice(b",\"request_id\":");
            let _ = serde_json::to_writer(&mut *out, id);
        }
        out.extend_from_slice(b"}\n");
    }

    /// The entry as a `tracing` event.
    fn event(&self, scale: Scale) {
        let client = self.started.client.as_str();
        let method = self.started.method.as_str();
        let path = self.started.target.as_str();
        let version = self.version();
        let millis = self.took(scale).as_secs_f64() * 1000.0;
        let request_id = self.id.as_ref().and_then(|id| id.to_str().ok());
        tracing::info!(
            target: "fastrs::access",
            client = %client,
            method,
            path,
            http_version = version,
            status = self.status.as_u16(),
            duration_ms = millis,
            request_id,
            "{client} - \"{method} {path} {version}\" {}",
            self.status.as_u16(),
        );
    }
}

/// The access log as one connection sees it: the server's log, and the
/// text of the connection's client.
pub(crate) struct ConnectionLog {
    sink: Arc<AccessSink>,
    client: ClientLabel,
}

impl ConnectionLog {
    /// What a request's line needs, read from its head, boxed for its
    /// response future; `None` for a request that is not logged.
    pub(crate) fn pending<B>(&self, request: &http::Request<B>) -> Option<Pending> {
        let started = self.sink.started(request, self.client)?;
        let mut pending = SPARE
            .try_with(Cell::take)
            .ok()
            .flatten()
            .unwrap_or_else(|| Box::new(None));
        *pending = Some((self.sink.clone(), started));
        Some(pending)
    }
}

/// What a logged request's line waits for, with the log that writes it.
///
/// Boxed, so that a server without the log moves a response future one
/// pointer larger, not the whole line's worth; the box is reused by the
/// thread's next logged request ([`SPARE`]).
pub(crate) type Pending = Box<Option<(Arc<AccessSink>, Started)>>;

thread_local! {
    /// The box of the last request logged on this thread, empty, for the
    /// next one: an allocation and a free fewer per request.
    static SPARE: Cell<Option<Pending>> = const { Cell::new(None) };
}

/// A response future whose answer is logged when its head is ready.
pub(crate) struct Logged<F> {
    future: F,
    pending: Option<Pending>,
}

impl<F> Logged<F> {
    /// `future`, logged when a line was started for it.
    pub(crate) fn new(future: F, pending: Option<Pending>) -> Logged<F> {
        Logged { future, pending }
    }
}

impl<F, B, E> Future for Logged<F>
where
    F: Future<Output = Result<http::Response<B>, E>> + Unpin,
{
    type Output = F::Output;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        if this.pending.is_none() {
            // Not logged: the answer goes straight through, not copied.
            return Pin::new(&mut this.future).poll(cx);
        }
        let answer = std::task::ready!(Pin::new(&mut this.future).poll(cx));
        if let (Ok(response), Some(mut pending)) = (&answer, this.pending.take()) {
            if let Some((sink, started)) = pending.take() {
                sink.answered(started, response);
            }
            // During the thread's teardown the box is simply freed.
            let _ = SPARE.try_with(|spare| spare.set(Some(pending)));
        }
        Poll::Ready(answer)
    }
}

/// The client's address as uvicorn writes it, `-` when unknown.
struct Client(Option<SocketAddr>);

impl fmt::Display for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(peer) => write!(f, "{}:{}", peer.ip(), peer.port()),
            None => f.write_str("-"),
        }
    }
}

/// The client's address as written in a line: `ip:port` (an IPv6 address
/// without brackets, as uvicorn writes it), `-` when unknown. Written once
/// per connection: under load, connections take turns and nearly every
/// line's client differs from the one before, and writing it for each
/// line cost about 330 instructions.
#[derive(Clone, Copy)]
struct ClientLabel {
    len: u8,
    bytes: [u8; ClientLabel::CAPACITY],
}

impl ClientLabel {
    /// The longest text: an IPv6 address in eight groups of four hex
    /// digits (39), a colon and a port (6).
    const CAPACITY: usize = 45;

    fn of(peer: Option<SocketAddr>) -> ClientLabel {
        let mut label = ClientLabel {
            len: 0,
            bytes: [0; ClientLabel::CAPACITY],
        };
        match peer {
            // Digit by digit: through `Display`, about 1,000 instructions
            // more, paid by every request of a connection that makes one.
            Some(SocketAddr::V4(v4)) => {
                let mut at = 0;
                for (i, octet) in v4.ip().octets().into_iter().enumerate() {
                    if i > 0 {
                        label.bytes[at] = b'.';
                        at += 1;
                    }
                    at = put_number(u32::from(octet), &mut label.bytes, at);
                }
                label.bytes[at] = b':';
                at = put_number(u32::from(v4.port()), &mut label.bytes, at + 1);
                label.len = at as u8;
            }
            _ => {
                use std::fmt::Write as _;
                // No address makes longer text; it would be cut.
                let _ = write!(label, "{}", Client(peer));
            }
        }
        label
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    fn as_str(&self) -> &str {
        // Written whole from `str`s: valid UTF-8.
        std::str::from_utf8(self.as_bytes()).unwrap_or("-")
    }
}

impl fmt::Write for ClientLabel {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let at = usize::from(self.len);
        let end = at + text.len();
        if end > ClientLabel::CAPACITY {
            return Err(fmt::Error);
        }
        self.bytes[at..end].copy_from_slice(text.as_bytes());
        self.len = end as u8;
        Ok(())
    }
}

/// Writes `n` (below 100,000) in decimal at `at`; returns the end.
fn put_number(n: u32, text: &mut [u8], at: usize) -> usize {
    let digits = match n {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        1000..=9999 => 4,
        _ => 5,
    };
    let mut rest = n;
    for place in (at..at + digits).rev() {
        text[place] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    at + digits
}

/// Milliseconds with two decimals (`0.41`, `12.05`).
fn write_millis(took: Duration, out: &mut Vec<u8>) {
    // In 64 bits: a `u128` division costs a call.
    let whole = took.as_secs().saturating_mul(1000) + u64::from(took.subsec_millis());
    let rest = (took.subsec_micros() % 1000 / 10) as u8;
    if whole < 100_000 {
        let mut text = [0u8; 8];
        let at = put_number(whole as u32, &mut text, 0);
        out.extend_from_slice(&text[..at]);
    } else {
        let _ = write!(out, "{whole}");
    }
    out.extend_from_slice(&[b'.', b'0' + rest / 10, b'0' + rest % 10]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(peer: &str, target: &str, status: u16, micros: u64) -> Entry {
        Entry {
            started: Started {
                at: Stamp::At(std::time::Instant::now()),
                method: Method::GET,
                target: Target::new(target),
                version: Version::HTTP_11,
                client: ClientLabel::of(peer.parse().ok()),
            },
            status: StatusCode::from_u16(status).expect("a status"),
            answered: Stamp::At(std::time::Instant::now()),
            id: None,
        }
        .taking(micros)
    }

    impl Entry {
        /// The same entry, answered `micros` after it started.
        fn taking(mut self, micros: u64) -> Entry {
            if let Stamp::At(at) = self.started.at {
                self.answered = Stamp::At(at + Duration::from_micros(micros));
            }
            self
        }
    }

    fn scale() -> Scale {
        Clock::new().scale()
    }

    fn plain(entry: Entry, out: &mut Vec<u8>) {
        entry.plain(scale(), out);
    }

    #[test]
    fn the_plain_line_is_uvicorns_with_the_time_taken() {
        let mut out = Vec::new();
        plain(entry("127.0.0.1:51234", "/items/5?q=x", 200, 412), &mut out);
        plain(entry("[::1]:8000", "/missing", 404, 12_050), &mut out);
        plain(entry("-", "/", 500, 7), &mut out);
        plain(entry("10.20.255.0:9", "/", 200, 123_456_789), &mut out);
        assert_eq!(
            String::from_utf8(out).expect("text"),
            "INFO:     127.0.0.1:51234 - \"GET /items/5?q=x HTTP/1.1\" 200 OK 0.41ms\n\
             INFO:     ::1:8000 - \"GET /missing HTTP/1.1\" 404 Not Found 12.05ms\n\
             INFO:     - - \"GET / HTTP/1.1\" 500 Internal Server Error 0.00ms\n\
             INFO:     10.20.255.0:9 - \"GET / HTTP/1.1\" 200 OK 123456.78ms\n"
        );
    }

    #[test]
    fn the_request_id_ends_the_line() {
        let mut e = entry("127.0.0.1:5", "/", 200, 10);
        e.id = Some(http::HeaderValue::from_static("abc-1"));
        let mut out = Vec::new();
        e.plain(scale(), &mut out);
        assert_eq!(
            String::from_utf8(out).expect("text"),
            "INFO:     127.0.0.1:5 - \"GET / HTTP/1.1\" 200 OK 0.01ms [abc-1]\n"
        );
        let mut out = Vec::new();
        e.json(scale(), &mut out);
        let line: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
        assert_eq!(line["request_id"], "abc-1");
    }

    #[test]
    fn the_client_is_written_as_display_writes_it() {
        for peer in [
            "127.0.0.1:51234",
            "0.0.0.0:0",
            "255.255.255.255:65535",
            "10.20.255.0:9",
            "[::1]:8000",
            "[2001:db8::7]:443",
            "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535",
            "[::ffff:255.255.255.255]:65535",
            "-",
        ] {
            let peer: Option<SocketAddr> = peer.parse().ok();
            let want = Client(peer).to_string();
            assert_eq!(ClientLabel::of(peer).as_str(), want);
        }
    }

    #[test]
    fn a_long_target_is_kept_whole() {
        let long = format!("/{}", "a".repeat(300));
        let mut out = Vec::new();
        plain(entry("127.0.0.1:1", &long, 200, 0), &mut out);
        assert!(String::from_utf8(out).expect("text").contains(&long));
    }

    #[test]
    fn the_json_line_is_one_object() {
        let mut out = Vec::new();
        let e = entry("10.0.0.7:40000", "/a\"b", 201, 1_500_000);
        e.json(scale(), &mut out);
        let line: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
        assert_eq!(
            line,
            serde_json::json!({
                "client": "10.0.0.7:40000",
                "method": "GET",
                "path": "/a\"b",
                "http_version": "HTTP/1.1",
                "status": 201,
                "duration_ms": 1500.0
            })
        );
        assert!(out.ends_with(b"}\n"));
    }
}
