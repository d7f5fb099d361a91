//! The values a dependency argument holds: [`Depends<T, P>`] (read) and
//! [`DependsMut<T, P>`] (lent to one argument, changed in place).
//!
//! A value one user of the request asks for is held as is, with no
//! allocation of its own; a value two users read (the per-request cache,
//! an app-scoped value) is held in an `Arc`; a value lent (a provider
//! returning [`Yield::lend`](crate::di::Yield::lend), or a shared value
//! asked for as `&mut`) lives in a [`LendSlot`] and each user holds it in
//! turn, through a [`Lease`] that puts it back when dropped. Resolving
//! which is which is [`crate::di`]'s business.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::state::LendSlot;

/// A value from a dependency, deref'd to the value.
///
/// A value that only one user in the request asks for is held as is, with
/// no allocation of its own; a value two users share (the per-request cache,
/// an app-scoped value) is held in an `Arc`. Which providers of an endpoint
/// are shared is found when the endpoint is made.
///
/// `P` names the provider: `Depends<User, get_current_user>` is the value
/// of the `#[dependency]` function `get_current_user` (FastAPI's
/// `Depends(get_current_user)`), however many other providers give a
/// `User`. Left out, `Depends<Db>` is the value of the one provider of `Db`
/// (found by type, at compile time): two providers of one type need no
/// newtype, only a name where they are used.
///
/// ```
/// use fastrs::prelude::*;
///
/// #[derive(Clone)]
/// pub struct User { name: String, active: bool }
///
/// #[dependency]
/// async fn get_current_user(x_user: Header<String>) -> User {
///     User { name: x_user.0, active: true }
/// }
///
/// #[dependency]
/// async fn get_current_active_user(
///     user: Depends<User, get_current_user>,
/// ) -> Result<User, HttpError> {
///     if !user.active {
///         return Err(HttpError::new(StatusCode::BAD_REQUEST, "Inactive user"));
///     }
///     Ok(user.into_inner())
/// }
///
/// #[endpoint(GET "/me")]
/// async fn me(user: Depends<User, get_current_active_user>) -> String {
///     user.name.clone()
/// }
/// ```
pub struct Depends<T, P = ByType>(Held<T>, PhantomData<fn() -> P>);

/// The provider of a [`Depends<T>`] that names none: the one provider of
/// `T` in the crate.
#[derive(Debug, Clone, Copy, Default)]
pub struct ByType;

impl<T: std::fmt::Debug, P> std::fmt::Debug for Depends<T, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Depends").field(&**self).finish()
    }
}

/// How a [`Depends`] holds its value. (A lease is boxed: rare, and the
/// common holdings stay the size of the value or of an `Arc`.)
#[derive(Debug)]
pub(crate) enum Held<T> {
    Own(T),
    Shared(Arc<T>),
    Lent(Box<Lease<T>>),
}

/// A value taken out of its [`LendSlot`] for one user, put back when
/// dropped.
pub(crate) struct Lease<T> {
    slot: Arc<LendSlot<T>>,
    /// `Some` until dropped (or given up for good).
    value: Option<T>,
}

impl<T> Lease<T> {
    /// The value of `slot`, unless another user holds it.
    pub(crate) fn take(slot: Arc<LendSlot<T>>) -> Option<Self> {
        let value = slot.take()?;
        Some(Lease {
            slot,
            value: Some(value),
        })
    }

    fn get(&self) -> &T {
        self.value
            .as_ref()
            .expect("a lease holds its value until dropped")
    }

    fn get_mut(&mut self) -> &mut T {
        self.value
            .as_mut()
            .expect("a lease holds its value until dropped")
    }

    /// The value, never given back (its cleanup will not see it).
    fn keep(mut self) -> T {
        self.value
            .take()
            .expect("a lease holds its value until dropped")
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Lease<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Lease").field(&self.value).finish()
    }
}

impl<T> Drop for Lease<T> {
    fn drop(&mut self) {
        if let Some(value) = self.value.take() {
            self.slot.put(value);
        }
    }
}

impl<T, P> Depends<T, P> {
    /// Wraps a value (for calling an endpoint's function directly in tests).
    pub fn new(value: T) -> Self {
        Depends(Held::Own(value), PhantomData)
    }

    /// The value, cloned out if other users share it.
    pub fn into_inner(self) -> T
    where
        T: Clone,
    {
        match self.0 {
            Held::Own(value) => value,
            Held::Shared(shared) => Arc::try_unwrap(shared).unwrap_or_else(|s| (*s).clone()),
            Held::Lent(lease) => lease.get().clone(),
        }
    }

    /// The value in an `Arc`, to hand to work that outlives the request
    /// (a background task) when `T` is not `Clone`. A shared value (an
    /// app-scoped one, say) is the `Arc` it already is; a value held as is
    /// moves into a new one. A lent value ([`Yield::lend`](crate::di::Yield::lend))
    /// moves into a new one too, and is not given back to its provider's
    /// cleanup.
    ///
    /// ```
    /// # use fastrs::prelude::*;
    /// # use std::sync::Mutex;
    /// pub struct Log(Mutex<Vec<String>>);
    ///
    /// #[dependency(scope = "app")]
    /// async fn log() -> Log { Log(Mutex::new(Vec::new())) }
    ///
    /// #[endpoint(POST "/work")]
    /// async fn work(log: Depends<Log>, tasks: BackgroundTasks) -> &'static str {
    ///     let log = log.into_arc();
    ///     tasks.add_task(move || async move { log.0.lock().unwrap().push("done".into()) });
    ///     "accepted"
    /// }
    /// ```
    pub fn into_arc(self) -> Arc<T> {
        match self.0 {
            Held::Own(value) => Arc::new(value),
            Held::Shared(shared) => shared,
            Held::Lent(lease) => Arc::new((*lease).keep()),
        }
    }

