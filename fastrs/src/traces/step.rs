//! What a child span of a request's trace is of: shared by the traces
//! (`mod.rs`) and their stand-in without the feature (`off.rs`), which
//! the pipeline calls alike.

/// What a child span is of.
#[derive(Clone, Copy)]
pub(crate) enum Step {
    /// A dependency provider's run.
    Dependency,
    /// The endpoint's function.
    Handler,
}
