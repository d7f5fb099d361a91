//! The jobs table on PostgreSQL (cargo feature `postgres`): any number of
//! worker processes share it, each claiming due jobs with `FOR UPDATE
//! SKIP LOCKED`, so that no two claim the same job.

/// The table and its index, for [`Queue::migrate`](super::Queue::migrate)
/// or an app's own migrations. Times are milliseconds since the Unix
/// epoch.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS fastrs_jobs (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    attempts BIGINT NOT NULL DEFAULT 0,
    run_at BIGINT NOT NULL,
    locked_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS fastrs_jobs_due ON fastrs_jobs (state, run_at);
";

/// What the claim statement adds to lock the rows it claims. Other workers skip the rows this one is claiming instead of waiting
/// for them.
pub(crate) const CLAIM_LOCK: &str = "FOR UPDATE SKIP LOCKED";
