//! A connection's timeouts, kept with a few counters and one clock thread
//! per server instead of a timer per request: the HTTP/1 header-read
//! timeout and the idle timeout.
//!
//! The connection counts what happens on it ([`Activity`]): request heads
//! received (hyper calls the app), responses done with (hyper drops their
//! body, see [`CountedResponse`]), and writes to the socket. The server's
//! [`Ticker`], a thread, wakes every connection's task at each tick, eight
//! times per header-read timeout (four per idle timeout), and the task
//! reads the counts against its [`ConnectionClock`]:
//!
//! - **Header-read timeout** (HTTP/1 only). While every request received
//!   has been answered, the connection is waiting for a head. When it has
//!   waited a whole timeout with no head arriving and nothing written, the
//!   clock ends the connection, as hyper's own timeout does (closed, no
//!   answer). The wait is seen at most a tick after it began, and its end
//!   at most a tick late, so the connection is closed between one and one
//!   and a quarter timeouts after it began waiting, never sooner. A write
//!   counts as progress, so a slow client still downloading the last
//!   response is not cut; bytes read do not, so a client sending a head a
//!   byte at a time is.
//! - **Idle timeout**. No request head for a whole period (read once per
//!   period, so between one and two periods after the last request, and a
//!   tick): the connection is told to finish gracefully (HTTP/2's GOAWAY,
//!   the end of HTTP/1's keep-alive).
//!
//! hyper's own header-read timeout asks its timer for a sleep for every
//! request head and loops once more through the connection after every
//! response to start the next one: about 950 instructions per request on
//! a keep-alive connection. A tokio timer per connection costs about 400:
//! tokio's runtime reads the time and searches its timer wheel at every
//! park while it holds any timer. Here a request costs three counts (a
//! load and a store each) and an `Arc` clone.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
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

/// What a connection checks when the server's [`Ticker`] (or its stop
/// signal) wakes its task: the counts against the timeouts (see the module
/// docs). It keeps no timer of its own.
pub(crate) struct ConnectionClock {
    activity: Arc<Activity>,
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

/// The header-read timeout, checked at every tick.
struct HeaderCheck {
    timeout: Duration,
    /// Heads and writes counted at the last check.
    seen: (u64, u64),
    /// Since when (at the latest) the connection has been waiting for a
    /// head with no head arriving and nothing written.
    waiting_since: Option<Instant>,
}

/// The shortest time between ticks, so that a zero timeout cannot make the
/// ticker spin.
const MIN_TICK: Duration = Duration::from_millis(1);

impl ConnectionClock {
    /// The clock of a connection opened at `start` whose counts are
    /// `activity`: idle after `idle_timeout` without a request head, and,
    /// with a `header_timeout`, ended when it waits that long for an
    /// HTTP/1 request head.
    pub(crate) fn new(
        activity: Arc<Activity>,
        idle_timeout: Duration,
        header_timeout: Option<Duration>,
        start: Instant,
    ) -> Self {
        let idle = IdleCheck {
            period: idle_timeout,
            next: after(start, idle_timeout),
            seen: 0,
            reported: false,
        };
        // A new connection waits for its first head.
        let header = header_timeout.map(|timeout| HeaderCheck {
            timeout,
            seen: (0, 0),
            waiting_since: Some(start),
        });
        ConnectionClock {
            activity,
            idle,
            header,
        }
    }

    /// How often the clocks of a server with these timeouts must be
    /// checked: an eighth of the header-read timeout, so that a connection
    /// is cut at most a quarter of a timeout late (it may start waiting
    /// just after a tick, and time out just after another), and a quarter
    /// of the idle timeout.
    pub(crate) fn tick(idle_timeout: Duration, header_timeout: Option<Duration>) -> Duration {
        let idle = idle_timeout / 4;
        header_timeout
            .map_or(idle, |timeout| idle.min(timeout / 8))
            .max(MIN_TICK)
    }

