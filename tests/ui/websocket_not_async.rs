use fastrs::prelude::*;
use fastrs::websocket::WebSocket;

#[websocket("/ws")]
fn session(websocket: WebSocket) {
    let _ = websocket;
}

fn main() {
    let _ = App::new().route(session);
}
