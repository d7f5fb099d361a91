//! Port of FastAPI's WebSocket chat: clients join by id, what one writes
//! goes to everyone, leaving is announced, across every instance that
//! shares a broadcast backend; a session that needs a token
//! (a dependency) and takes an optional query parameter; and typed JSON
//! moves, validated, with Pydantic's error list for a bad one and a
//! normal close when the game is over.
//!
//! Run it with `PORT=8001 cargo run --release --example ws_chat`, then
//! connect with any WebSocket client, for instance
//! `websocat ws://127.0.0.1:8001/ws/1`. Start a second instance with
//! `PORT=8002` and the same `BROADCAST_URL=redis://127.0.0.1:6379` (or a
//! `postgres://` URL) as the first, and members of both are in one chat.

use fastrs::broadcast::{Broadcast, BroadcastError};
use fastrs::model::model_validate;
use fastrs::prelude::*;
use fastrs::websocket::{WebSocket, WebSocketError};
use serde_json::{json, Value};

// ANCHOR: chat
/// The chat's channel.
const CHAT: &str = "chat";

/// Where the chat's messages go: this process's memory, or the Redis or
/// PostgreSQL server named by `BROADCAST_URL` (`redis://...`,
/// `postgres://...`), which makes every instance started with the same
/// URL one chat.
#[dependency(scope = "app")]
async fn chat_room() -> Result<Broadcast, fastrs::Error> {
    match std::env::var("BROADCAST_URL") {
        Ok(url) if !url.is_empty() => Ok(Broadcast::connect(&url).await?),
        _ => Ok(Broadcast::memory()),
    }
}

#[websocket("/ws/{client_id}")]
async fn chat(
    mut websocket: WebSocket,
    client_id: i64,
    #[depends(chat_room)] room: &Broadcast,
) -> Result<(), WebSocketError> {
    // From here on, what anyone says reaches this client, until the
    // membership is dropped.
    let membership = room.subscribe(CHAT).await.map_err(unavailable)?;
    let membership = membership.forward_to(websocket.sender());
    loop {
        match websocket.receive_text().await {
            Ok(data) => {
                websocket.send_text(format!("You wrote: {data}")).await?;
                say(room, format!("Client #{client_id} says: {data}")).await;
            }
            Err(error) => {
                drop(membership);
                if let WebSocketError::Disconnected { .. } = error {
                    say(room, format!("Client #{client_id} left the chat")).await;
                }
                return Err(error);
            }
        }
    }
}

/// Tells everyone in the chat, on every instance.
async fn say(room: &Broadcast, message: String) {
    if let Err(error) = room.publish(CHAT, message).await {
        eprintln!("ws_chat: a message was not sent: {error}");
    }
}

/// A chat whose broadcast is down closes the session with 1011.
fn unavailable(error: BroadcastError) -> WebSocketError {
    WebSocketError::Closed {
        code: 1011,
        reason: error.to_string(),
    }
}
// ANCHOR_END: chat

// ANCHOR: session
/// The session token from the query; without one, the handshake is
/// refused (FastAPI's `WebSocketException(code=1008)`: a `403` to the
/// client).
#[dependency]
async fn get_token(token: Option<String>) -> Result<String, HttpError> {
    token.ok_or_else(|| HttpError::from_status(StatusCode::FORBIDDEN))
}

#[websocket("/items/{item_id}/ws")]
async fn item_session(
    mut websocket: WebSocket,
    item_id: String,
    q: Option<i64>,
    #[depends(get_token)] token: String,
) -> Result<(), WebSocketError> {
    loop {
        let data = websocket.receive_text().await?;
        websocket
            .send_text(format!("Session token value is: {token}"))
            .await?;
        if let Some(q) = q {
            websocket
                .send_text(format!("Query parameter q is: {q}"))
                .await?;
        }
        websocket
            .send_text(format!("Message text was: {data}, for item ID: {item_id}"))
            .await?;
    }
}
// ANCHOR_END: session

// ANCHOR: moves
#[model]
struct Move {
    #[field(ge = 0, le = 7)]
    x: i64,
    #[field(ge = 0, le = 7)]
    y: i64,
}

#[websocket("/moves")]
async fn moves(mut websocket: WebSocket) -> Result<(), WebSocketError> {
    loop {
        let data: Value = websocket.receive_json().await?;
        match model_validate::<Move>(&data) {
            Err(errors) => {
                let errors = json!({"errors": errors.without_location()});
                websocket.send_json(&errors).await?;
            }
            Ok(Move { x: 7, y: 7 }) => return websocket.close(1000, "game over").await,
            Ok(valid) => websocket.send_json(&json!({"ok": valid})).await?,
        }
    }
}
// ANCHOR_END: moves

/// The app, as the tests build it.
pub fn app() -> App {
    App::new()
        .route(chat)
        .route(item_session)
        .route(moves)
        .startup(chat_room)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
