//! Workers: claim due jobs, run their handlers a few at a time, and
//! record how each went (deleted when done, due again after a pause when
//! failed, parked after the last attempt).

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::{millis, now_ms, Claimed, Job, Queue};
use crate::di::BoxFuture;
use crate::response::BoxError;

/// How often, and after how long, a failed job runs again: after the
/// first failure `first_delay`, then twice the previous delay, at most
/// `max_delay`; after `max_attempts` runs it is parked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Runs before the job is parked (the first one included).
    pub max_attempts: i64,
    /// The pause after the first failure.
    pub first_delay: Duration,
    /// The longest pause.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 10 attempts, 1 s after the first failure, doubling up to 10 min.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(600),
        }
    }
}

impl RetryPolicy {
    /// The pause after the `attempts`-th failed run.
    pub fn delay(&self, attempts: i64) -> Duration {
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        self.first_delay
            .saturating_mul(1u32 << doublings)
            .min(self.max_delay)
    }
}

type Handler = Arc<dyn Fn(String) -> BoxFuture<'static, Result<(), String>> + Send + Sync>;

/// Runs the jobs of the kinds it has handlers for: build it with
/// [`Queue::worker`] and [`Worker::handle`], then [`Worker::spawn`] it in
/// this process (a server's own worker) or [`Worker::run_until`] a signal
/// (a worker process).
pub struct Worker {
    queue: Queue,
    handlers: HashMap<&'static str, Handler>,
    concurrency: usize,
    poll_interval: Duration,
    lease: Duration,
    retry: RetryPolicy,
}