    /// What the counts say at `now`: an [`Alarm`] when the connection has
    /// waited too long for a head, or has just been found idle (once).
    pub(crate) fn check(&mut self, now: Instant) -> Option<Alarm> {
        if self.head_timed_out(now) {
            return Some(Alarm::HeadTimedOut);
        }
        self.found_idle(now).then_some(Alarm::Idle)
    }

    /// The header-read check: true when the connection has waited a whole
    /// timeout for a head with nothing moving.
    fn head_timed_out(&mut self, now: Instant) -> bool {
        let Some(header) = &mut self.header else {
            return false;
        };
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
}

/// A server's one clock: a thread that wakes the task of every connection
/// it serves once per tick, so that the connections check their clocks
/// without a tokio timer each. (tokio's runtime, when it has any timer,
/// reads the time and searches its timer wheel every time it parks: about
/// 400 instructions per request on a keep-alive connection.)
///
/// The thread ends when the ticker is dropped and no connection is left.
pub(crate) struct Ticker {
    connections: Arc<Connections>,
    /// Dropped with the ticker: tells the thread that the server stopped.
    _running: std::sync::mpsc::Sender<()>,
}

/// The wakers of the connections a ticker wakes, in slots that ended
/// connections free for the next ones.
#[derive(Default)]
struct Connections {
    slots: std::sync::Mutex<Slots>,
}

#[derive(Default)]
struct Slots {
    wakers: Vec<Option<Waker>>,
    free: Vec<usize>,
}

impl Ticker {
    /// Starts the thread, ticking every `tick`.
    ///
    /// # Errors
    /// When the thread cannot be started.
    pub(crate) fn start(tick: Duration) -> std::io::Result<Ticker> {
        let connections = Arc::new(Connections::default());
        let (running, stopped) = std::sync::mpsc::channel::<()>();
        let woken = connections.clone();
        std::thread::Builder::new()
            .name("fastrs-clock".into())
            .spawn(move || {
                let mut wakers = Vec::new();
                // Until the server stops...
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(tick) {
                    woken.wake_all(&mut wakers);
                }
                // ...and then for as long as connections remain (at least
                // once a second, so that the thread ends soon after the
                // last one even when the ticks are far apart).
                while woken.wake_all(&mut wakers) > 0 {
                    std::thread::sleep(tick.min(Duration::from_secs(1)));
                }
            })?;
        Ok(Ticker {
            connections,
            _running: running,
        })
    }

