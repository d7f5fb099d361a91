//! OpenTelemetry traces (feature `opentelemetry`): [`App::traces`](crate::App::traces)
//! gives every request a server span after OpenTelemetry's HTTP semantic
//! conventions, continuing the W3C `traceparent` the request carries, and
//! a child span for each dependency provider that runs and for the
//! handler; [`from_env`] builds the OTLP exporter the standard `OTEL_*`
//! variables describe.
//!
//! The server span is named `GET /items/{item_id}` (the method and the
//! route's template; the method alone when no route matched) and has
//! `http.request.method`, `http.route` (the template, never the path
//! sent), `url.path`, `url.scheme`, `client.address`,
//! `network.protocol.version`, `user_agent.original` when sent, and, once
//! the answer's head is ready, `http.response.status_code`; a 5xx marks it
//! an error (`error.type` is the status). While the request runs, its
//! context is the current OpenTelemetry [`Context`], so spans an app makes
//! itself (`tracer.start("query")`) are its children too.
//!
//! An app without traces pays nothing on its requests: how requests enter
//! is chosen when the app is built. With the feature compiled in, each
//! provider run and handler call reads one flag.

mod step;

use std::borrow::Cow;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context as TaskContext, Poll};

use http::{Request, Version};
pub use opentelemetry;
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::{
    FutureExt as _, SpanBuilder, SpanKind, Status, TraceContextExt, Tracer,
};
use opentelemetry::{Context, InstrumentationScope, KeyValue};
pub use opentelemetry_otlp;
use opentelemetry_otlp::{ExporterBuildError, Protocol, WithExportConfig as _};
pub use opentelemetry_sdk;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{SdkTracer, SdkTracerProvider};

use crate::response::Response;
pub(crate) use step::Step;

/// The tracer provider the standard variables describe, exporting over
/// OTLP/HTTP, or `None` when they name no endpoint (then the app should
/// not trace: [`App::traces`](crate::App::traces) is not called, and
/// requests pay nothing).
///
/// Read as OpenTelemetry's SDKs read them:
/// - `OTEL_EXPORTER_OTLP_ENDPOINT` (`/v1/traces` is added) or
///   `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as given): where spans go,
///   a collector's HTTP port, `http://localhost:4318` for most;
/// - `OTEL_EXPORTER_OTLP_PROTOCOL` (or `..._TRACES_PROTOCOL`):
///   `http/protobuf` (the default) or `http/json`; `grpc` is refused with
///   a message, as it is not built in;
/// - `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`: the resource;
/// - `OTEL_BSP_SCHEDULE_DELAY` (milliseconds, default 5000) and the other
///   `OTEL_BSP_*`: how spans are batched, in a thread of their own;
/// - `OTEL_EXPORTER_OTLP_HEADERS`, `..._TIMEOUT`, `..._COMPRESSION`;
/// - `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`: no traces;
/// - `OTEL_TRACES_SAMPLER` (default `parentbased_always_on`: a request
///   whose `traceparent` says "not sampled" is not recorded).
///
/// `https://` endpoints need TLS in the HTTP client: add
/// `opentelemetry-otlp = { version = "0.33", features = ["reqwest-rustls"] }`
/// to the app's dependencies.
///
/// ```no_run
/// use fastrs::prelude::*;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let mut app = App::new();
/// if let Some(provider) = fastrs::traces::from_env()? {
///     app = app.traces(provider);
/// }
/// app.serve().await?;
/// # Ok(()) }
/// ```
pub fn from_env() -> Result<Option<SdkTracerProvider>, ExporterBuildError> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if var("OTEL_SDK_DISABLED").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        return Ok(None);
    }
    match var("OTEL_TRACES_EXPORTER").map(|v| v.trim().to_ascii_lowercase()) {
        None => {}
        Some(exporter) if exporter == "otlp" => {}
        Some(exporter) if exporter == "none" => return Ok(None),
        Some(other) => {
            return Err(ExporterBuildError::InvalidConfiguration(format!(
                "OTEL_TRACES_EXPORTER={other}: fastrs exports traces over OTLP (otlp) or not at all (none)"
            )))
        }
    }
    if var("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").is_none()
        && var("OTEL_EXPORTER_OTLP_ENDPOINT").is_none()
    {
        return Ok(None);
    }
    let protocol = var("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
        .or_else(|| var("OTEL_EXPORTER_OTLP_PROTOCOL"))
        .map(|v| v.trim().to_ascii_lowercase());
    let protocol = match protocol.as_deref() {
        None | Some("http/protobuf") => Protocol::HttpBinary,
        Some("http/json") => Protocol::HttpJson,
        Some(other) => {
            return Err(ExporterBuildError::InvalidConfiguration(format!(
                "OTEL_EXPORTER_OTLP_PROTOCOL={other}: fastrs exports over HTTP, \
                 http/protobuf or http/json (a collector's HTTP port is 4318)"
            )))
        }
    };
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(protocol)
        .build()?;
    let resource = opentelemetry_sdk::Resource::builder().build();
    Ok(Some(
        SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(resource)
            .build(),
    ))
}

