//! A connection's timeouts, kept with one timer per connection and a few
//! counters instead of a timer per request: the HTTP/1 header-read
//! timeout and the idle timeout.
//!
//! The connection counts what happens on it ([`Activity`]): request heads
//! received (hyper calls the app), responses done with (hyper drops their
//! body, see [`CountedResponse`]), and writes to the socket. The
//! [`ConnectionClock`], polled in the connection's own task, reads the
//! counts a few times per timeout period:
//!
//! - **Header-read timeout** (HTTP/1 only). While every request received
//!   has been answered, the connection is waiting for a head. When it has
//!   waited a whole timeout with no head arriving and nothing written, the
//!   clock ends the connection, as hyper's own timeout does (closed, no
//!   answer). The counts are read four times per timeout, so the
//!   connection is closed between one and one and a quarter timeouts after
//!   it began waiting, never sooner. A write counts as progress, so a slow
//!   client still downloading the last response is not cut; bytes read do
//!   not, so a client sending a head a byte at a time is.
//! - **Idle timeout**. No request head for a whole period (read once per
//!   period, so between one and two periods after the last request): the
//!   connection is told to finish gracefully (HTTP/2's GOAWAY, the end of
//!   HTTP/1's keep-alive).
//!
//! hyper's own header-read timeout asks its timer for a sleep for every
//! request head and loops once more through the connection after every
//! response to start the next one: about 950 instructions per request on
//! a keep-alive connection. Here a request costs three counts (a load and a
//! store each) and an `Arc` clone.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::body::{Body, BoxError};
use crate::response::Response;

/// What happens on one connection, counted by the connection's socket and
/// service and read by its [`ConnectionClock`].
#[derive(Debug, Default)]
pub(crate) struct Activity {
    /// Request heads received.
    heads: AtomicU64,
    /// Responses done with; never more than `heads`.
    responses: AtomicU64,
    /// Writes to the socket.
    writes: AtomicU64,
    /// The connection speaks HTTP/2, which has no header-read timeout.
    http2: AtomicBool,
}

impl Activity {
    /// A request head has arrived.
    pub(crate) fn head_received(&self) {
        bump(&self.heads);
    }

    /// Bytes were written to the socket.
    pub(crate) fn wrote(&self) {
        bump(&self.writes);
    }

    /// The connection was found to speak HTTP/2.
    pub(crate) fn speaks_http2(&self) {
        self.http2.store(true, Ordering::Relaxed);
    }

    /// The response `future` of a request on this connection, counted as
    /// done when hyper drops its body (or the future, if it never
    /// answered).
    pub(crate) fn count_response<F>(self: &Arc<Self>, future: F) -> CountedResponse<F> {
        CountedResponse {
            future,
            activity: Some(self.clone()),
        }
    }

    fn response_done(&self) {
        bump(&self.responses);
    }
}

/// Adds one to a count that only the connection's task changes (hyper
/// calls the service, writes to the socket and, on HTTP/1, drops response
/// bodies in the task that polls the connection; the clock reads in that
/// same task): a load and a store, no locked read-modify-write on every
/// request. On HTTP/2, stream tasks drop response bodies and may lose a
/// count to a race; HTTP/2 has no header-read timeout, and the idle
/// timeout counts heads only.
fn bump(count: &AtomicU64) {
    count.store(
        count.load(Ordering::Relaxed).wrapping_add(1),
        Ordering::Relaxed,
    );
}

/// A response future whose response, once hyper is done with it, is
/// counted on its connection's [`Activity`].
pub(crate) struct CountedResponse<F> {
    future: F,
    /// Handed to the body once there is one.
    activity: Option<Arc<Activity>>,
}

impl<F, E> Future for CountedResponse<F>
where
    F: Future<Output = Result<Response, E>> + Unpin,
{
    type Output = Result<http::Response<CountedBody>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let response = std::task::ready!(Pin::new(&mut this.future).poll(cx))?;
        let activity = this
            .activity
            .take()
            .expect("a response future is not polled after it has answered");
        Poll::Ready(Ok(response.map(|body| CountedBody { body, activity })))
    }
}

impl<F> Drop for CountedResponse<F> {
    fn drop(&mut self) {
        // Dropped before answering (the connection ended, the HTTP/2
        // stream was reset): no response will come.
        if let Some(activity) = &self.activity {
            activity.response_done();
        }
    }
}

