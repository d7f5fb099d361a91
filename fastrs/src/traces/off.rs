//! Without the feature `opentelemetry`, nothing is traced: [`on`] is
//! `false`, so the pipeline's traced branches are compiled out and its
//! provider runs and handler calls are the plain ones.

#[path = "step.rs"]
mod step;
pub(crate) use step::Step;

/// Never: no app traces.
#[inline(always)]
pub(crate) fn on() -> bool {
    false
}

/// `future`, unchanged (never called: [`on`] is `false`).
#[inline(always)]
pub(crate) fn step<F>(_: impl FnOnce() -> &'static str, _: Step, future: F) -> F {
    future
}

/// `call()` (never called: [`on`] is `false`).
#[inline(always)]
pub(crate) fn around<T>(_: impl FnOnce() -> &'static str, _: Step, call: impl FnOnce() -> T) -> T {
    call()
}

/// `call`, unchanged.
#[inline(always)]
pub(crate) fn carried<R>(call: impl FnOnce() -> R) -> impl FnOnce() -> R {
    call
}
