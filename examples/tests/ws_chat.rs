//! FastAPI's answers for every step of `ws_chat`, pinned as literals (the
//! FastAPI app this example ports, FastAPI 0.165 on uvicorn, driven by Python's
//! `websockets`, copied here), driven by a real WebSocket client over a
//! socket: the chat with its broadcast and leave announcement, 100
//! members at once, a member that vanishes without closing, the token
//! session and its refused handshakes, and typed moves with Pydantic's
//! error list and a normal close.
//!
//! Where fastrs answers differently, on purpose: a message that is not
//! JSON (or binary where text is expected) closes with 1007 (or 1003)
//! and a reason, where FastAPI's unhandled exception drops the
//! connection without a close frame; a JSON move may come as a binary
//! message.

#[path = "../ws_chat.rs"]
#[allow(dead_code)]
mod example;

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::{Error, Message};
use tokio_tungstenite::{connect_async, MaybeTlsStream, WebSocketStream};

type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;

async fn start() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(example::app().serve_with(listener, std::future::pending()));
    address
}

async fn connect(address: SocketAddr, path: &str) -> Client {
    let (client, response) = connect_async(format!("ws://{address}{path}"))
        .await
        .unwrap_or_else(|e| panic!("connecting to {path}: {e}"));
    assert_eq!(response.status(), 101);
    client
}

/// The next text message, within five seconds.
async fn text(client: &mut Client) -> String {
    let next = tokio::time::timeout(Duration::from_secs(5), client.next()).await;
    match next.expect("no message within 5 s") {
        Some(Ok(Message::Text(text))) => text.as_str().to_owned(),
        other => panic!("expected a text message, got {other:?}"),
    }
}

