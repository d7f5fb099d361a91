//! A connection's timeouts on one timer: the HTTP/1 header-read timeout
//! and the idle timeout.
//!
//! hyper enforces its header-read timeout with the [`Timer`] it is given:
//! for every request head it asks for a new sleep and polls it while the
//! head is incomplete. With tokio's timer that is a boxed `Sleep`
//! registered in (and removed from) the runtime's timer wheel for every
//! request on a keep-alive connection.
//!
//! Here each connection has a [`HeaderDeadline`] and a [`ConnectionClock`]:
//! the sleeps hyper gets ([`HeaderSleep`]) only write their deadline into
//! the connection's `HeaderDeadline` and read whether it has passed,
//! touching no timer; the clock, polled in the connection's own task,
//! holds the connection's one tokio timer, fires the header deadline and
//! checks for idleness. The timer is armed no later than the deadline of
//! any head being read (see [`ConnectionClock`]), so the header timeout is
//! exact to the timer's millisecond, and the timer wheel is touched a few
//! times per timeout period per connection instead of once per request.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper::rt::{Sleep, Timer};

/// No head is being read.
const NONE: u64 = 0;

/// The header-read deadline of one connection, shared by the sleeps hyper
/// holds and the connection's watchdog. Instants are nanoseconds after
/// `base` (the connection's start), so that they fit in atomics.
#[derive(Debug)]
pub(crate) struct HeaderDeadline {
    base: Instant,
    /// The deadline of the head being read, or [`NONE`].
    running: AtomicU64,
    /// The latest deadline the watchdog has seen pass.
    passed: AtomicU64,
}

impl HeaderDeadline {
    /// A connection's deadline, with no head being read.
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(HeaderDeadline {
            base: now(),
            running: AtomicU64::new(NONE),
            passed: AtomicU64::new(NONE),
        })
    }

    /// `instant` as nanoseconds after the connection's start, at least 1
    /// (0 is [`NONE`]).
    fn offset(&self, instant: Instant) -> u64 {
        let nanos = instant.saturating_duration_since(self.base).as_nanos();
        u64::try_from(nanos).unwrap_or(u64::MAX).max(1)
    }

    fn instant(&self, offset: u64) -> Instant {
        self.base + Duration::from_nanos(offset)
    }
}

/// hyper's timer for one HTTP/1 connection: its sleeps are
/// [`HeaderSleep`]s on the connection's [`HeaderDeadline`].
#[derive(Clone, Debug)]
pub(crate) struct ConnectionTimer(pub(crate) Arc<HeaderDeadline>);

