//! Which constraints a type can take, checked at compile time: `#[param]`
//! and `#[field]` options are literals, so `min_length` on a number or `gt`
//! on text is a compile error at the option, as Pydantic refuses it when
//! the model is defined. The macros emit one check per constraint family
//! present ([`has_length`], [`comparable`], [`matchable`]).
//!
//! Implemented for the built-in types and for the wrappers that carry one
//! (`Option`, `Vec` (each value of a parameter; the list of a field),
//! `Header`, `Cookie`, `Form`, `Json`, `Maybe`, `Secret`...). A type of your
//! own that takes a constraint implements the marker, which has no items.

use std::collections::{BTreeMap, HashMap};

/// A type that `min_length` and `max_length` apply to: text, lists, maps.
#[diagnostic::on_unimplemented(
    message = "`min_length` and `max_length` apply to text and lists, not to `{Self}`",
    label = "this constraint cannot apply to the argument's or field's type",
    note = "for a number, bound it with `ge`/`le` (or `gt`/`lt`); for a type of your own, implement `fastrs::model::HasLength` for it"
)]
pub trait HasLength {}

/// A type that `gt`, `ge`, `lt`, `le` and `multiple_of` apply to: numbers
/// (and dates, with the `chrono` feature).
#[diagnostic::on_unimplemented(
    message = "`gt`, `ge`, `lt`, `le` and `multiple_of` compare numbers, not `{Self}`",
    label = "this constraint cannot apply to the argument's or field's type",
    note = "for text, limit it with `min_length`/`max_length` or `pattern`; for a type of your own, implement `fastrs::model::Comparable` for it"
)]
pub trait Comparable {}

/// A type that `pattern` applies to: text.
#[diagnostic::on_unimplemented(
    message = "`pattern` applies to text, not to `{Self}`",
    label = "this constraint cannot apply to the argument's or field's type",
    note = "for a number, bound it with `ge`/`le`; for a type of your own, implement `fastrs::model::Matchable` for it"
)]
pub trait Matchable {}

/// Checks that `T` takes `min_length`/`max_length` (generated code).
pub const fn has_length<T: HasLength + ?Sized>() {}

/// Checks that `T` takes `gt`/`ge`/`lt`/`le`/`multiple_of` (generated code).
pub const fn comparable<T: Comparable + ?Sized>() {}

/// Checks that `T` takes `pattern` (generated code).
pub const fn matchable<T: Matchable + ?Sized>() {}

macro_rules! mark {
    ($trait:ident: $($t:ty),*) => {$( impl $trait for $t {} )*};
}

mark!(HasLength: String, str, serde_json::Value, super::Email);
mark!(Matchable: String, str, serde_json::Value, super::Email);
mark!(Comparable: i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64, serde_json::Value);

impl<T> HasLength for Vec<T> {}
impl<T, S> HasLength for std::collections::HashSet<T, S> {}
impl<T> HasLength for std::collections::BTreeSet<T> {}
impl<T: Comparable, S> Comparable for std::collections::HashSet<T, S> {}
impl<T: Comparable> Comparable for std::collections::BTreeSet<T> {}
impl<T: Matchable, S> Matchable for std::collections::HashSet<T, S> {}
impl<T: Matchable> Matchable for std::collections::BTreeSet<T> {}
impl<K, V, S> HasLength for HashMap<K, V, S> {}
impl<K, V> HasLength for BTreeMap<K, V> {}
impl<T: Comparable> Comparable for Vec<T> {}
impl<T: Matchable> Matchable for Vec<T> {}

/// The wrappers that carry one value: a constraint applies to what they
/// hold.
macro_rules! through {
    ($($w:ident),*) => {$(
        impl<T: HasLength> HasLength for $w<T> {}
        impl<T: Comparable> Comparable for $w<T> {}
        impl<T: Matchable> Matchable for $w<T> {}
    )*};
}
through!(Option, Box);

impl<T: HasLength> HasLength for super::Maybe<T> {}
impl<T: Comparable> Comparable for super::Maybe<T> {}
impl<T: Matchable> Matchable for super::Maybe<T> {}
impl<T: HasLength> HasLength for crate::settings::Secret<T> {}
impl<T: Comparable> Comparable for crate::settings::Secret<T> {}
impl<T: Matchable> Matchable for crate::settings::Secret<T> {}

macro_rules! extractor_through {
    ($($w:path),*) => {$(
        impl<T: HasLength> HasLength for $w {}
        impl<T: Comparable> Comparable for $w {}
        impl<T: Matchable> Matchable for $w {}
    )*};
}
extractor_through!(
    crate::extract::Header<T>,
    crate::extract::Cookie<T>,
    crate::response::Json<T>
);
#[cfg(feature = "forms")]
extractor_through!(crate::extract::Form<T>);

#[cfg(feature = "chrono")]
mark!(Comparable: chrono::NaiveDate, chrono::NaiveDateTime, chrono::NaiveTime, chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::FixedOffset>);

#[cfg(feature = "schemars")]
impl<T: crate::model::foreign::SerdeType> HasLength for super::Serde<T> {}
#[cfg(feature = "schemars")]
impl<T: crate::model::foreign::SerdeType> Comparable for super::Serde<T> {}
#[cfg(feature = "schemars")]
impl<T: crate::model::foreign::SerdeType> Matchable for super::Serde<T> {}
