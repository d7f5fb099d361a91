//! WebSockets against bad clients and for the dependency lifecycle: a
//! message over the size limit closes with 1009; malformed frames (10,000
//! of them over 100 connections) get a close, never a panic, and the
//! server goes on; pings are answered; request-scoped dependencies live
//! until the session ends; a failed session closes with 1011.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fastrs::di::Yield;
use fastrs::prelude::*;
use fastrs::websocket::{WebSocket, WebSocketError};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::Message;

#[websocket("/echo")]
async fn echo(mut ws: WebSocket) -> Result<(), WebSocketError> {
    loop {
        match ws.receive().await? {
            fastrs::websocket::Message::Text(text) => ws.send_text(text).await?,
            fastrs::websocket::Message::Binary(bytes) => ws.send_bytes(bytes).await?,
        }
    }
}

static LOG: std::sync::LazyLock<Mutex<Vec<String>>> = std::sync::LazyLock::new(Mutex::default);

fn log(line: &str) {
    LOG.lock().unwrap().push(line.to_owned());
}

/// A database session the WebSocket session reads from while it runs.
struct Session(Arc<AtomicBool>);

#[dependency]
async fn session() -> Yield<Session> {
    let closed = Arc::new(AtomicBool::new(false));
    let flag = closed.clone();
    Yield::new(Session(closed), move |_| async move {
        flag.store(true, Ordering::SeqCst);
        log("session closed");
        Ok(())
    })
}

#[websocket("/with-session")]
async fn with_session(mut ws: WebSocket, session: Depends<Session>) -> Result<(), WebSocketError> {
    let _ = ws.receive_text().await?;
    let state = if session.0.load(Ordering::SeqCst) {
        "closed"
    } else {
        "open"
    };
    ws.send_text(state).await?;
    log("handler returns");
    Ok(())
}

#[derive(Debug)]
struct Broken;

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the store is down")
    }
}

#[websocket("/fails")]
async fn fails(mut ws: WebSocket) -> Result<(), Broken> {
    ws.accept().await.map_err(|_| Broken)?;
    Err(Broken)
}

async fn start(app: App) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(app.serve_with(listener, std::future::pending()));
    address
}

fn app() -> App {
    App::new().route(echo).route(with_session).route(fails)
}

/// The next close frame's code, skipping other messages; `None` when the
/// connection ends without one.
async fn close_code<S>(client: &mut S) -> Option<u16>
where
    S: futures_util::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    loop {
        match tokio::time::timeout(Duration::from_secs(5), client.next())
            .await
            .ok()?
        {
            Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
            Some(Ok(_)) => continue,
            _ => return None,
        }
    }
}

#[tokio::test]
async fn a_message_over_the_limit_closes_with_1009() {
    // The default limit: 1 MiB.
    let address = start(app()).await;
    let (mut client, _) = connect_async(format!("ws://{address}/echo")).await.unwrap();
    client
        .send(Message::text("x".repeat(1 << 20)))
        .await
        .unwrap();
    assert_eq!(
        client.next().await.unwrap().unwrap().len(),
        1 << 20,
        "1 MiB is allowed"
    );
    client
        .send(Message::binary(vec![0u8; (1 << 20) + 1]))
        .await
        .unwrap();
    assert_eq!(close_code(&mut client).await, Some(1009));

    // A smaller limit of the app's choosing.
    let address = start(app().websocket_max_message(100)).await;
    let (mut client, _) = connect_async(format!("ws://{address}/echo")).await.unwrap();
    client.send(Message::text("y".repeat(101))).await.unwrap();
    assert_eq!(close_code(&mut client).await, Some(1009));
}

#[tokio::test]
async fn pings_are_answered_and_messages_of_both_kinds_echoed() {
    let address = start(app()).await;
    let (mut client, _) = connect_async(format!("ws://{address}/echo")).await.unwrap();
    client
        .send(Message::Ping(b"are you there".to_vec().into()))
        .await
        .unwrap();
    client.send(Message::text("text")).await.unwrap();
    client.send(Message::binary(vec![1, 2, 3])).await.unwrap();
    let mut seen = Vec::new();
    while seen.len() < 3 {
        seen.push(client.next().await.unwrap().unwrap());
    }
    assert_eq!(
        seen,
        [
            Message::Pong(b"are you there".to_vec().into()),
            Message::text("text"),
            Message::binary(vec![1, 2, 3]),
        ]
    );
}

/// A WebSocket handshake by hand, so that the test can then send bytes no
/// client library would.
async fn raw_handshake(address: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let request = "GET /echo HTTP/1.1\r\nHost: test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
                   Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).await.unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    assert!(
        head.starts_with("HTTP/1.1 101 Switching Protocols"),
        "{head}"
    );
    // RFC 6455's own example key and answer.
    assert!(
        head.contains("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
        "{head}"
    );
    stream
}