    /// Where a connection registers its waker.
    pub(crate) fn connections(&self) -> TickedBy {
        TickedBy(self.connections.clone())
    }
}

/// A ticker's list of connections, for one connection to join.
pub(crate) struct TickedBy(Arc<Connections>);

impl TickedBy {
    /// Has `waker` woken at every tick until the registration is dropped.
    pub(crate) fn register(self, waker: Waker) -> Registration {
        let mut slots = self.0.lock();
        let index = match slots.free.pop() {
            Some(index) => {
                slots.wakers[index] = Some(waker);
                index
            }
            None => {
                slots.wakers.push(Some(waker));
                slots.wakers.len() - 1
            }
        };
        drop(slots);
        Registration {
            connections: self.0,
            index,
        }
    }
}

/// A connection's place in its ticker: freed when dropped.
pub(crate) struct Registration {
    connections: Arc<Connections>,
    index: usize,
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut slots = self.connections.lock();
        slots.wakers[self.index] = None;
        slots.free.push(self.index);
    }
}

impl Connections {
    fn lock(&self) -> std::sync::MutexGuard<'_, Slots> {
        // A panic while holding the lock leaves the slots consistent.
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Wakes every registered connection (outside the lock); how many.
    fn wake_all(&self, wakers: &mut Vec<Waker>) -> usize {
        wakers.extend(self.lock().wakers.iter().flatten().cloned());
        let woken = wakers.len();
        for waker in wakers.drain(..) {
            waker.wake();
        }
        woken
    }
}

/// `duration` after `instant`; a duration too long to add (`Duration::MAX`
/// for "never") is a century.
fn after(instant: Instant, duration: Duration) -> Instant {
    instant
        .checked_add(duration)
        .unwrap_or_else(|| instant + Duration::from_secs(100 * 365 * 24 * 3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A connection's clock and the ticker's ticks, on a made-up time line:
    /// the clock is checked at every tick, as the server's [`Ticker`] does,
    /// and the ticks come a little late, as a thread's sleeps do.
    struct Ticked {
        clock: ConnectionClock,
        tick: Duration,
        now: Instant,
        next_tick: Instant,
    }

    impl Ticked {
        fn new(
            idle_timeout: Duration,
            header_timeout: Option<Duration>,
        ) -> (Ticked, Arc<Activity>) {
            let activity = Arc::new(Activity::default());
            let now = Instant::now();
            let clock = ConnectionClock::new(activity.clone(), idle_timeout, header_timeout, now);
            let tick = ConnectionClock::tick(idle_timeout, header_timeout);
            let mut ticked = Ticked {
                clock,
                tick,
                now,
                next_tick: now,
            };
            ticked.next_tick = ticked.after_a_tick(now);
            (ticked, activity)
        }

        /// A clock with a header-read timeout of `timeout` (and an idle
        /// timeout long enough not to matter).
        fn header(timeout: Duration) -> (Ticked, Arc<Activity>) {
            Ticked::new(Duration::from_secs(3600), Some(timeout))
        }

        /// When the tick after one at `instant` comes: a tick late by a
        /// thousandth of its period.
        fn after_a_tick(&self, instant: Instant) -> Instant {
            after(instant, self.tick + self.tick / 1000)
        }

        /// Moves to the next tick and checks the clock there.
        fn tick_once(&mut self) -> Option<Alarm> {
            self.now = self.next_tick;
            self.next_tick = self.after_a_tick(self.now);
            self.clock.check(self.now)
        }

        /// Lets `time` pass, with the ticks in it: the first alarm, if any.
        fn advance(&mut self, time: Duration) -> Option<Alarm> {
            let end = after(self.now, time);
            while self.next_tick <= end {
                if let Some(alarm) = self.tick_once() {
                    return Some(alarm);
                }
            }
            self.now = end;
            None
        }

        /// Ticks until an alarm; returns it and how long it took.
        fn wait_for_alarm(&mut self) -> (Alarm, Duration) {
            let started = self.now;
            for _ in 0..1_000_000 {
                if let Some(alarm) = self.tick_once() {
                    return (alarm, self.now - started);
                }
            }
            panic!("no alarm after a million ticks");
        }

        /// Waits for the clock and checks that it ends the connection
        /// between one and 1.25 header timeouts from now.
        fn assert_cut_after(&mut self, timeout: Duration) {
            let (alarm, waited) = self.wait_for_alarm();
            assert_eq!(alarm, Alarm::HeadTimedOut);
            assert_between(waited, timeout, timeout * 5 / 4);
        }
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

    #[test]
    fn a_new_connection_that_sends_no_head_is_ended_after_the_timeout() {
        let (mut ticked, _activity) = Ticked::header(Duration::from_secs(30));
        ticked.assert_cut_after(Duration::from_secs(30));
    }

    #[test]
    fn the_wait_for_the_next_head_starts_when_the_last_response_is_done() {
        let (mut ticked, activity) = Ticked::header(Duration::from_secs(30));
        // A request whose answer takes 100 s: in flight, never cut.
        assert_eq!(ticked.advance(Duration::from_secs(5)), None);
        activity.head_received();
        assert_eq!(
            ticked.advance(Duration::from_secs(100)),
            None,
            "cut while answering"
        );
        activity.wrote();
        activity.response_done();
        ticked.assert_cut_after(Duration::from_secs(30));
    }

    #[test]
    fn a_wait_that_starts_just_after_a_tick_is_still_cut_within_a_quarter_timeout() {
        let (mut ticked, activity) = Ticked::header(Duration::from_secs(8));
        activity.head_received();
        for _ in 0..3 {
            assert_eq!(ticked.tick_once(), None);
        }
        // The response is done just after a tick: the clock sees the wait
        // only at the next one, counts it from there, and the late ticks
        // add up while it waits.
        activity.wrote();
        activity.response_done();
        ticked.assert_cut_after(Duration::from_secs(8));
    }

    #[test]
    fn heads_that_arrive_in_time_are_never_cut() {
        let (mut ticked, activity) = Ticked::header(Duration::from_secs(5));
        // A request every 4.9 s for two minutes.
        for _ in 0..25 {
            assert_eq!(ticked.advance(Duration::from_millis(4_900)), None);
            one_request(&activity);
        }
    }

    #[test]
    fn a_client_still_downloading_the_last_response_is_not_cut() {
        let (mut ticked, activity) = Ticked::header(Duration::from_secs(10));
        one_request(&activity);
        // hyper is done with the body but still flushing it to a slow
        // reader: a write every 5 s for a minute.
        for _ in 0..12 {
            assert_eq!(
                ticked.advance(Duration::from_secs(5)),
                None,
                "cut while writing"
            );
            activity.wrote();
        }
        ticked.assert_cut_after(Duration::from_secs(10));
    }

    #[test]
    fn http2_has_no_header_read_timeout() {
        let (mut ticked, activity) = Ticked::header(Duration::from_secs(5));
        activity.speaks_http2();
        assert_eq!(ticked.advance(Duration::from_secs(60)), None);
    }

    #[test]
    fn a_zero_header_timeout_ends_a_waiting_connection_at_once() {
        let (mut ticked, _activity) = Ticked::header(Duration::ZERO);
        assert_eq!(ticked.tick, MIN_TICK);
        let (alarm, waited) = ticked.wait_for_alarm();
        assert_eq!(alarm, Alarm::HeadTimedOut);
        assert!(waited <= Duration::from_millis(2), "after {waited:?}");
    }

    #[test]
    fn an_idle_timeout_of_duration_max_means_never() {
        let (mut ticked, _activity) = Ticked::new(Duration::MAX, None);
        assert_eq!(
            ticked.advance(Duration::from_secs(10 * 365 * 24 * 3600)),
            None
        );
    }

    #[test]
    fn a_connection_without_requests_for_a_period_is_idle() {
        let (mut ticked, activity) = Ticked::new(Duration::from_secs(10), None);
        // A request every 6 s for a minute: never idle.
        for _ in 0..10 {
            assert_eq!(
                ticked.advance(Duration::from_secs(6)),
                None,
                "idle while in use"
            );
            one_request(&activity);
        }
        // Then none: idle within two periods and a tick, and reported once.
        let (alarm, quiet) = ticked.wait_for_alarm();
        assert_eq!(alarm, Alarm::Idle);
        assert_between(
            quiet,
            Duration::from_secs(10),
            Duration::from_millis(22_500),
        );
        assert_eq!(
            ticked.advance(Duration::from_secs(60)),
            None,
            "idle reported twice"
        );
    }

    #[test]
    fn the_ticker_wakes_its_connections_until_they_leave() {
        struct Count(AtomicU64);
        impl std::task::Wake for Count {
            fn wake(self: Arc<Self>) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        let ticker = Ticker::start(Duration::from_millis(5)).expect("the ticker starts");
        let count = Arc::new(Count(AtomicU64::new(0)));
        let registration = ticker.connections().register(Waker::from(count.clone()));
        let woken = |at_least: u64| {
            let deadline = Instant::now() + Duration::from_secs(10);
            while count.0.load(Ordering::SeqCst) < at_least {
                assert!(Instant::now() < deadline, "not woken {at_least} times");
                std::thread::sleep(Duration::from_millis(1));
            }
        };
        woken(3);
        // The server stops: the connection is still woken while it lasts.
        drop(ticker);
        let now = count.0.load(Ordering::SeqCst);
        woken(now + 2);
        drop(registration);
        let at_leaving = count.0.load(Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(100));
        // At most the wake of a tick that had already taken the waker.
        let since = count.0.load(Ordering::SeqCst) - at_leaving;
        assert!(since <= 1, "woken {since} times after leaving");
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