/// A response body that counts its response as done on its connection
/// when hyper drops it: it has been written (or the connection ended).
pub(crate) struct CountedBody {
    body: Body,
    activity: Arc<Activity>,
}

impl http_body::Body for CountedBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

impl Drop for CountedBody {
    fn drop(&mut self) {
        self.activity.response_done();
    }
}

/// What a [`ConnectionClock`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Alarm {
    /// No request head for a whole idle period: the connection should
    /// finish gracefully. Reported once.
    Idle,
    /// An HTTP/1 connection waited a whole header-read timeout for a head
    /// with nothing written: end it.
    HeadTimedOut,
}

/// The one tokio timer of a connection, polled in the connection's task
/// beside the connection, and what it checks when it fires (see the module
/// docs). Between firings a poll costs one check of the timer: it is
/// polled (and given the task's waker) only after it was reset or has
/// elapsed.
pub(crate) struct ConnectionClock {
    activity: Arc<Activity>,
    timer: Pin<Box<tokio::time::Sleep>>,
    /// The timer holds the task's waker for its current deadline.
    registered: bool,
    idle: IdleCheck,
    header: Option<HeaderCheck>,
}

/// The idle timeout: no request head for a whole period.
struct IdleCheck {
    period: Duration,
    next: Instant,
    /// Heads counted at the last check.
    seen: u64,
    reported: bool,
}

/// The header-read timeout.
struct HeaderCheck {
    timeout: Duration,
    /// How often the counts are read: a quarter of the timeout.
    period: Duration,
    next: Instant,
    /// Heads and writes counted at the last check.
    seen: (u64, u64),
    /// Since when (at the latest) the connection has been waiting for a
    /// head with no head arriving and nothing written.
    waiting_since: Option<Instant>,
}

/// The shortest period between checks, so that a zero timeout cannot make
/// the clock fire in a loop.
const MIN_PERIOD: Duration = Duration::from_millis(1);

impl ConnectionClock {
    /// The clock of a connection whose counts are `activity`: idle after
    /// `idle_timeout` without a request head, and, with a
    /// `header_timeout`, ended when it waits that long for an HTTP/1
    /// request head.
    pub(crate) fn new(
        activity: Arc<Activity>,
        idle_timeout: Duration,
        header_timeout: Option<Duration>,
    ) -> Self {
        let start = now();
        let idle_period = idle_timeout.max(MIN_PERIOD);
        let idle = IdleCheck {
            period: idle_period,
            next: after(start, idle_period),
            seen: 0,
            reported: false,
        };
        // A new connection waits for its first head.
        let header = header_timeout.map(|timeout| {
            let period = (timeout / 4).max(MIN_PERIOD);
            HeaderCheck {
                timeout,
                period,
                next: after(start, period),
                seen: (0, 0),
                waiting_since: Some(start),
            }
        });
        let mut clock = ConnectionClock {
            activity,
            timer: Box::pin(tokio::time::sleep_until(tokio::time::Instant::from_std(
                start,
            ))),
            registered: false,
            idle,
            header,
        };
        clock.arm();
        clock
    }

    /// Ready with an [`Alarm`] when the connection has been idle for the
    /// idle timeout (once) or has waited too long for a head. Keep polling
    /// it after `Idle`.
    pub(crate) fn poll_alarm(&mut self, cx: &mut Context<'_>) -> Poll<Alarm> {
        let mut idle = false;
        loop {
            if self.registered && !self.timer.is_elapsed() {
                break;
            }
            if self.timer.as_mut().poll(cx).is_pending() {
                self.registered = true;
                break;
            }
            let now = now();
            if self.head_timed_out(now) {
                return Poll::Ready(Alarm::HeadTimedOut);
            }
            idle |= self.found_idle(now);
            self.arm();
        }
        if idle {
            Poll::Ready(Alarm::Idle)
        } else {
            Poll::Pending
        }
    }