/// Whether any app of the process traces: the one check a provider run
/// or a handler call makes before looking for its request's span.
static TRACING: AtomicBool = AtomicBool::new(false);

/// An app's traces: where its spans go.
pub(crate) struct Traces {
    tracer: SdkTracer,
    provider: SdkTracerProvider,
    propagator: TraceContextPropagator,
}

/// The tracer, in the context of a traced request, for its child spans.
struct RequestTracer(SdkTracer);

impl Traces {
    pub(crate) fn new(provider: SdkTracerProvider) -> Traces {
        use opentelemetry::trace::TracerProvider as _;
        let scope = InstrumentationScope::builder("fastrs")
            .with_version(env!("CARGO_PKG_VERSION"))
            .build();
        TRACING.store(true, Ordering::Relaxed);
        Traces {
            tracer: provider.tracer_with_scope(scope),
            provider,
            propagator: TraceContextPropagator::new(),
        }
    }

    /// Exports the spans still waiting (the server calls it as it stops;
    /// it blocks until the exporter answers).
    pub(crate) fn flush(&self) {
        if let Err(error) = self.provider.force_flush() {
            crate::log::warning!("traces: the last spans could not be exported: {error}");
        }
    }

    /// Starts the server span of `request` from `peer`, matched to the
    /// route `route` (its template), as a child of the `traceparent` it
    /// carries.
    pub(crate) fn start<B>(
        &self,
        request: &Request<B>,
        peer: Option<SocketAddr>,
        route: Option<&str>,
    ) -> ServerSpan {
        let parent = self.propagator.extract(&Headers(request.headers()));
        let known = crate::semconv::known_method(request.method());
        let method = known.unwrap_or(crate::semconv::OTHER_METHOD);
        let known = known.is_some();
        let name = match route {
            Some(route) if known => {
                let mut name = String::with_capacity(method.len() + 1 + route.len());
                name.push_str(method);
                name.push(' ');
                name.push_str(route);
                Cow::Owned(name)
            }
            _ if known => Cow::Borrowed(method),
            _ => Cow::Borrowed("HTTP"),
        };
        let mut attributes = Vec::with_capacity(9);
        attributes.push(KeyValue::new("http.request.method", method));
        if !known {
            attributes.push(KeyValue::new(
                "http.request.method_original",
                request.method().as_str().to_owned(),
            ));
        }
        if let Some(route) = route {
            attributes.push(KeyValue::new("http.route", route.to_owned()));
        }
        attributes.push(KeyValue::new("url.path", request.uri().path().to_owned()));
        attributes.push(KeyValue::new(
            "url.scheme",
            request.uri().scheme_str().unwrap_or("http").to_owned(),
        ));
        if let Some(peer) = peer {
            attributes.push(KeyValue::new("client.address", address_text(peer.ip())));
        }
        if let Some(version) = protocol_version(request.version()) {
            attributes.push(KeyValue::new("network.protocol.version", version));
        }
        if let Some(agent) = request
            .headers()
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
        {
            attributes.push(KeyValue::new("user_agent.original", agent.to_owned()));
        }
        let span = self.tracer.build_with_context(
            SpanBuilder::from_name(name)
                .with_kind(SpanKind::Server)
                .with_attributes(attributes),
            &parent,
        );
        ServerSpan {
            context: parent
                .with_span(span)
                .with_value(RequestTracer(self.tracer.clone())),
        }
    }
}

/// `ip` as text: an IPv4 address's four numbers written by hand (the
/// `Display` of `IpAddr` costs about 1,400 instructions, most of a span's
/// attributes), any other through `Display`.
fn address_text(ip: std::net::IpAddr) -> String {
    let std::net::IpAddr::V4(v4) = ip else {
        return ip.to_string();
    };
    let mut text = String::with_capacity(15);
    for (i, octet) in v4.octets().into_iter().enumerate() {
        if i > 0 {
            text.push('.');
        }
        if octet >= 100 {
            text.push(char::from(b'0' + octet / 100));
        }
        if octet >= 10 {
            text.push(char::from(b'0' + octet / 10 % 10));
        }
        text.push(char::from(b'0' + octet % 10));
    }
    text
}

fn protocol_version(version: Version) -> Option<&'static str> {
    match version {
        Version::HTTP_10 => Some("1.0"),
        Version::HTTP_11 => Some("1.1"),
        Version::HTTP_2 => Some("2"),
        _ => None,
    }
}

