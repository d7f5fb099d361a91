//! Port of FastAPI's WebSocket chat: clients join by id, what one writes
//! goes to everyone, leaving is announced; a session that needs a token
//! (a dependency) and takes an optional query parameter; and typed JSON
//! moves, validated, with Pydantic's error list for a bad one and a
//! normal close when the game is over.
//!
//! Run it with `PORT=8001 cargo run --release --example ws_chat`, then
//! connect with any WebSocket client, for instance
//! `websocat ws://127.0.0.1:8001/ws/1`.

use std::sync::Mutex;

use fastrs::model::model_validate;
use fastrs::prelude::*;
use fastrs::websocket::{WebSocket, WebSocketError, WebSocketSender};
use serde_json::{json, Value};

// ANCHOR: chat
/// Who is in the chat: a sender per member, by connection number.
#[derive(Default)]
pub struct ConnectionManager {
    active: Mutex<Vec<(u64, WebSocketSender)>>,
    joined: std::sync::atomic::AtomicU64,
}

impl ConnectionManager {
    fn connect(&self, websocket: &WebSocket) -> u64 {
        let id = self
            .joined
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.members().push((id, websocket.sender()));
        id
    }

    fn disconnect(&self, id: u64) {
        self.members().retain(|(member, _)| *member != id);
    }

    async fn broadcast(&self, message: &str) {
        let members: Vec<WebSocketSender> = self.members().iter().map(|(_, s)| s.clone()).collect();
        for member in members {
            // A member who has just left is skipped.
            let _ = member.send_text(message).await;
        }
    }

    fn members(&self) -> std::sync::MutexGuard<'_, Vec<(u64, WebSocketSender)>> {
        self.active.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[dependency(scope = "app")]
async fn manager() -> ConnectionManager {
    ConnectionManager::default()
}

#[websocket("/ws/{client_id}")]
async fn chat(
    mut websocket: WebSocket,
    client_id: i64,
    manager: Depends<ConnectionManager>,
) -> Result<(), WebSocketError> {
    let me = manager.connect(&websocket);
    loop {
        match websocket.receive_text().await {
            Ok(data) => {
                websocket.send_text(format!("You wrote: {data}")).await?;
                manager
                    .broadcast(&format!("Client #{client_id} says: {data}"))
                    .await;
            }
            Err(error) => {
                manager.disconnect(me);
                if let WebSocketError::Disconnected { .. } = error {
                    manager
                        .broadcast(&format!("Client #{client_id} left the chat"))
                        .await;
                }
                return Err(error);
            }
        }
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
    App::new().route(chat).route(item_session).route(moves)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