    /// The header-read check, if due at `now`: true when the connection
    /// has waited a whole timeout for a head with nothing moving.
    fn head_timed_out(&mut self, now: Instant) -> bool {
        let Some(header) = &mut self.header else {
            return false;
        };
        if header.next > now {
            return false;
        }
        let activity = &self.activity;
        // Responses before heads: a response never outnumbers its head, so
        // equal counts read in this order mean that at the first read no
        // request was in flight.
        let responses = activity.responses.load(Ordering::Relaxed);
        let heads = activity.heads.load(Ordering::Relaxed);
        let writes = activity.writes.load(Ordering::Relaxed);
        let waiting = heads == responses && !activity.http2.load(Ordering::Relaxed);
        let unchanged = (heads, writes) == header.seen;
        header.seen = (heads, writes);
        header.waiting_since = match header.waiting_since {
            // Waiting at the last check and nothing since: waiting all along.
            Some(since) if waiting && unchanged => {
                if after(since, header.timeout) <= now {
                    return true;
                }
                Some(since)
            }
            // Waiting from some moment since the last check, at the latest now.
            _ if waiting => Some(now),
            _ => None,
        };
        let next_check = after(now, header.period);
        header.next = match header.waiting_since {
            Some(since) => next_check.min(after(since, header.timeout)),
            None => next_check,
        };
        false
    }

    /// The idle check, if due at `now`: true when the connection has just
    /// been found idle.
    fn found_idle(&mut self, now: Instant) -> bool {
        if self.idle.next > now {
            return false;
        }
        let heads = self.activity.heads.load(Ordering::Relaxed);
        let idle = heads == self.idle.seen && !self.idle.reported;
        self.idle.reported |= idle;
        self.idle.seen = heads;
        self.idle.next = after(now, self.idle.period);
        idle
    }

    /// Sets the timer to the earliest check due.
    fn arm(&mut self) {
        let next = match &self.header {
            Some(header) => header.next.min(self.idle.next),
            None => self.idle.next,
        };
        self.timer
            .as_mut()
            .reset(tokio::time::Instant::from_std(next));
        self.registered = false;
    }
}

/// `duration` after `instant`; a duration too long to add (`Duration::MAX`
/// for "never") is a century.
fn after(instant: Instant, duration: Duration) -> Instant {
    instant
        .checked_add(duration)
        .unwrap_or_else(|| instant + Duration::from_secs(100 * 365 * 24 * 3600))
}

