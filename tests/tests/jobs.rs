//! `fastrs::jobs`: durable jobs on SQLite (a temporary file) and on
//! PostgreSQL (a fresh database on the server `TEST_DATABASE_URL` names;
//! without it those runs say why and pass). A job written in a
//! transaction exists only if it commits; failures are retried with
//! growing pauses, then parked, visible and requeueable; a panic is a
//! failure; a job left claimed by a dead worker runs once its lease ends;
//! two workers (two pools, as two processes) share the jobs and run each
//! once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fastrs::jobs::{enqueue, Job, Queue, RetryPolicy};
use serde::{Deserialize, Serialize};
use sqlx::Connection;

#[derive(Serialize, Deserialize)]
struct Note {
    n: i64,
}

impl Job for Note {
    const NAME: &'static str = "note";
}

/// Where a test's queue lives, removed when the test ends.
enum Place {
    Sqlite(tempfile::TempDir),
    Postgres { admin: String, name: String },
}

impl Place {
    fn sqlite() -> Place {
        Place::Sqlite(tempfile::tempdir().unwrap())
    }

    async fn postgres() -> Option<Place> {
        let Some(admin) = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            eprintln!("skipped: TEST_DATABASE_URL is not set (a PostgreSQL server to test on)");
            return None;
        };
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "fastrs_jobs_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let mut connection = sqlx::PgConnection::connect(&admin).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut connection)
            .await
            .unwrap();
        Some(Place::Postgres { admin, name })
    }

    fn url(&self) -> String {
        match self {
            Place::Sqlite(dir) => {
                format!("sqlite://{}?mode=rwc", dir.path().join("jobs.db").display())
            }
            Place::Postgres { admin, name } => {
                let (base, _) = admin.rsplit_once('/').unwrap();
                format!("{base}/{name}")
            }
        }
    }

    /// A queue with its own pool (a process of its own, on PostgreSQL).
    async fn queue(&self) -> Queue {
        Queue::connect(&self.url()).await.unwrap()
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Place::Postgres { admin, name } = self {
            let (admin, name) = (admin.clone(), name.clone());
            // Drop cannot await: a thread with its own runtime does it.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async {
                    if let Ok(mut connection) = sqlx::PgConnection::connect(&admin).await {
                        let _ = sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
                            .execute(&mut connection)
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// Runs each test on SQLite, then on PostgreSQL when there is one.
macro_rules! on_both_databases {
    ($($test:ident),* $(,)?) => {$(
        mod $test {
            #[tokio::test]
            async fn sqlite() {
                super::$test(super::Place::sqlite()).await
            }

            #[tokio::test]
            async fn postgres() {
                if let Some(place) = super::Place::postgres().await {
                    super::$test(place).await
                }
            }
        }
    )*};
}

on_both_databases!(
    a_job_exists_only_if_its_transaction_commits,
    failures_are_retried_with_growing_pauses,
    a_job_that_keeps_failing_is_parked_and_can_be_requeued,
    a_job_left_by_a_dead_worker_runs_when_its_lease_ends,
    two_workers_share_the_jobs_and_run_each_once,
);

/// A quick policy for tests: 100 ms, then doubling.
fn quick(max_attempts: i64) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        first_delay: Duration::from_millis(100),
        max_delay: Duration::from_secs(1),
    }
}

/// Waits until `done` holds, at most ten seconds.
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "not within 10 s: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

type Seen = Arc<Mutex<Vec<i64>>>;

/// A worker on `queue` that records each note it runs.
fn recording(queue: &Queue, seen: &Seen) -> fastrs::jobs::Worker {
    let seen = seen.clone();
    queue
        .worker()
        .poll_interval(Duration::from_millis(20))
        .handle(move |note: Note| {
            let seen = seen.clone();
            async move {
                seen.lock().unwrap().push(note.n);
                Ok::<(), std::io::Error>(())
            }
        })
}

async fn a_job_exists_only_if_its_transaction_commits(place: Place) {
    let queue = place.queue().await;
    let pool = sqlx::AnyPool::connect(&place.url()).await.unwrap();
    let mut tx = pool.begin().await.unwrap();
    enqueue(&mut *tx, &Note { n: 1 }).await.unwrap();
    tx.rollback().await.unwrap();
    let mut tx = pool.begin().await.unwrap();
    enqueue(&mut *tx, &Note { n: 2 }).await.unwrap();
    assert_eq!(queue.pending().await.unwrap(), 0, "not before the commit");
    tx.commit().await.unwrap();
    pool.close().await;
    queue.enqueue(&Note { n: 3 }).await.unwrap();
    assert_eq!(queue.pending().await.unwrap(), 2);

    let seen = Seen::default();
    let worker = recording(&queue, &seen).spawn();
    until("both committed notes ran", || {
        seen.lock().unwrap().len() == 2
    })
    .await;
    worker.stop().await;
    let mut notes = seen.lock().unwrap().clone();
    notes.sort_unstable();
    assert_eq!(notes, [2, 3]);
    assert_eq!(queue.pending().await.unwrap(), 0, "done jobs are deleted");
}

async fn failures_are_retried_with_growing_pauses(place: Place) {
    let queue = place.queue().await;
    queue.enqueue(&Note { n: 7 }).await.unwrap();
    let runs: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let recorded = runs.clone();
    let worker = queue
        .worker()
        .poll_interval(Duration::from_millis(10))
        .retry(quick(5))
        .handle(move |_: Note| {
            let runs = recorded.clone();
            async move {
                let mut runs = runs.lock().unwrap();
                runs.push(Instant::now());
                if runs.len() < 3 {
                    Err(format!("attempt {} fails", runs.len()))
                } else {
                    Ok(())
                }
            }
        })
        .spawn();
    until("the third attempt", || runs.lock().unwrap().len() == 3).await;
    worker.stop().await;
    let runs = runs.lock().unwrap().clone();
    let first_pause = runs[1] - runs[0];
    let second_pause = runs[2] - runs[1];
    assert!(first_pause >= Duration::from_millis(100), "{first_pause:?}");
    assert!(
        second_pause >= Duration::from_millis(200),
        "{second_pause:?}"
    );
    assert_eq!(queue.pending().await.unwrap(), 0);
    assert!(queue.parked().await.unwrap().is_empty());
}

async fn a_job_that_keeps_failing_is_parked_and_can_be_requeued(place: Place) {
    let queue = place.queue().await;
    queue.enqueue(&Note { n: 1 }).await.unwrap();
    queue.enqueue(&Note { n: 2 }).await.unwrap();
    let healed = Arc::new(AtomicUsize::new(0));
    let runs = Arc::new(AtomicUsize::new(0));
    let worker = {
        let (healed, runs) = (healed.clone(), runs.clone());
        queue
            .worker()
            .poll_interval(Duration::from_millis(10))
            .retry(quick(2))
            .handle(move |note: Note| {
                let (healed, runs) = (healed.clone(), runs.clone());
                async move {
                    runs.fetch_add(1, Ordering::SeqCst);
                    if healed.load(Ordering::SeqCst) == 1 {
                        return Ok(());
                    }
                    if note.n == 2 {
                        panic!("note 2 cannot be read");
                    }
                    Err(std::io::Error::other("the mail server is down"))
                }
            })
            .spawn()
    };
    let mut parked = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while parked.len() < 2 {
        assert!(Instant::now() < deadline, "not parked: {parked:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
        parked = queue.parked().await.unwrap();
    }
    assert_eq!(runs.load(Ordering::SeqCst), 4, "two attempts each");
    assert_eq!(queue.pending().await.unwrap(), 0);
    let by_payload: HashMap<String, _> = parked
        .iter()
        .map(|job| (job.payload.clone(), job.clone()))
        .collect();
    let failed = &by_payload[r#"{"n":1}"#];
    assert_eq!(
        (
            failed.kind.as_str(),
            failed.attempts,
            failed.last_error.as_str()
        ),
        ("note", 2, "the mail server is down")
    );
    let panicked = &by_payload[r#"{"n":2}"#];
    assert_eq!(
        panicked.last_error,
        "the handler panicked: note 2 cannot be read"
    );

    healed.store(1, Ordering::SeqCst);
    assert!(queue.requeue(failed.id).await.unwrap());
    assert!(!queue.requeue(failed.id).await.unwrap(), "not parked now");
    until("the requeued job ran", || runs.load(Ordering::SeqCst) == 5).await;
    worker.stop().await;
    assert_eq!(queue.parked().await.unwrap().len(), 1, "the other stays");
    assert_eq!(queue.pending().await.unwrap(), 0);
}

async fn a_job_left_by_a_dead_worker_runs_when_its_lease_ends(place: Place) {
    let queue = place.queue().await;
    queue.enqueue(&Note { n: 5 }).await.unwrap();
    // A worker claims the job for 300 ms and never finishes it (its
    // process dies: the handler hangs, and the worker is never stopped).
    let hanging = queue
        .worker()
        .lease(Duration::from_millis(300))
        .concurrency(1)
        .poll_interval(Duration::from_millis(10))
        .handle(|_: Note| async {
            std::future::pending::<()>().await;
            Ok::<(), std::io::Error>(())
        })
        .spawn();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let claimed_at = Instant::now();
    let seen = Seen::default();
    let next = recording(&queue, &seen).spawn();
    until("another worker ran the job", || {
        !seen.lock().unwrap().is_empty()
    })
    .await;
    assert!(
        claimed_at.elapsed() >= Duration::from_millis(150),
        "not before the lease ended"
    );
    next.stop().await;
    drop(hanging);
    assert_eq!(*seen.lock().unwrap(), [5]);
}

async fn two_workers_share_the_jobs_and_run_each_once(place: Place) {
    let queue = place.queue().await;
    for n in 0..40 {
        queue.enqueue(&Note { n }).await.unwrap();
    }
    // Two queues with their own pools: two processes.
    let runs: Arc<Mutex<Vec<(usize, i64)>>> = Arc::default();
    let mut workers = Vec::new();
    for worker in 0..2 {
        let runs = runs.clone();
        let handle = place
            .queue()
            .await
            .worker()
            .concurrency(2)
            .poll_interval(Duration::from_millis(10))
            .handle(move |note: Note| {
                let runs = runs.clone();
                async move {
                    tokio::time::sleep(Duration::from_millis(30)).await;
                    runs.lock().unwrap().push((worker, note.n));
                    Ok::<(), std::io::Error>(())
                }
            })
            .spawn();
        workers.push(handle);
    }
    until("40 jobs ran", || runs.lock().unwrap().len() >= 40).await;
    for worker in workers {
        worker.stop().await;
    }
    let runs = runs.lock().unwrap().clone();
    let mut notes: Vec<i64> = runs.iter().map(|(_, n)| *n).collect();
    notes.sort_unstable();
    assert_eq!(notes, (0..40).collect::<Vec<_>>(), "each job exactly once");
    for worker in 0..2 {
        assert!(
            runs.iter().any(|(w, _)| *w == worker),
            "worker {worker} ran none"
        );
    }
    assert_eq!(queue.pending().await.unwrap(), 0);
}

#[tokio::test]
async fn a_database_without_a_queue_backend_is_refused() {
    assert!(Queue::connect("mysql://localhost/test").await.is_err());
}