/// The close frame the server sends next: its code and reason.
async fn close_of(client: &mut Client) -> (u16, String) {
    loop {
        let next = tokio::time::timeout(Duration::from_secs(5), client.next()).await;
        match next.expect("no close within 5 s") {
            Some(Ok(Message::Close(Some(frame)))) => {
                return (u16::from(frame.code), frame.reason.as_str().to_owned())
            }
            Some(Ok(Message::Close(None))) => return (1005, String::new()),
            Some(Ok(_)) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
}

/// The status a refused handshake gets.
async fn refused(address: SocketAddr, path: &str) -> u16 {
    match connect_async(format!("ws://{address}{path}")).await {
        Err(Error::Http(response)) => response.status().as_u16(),
        Ok(_) => panic!("{path} was accepted"),
        Err(other) => panic!("{path}: {other}"),
    }
}

#[tokio::test]
async fn the_chat_echoes_broadcasts_and_announces_who_left() {
    let address = start().await;
    let mut a = connect(address, "/ws/1").await;
    let mut b = connect(address, "/ws/2").await;
    a.send(Message::text("hi")).await.unwrap();
    assert_eq!(text(&mut a).await, "You wrote: hi");
    assert_eq!(text(&mut a).await, "Client #1 says: hi");
    assert_eq!(text(&mut b).await, "Client #1 says: hi");
    b.close(None).await.unwrap();
    assert_eq!(text(&mut a).await, "Client #2 left the chat");
    a.close(None).await.unwrap();
}

#[tokio::test]
async fn a_hundred_members_at_once_all_hear_each_message() {
    let address = start().await;
    let mut members = Vec::new();
    for id in 0..100 {
        members.push(connect(address, &format!("/ws/{id}")).await);
    }
    members[42].send(Message::text("hello all")).await.unwrap();
    assert_eq!(text(&mut members[42]).await, "You wrote: hello all");
    for member in &mut members {
        assert_eq!(text(member).await, "Client #42 says: hello all");
    }
}

#[tokio::test]
async fn a_member_that_vanishes_without_closing_is_announced() {
    let address = start().await;
    let mut stays = connect(address, "/ws/1").await;
    let vanishes = connect(address, "/ws/7").await;
    // The TCP connection goes away without a close frame.
    drop(vanishes);
    assert_eq!(text(&mut stays).await, "Client #7 left the chat");
    // The chat goes on.
    stays.send(Message::text("still here")).await.unwrap();
    assert_eq!(text(&mut stays).await, "You wrote: still here");
    assert_eq!(text(&mut stays).await, "Client #1 says: still here");
}

#[tokio::test]
async fn a_session_echoes_its_token_query_and_item() {
    let address = start().await;
    let mut session = connect(address, "/items/foo/ws?token=some-token&q=3").await;
    session.send(Message::text("hello")).await.unwrap();
    assert_eq!(
        text(&mut session).await,
        "Session token value is: some-token"
    );
    assert_eq!(text(&mut session).await, "Query parameter q is: 3");
    assert_eq!(
        text(&mut session).await,
        "Message text was: hello, for item ID: foo"
    );
    // Without q, no q line.
    let mut session = connect(address, "/items/foo/ws?token=t").await;
    session.send(Message::text("x")).await.unwrap();
    assert_eq!(text(&mut session).await, "Session token value is: t");
    assert_eq!(
        text(&mut session).await,
        "Message text was: x, for item ID: foo"
    );
}

#[tokio::test]
async fn a_handshake_that_fails_its_parameters_or_dependency_is_refused_403() {
    let address = start().await;
    // No token (the dependency refuses), a q that is not an integer, a
    // client id that is not an integer, a path with no route.
    for path in [
        "/items/foo/ws",
        "/items/foo/ws?token=t&q=x",
        "/ws/abc",
        "/nope",
    ] {
        assert_eq!(refused(address, path).await, 403, "{path}");
    }
    // A plain GET of a WebSocket route is Starlette's 404.
    let answer = plain_get(address, "/ws/1").await;
    assert!(answer.starts_with("HTTP/1.1 404 Not Found"), "{answer}");
    assert!(answer.ends_with("{\"detail\":\"Not Found\"}"), "{answer}");
}

/// A plain HTTP GET over a socket, the raw answer.
async fn plain_get(address: SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = TcpStream::connect(address).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}

#[tokio::test]
async fn moves_are_validated_with_pydantics_error_list_and_the_game_ends_with_1000() {
    let address = start().await;
    let mut game = connect(address, "/moves").await;
    let mut send = async |value: Value| {
        game.send(Message::text(value.to_string())).await.unwrap();
        serde_json::from_str::<Value>(&text(&mut game).await).unwrap()
    };
    assert_eq!(
        send(json!({"x": 1, "y": 2})).await,
        json!({"ok": {"x": 1, "y": 2}})
    );
    assert_eq!(
        send(json!({"x": 9, "y": "a"})).await,
        json!({"errors": [
            {"type": "less_than_equal", "loc": ["x"], "msg": "Input should be less than or equal to 7", "input": 9, "ctx": {"le": 7}},
            {"type": "int_parsing", "loc": ["y"], "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "a"}
        ]})
    );
    assert_eq!(
        send(json!([1])).await,
        json!({"errors": [{"type": "model_type", "loc": [], "msg": "Input should be a valid dictionary or instance of Move", "input": [1], "ctx": {"class_name": "Move"}}]})
    );
    game.send(Message::text(r#"{"x": 7, "y": 7}"#))
        .await
        .unwrap();
    assert_eq!(close_of(&mut game).await, (1000, "game over".to_owned()));
}

#[tokio::test]
async fn a_message_that_is_not_json_or_not_text_closes_with_its_code() {
    let address = start().await;
    let mut game = connect(address, "/moves").await;
    game.send(Message::text("not json")).await.unwrap();
    assert_eq!(
        close_of(&mut game).await,
        (1007, "the message is not valid JSON".to_owned())
    );
    let mut member = connect(address, "/ws/5").await;
    member.send(Message::binary(&b"bin"[..])).await.unwrap();
    assert_eq!(
        close_of(&mut member).await,
        (1003, "expected a text message".to_owned())
    );
}

// ANCHOR: test_client
#[tokio::test]
async fn the_test_client_runs_a_session_in_process() {
    let client = fastrs::testing::TestClient::new(example::app());
    let mut ws = client
        .websocket("/items/foo/ws?token=some-token")
        .connect()
        .await
        .unwrap();
    ws.send_text("hello").await;
    assert_eq!(
        ws.receive_text().await,
        "Session token value is: some-token"
    );
    assert_eq!(
        ws.receive_text().await,
        "Message text was: hello, for item ID: foo"
    );
    // Without a token, the handshake is refused.
    let refused = client
        .websocket("/items/foo/ws")
        .connect()
        .await
        .unwrap_err();
    assert_eq!(refused.status(), 403);
}
// ANCHOR_END: test_client

/// One `ws_chat` process, started with `BROADCAST_URL`, killed when
/// dropped.
struct Instance {
    process: std::process::Child,
    address: SocketAddr,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// The example's binary, which `cargo test` builds beside this test.
fn example_binary() -> std::path::PathBuf {
    let test = std::env::current_exe().unwrap();
    let profile = test.parent().and_then(|deps| deps.parent()).unwrap();
    let binary = profile
        .join("examples")
        .join(format!("ws_chat{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "{} is missing: `cargo test --workspace` builds it (or `cargo build --example ws_chat`)",
        binary.display()
    );
    binary
}

async fn instance(broadcast_url: &str) -> Instance {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let process = std::process::Command::new(example_binary())
        .env("PORT", port.to_string())
        .env("HOST", "127.0.0.1")
        .env("BROADCAST_URL", broadcast_url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut instance = Instance {
        process,
        address: SocketAddr::from(([127, 0, 0, 1], port)),
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(instance.address).await.is_err() {
        if let Ok(Some(status)) = instance.process.try_wait() {
            panic!("ws_chat with BROADCAST_URL={broadcast_url} exited: {status}");
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "ws_chat did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    instance
}

/// Two processes on one broadcast backend are one chat: each member sees
/// the other's messages and leaving, in FastAPI's words.
async fn two_instances_are_one_chat(broadcast_url: &str) {
    let first = instance(broadcast_url).await;
    let second = instance(broadcast_url).await;
    let mut a = connect(first.address, "/ws/1").await;
    // A member's own "says" line comes back through the backend: once it
    // has, the member's subscription is live.
    a.send(Message::text("ready")).await.unwrap();
    assert_eq!(text(&mut a).await, "You wrote: ready");
    assert_eq!(text(&mut a).await, "Client #1 says: ready");
    let mut b = connect(second.address, "/ws/2").await;
    b.send(Message::text("hello from two")).await.unwrap();
    assert_eq!(text(&mut b).await, "You wrote: hello from two");
    assert_eq!(text(&mut b).await, "Client #2 says: hello from two");
    assert_eq!(text(&mut a).await, "Client #2 says: hello from two");

    a.send(Message::text("hi")).await.unwrap();
    assert_eq!(text(&mut a).await, "You wrote: hi");
    assert_eq!(text(&mut a).await, "Client #1 says: hi");
    assert_eq!(text(&mut b).await, "Client #1 says: hi");
    b.close(None).await.unwrap();
    assert_eq!(text(&mut a).await, "Client #2 left the chat");
}

fn server(variable: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!("skipped: set {variable} to run the two-process chat on that server");
            None
        }
    }
}

#[tokio::test]
async fn two_processes_on_redis_are_one_chat() {
    if let Some(url) = server("TEST_REDIS_URL") {
        two_instances_are_one_chat(&url).await;
    }
}

#[tokio::test]
async fn two_processes_on_postgres_are_one_chat() {
    if let Some(url) = server("TEST_DATABASE_URL") {
        two_instances_are_one_chat(&url).await;
    }
}
