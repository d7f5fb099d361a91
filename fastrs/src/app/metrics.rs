//! Prometheus metrics ([`App::metrics`](crate::App::metrics), feature
//! `metrics`): what an app's requests took, how many are in flight, and how
//! many WebSocket sessions are open, at a path of the app's choosing, in
//! the OpenMetrics text Prometheus scrapes, through `prometheus-client`.
//!
//! Requests are labelled as OpenTelemetry's HTTP conventions name them:
//! `http_request_method`, `http_route` (the route's template,
//! `/items/{item_id}`, never the path sent, so that the series stay few;
//! empty when no route matched) and `http_response_status_code`.

use std::collections::HashMap;
use std::future::Future;
use std::hash::{BuildHasherDefault, Hasher};
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use http::{HeaderValue, Method, StatusCode};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use super::Route;
use crate::decl::EndpointInfo;
use crate::extract::RequestContext;
use crate::pipeline::{Endpoint, Inherited, ResponseFuture};
use crate::response::{with_content_type, Response};

/// A request's labels: method and route; the status is added once known.
type RouteLabels = [(&'static str, String); 2];
type AnswerLabels = [(&'static str, String); 3];

/// OpenTelemetry's advice for `http.server.request.duration`, in seconds.
const BUCKETS: [f64; 14] = [
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];

fn histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

/// The app's metrics.
pub(crate) struct Metrics {
    registry: Registry,
    durations: Family<AnswerLabels, Histogram, fn() -> Histogram>,
    in_flight: Family<RouteLabels, Gauge>,
    /// Open WebSocket sessions: a series only where WebSockets are
    /// compiled in (the feature `websockets`).
    #[cfg(feature = "websockets")]
    websockets: Gauge,
    /// Each route's series, found in the families once and kept, by
    /// route template then method: counting a request is then one lookup
    /// of a short template and atomic operations, where the families hash
    /// every label string three times per request.
    series: RwLock<SeriesMap>,
}

/// Route template to its series, one per method seen.
type SeriesMap = HashMap<Box<str>, Vec<Arc<RouteSeries>>, BuildHasherDefault<Fnv>>;

/// One route's series for one method: its gauge of requests in flight and
/// its duration histogram for each status answered so far (shared with
/// the registry's families, which the page reads).
struct RouteSeries {
    method: &'static str,
    labels: RouteLabels,
    in_flight: Gauge,
    by_status: RwLock<Vec<(StatusCode, Histogram)>>,
}

/// FNV-1a: the series map's keys are the app's route templates, not
/// anything a client chooses, so a fast hash that is not keyed is enough.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Metrics {
    pub(crate) fn new() -> Metrics {
        let mut registry = Registry::default();
        let durations = Family::<AnswerLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            histogram as fn() -> Histogram,
        );
        registry.register(
            "http_server_request_duration_seconds",
            "Duration of HTTP server requests, to the answer's head",
            durations.clone(),
        );
        let in_flight = Family::<RouteLabels, Gauge>::default();
        registry.register(
            "http_server_active_requests",
            "HTTP server requests in flight",
            in_flight.clone(),
        );
        #[cfg(feature = "websockets")]
        let websockets = Gauge::default();
        #[cfg(feature = "websockets")]
        registry.register(
            "websocket_sessions_active",
            "WebSocket sessions open",
            websockets.clone(),
        );
        Metrics {
            registry,
            durations,
            in_flight,
            #[cfg(feature = "websockets")]
            websockets,
            series: RwLock::default(),
        }
    }

    /// The metrics as OpenMetrics text.
    fn text(&self) -> String {
        let mut text = String::new();
        // Writing to a `String` does not fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }

    /// Counts a request of `method` on `route` in flight, from now (before
    /// it is routed: an endpoint with nothing to wait for answers then)
    /// until the future [`Measuring::of`] makes answers or is dropped, and
    /// then records its duration.
    pub(crate) fn start(self: &Arc<Self>, method: &Method, route: Option<&str>) -> Measuring {
        let method = crate::semconv::known_method(method).unwrap_or(crate::semconv::OTHER_METHOD);
        let series = self.series_of(method, route.unwrap_or_default());
        series.in_flight.inc();
        Measuring {
            metrics: self.clone(),
            series: Some(series),
            started: Instant::now(),
        }
    }

    /// The series of `method` on `route`: found in the map, or made once.
    fn series_of(&self, method: &'static str, route: &str) -> Arc<RouteSeries> {
        let found = |map: &SeriesMap| {
            map.get(route)
                .and_then(|by_method| by_method.iter().find(|s| s.method == method).cloned())
        };
        if let Some(series) = found(&self.series.read().unwrap_or_else(|p| p.into_inner())) {
            return series;
        }
        let mut map = self.series.write().unwrap_or_else(|p| p.into_inner());
        if let Some(series) = found(&map) {
            return series;
        }
        let labels: RouteLabels = [
            ("http_request_method", method.to_owned()),
            ("http_route", route.to_owned()),
        ];
        let series = Arc::new(RouteSeries {
            method,
            in_flight: self.in_flight.get_or_create(&labels).clone(),
            labels,
            by_status: RwLock::default(),
        });
        map.entry(route.into()).or_default().push(series.clone());
        series
    }

    /// The gauge of open WebSocket sessions (the sessions count
    /// themselves on it).
    #[cfg(feature = "websockets")]
    pub(crate) fn websockets(&self) -> Gauge {
        self.websockets.clone()
    }

    fn done(&self, series: &RouteSeries, status: Option<StatusCode>, seconds: f64) {
        series.in_flight.dec();
        let Some(status) = status else {
            return;
        };
        let found = |by_status: &Vec<(StatusCode, Histogram)>| {
            by_status
                .iter()
                .find(|(s, _)| *s == status)
                .map(|(_, histogram)| histogram.clone())
        };
        let known = found(&series.by_status.read().unwrap_or_else(|p| p.into_inner()));
        let histogram = known.unwrap_or_else(|| {
            let mut by_status = series.by_status.write().unwrap_or_else(|p| p.into_inner());
            found(&by_status).unwrap_or_else(|| {
                let [method, route] = series.labels.clone();
                let answer: AnswerLabels = [
                    method,
                    route,
                    ("http_response_status_code", status.as_str().to_owned()),
                ];
                let histogram = self.durations.get_or_create(&answer).clone();
                by_status.push((status, histogram.clone()));
                histogram
            })
        });
        histogram.observe(seconds);
    }
}

/// A request being measured.
pub(crate) struct Measuring {
    metrics: Arc<Metrics>,
    /// Taken when the request is counted out.
    series: Option<Arc<RouteSeries>>,
    started: Instant,
}

impl Measuring {
    /// `future`, the request's answer, measured.
    pub(crate) fn of<F>(self, future: F) -> Metered<F> {
        Metered {
            future,
            measuring: self,
        }
    }
}

impl Drop for Measuring {
    fn drop(&mut self) {
        // Dropped unanswered (the client left): out of flight, no duration.
        if let Some(series) = self.series.take() {
            self.metrics.done(&series, None, 0.0);
        }
    }
}

/// A response future that is measured.
pub(crate) struct Metered<F> {
    future: F,
    measuring: Measuring,
}

impl<F, E> Future for Metered<F>
where
    F: Future<Output = Result<Response, E>> + Unpin,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        let answer = std::task::ready!(Pin::new(&mut this.future).poll(cx));
        let measuring = &mut this.measuring;
        if let (Some(series), Ok(response)) = (measuring.series.take(), &answer) {
            let seconds = measuring.started.elapsed().as_secs_f64();
            measuring
                .metrics
                .done(&series, Some(response.status()), seconds);
        }
        Poll::Ready(answer)
    }
}

/// The metrics page as a route (left out of the OpenAPI document).
pub(crate) struct MetricsEndpoint(pub(crate) Arc<Metrics>);

impl Endpoint for MetricsEndpoint {
    fn info(&self) -> EndpointInfo {
        super::docs::undocumented_page()
    }

    fn handle(&self, _: RequestContext, _: Inherited) -> ResponseFuture {
        let text = self.0.text();
        Box::pin(async move {
            with_content_type(
                StatusCode::OK,
                HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
                Bytes::from(text),
            )
        })
    }
}

/// The route of the metrics page.
pub(crate) fn route(metrics: Arc<Metrics>) -> Route {
    Route {
        endpoint: Arc::new(MetricsEndpoint(metrics)),
        routers: None,
        at_once: None,
    }
}
