//! `fastrs::broadcast`: publish/subscribe in memory, as a dependency of an
//! HTTP and a WebSocket endpoint (a subscription ends with its socket),
//! and across two handles on Redis (`TEST_REDIS_URL`) and PostgreSQL
//! (`TEST_DATABASE_URL`), each connected as a separate process would be:
//! delivery between them, unsubscribing at the server, and a connection
//! killed by the server made again. Without those variables the server
//! tests say why and pass.

use std::time::Duration;

use fastrs::broadcast::{Broadcast, BroadcastError, Subscription};
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use fastrs::websocket::{WebSocket, WebSocketError};

/// The next message's text, within five seconds.
async fn next(subscription: &mut Subscription) -> Option<String> {
    tokio::time::timeout(Duration::from_secs(5), subscription.recv())
        .await
        .expect("no message within 5 s")
        .map(|m| m.payload().to_owned())
}

/// A channel name no other test uses.
fn channel(test: &str) -> String {
    format!("fastrs-test-{test}-{}", std::process::id())
}

#[tokio::test]
async fn a_message_reaches_every_subscriber_of_its_channel_only() {
    let broadcast = Broadcast::memory();
    let mut first = broadcast.subscribe("room").await.unwrap();
    let mut second = broadcast.subscribe("room").await.unwrap();
    let mut elsewhere = broadcast.subscribe("other").await.unwrap();
    broadcast.publish("room", "hello").await.unwrap();
    broadcast
        .publish_json("room", &serde_json::json!({"n": 1}))
        .await
        .unwrap();
    assert_eq!(next(&mut first).await.as_deref(), Some("hello"));
    assert_eq!(next(&mut second).await.as_deref(), Some("hello"));
    let json = first.recv().await.unwrap();
    assert_eq!(json.channel(), "room");
    assert_eq!(
        json.json::<serde_json::Value>().unwrap(),
        serde_json::json!({"n": 1})
    );
    broadcast.publish("other", "there").await.unwrap();
    assert_eq!(next(&mut elsewhere).await.as_deref(), Some("there"));
}

#[tokio::test]
async fn dropping_the_last_subscription_removes_the_channel() {
    let broadcast = Broadcast::memory();
    let first = broadcast.subscribe("room").await.unwrap();
    let second = broadcast.subscribe("room").await.unwrap();
    assert_eq!(broadcast.subscribers("room"), 2);
    drop(first);
    assert_eq!(broadcast.subscribers("room"), 1);
    drop(second);
    assert_eq!(broadcast.subscribers("room"), 0);
    // Publishing to nobody is not an error.
    broadcast.publish("room", "lost").await.unwrap();
}

#[tokio::test]
async fn a_subscriber_that_falls_behind_is_dropped() {
    let broadcast = Broadcast::connect_with_capacity("memory://", 2)
        .await
        .unwrap();
    let mut slow = broadcast.subscribe("room").await.unwrap();
    for n in 0..5 {
        broadcast.publish("room", n.to_string()).await.unwrap();
    }
    assert_eq!(slow.recv().await, None, "dropped, not growing");
}

#[tokio::test]
async fn bad_channels_and_urls_are_refused() {
    let broadcast = Broadcast::memory();
    for bad in ["", "two\nlines", &"x".repeat(201)] {
        assert!(matches!(
            broadcast.publish(bad, "m").await,
            Err(BroadcastError::Channel(_))
        ));
        assert!(matches!(
            broadcast.subscribe(bad).await,
            Err(BroadcastError::Channel(_))
        ));
    }
    let error = Broadcast::connect("amqp://localhost").await.unwrap_err();
    assert!(error.to_string().contains("redis://"), "{error}");
    assert!(Broadcast::connect_with_capacity("memory://", 0)
        .await
        .is_err());
}

// ANCHOR: endpoints
#[dependency(scope = "app")]
async fn news() -> Broadcast {
    Broadcast::memory()
}