#[tokio::test]
async fn ten_thousand_malformed_frames_get_closes_never_a_panic() {
    let address = start(app()).await;
    // Three kinds of malformed frame, 100 connections, 100 frames each:
    // unmasked (a client must mask), reserved bits set, an unknown opcode.
    let kinds: [&[u8]; 3] = [
        &[0x81, 0x02, b'h', b'i'],
        &[0xF1, 0x82, 0, 0, 0, 0, b'h', b'i'],
        &[0x83, 0x80, 0, 0, 0, 0],
    ];
    for connection in 0..100 {
        let frame = kinds[connection % kinds.len()];
        let mut stream = raw_handshake(address).await;
        let _ = stream.write_all(&frame.repeat(100)).await;
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
        // A close frame (0x88) with 1002, protocol error.
        assert!(
            answer.len() >= 4 && answer[0] == 0x88 && answer[2..4] == [0x03, 0xEA],
            "connection {connection}: {answer:?}"
        );
    }
    // The server is still there.
    let (mut client, _) = connect_async(format!("ws://{address}/echo")).await.unwrap();
    client.send(Message::text("fine")).await.unwrap();
    assert_eq!(client.next().await.unwrap().unwrap(), Message::text("fine"));
}

#[tokio::test]
async fn a_dependency_lives_until_the_session_ends_and_a_failure_closes_1011() {
    let address = start(app()).await;
    let (mut client, _) = connect_async(format!("ws://{address}/with-session"))
        .await
        .unwrap();
    client.send(Message::text("state?")).await.unwrap();
    assert_eq!(client.next().await.unwrap().unwrap(), Message::text("open"));
    assert_eq!(close_code(&mut client).await, Some(1000));
    for _ in 0..100 {
        if LOG.lock().unwrap().len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(*LOG.lock().unwrap(), ["handler returns", "session closed"]);

    let (mut client, _) = connect_async(format!("ws://{address}/fails"))
        .await
        .unwrap();
    assert_eq!(close_code(&mut client).await, Some(1011));
}

#[websocket("/whoami")]
async fn whoami(
    mut ws: WebSocket,
    x_client: Header<String>,
    session: Cookie<Option<String>>,
) -> Result<(), WebSocketError> {
    let session = session.0.unwrap_or_else(|| "none".into());
    ws.send_text(format!("{} with session {session}", x_client.0))
        .await
}

#[tokio::test]
async fn headers_and_cookies_are_read_from_the_handshake() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let address = start(App::new().route(whoami)).await;
    let mut request = format!("ws://{address}/whoami")
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("x-client", "tests".parse().unwrap());
    request
        .headers_mut()
        .insert("cookie", "session=abc".parse().unwrap());
    let (mut client, _) = connect_async(request).await.unwrap();
    assert_eq!(
        client.next().await.unwrap().unwrap(),
        Message::text("tests with session abc")
    );
    assert_eq!(close_code(&mut client).await, Some(1000));
    // A required header missing: the handshake is refused.
    let refused = connect_async(format!("ws://{address}/whoami")).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 403)
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A user looked up from the handshake's token.
struct User(String);

#[dependency]
async fn current_user(token: Option<String>) -> Result<User, HttpError> {
    match token.as_deref() {
        Some("secret") => Ok(User("ann".into())),
        _ => Err(HttpError::from_status(StatusCode::FORBIDDEN)),
    }
}

#[dependency(for_override)]
async fn test_user() -> Result<User, HttpError> {
    Ok(User("tester".into()))
}

#[websocket("/greet")]
async fn greet(mut ws: WebSocket, user: Depends<User>) -> Result<(), WebSocketError> {
    let text = ws.receive_text().await?;
    ws.send_json(&serde_json::json!({"user": user.0, "said": text}))
        .await
}

#[tokio::test]
async fn the_test_client_runs_sessions_in_process_with_overrides() {
    use fastrs::testing::TestClient;
    let client = TestClient::new(App::new().route(greet));
    let refused = client.websocket("/greet").connect().await.unwrap_err();
    assert_eq!(refused.status(), 403);
    assert_eq!(refused.text(), "");

    let mut ws = client
        .websocket("/greet?token=secret")
        .connect()
        .await
        .unwrap();
    ws.send_text("hello").await;
    assert_eq!(
        ws.receive_json::<serde_json::Value>().await,
        serde_json::json!({"user": "ann", "said": "hello"})
    );
    assert_eq!(ws.receive_close().await, (1000, String::new()));

    // FastAPI's dependency_overrides, for a WebSocket route.
    let app = App::new()
        .route(greet)
        .dependency_override(current_user, test_user);
    let client = TestClient::new(app);
    let mut ws = client.websocket("/greet").connect().await.unwrap();
    ws.send_text("hi").await;
    assert_eq!(
        ws.receive_json::<serde_json::Value>().await,
        serde_json::json!({"user": "tester", "said": "hi"})
    );
}

#[endpoint(GET "/not-a-websocket-route")]
async fn misplaced(_ws: WebSocket) -> &'static str {
    "never"
}

#[tokio::test]
async fn a_websocket_argument_in_an_http_endpoint_fails_instead_of_hanging() {
    use fastrs::testing::TestClient;
    let client = TestClient::new(App::new().route(misplaced));
    let answer = tokio::time::timeout(Duration::from_secs(5), async {
        client
            .websocket("/not-a-websocket-route")
            .connect()
            .await
            .unwrap_err()
    })
    .await
    .expect("the handshake is answered");
    assert_eq!(answer.status(), 403);
    assert_eq!(client.get("/not-a-websocket-route").await.status(), 500);
}
