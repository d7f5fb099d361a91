//! A server with one slow route, for the graceful-shutdown test: it serves
//! on HOST/PORT like any fastrs app, and `/slow` takes 800 ms.

use std::time::Duration;

use fastrs::prelude::*;

#[endpoint(GET "/slow")]
async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_millis(800)).await;
    "finished"
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    App::new().route(slow).serve().await
}
