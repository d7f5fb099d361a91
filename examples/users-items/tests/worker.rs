//! Durable jobs across processes, on PostgreSQL (`TEST_DATABASE_URL`;
//! without it the test says why and passes): users register on a server
//! started with `WORKER=off`, the server is killed with SIGKILL, then two
//! `users-items worker` processes started together deliver every welcome
//! email exactly once within seconds, and stop cleanly on SIGTERM.

mod support;

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::{postgres_url, FreshDatabase};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A `users-items` process, killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn users_items(database_url: &str, data_dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_users-items"));
    command
        .current_dir(data_dir)
        .env("DATABASE_URL", database_url)
        .env("DATA_DIR", data_dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// `POST /users` over a socket; the answer's status.
async fn register(address: SocketAddr, email: &str) -> u16 {
    let body = format!(r#"{{"email": "{email}", "password": "correct horse"}}"#);
    let request = format!(
        "POST /users HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(address).await.expect("the server");
    stream.write_all(request.as_bytes()).await.expect("sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("answered");
    answer
        .split(' ')
        .nth(1)
        .and_then(|status| status.parse().ok())
        .unwrap_or_else(|| panic!("not HTTP: {answer:?}"))
}

async fn started(address: SocketAddr, server: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(address).await.is_err() {
        if let Ok(Some(status)) = server.try_wait() {
            panic!("the server exited: {status}");
        }
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn jobs_left_by_a_killed_server_are_delivered_once_by_two_workers() {
    let Some(admin) = postgres_url() else {
        eprintln!("skipped: TEST_DATABASE_URL is not set (a PostgreSQL server to test on)");
        return;
    };
    let database = FreshDatabase::create(&admin).await;
    let dir = tempfile::tempdir().expect("a data directory");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let address = SocketAddr::from(([127, 0, 0, 1], port));

    // A server without a worker takes registrations.
    let mut server = users_items(&database.url, dir.path())
        .env("WORKER", "off")
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .spawn()
        .expect("the server starts");
    started(address, &mut server).await;
    let users = 10;
    for n in 0..users {
        assert_eq!(
            register(address, &format!("user{n}@example.com")).await,
            201
        );
    }
    // SIGKILL: nothing of the server's runs after this.
    server.kill().expect("killed");
    server.wait().expect("gone");

    let db = users_items::repositories::connect(&database.url, 4)
        .await
        .expect("the database");
    let outbox = users_items::repositories::outbox::deliveries(&db)
        .await
        .expect("the outbox");
    assert_eq!(outbox.len(), users);
    assert!(
        outbox.iter().all(|(_, delivered, _, _)| !delivered),
        "{outbox:?}"
    );

    // Two worker processes, started together.
    let started_at = Instant::now();
    let mut workers: Vec<Process> = (0..2)
        .map(|_| {
            let mut worker = users_items(&database.url, dir.path());
            Process(worker.arg("worker").spawn().expect("a worker starts"))
        })
        .collect();
    let deliveries = loop {
        let deliveries = users_items::repositories::outbox::deliveries(&db)
            .await
            .expect("the outbox");
        if deliveries.iter().all(|(_, delivered, _, _)| *delivered) {
            break deliveries;
        }
        assert!(
            started_at.elapsed() < Duration::from_secs(20),
            "not delivered within 20 s: {deliveries:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    eprintln!(
        "{users} emails delivered by two workers in {:?}",
        started_at.elapsed()
    );
    // Exactly once: each tried once and recorded once by the mail sender.
    for (id, _, attempts, sent) in &deliveries {
        assert_eq!((attempts, sent), (&1, &1), "email {id}");
    }
    let queue = users_items::worker::queue(&db).await.expect("the queue");
    assert_eq!(queue.pending().await.expect("the queue"), 0);
    assert!(queue.parked().await.expect("the queue").is_empty());

    // SIGTERM: each worker stops cleanly.
    for Process(worker) in &mut workers {
        let terminated = Command::new("kill")
            .arg("-TERM")
            .arg(worker.id().to_string())
            .status()
            .expect("kill runs");
        assert!(terminated.success());
    }
    for Process(worker) in &mut workers {
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = worker.try_wait().expect("a status") {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "a worker did not stop on SIGTERM"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        assert!(status.success(), "{status}");
    }
}