/// The current instant on tokio's clock (which tests can pause and
/// advance; otherwise the system's monotonic clock).
fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock with a header-read timeout of `timeout` (and an idle timeout
    /// long enough not to matter), and the counts it reads.
    fn header_clock(timeout: Duration) -> (ConnectionClock, Arc<Activity>) {
        let activity = Arc::new(Activity::default());
        let clock =
            ConnectionClock::new(activity.clone(), Duration::from_secs(3600), Some(timeout));
        (clock, activity)
    }

    /// What the clock says now, without waiting.
    async fn alarm_now(clock: &mut ConnectionClock) -> Option<Alarm> {
        std::future::poll_fn(|cx| match clock.poll_alarm(cx) {
            Poll::Ready(alarm) => Poll::Ready(Some(alarm)),
            Poll::Pending => Poll::Ready(None),
        })
        .await
    }

    /// Waits for the clock's alarm; returns it and how long it took.
    async fn wait_for_alarm(clock: &mut ConnectionClock) -> (Alarm, Duration) {
        let started = tokio::time::Instant::now();
        let alarm = std::future::poll_fn(|cx| clock.poll_alarm(cx)).await;
        (alarm, started.elapsed())
    }

    /// One request answered: its head, a write, its body dropped.
    fn one_request(activity: &Activity) {
        activity.head_received();
        activity.wrote();
        activity.response_done();
    }

    fn assert_between(waited: Duration, low: Duration, high: Duration) {
        assert!(
            waited >= low && waited <= high,
            "after {waited:?}, not within {low:?}..={high:?}"
        );
    }

    /// Waits for the clock and checks that it ends the connection between
    /// one and 1.25 header timeouts from now.
    async fn assert_cut_after(clock: &mut ConnectionClock, timeout: Duration) {
        let (alarm, waited) = wait_for_alarm(clock).await;
        assert_eq!(alarm, Alarm::HeadTimedOut);
        assert_between(waited, timeout, timeout * 5 / 4);
    }

    #[tokio::test(start_paused = true)]
    async fn a_new_connection_that_sends_no_head_is_ended_after_the_timeout() {
        let (mut clock, _activity) = header_clock(Duration::from_secs(30));
        assert_cut_after(&mut clock, Duration::from_secs(30)).await;
    }

    #[tokio::test(start_paused = true)]
    async fn the_wait_for_the_next_head_starts_when_the_last_response_is_done() {
        let (mut clock, activity) = header_clock(Duration::from_secs(30));
        // A request whose answer takes 100 s: in flight, never cut.
        tokio::time::advance(Duration::from_secs(5)).await;
        activity.head_received();
        for _ in 0..100 {
            tokio::time::advance(Duration::from_secs(1)).await;
            assert_eq!(alarm_now(&mut clock).await, None, "cut while answering");
        }
        activity.wrote();
        activity.response_done();
        assert_cut_after(&mut clock, Duration::from_secs(30)).await;
    }

    #[tokio::test(start_paused = true)]
    async fn heads_that_arrive_in_time_are_never_cut() {
        let (mut clock, activity) = header_clock(Duration::from_secs(5));
        // A request every 4.9 s for two minutes.
        for _ in 0..25 {
            tokio::time::advance(Duration::from_millis(4_900)).await;
            assert_eq!(alarm_now(&mut clock).await, None);
            one_request(&activity);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_client_still_downloading_the_last_response_is_not_cut() {
        let (mut clock, activity) = header_clock(Duration::from_secs(10));
        one_request(&activity);
        // hyper is done with the body but still flushing it to a slow
        // reader: a write every 5 s for a minute.
        for _ in 0..12 {
            tokio::time::advance(Duration::from_secs(5)).await;
            assert_eq!(alarm_now(&mut clock).await, None, "cut while writing");
            activity.wrote();
        }
        assert_cut_after(&mut clock, Duration::from_secs(10)).await;
    }

    #[tokio::test(start_paused = true)]
    async fn http2_has_no_header_read_timeout() {
        let (mut clock, activity) = header_clock(Duration::from_secs(5));
        activity.speaks_http2();
        tokio::time::advance(Duration::from_secs(60)).await;
        assert_eq!(alarm_now(&mut clock).await, None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_zero_header_timeout_ends_a_waiting_connection_at_once() {
        let (mut clock, _activity) = header_clock(Duration::ZERO);
        let (alarm, waited) = wait_for_alarm(&mut clock).await;
        assert_eq!(alarm, Alarm::HeadTimedOut);
        assert!(waited <= Duration::from_millis(2), "after {waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_timeout_of_duration_max_means_never() {
        let mut clock = ConnectionClock::new(Arc::new(Activity::default()), Duration::MAX, None);
        tokio::time::advance(Duration::from_secs(10 * 365 * 24 * 3600)).await;
        assert_eq!(alarm_now(&mut clock).await, None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_without_requests_for_a_period_is_idle() {
        let activity = Arc::new(Activity::default());
        let mut clock = ConnectionClock::new(activity.clone(), Duration::from_secs(10), None);
        let started = tokio::time::Instant::now();
        // A request every 6 s for a minute: never idle.
        for _ in 0..10 {
            tokio::time::advance(Duration::from_secs(6)).await;
            one_request(&activity);
            assert_eq!(alarm_now(&mut clock).await, None, "idle while in use");
        }
        // Then none: idle within two periods, and reported once.
        let (alarm, _) = wait_for_alarm(&mut clock).await;
        assert_eq!(alarm, Alarm::Idle);
        let quiet = started.elapsed() - Duration::from_secs(60);
        assert_between(quiet, Duration::from_secs(10), Duration::from_secs(20));
        tokio::time::advance(Duration::from_secs(60)).await;
        assert_eq!(alarm_now(&mut clock).await, None, "idle reported twice");
    }

    #[tokio::test]
    async fn a_response_counts_as_done_when_its_body_is_dropped_or_it_never_answers() {
        let activity = Arc::new(Activity::default());
        let answered = activity.count_response(std::future::ready(Ok::<_, ()>(
            crate::response::IntoResponse::into_response("hello"),
        )));
        let response = answered.await.expect("answered");
        assert_eq!(activity.responses.load(Ordering::Relaxed), 0);
        drop(response);
        assert_eq!(activity.responses.load(Ordering::Relaxed), 1);
        let abandoned = activity.count_response(std::future::pending::<Result<Response, ()>>());
        drop(abandoned);
        assert_eq!(activity.responses.load(Ordering::Relaxed), 2);
    }
}