/// Sends `text` to everyone following the news.
#[endpoint(POST "/news", status = 202)]
async fn post_news(text: String, news: Depends<Broadcast>) -> Result<Json<String>, HttpError> {
    news.publish("news", text)
        .await
        .map_err(|e| HttpError::new(StatusCode::BAD_GATEWAY, e.to_string()))?;
    Ok(Json("sent".to_owned()))
}

/// Follows the news until the client leaves.
#[websocket("/news/ws")]
async fn follow_news(
    mut websocket: WebSocket,
    news: Depends<Broadcast>,
) -> Result<(), WebSocketError> {
    let subscription = news
        .subscribe("news")
        .await
        .map_err(|e| WebSocketError::Closed {
            code: 1011,
            reason: e.to_string(),
        })?;
    let _forwarding = subscription.forward_to(websocket.sender());
    websocket.send_text("following").await?;
    loop {
        websocket.receive_text().await?;
    }
}
// ANCHOR_END: endpoints

#[tokio::test]
async fn endpoints_publish_and_a_closed_socket_unsubscribes() {
    let app = App::new().route(post_news).route(follow_news);
    let client = TestClient::new(app);
    let mut socket = client.websocket("/news/ws").connect().await.unwrap();
    assert_eq!(socket.receive_text().await, "following");
    let posted = client.post("/news?text=rain").send().await;
    assert_eq!(posted.status(), 202);
    assert_eq!(socket.receive_text().await, "rain");

    let news = client.app().resolve::<Broadcast, _>().await.unwrap();
    assert_eq!(news.subscribers("news"), 1);
    socket.close(1000).await;
    // The session ends, its forwarding stops, the subscription is gone.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while news.subscribers("news") > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the closed socket's subscription is still there"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Publishes `message` on `from` until `to` receives it: a remote backend
/// delivers only once its connection is subscribed, and a test that kills
/// connections may be running beside this one.
async fn publish_until_received(
    from: &Broadcast,
    to: &mut Subscription,
    message: &str,
) -> Result<(), String> {
    let channel = to.channel().to_owned();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while tokio::time::Instant::now() < deadline {
        // Failing to publish while a connection is made again is allowed.
        let _ = from.publish(&channel, message).await;
        if let Ok(Some(received)) =
            tokio::time::timeout(Duration::from_millis(300), to.recv()).await
        {
            if received.payload() == message {
                return Ok(());
            }
        }
    }
    Err(format!("{message:?} never arrived on {channel}"))
}

async fn across_two_processes(url: &str, name: &str) {
    // Two handles, each with its own connections: two replicas.
    let first = Broadcast::connect(url).await.unwrap();
    let second = Broadcast::connect(url).await.unwrap();
    let channel = channel(name);
    let mut on_second = second.subscribe(&channel).await.unwrap();
    first.publish(&channel, "from the first").await.unwrap();
    assert_eq!(
        next(&mut on_second).await.as_deref(),
        Some("from the first")
    );
    let mut on_first = first.subscribe(&channel).await.unwrap();
    second.publish(&channel, "from the second").await.unwrap();
    // On PostgreSQL a new LISTEN may still be handed a notification
    // committed just before it (the server's semantics, documented): the
    // first's own earlier message may come first, nothing else.
    let mut received = next(&mut on_first).await;
    if received.as_deref() == Some("from the first") {
        received = next(&mut on_first).await;
    }
    assert_eq!(received.as_deref(), Some("from the second"));
    assert_eq!(
        next(&mut on_second).await.as_deref(),
        Some("from the second")
    );
}

fn server(variable: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!("skipped: set {variable} to run this test against a real server");
            None
        }
    }
}

mod on_redis {
    use super::*;

    async fn redis(url: &str) -> redis::aio::MultiplexedConnection {
        redis::Client::open(url)
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap()
    }