/// A request's headers as the propagator reads them.
struct Headers<'a>(&'a http::HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(http::HeaderName::as_str).collect()
    }
}

/// A request's server span, begun.
pub(crate) struct ServerSpan {
    context: Context,
}

impl ServerSpan {
    /// Makes the span's context current until the guard is dropped (while
    /// the request is routed: an endpoint with nothing to wait for answers
    /// then).
    pub(crate) fn enter(&self) -> opentelemetry::ContextGuard {
        self.context.clone().attach()
    }

    /// `future`, the request's answer, in the span: its context is current
    /// while it is polled, and its answer's status ends the span.
    pub(crate) fn of<F>(self, future: F) -> InServerSpan<F> {
        InServerSpan {
            future,
            context: self.context,
        }
    }
}

/// A response future in its server span.
pub(crate) struct InServerSpan<F> {
    future: F,
    context: Context,
}

impl<F, E> Future for InServerSpan<F>
where
    F: Future<Output = Result<Response, E>> + Unpin,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        let answer = {
            let _current = this.context.clone().attach();
            std::task::ready!(Pin::new(&mut this.future).poll(cx))
        };
        if let Ok(response) = &answer {
            let span = this.context.span();
            let status = response.status();
            span.set_attribute(KeyValue::new(
                "http.response.status_code",
                i64::from(status.as_u16()),
            ));
            if status.is_server_error() {
                span.set_attribute(KeyValue::new("error.type", status.as_str().to_owned()));
                span.set_status(Status::error(""));
            }
            span.end();
        }
        Poll::Ready(answer)
    }
}

/// Whether any app of the process traces: the one check the pipeline
/// makes before it looks for a request's span. When it says no, the
/// provider runs and handler calls are the plain ones, unchanged.
#[inline(always)]
pub(crate) fn on() -> bool {
    TRACING.load(Ordering::Relaxed)
}

/// The context of a child span of the current request's span, named
/// `name()`, or `None` when the request is not traced.
fn child(name: impl FnOnce() -> &'static str, step: Step) -> Option<Context> {
    Context::map_current(|current| {
        let tracer = current.get::<RequestTracer>()?;
        let name = name();
        let step = match step {
            Step::Dependency => "dependency",
            Step::Handler => "handler",
        };
        let span = tracer.0.build_with_context(
            SpanBuilder::from_name(name)
                .with_kind(SpanKind::Internal)
                .with_attributes([
                    KeyValue::new("code.function.name", name),
                    KeyValue::new("fastrs.step", step),
                ]),
            current,
        );
        Some(current.with_span(span))
    })
}

/// `future` (a provider's run, or the handler's) in a child span of its
/// request's, when the request is traced: the span is current while the
/// future is polled, so that what it starts is its child. Called only
/// when [`on`]; boxed, so that the future it is awaited in is no larger
/// for it.
pub(crate) fn step<'a, F>(
    name: impl FnOnce() -> &'static str,
    step: Step,
    future: F,
) -> Pin<Box<dyn Future<Output = F::Output> + Send + 'a>>
where
    F: Future + Send + 'a,
{
    use futures_util::FutureExt as _;
    match child(name, step) {
        None => Box::pin(future),
        Some(context) => Box::pin(future.with_context(context.clone()).map(move |output| {
            context.span().end();
            output
        })),
    }
}

/// `call` (a handler that never waits) in a child span of its request's,
/// when the request is traced. Called only when [`on`].
pub(crate) fn around<T>(
    name: impl FnOnce() -> &'static str,
    step: Step,
    call: impl FnOnce() -> T,
) -> T {
    match child(name, step) {
        None => call(),
        Some(context) => {
            let output = {
                let _current = context.clone().attach();
                call()
            };
            context.span().end();
            output
        }
    }
}

/// `call`, sent to the blocking pool, with the current request's context
/// (when it is traced), so that the spans it starts are the handler's
/// children.
pub(crate) fn carried<R>(call: impl FnOnce() -> R) -> impl FnOnce() -> R {
    let context = on()
        .then(Context::current)
        .filter(|cx| cx.get::<RequestTracer>().is_some());
    move || {
        let _current = context.map(Context::attach);
        call()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_written_as_display_writes_them() {
        for ip in [
            "0.0.0.0",
            "127.0.0.1",
            "10.20.100.255",
            "192.168.1.9",
            "::1",
            "fe80::1",
        ] {
            let ip: std::net::IpAddr = ip.parse().unwrap();
            assert_eq!(address_text(ip), ip.to_string());
        }
        for n in 0..=255u8 {
            let ip = std::net::IpAddr::from([n, 0, n, 255 - n]);
            assert_eq!(address_text(ip), ip.to_string());
        }
    }
}