    pub(crate) fn held(held: Held<T>) -> Self {
        Depends(held, PhantomData)
    }
}

/// A clone of a value held as is (or lent) clones the value; of a shared
/// value, the `Arc`. (For a `T` that is not `Clone`, [`Depends::into_arc`].)
impl<T: Clone, P> Clone for Depends<T, P> {
    fn clone(&self) -> Self {
        match &self.0 {
            Held::Shared(shared) => Depends::held(Held::Shared(shared.clone())),
            _ => Depends::new((**self).clone()),
        }
    }
}

impl<T, P> std::ops::Deref for Depends<T, P> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.0 {
            Held::Own(value) => value,
            Held::Shared(shared) => shared,
            Held::Lent(lease) => lease.get(),
        }
    }
}

/// A dependency's value lent to one argument, to change in place: what
/// `#[depends(provider)] value: &mut T` takes (FastAPI's database session,
/// which the handler and its provider's cleanup both use).
///
/// The value is this argument's alone while it holds it. When other users
/// of the request ask for the same provider (a sub-dependency that reads
/// the session, say), each holds it in turn: a provider's arguments are
/// dropped when it returns, an endpoint's when it answers. Asking for it
/// while another user still holds it (a provider that keeps it in its
/// value) is a bug in the app, answered with a logged 500.
///
/// ```
/// use fastrs::prelude::*;
///
/// pub struct Cart { lines: Vec<String> }
///
/// #[dependency]
/// async fn cart() -> Cart { Cart { lines: Vec::new() } }
///
/// #[endpoint(POST "/cart")]
/// async fn add(mut cart: DependsMut<Cart, cart>, item: String) -> String {
///     cart.lines.push(item);
///     cart.lines.join(",")
/// }
/// ```
pub struct DependsMut<T, P = ByType>(Exclusive<T>, PhantomData<fn() -> P>);

/// How a [`DependsMut`] holds its value.
#[derive(Debug)]
pub(crate) enum Exclusive<T> {
    Own(T),
    Lent(Box<Lease<T>>),
}

impl<T, P> DependsMut<T, P> {
    /// Wraps a value (for calling an endpoint's function directly in tests).
    pub fn new(value: T) -> Self {
        DependsMut(Exclusive::Own(value), PhantomData)
    }

    pub(crate) fn held(held: Exclusive<T>) -> Self {
        DependsMut(held, PhantomData)
    }
}

impl<T: std::fmt::Debug, P> std::fmt::Debug for DependsMut<T, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("DependsMut").field(&**self).finish()
    }
}

impl<T, P> std::ops::Deref for DependsMut<T, P> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.0 {
            Exclusive::Own(value) => value,
            Exclusive::Lent(lease) => lease.get(),
        }
    }
}

impl<T, P> std::ops::DerefMut for DependsMut<T, P> {
    fn deref_mut(&mut self) -> &mut T {
        match &mut self.0 {
            Exclusive::Own(value) => value,
            Exclusive::Lent(lease) => lease.get_mut(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_held_as_is_and_a_shared_value_read_clone_and_give_up_alike() {
        let own: Depends<String> = Depends::new(String::from("own"));
        assert_eq!(own.len(), 3);
        assert_eq!(own.clone().into_inner(), "own");
        assert_eq!(*own.into_arc(), "own");

        let arc = Arc::new(String::from("shared"));
        let shared: Depends<String> = Depends::held(Held::Shared(arc.clone()));
        assert_eq!(&*shared, "shared");
        // The shared value's own `Arc`, not a copy.
        assert!(Arc::ptr_eq(&shared.clone().into_arc(), &arc));
        // Cloned out while another user holds it.
        assert_eq!(shared.into_inner(), "shared");
        assert_eq!(Arc::strong_count(&arc), 1);
    }

    #[test]
    fn a_lease_gives_its_value_back_to_the_slot_when_dropped() {
        let slot = Arc::new(LendSlot::holding(vec![1]));
        let mut first: DependsMut<Vec<i32>> = DependsMut::held(Exclusive::Lent(Box::new(
            Lease::take(slot.clone()).unwrap(),
        )));
        first.push(2);
        // Held by the first user: nobody else gets it.
        assert!(Lease::take(slot.clone()).is_none());
        drop(first);
        let second: Depends<Vec<i32>> =
            Depends::held(Held::Lent(Box::new(Lease::take(slot.clone()).unwrap())));
        assert_eq!(*second, [1, 2]);
        // Given up for good: the slot stays empty.
        assert_eq!(*second.into_arc(), [1, 2]);
        assert!(slot.take().is_none());
    }
}