    /// How many Redis clients subscribe to `channel` (`PUBSUB NUMSUB`).
    async fn subscribed(url: &str, channel: &str) -> i64 {
        let (_, count): (String, i64) = redis::cmd("PUBSUB")
            .arg("NUMSUB")
            .arg(channel)
            .query_async(&mut redis(url).await)
            .await
            .unwrap();
        count
    }

    #[tokio::test]
    async fn two_processes_see_each_others_messages() {
        let Some(url) = server("TEST_REDIS_URL") else {
            return;
        };
        across_two_processes(&url, "redis-two").await;
    }

    #[tokio::test]
    async fn the_last_subscription_gone_unsubscribes_at_the_server() {
        let Some(url) = server("TEST_REDIS_URL") else {
            return;
        };
        let broadcast = Broadcast::connect(&url).await.unwrap();
        let channel = channel("redis-unsubscribe");
        let first = broadcast.subscribe(&channel).await.unwrap();
        let second = broadcast.subscribe(&channel).await.unwrap();
        assert_eq!(
            subscribed(&url, &channel).await,
            1,
            "one connection per process"
        );
        drop(first);
        drop(second);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while subscribed(&url, &channel).await > 0 {
            assert!(tokio::time::Instant::now() < deadline, "still subscribed");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    #[tokio::test]
    async fn a_killed_connection_is_made_again() {
        let Some(url) = server("TEST_REDIS_URL") else {
            return;
        };
        let publisher = Broadcast::connect(&url).await.unwrap();
        let listener = Broadcast::connect(&url).await.unwrap();
        let channel = channel("redis-reconnect");
        let mut subscription = listener.subscribe(&channel).await.unwrap();
        publish_until_received(&publisher, &mut subscription, "before")
            .await
            .unwrap();
        // The server drops every pub/sub connection and every publishing
        // connection of this test's handles.
        let _: () = redis::cmd("CLIENT")
            .arg("KILL")
            .arg("TYPE")
            .arg("pubsub")
            .query_async(&mut redis(&url).await)
            .await
            .unwrap();
        publish_until_received(&publisher, &mut subscription, "after")
            .await
            .unwrap();
        assert_eq!(subscribed(&url, &channel).await, 1);
    }
}

mod on_postgres {
    use super::*;
    use sqlx::Connection;

    #[tokio::test]
    async fn two_processes_see_each_others_messages() {
        let Some(url) = server("TEST_DATABASE_URL") else {
            return;
        };
        across_two_processes(&url, "pg-two").await;
    }

    #[tokio::test]
    async fn a_message_too_large_for_notify_is_refused() {
        let Some(url) = server("TEST_DATABASE_URL") else {
            return;
        };
        let broadcast = Broadcast::connect(&url).await.unwrap();
        let error = broadcast
            .publish("big", "x".repeat(8000))
            .await
            .unwrap_err();
        assert!(matches!(error, BroadcastError::Message(_)), "{error}");
    }

    #[tokio::test]
    async fn a_killed_connection_is_made_again() {
        let Some(url) = server("TEST_DATABASE_URL") else {
            return;
        };
        // This test's connections carry their own name, so that only they
        // are terminated.
        let separator = if url.contains('?') { '&' } else { '?' };
        let named = format!("{url}{separator}application_name=fastrs_reconnect_test");
        let publisher = Broadcast::connect(&url).await.unwrap();
        let listener = Broadcast::connect(&named).await.unwrap();
        let channel = channel("pg-reconnect");
        let mut subscription = listener.subscribe(&channel).await.unwrap();
        publish_until_received(&publisher, &mut subscription, "before")
            .await
            .unwrap();
        let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
        let killed: Vec<(bool,)> = sqlx::query_as(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE application_name = 'fastrs_reconnect_test'",
        )
        .fetch_all(&mut admin)
        .await
        .unwrap();
        assert!(!killed.is_empty(), "the listener's connection was found");
        publish_until_received(&publisher, &mut subscription, "after")
            .await
            .unwrap();
        publish_until_received(&listener, &mut subscription, "from the killed pool")
            .await
            .unwrap();
    }
}