impl fmt::Debug for Worker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut kinds: Vec<_> = self.handlers.keys().collect();
        kinds.sort();
        f.debug_struct("Worker")
            .field("kinds", &kinds)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl Worker {
    /// A worker on `queue` with no handlers, and the defaults.
    pub(crate) fn new(queue: Queue) -> Worker {
        Worker {
            queue,
            handlers: HashMap::new(),
            concurrency: 4,
            poll_interval: Duration::from_millis(500),
            lease: Duration::from_secs(60),
            retry: RetryPolicy::default(),
        }
    }

    /// Runs jobs of kind `J` with `handler`. An `Err` (any error that
    /// converts into a boxed one) or a panic is a failed attempt.
    ///
    /// # Panics
    /// When `J::NAME` has a handler already.
    pub fn handle<J, F, Fut, E>(mut self, handler: F) -> Self
    where
        J: Job,
        F: Fn(J) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxError>,
    {
        let handler: Handler =
            Arc::new(
                move |payload: String| match serde_json::from_str::<J>(&payload) {
                    Ok(job) => {
                        let run = handler(job);
                        Box::pin(async move { run.await.map_err(|e| e.into().to_string()) })
                    }
                    Err(error) => {
                        let error = format!("the stored data is not a {}: {error}", J::NAME);
                        Box::pin(async move { Err(error) })
                    }
                },
            );
        let kind = J::NAME;
        assert!(
            self.handlers.insert(kind, handler).is_none(),
            "fastrs: the job kind {kind:?} has two handlers"
        );
        self
    }

    /// How many jobs run at once (4 unless set).
    ///
    /// # Panics
    /// When `jobs` is 0.
    pub fn concurrency(mut self, jobs: usize) -> Self {
        assert!(jobs > 0, "fastrs: a worker runs at least one job at a time");
        self.concurrency = jobs;
        self
    }

    /// How long an idle worker waits before it looks for due jobs again
    /// (500 ms unless set).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// How long a claimed job is this worker's (60 s unless set): a
    /// worker that dies leaves its jobs to others after that long, and a
    /// job that runs longer may be run by another worker too.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// How failed jobs are retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Runs in a task of its own until [`WorkerHandle::stop`] (or until
    /// every clone of the handle is dropped).
    pub fn spawn(self) -> WorkerHandle {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(self.run(stopped));
        WorkerHandle {
            inner: Arc::new(HandleInner {
                stop,
                task: tokio::sync::Mutex::new(Some(task)),
            }),
        }
    }

    /// Runs until `shutdown` completes (a signal, say), then lets the jobs
    /// it is running finish.
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) {
        let (stop, stopped) = watch::channel(false);
        let run = self.run(stopped);
        tokio::pin!(run);
        tokio::select! {
            () = &mut run => return,
            () = shutdown => {}
        }
        let _ = stop.send(true);
        run.await;
    }

    async fn run(self, mut stopped: watch::Receiver<bool>) {
        let mut kinds: Vec<&'static str> = self.handlers.keys().copied().collect();
        kinds.sort_unstable();
        if kinds.is_empty() {
            crate::log::warning!("a job worker with no handlers has nothing to run");
        }
        let worker = Arc::new(self);
        let mut running: JoinSet<()> = JoinSet::new();
        let mut failing = false;
        while !*stopped.borrow() {
            let free = worker.concurrency - running.len();
            if free > 0 && !kinds.is_empty() {
                match worker.queue.claim(&kinds, free, worker.lease).await {
                    Ok(jobs) => {
                        if failing {
                            crate::log::info!("the job worker reaches its database again");
                            failing = false;
                        }
                        let more = jobs.len() == free;
                        for job in jobs {
                            running.spawn(worker.clone().execute(job));
                        }
                        if more {
                            // More may be due: claim again once a slot is free.
                            continue;
                        }
                    }
                    Err(error) => {
                        if !failing {
                            crate::log::warning!(
                                "the job worker cannot claim jobs ({error}); trying again"
                            );
                        }
                        failing = true;
                    }
                }
            }
            // A job ends (a slot is free), the next poll, or the stop.
            tokio::select! {
                Some(_) = running.join_next(), if !running.is_empty() => {}
                () = tokio::time::sleep(worker.poll_interval) => {}
                changed = stopped.changed() => {
                    // Every handle dropped: stop as if asked.
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
        // Stopping: the jobs already running finish.
        while running.join_next().await.is_some() {}
    }

    /// Runs one claimed job and records how it went.
    async fn execute(self: Arc<Self>, job: Claimed) {
        let outcome = match self.handlers.get(job.kind.as_str()) {
            Some(handler) => match AssertUnwindSafe(handler(job.payload)).catch_unwind().await {
                Ok(outcome) => outcome,
                Err(panic) => Err(format!("the handler panicked: {}", panic_text(&*panic))),
            },
            None => Err(format!("no handler for {:?}", job.kind)),
        };
        let recorded = match outcome {
            Ok(()) => self.queue.finish(job.id).await,
            Err(error) => {
                let retry_at = (job.attempts < self.retry.max_attempts)
                    .then(|| now_ms().saturating_add(millis(self.retry.delay(job.attempts))));
                match retry_at {
                    Some(_) => crate::log::warning!(
                        "the job {} #{} failed (attempt {}): {error}; it will run again",
                        job.kind,
                        job.id,
                        job.attempts
                    ),
                    None => crate::log::error!(
                        "the job {} #{} failed its last attempt ({}): {error}; it is parked",
                        job.kind,
                        job.id,
                        job.attempts
                    ),
                }
                self.queue.fail(job.id, &error, retry_at).await
            }
        };
        if let Err(error) = recorded {
            // The lease ends and the job runs again: at least once.
            crate::log::warning!(
                "the job {} #{} ran but its outcome was not recorded ({error}); it will run again",
                job.kind,
                job.id
            );
        }
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "(no message)".to_owned()
    }
}

/// A worker running in a task ([`Worker::spawn`]). Cheap to clone.
#[derive(Clone, Debug)]
pub struct WorkerHandle {
    inner: Arc<HandleInner>,
}

#[derive(Debug)]
struct HandleInner {
    stop: watch::Sender<bool>,
    task: tokio::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl WorkerHandle {
    /// Stops claiming jobs and waits for the running ones to finish.
    pub async fn stop(&self) {
        let _ = self.inner.stop.send(true);
        if let Some(task) = self.inner.task.lock().await.take() {
            if let Err(error) = task.await {
                crate::log::error!("the job worker ended badly: {error}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_the_most() {
        let policy = RetryPolicy {
            max_attempts: 5,
            first_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
        };
        let delays: Vec<_> = (1..=5).map(|n| policy.delay(n).as_millis()).collect();
        assert_eq!(delays, [100, 200, 400, 500, 500]);
        assert_eq!(
            RetryPolicy::default().delay(1_000),
            Duration::from_secs(600)
        );
    }
}
