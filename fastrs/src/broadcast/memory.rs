//! The in-memory backend, which is also every backend's local fan-out: the
//! channels that have subscribers in this process, each a tokio broadcast
//! channel of bounded capacity. A channel is created by its first
//! subscriber and removed with its last, so nothing grows with channels
//! nobody listens to.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::broadcast;

use super::Message;

/// The local channels and their subscribers.
pub(crate) struct Hub {
    topics: Mutex<HashMap<Arc<str>, Topic>>,
    capacity: usize,
}

struct Topic {
    name: Arc<str>,
    sender: broadcast::Sender<Message>,
    /// Live `Subscription`s (counted here, under the lock, so that two
    /// dropped at once agree on which is the last).
    subscribers: usize,
}

impl Hub {
    pub(crate) fn new(capacity: usize) -> Hub {
        Hub {
            topics: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    fn topics(&self) -> MutexGuard<'_, HashMap<Arc<str>, Topic>> {
        // A panic while holding the lock leaves the map consistent (every
        // change is one insert or remove): keep using it.
        self.topics.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A receiver on `channel`, the channel's shared name, and whether it
    /// is the channel's first subscriber here.
    pub(crate) fn subscribe(
        &self,
        channel: &str,
    ) -> (Arc<str>, broadcast::Receiver<Message>, bool) {
        let mut topics = self.topics();
        if let Some(topic) = topics.get_mut(channel) {
            topic.subscribers += 1;
            return (topic.name.clone(), topic.sender.subscribe(), false);
        }
        let name: Arc<str> = Arc::from(channel);
        let (sender, receiver) = broadcast::channel(self.capacity);
        topics.insert(
            name.clone(),
            Topic {
                name: name.clone(),
                sender,
                subscribers: 1,
            },
        );
        (name, receiver, true)
    }

    /// One subscriber of `channel` is gone; true when it was the last (the
    /// channel is removed).
    pub(crate) fn unsubscribe(&self, channel: &str) -> bool {
        let mut topics = self.topics();
        let Some(topic) = topics.get_mut(channel) else {
            return false;
        };
        topic.subscribers -= 1;
        if topic.subscribers > 0 {
            return false;
        }
        topics.remove(channel);
        true
    }

    /// Hands `payload` to the subscribers of `channel` here, if any.
    pub(crate) fn deliver(&self, channel: &str, payload: Arc<str>) {
        let topics = self.topics();
        if let Some(topic) = topics.get(channel) {
            // No receiver left (all dropping right now) is not an error.
            let _ = topic.sender.send(Message {
                channel: topic.name.clone(),
                payload,
            });
        }
    }

    pub(crate) fn subscribers(&self, channel: &str) -> usize {
        self.topics().get(channel).map_or(0, |t| t.subscribers)
    }

    /// Whether `channel` has subscribers here.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn has(&self, channel: &str) -> bool {
        self.topics().contains_key(channel)
    }

    /// The channels with subscribers here (what a reconnected backend
    /// subscribes to again).
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn channels(&self) -> Vec<Arc<str>> {
        self.topics().keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_channel_lives_from_its_first_subscriber_to_its_last() {
        let hub = Hub::new(4);
        let (_, _a, first) = hub.subscribe("room");
        assert!(first);
        let (_, _b, first) = hub.subscribe("room");
        assert!(!first);
        assert_eq!(hub.subscribers("room"), 2);
        assert!(!hub.unsubscribe("room"));
        assert!(hub.unsubscribe("room"));
        assert!(!hub.has("room"));
        assert!(hub.channels().is_empty());
    }

    #[test]
    fn delivery_reaches_only_the_channel_named() {
        let hub = Hub::new(4);
        let (_, mut room, _) = hub.subscribe("room");
        let (_, mut other, _) = hub.subscribe("other");
        hub.deliver("room", Arc::from("hi"));
        hub.deliver("nobody", Arc::from("lost"));
        assert_eq!(room.try_recv().map(|m| m.payload).as_deref(), Ok("hi"));
        assert!(other.try_recv().is_err());
    }
}
