//! The app's state that outlives requests and that every request can reach:
//! app-scoped values, the cleanups to run at shutdown, provider overrides
//! and the exception handlers.
//!
//! Invariants:
//! - an app-scoped value is built at most once per app, however many
//!   requests ask for it at the same time: each has a [`OnceCell`] slot, and
//!   the first request builds while the others wait for it (a failed build
//!   leaves the slot empty, so the next request tries again);
//! - the cleanup of an app-scoped value runs once, at shutdown, after the
//!   in-flight requests have finished, in reverse order of building.
//!
//! The state is a container: what an override or a value means is
//! [`crate::di`]'s business, which stores them here type-erased (as
//! `http::Extensions` stores a request's extensions).

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use crate::cleanup::{Cleanup, Outcome};
use crate::error::ErrorHandlers;

/// A value shared by everything in an app, type-erased.
pub(crate) type Shared = Arc<dyn Any + Send + Sync>;

/// The slot of one app-scoped value.
pub(crate) type Slot = Arc<OnceCell<Shared>>;

/// What requests of one app share.
#[derive(Default)]
pub(crate) struct AppState {
    /// Replacement providers by the `TypeId` of the provider they replace.
    pub(crate) overrides: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
    /// App-scoped values, by provider.
    slots: Mutex<HashMap<TypeId, Slot>>,
    /// Cleanups of app-scoped values, in the order the values were built.
    cleanups: Mutex<Vec<Cleanup>>,
    /// The exception handlers.
    pub(crate) errors: ErrorHandlers,
}

impl AppState {
    /// The slot of the app-scoped value of provider `id`, created empty.
    pub(crate) fn slot(&self, id: TypeId) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.entry(id).or_default().clone()
    }

    /// Keeps the cleanup of an app-scoped value for shutdown.
    pub(crate) fn keep_cleanup(&self, cleanup: Cleanup) {
        self.cleanups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(cleanup);
    }

    /// Runs the cleanups of app-scoped values, the last built first, and
    /// forgets the values, so that a later request builds them anew.
    /// A failing cleanup is logged and does not stop the others.
    pub(crate) async fn shut_down(&self) {
        let cleanups =
            std::mem::take(&mut *self.cleanups.lock().unwrap_or_else(|p| p.into_inner()));
        self.slots.lock().unwrap_or_else(|p| p.into_inner()).clear();
        let outcome = Outcome::new(http::StatusCode::OK, None);
        for cleanup in cleanups.into_iter().rev() {
            if let Err(error) = cleanup.run(&outcome).await {
                crate::log::error!(
                    "an app-scoped dependency's cleanup failed at shutdown: {error}"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_slot_per_provider_and_cleanups_run_last_first() {
        let state = AppState::default();
        let a = state.slot(TypeId::of::<u8>());
        let again = state.slot(TypeId::of::<u8>());
        assert!(Arc::ptr_eq(&a, &again));
        let order = Arc::new(Mutex::new(Vec::new()));
        for n in [1, 2] {
            let order = order.clone();
            let (_, cleanup) = crate::cleanup::Yield::new((), move |_| async move {
                order.lock().unwrap().push(n);
                Ok(())
            })
            .into_parts();
            state.keep_cleanup(cleanup);
        }
        state.shut_down().await;
        assert_eq!(*order.lock().unwrap(), [2, 1]);
        assert!(!Arc::ptr_eq(&a, &state.slot(TypeId::of::<u8>())));
    }
}
