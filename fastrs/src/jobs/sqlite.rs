//! The jobs table on SQLite (cargo feature `sqlite`): one process, whose
//! workers claim jobs one writer at a time, as SQLite writes.

/// The table and its index, for [`Queue::migrate`](super::Queue::migrate)
/// or an app's own migrations. Times are milliseconds since the Unix
/// epoch.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS fastrs_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    run_at INTEGER NOT NULL,
    locked_until INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS fastrs_jobs_due ON fastrs_jobs (state, run_at);
";

/// What the claim statement adds to lock the rows it claims. SQLite has one writer at a time: a claim is never shared, there is
/// nothing to skip.
pub(crate) const CLAIM_LOCK: &str = "";