impl Timer for ConnectionTimer {
    fn now(&self) -> Instant {
        now()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Sleep>> {
        self.sleep_until(after(now(), duration))
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn Sleep>> {
        let deadline = self.0.offset(deadline);
        self.0.running.store(deadline, Ordering::Relaxed);
        Box::pin(HeaderSleep {
            connection: self.0.clone(),
            deadline,
        })
    }
}

/// The header-read timeout of one request head: ready once the
/// connection's watchdog has seen its deadline pass. It registers no
/// waker: the watchdog runs in the same task and wakes it.
#[derive(Debug)]
pub(crate) struct HeaderSleep {
    connection: Arc<HeaderDeadline>,
    deadline: u64,
}

impl Future for HeaderSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        if self.connection.passed.load(Ordering::Relaxed) >= self.deadline {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl Sleep for HeaderSleep {}

impl Drop for HeaderSleep {
    fn drop(&mut self) {
        // The head arrived (or the connection ended): no deadline runs,
        // unless hyper has already asked for the next one.
        let _ = self.connection.running.compare_exchange(
            self.deadline,
            NONE,
            Ordering::Relaxed,
            Ordering::Relaxed,
        );
    }
}

/// The one tokio timer of a connection, polled in the connection's task
/// beside the connection: it tells when the connection has been idle for
/// the idle timeout, and fires the header-read deadline.
///
/// The timer is always armed no later than the next idle check and the
/// deadline of any head being read. When it fires with no head being read,
/// the header check is due one header timeout later (a head starting after
/// now has a later deadline); with a head being read, it is due at that
/// head's deadline, or, if that has passed, the clock marks it passed and
/// wakes the task, whose next poll of the connection sees the
/// [`HeaderSleep`] ready and ends the connection as hyper does.
///
/// Between firings a poll costs one atomic load: the timer is polled (and
/// given the task's waker) only after it was reset or has elapsed.
pub(crate) struct ConnectionClock {
    timer: Pin<Box<tokio::time::Sleep>>,
    /// The timer holds the task's waker for its current deadline.
    registered: bool,
    idle: IdleCheck,
    header: Option<HeaderCheck>,
}

/// The idle timeout: no request started for a whole period.
struct IdleCheck {
    requests: Arc<AtomicU64>,
    seen: u64,
    period: Duration,
    next: Instant,
    reported: bool,
}

/// The header-read timeout's next check.
struct HeaderCheck {
    connection: Arc<HeaderDeadline>,
    timeout: Duration,
    next: Instant,
}

impl ConnectionClock {
    /// The clock of a connection whose request count is `requests`, idle
    /// after `idle_timeout` without a request starting, and whose request
    /// heads, if `header` is given, must arrive within its timeout.
    pub(crate) fn new(
        requests: Arc<AtomicU64>,
        idle_timeout: Duration,
        header: Option<(Arc<HeaderDeadline>, Duration)>,
    ) -> Self {
        let start = now();
        let idle = IdleCheck {
            requests,
            seen: 0,
            period: idle_timeout,
            next: after(start, idle_timeout),
            reported: false,
        };
        let header = header.map(|(connection, timeout)| HeaderCheck {
            next: after(connection.base, timeout),
            connection,
            timeout,
        });
        let first = match &header {
            Some(header) => header.next.min(idle.next),
            None => idle.next,
        };
        ConnectionClock {
            timer: Box::pin(tokio::time::sleep_until(tokio::time::Instant::from_std(
                first,
            ))),
            registered: false,
            idle,
            header,
        }
    }

    /// Ready (once) when no request has started for a whole idle period
    /// (checked once per period, so between one and two periods after the
    /// last request). Never ready again afterwards; keep polling it for
    /// the header-read timeout.
    pub(crate) fn poll_idle(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let mut idle = false;
        loop {
            if self.registered && !self.timer.is_elapsed() {
                break;
            }
            if self.timer.as_mut().poll(cx).is_pending() {
                self.registered = true;
                break;
            }
            idle |= self.fire(now(), cx);
            self.arm();
        }
        if idle {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    /// The checks due at `now`; true when the connection has just been
    /// found idle.
    fn fire(&mut self, now: Instant, cx: &mut Context<'_>) -> bool {
        let mut idle = false;
        if self.idle.next <= now {
            let requests = self.idle.requests.load(Ordering::Relaxed);
            if requests == self.idle.seen && !self.idle.reported {
                self.idle.reported = true;
                idle = true;
            }
            self.idle.seen = requests;
            self.idle.next = after(now, self.idle.period);
        }
        if let Some(header) = &mut self.header {
            if header.next <= now {
                let connection = &header.connection;
                let running = connection.running.load(Ordering::Relaxed);
                header.next = if running == NONE {
                    after(now, header.timeout)
                } else if connection.instant(running) <= now {
                    connection.passed.store(running, Ordering::Relaxed);
                    cx.waker().wake_by_ref();
                    after(now, header.timeout)
                } else {
                    connection.instant(running)
                };
            }
        }
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

    /// A clock for a header timeout of `timeout` (and an idle timeout long
    /// enough not to matter), with the timer hyper would be given.
    fn header_clock(timeout: Duration) -> (ConnectionClock, ConnectionTimer) {
        let connection = HeaderDeadline::new();
        let clock = ConnectionClock::new(
            Arc::new(AtomicU64::new(0)),
            Duration::from_secs(3600),
            Some((connection.clone(), timeout)),
        );
        (clock, ConnectionTimer(connection))
    }

    #[tokio::test(start_paused = true)]
    async fn a_head_that_does_not_arrive_in_time_is_ended_at_its_deadline() {
        let (mut clock, timer) = header_clock(Duration::from_secs(30));
        // A head that starts 10 s in: its deadline is at 40 s, after the
        // clock's first header check at 30 s.
        tokio::time::advance(Duration::from_secs(10)).await;
        let mut sleep = timer.sleep(Duration::from_secs(30));
        let started = tokio::time::Instant::now();
        std::future::poll_fn(|cx| {
            let _ = clock.poll_idle(cx);
            sleep.as_mut().poll(cx)
        })
        .await;
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_secs(30) && waited < Duration::from_millis(30_010),
            "ended after {waited:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn heads_that_arrive_in_time_are_never_ended() {
        let (mut clock, timer) = header_clock(Duration::from_secs(5));
        // Heads taking 4 s each, one after the other, for a minute.
        for _ in 0..15 {
            let mut sleep = timer.sleep(Duration::from_secs(5));
            tokio::time::advance(Duration::from_secs(4)).await;
            std::future::poll_fn(|cx| {
                let _ = clock.poll_idle(cx);
                assert!(sleep.as_mut().poll(cx).is_pending());
                Poll::Ready(())
            })
            .await;
            drop(sleep);
        }
        assert_eq!(timer.0.running.load(Ordering::Relaxed), NONE);
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_timeout_of_duration_max_means_never() {
        let mut clock = ConnectionClock::new(Arc::new(AtomicU64::new(0)), Duration::MAX, None);
        tokio::time::advance(Duration::from_secs(10 * 365 * 24 * 3600)).await;
        std::future::poll_fn(|cx| {
            assert!(clock.poll_idle(cx).is_pending());
            Poll::Ready(())
        })
        .await;
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_without_requests_for_a_period_is_idle() {
        let requests = Arc::new(AtomicU64::new(0));
        let mut clock = ConnectionClock::new(requests.clone(), Duration::from_secs(10), None);
        let started = tokio::time::Instant::now();
        // A request every 6 s for a minute: never idle.
        for _ in 0..10 {
            tokio::time::advance(Duration::from_secs(6)).await;
            requests.fetch_add(1, Ordering::Relaxed);
            std::future::poll_fn(|cx| {
                assert!(clock.poll_idle(cx).is_pending(), "idle while in use");
                Poll::Ready(())
            })
            .await;
        }
        // Then none: idle within two periods, and reported once.
        std::future::poll_fn(|cx| clock.poll_idle(cx)).await;
        let quiet = started.elapsed() - Duration::from_secs(60);
        assert!(
            quiet >= Duration::from_secs(10) && quiet <= Duration::from_secs(20),
            "idle after {quiet:?}"
        );
        tokio::time::advance(Duration::from_secs(60)).await;
        std::future::poll_fn(|cx| {
            assert!(clock.poll_idle(cx).is_pending(), "idle reported twice");
            Poll::Ready(())
        })
        .await;
    }
}
