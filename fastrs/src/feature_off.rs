//! What an item leaves behind when its cargo feature is off: a stand-in of
//! the same name in the prelude (and for a method, a method of the same
//! name), so that using it is a compile error that names the feature to
//! turn on. Without it, an item imported through `use fastrs::prelude::*`
//! would be only "cannot find type `UploadFile` in this scope"; a path
//! written out (`fastrs::websocket::WebSocket`) already gets rustc's own
//! note ("the item is gated behind the `websockets` feature").
//!
//! Each feature has a trait that nothing implements, whose
//! `on_unimplemented` message is the explanation. A stand-in type's
//! parameter must implement it, so naming the type (`Form<T>` is
//! `NeedsForms<Off, T>`) is the unmet bound; a stand-in method takes its
//! argument as a type that must implement it. Nothing here has a value.

use std::marker::PhantomData;

/// The parameter of every stand-in: implements none of the traits.
#[derive(Debug)]
pub enum Off {}

// Each feature's trait and stand-in are written out, not made by a macro,
// so that rustc's "required by a bound" note shows one line.

/// Implemented by nothing: the feature `forms` is off.
#[diagnostic::on_unimplemented(
    message = "forms and file uploads need fastrs's cargo feature `forms`, which is off",
    label = "needs a cargo feature of fastrs",
    note = "turn it on in Cargo.toml: fastrs = {{ version = \"...\", features = [\"forms\"] }} (FastAPI needs python-multipart for the same)"
)]
pub trait FormsOn {
    /// What a stand-in method answers: nothing can call it.
    fn unavailable<T>(&self) -> T;
}

/// A stand-in for an item of the feature `forms`, which is off.
#[derive(Debug)]
pub struct NeedsForms<F: FormsOn, T: ?Sized = ()>(F, PhantomData<T>);

/// Implemented by nothing: the feature `websockets` is off.
#[diagnostic::on_unimplemented(
    message = "WebSockets need fastrs's cargo feature `websockets`, which is off",
    label = "needs a cargo feature of fastrs",
    note = "turn it on in Cargo.toml: fastrs = {{ version = \"...\", features = [\"websockets\"] }}"
)]
pub trait WebSocketsOn {
    /// What a stand-in method answers: nothing can call it.
    fn unavailable<T>(&self) -> T;
}

/// Implemented by nothing: the feature `static-files` is off.
#[diagnostic::on_unimplemented(
    message = "files from disk need fastrs's cargo feature `static-files`, which is off",
    label = "needs a cargo feature of fastrs",
    note = "turn it on in Cargo.toml: fastrs = {{ version = \"...\", features = [\"static-files\"] }}"
)]
pub trait StaticFilesOn {}

/// A stand-in for an item of the feature `static-files`, which is off.
#[derive(Debug)]
pub struct NeedsStaticFiles<F: StaticFilesOn>(F);

/// Implemented by nothing: the feature `patterns` is off.
#[diagnostic::on_unimplemented(
    message = "regular expressions need fastrs's cargo feature `patterns`, which is off",
    label = "needs a cargo feature of fastrs",
    note = "turn it on in Cargo.toml: fastrs = {{ version = \"...\", features = [\"patterns\"] }}"
)]
pub trait PatternsOn {
    /// What a stand-in method answers: nothing can call it.
    fn unavailable<T>(&self) -> T;
}
