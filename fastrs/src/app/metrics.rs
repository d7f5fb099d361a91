//! Prometheus metrics ([`App::metrics`](crate::App::metrics), feature
//! `metrics`): what an app's requests took, how many are in flight, and how
//! many WebSocket sessions are open, at a path of the app's choosing, in
//! the OpenMetrics text Prometheus scrapes, through `prometheus-client`.
//!
//! Requests are labelled as OpenTelemetry's HTTP conventions name them:
//! `http_request_method`, `http_route` (the route's template,
//! `/items/{item_id}`, never the path sent, so that the series stay few;
//! empty when no route matched) and `http_response_status_code`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
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
    websockets: Gauge,
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
        let websockets = Gauge::default();
        registry.register(
            "websocket_sessions_active",
            "WebSocket sessions open",
            websockets.clone(),
        );
        Metrics {
            registry,
            durations,
            in_flight,
            websockets,
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
        let labels: RouteLabels = [
            ("http_request_method", method.as_str().to_owned()),
            ("http_route", route.unwrap_or_default().to_owned()),
        ];
        self.in_flight.get_or_create(&labels).inc();
        Measuring {
            metrics: self.clone(),
            labels: Some(labels),
            started: Instant::now(),
        }
    }

    /// The gauge of open WebSocket sessions (the sessions count
    /// themselves on it).
    pub(crate) fn websockets(&self) -> Gauge {
        self.websockets.clone()
    }

    fn done(&self, labels: RouteLabels, status: Option<StatusCode>, seconds: f64) {
        self.in_flight.get_or_create(&labels).dec();
        if let Some(status) = status {
            let [method, route] = labels;
            let answer: AnswerLabels = [
                method,
                route,
                ("http_response_status_code", status.as_str().to_owned()),
            ];
            self.durations.get_or_create(&answer).observe(seconds);
        }
    }
}

/// A request being measured.
pub(crate) struct Measuring {
    metrics: Arc<Metrics>,
    /// Taken when the request is counted out.
    labels: Option<RouteLabels>,
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
        if let Some(labels) = self.labels.take() {
            self.metrics.done(labels, None, 0.0);
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
        if let (Some(labels), Ok(response)) = (measuring.labels.take(), &answer) {
            let seconds = measuring.started.elapsed().as_secs_f64();
            measuring
                .metrics
                .done(labels, Some(response.status()), seconds);
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
