//! The access log's clock: two readings per request, so it must cost next
//! to nothing.
//!
//! Where the kernel itself keeps time with the CPU's time-stamp counter
//! (its clock source is `tsc`, which Linux picks only when the counter is
//! invariant and synchronized across cores), a reading is that counter,
//! one instruction; it is turned into time against `Instant` readings taken
//! when the log started and when the line is written. Elsewhere a reading
//! is an `Instant`.

use std::time::{Duration, Instant};

/// A reading of the clock.
#[derive(Clone, Copy)]
pub(crate) enum Stamp {
    /// The time-stamp counter.
    Ticks(u64),
    /// The monotonic clock.
    At(Instant),
}

/// The clock, chosen when the log starts.
pub(crate) struct Clock {
    /// The counter and the monotonic clock read together at the start,
    /// when the counter is used.
    ticks_since: Option<(u64, Instant)>,
}

impl Clock {
    /// The counter where the kernel trusts it, else `Instant`.
    pub(crate) fn new() -> Clock {
        let ticks_since = if kernel_uses_tsc() {
            ticks().map(|t| (t, Instant::now()))
        } else {
            None
        };
        Clock { ticks_since }
    }

    /// A reading.
    pub(crate) fn now(&self) -> Stamp {
        match self.ticks_since.and(ticks()) {
            Some(t) => Stamp::Ticks(t),
            None => Stamp::At(Instant::now()),
        }
    }

    /// How to turn readings into time, as of now: the counter's rate
    /// measured from the start (read once for a batch of lines).
    pub(crate) fn scale(&self) -> Scale {
        let nanos_per_tick = self.ticks_since.and_then(|(t0, i0)| {
            let elapsed = i0.elapsed().as_nanos() as f64;
            let ticked = ticks()?.wrapping_sub(t0) as f64;
            (ticked > 0.0).then(|| elapsed / ticked)
        });
        Scale { nanos_per_tick }
    }
}

/// Readings to time.
#[derive(Clone, Copy)]
pub(crate) struct Scale {
    nanos_per_tick: Option<f64>,
}

impl Scale {
    /// The time between two readings.
    pub(crate) fn between(self, start: Stamp, end: Stamp) -> Duration {
        match (start, end, self.nanos_per_tick) {
            (Stamp::Ticks(a), Stamp::Ticks(b), Some(rate)) => {
                Duration::from_nanos((b.wrapping_sub(a) as f64 * rate) as u64)
            }
            (Stamp::At(a), Stamp::At(b), _) => b.saturating_duration_since(a),
            _ => Duration::ZERO,
        }
    }
}

/// True when Linux keeps time with the time-stamp counter.
fn kernel_uses_tsc() -> bool {
    std::fs::read_to_string("/sys/devices/system/clocksource/clocksource0/current_clocksource")
        .is_ok_and(|source| source.trim() == "tsc")
}

#[cfg(target_arch = "x86_64")]
fn ticks() -> Option<u64> {
    // SAFETY: RDTSC reads a counter; it touches no memory and every x86_64
    // processor has it.
    Some(unsafe { std::arch::x86_64::_rdtsc() })
}

#[cfg(not(target_arch = "x86_64"))]
fn ticks() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_is_measured_whichever_clock_is_used() {
        let clock = Clock::new();
        let start = clock.now();
        std::thread::sleep(Duration::from_millis(30));
        let end = clock.now();
        let took = clock.scale().between(start, end);
        assert!(took >= Duration::from_millis(25), "{took:?}");
        assert!(took < Duration::from_secs(2), "{took:?}");
    }
}
