//! How `#[model]`'s generated code reaches a field's operations (whether
//! to write it, how to read it fast): through [`FieldProbe`], so that a
//! field whose type cannot be validated is reported once, at the field's
//! type, by the code that validates it, and not again by each operation
//! (autoref specialization: the real operation when the type is
//! `Validate`, else a stand-in that never runs because the crate does not
//! compile).

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;

use super::dump::Options;
use super::{Constraints, Validate};

/// A field's operations, by its type `T` (generated code).
pub struct FieldProbe<T>(PhantomData<fn() -> T>);

impl<T> FieldProbe<T> {
    /// The probe of `T`.
    pub const fn new() -> Self {
        FieldProbe(PhantomData)
    }
}

impl<T> Default for FieldProbe<T> {
    fn default() -> Self {
        FieldProbe::new()
    }
}

/// The operations of a field whose type is `Validate`.
pub trait ViaValidate<T> {
    /// The field as it is written ([`super::validate::Written`]).
    fn written<'a>(&self, value: &'a T) -> super::validate::Written<'a, T>;

    /// Whether the field is written ([`super::dump::keep`]).
    fn keep(&self, value: &T, options: &Options, default: Option<fn() -> T>) -> bool;

    /// Reads the field the fast way ([`super::fast::field`]).
    fn field<'de, D, E>(
        &self,
        d: D,
        constraints: &Constraints,
        validator: impl FnOnce(T) -> Result<T, E>,
    ) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        E: fmt::Display;
}

impl<T: Validate> ViaValidate<T> for &FieldProbe<T> {
    fn written<'a>(&self, value: &'a T) -> super::validate::Written<'a, T> {
        super::validate::Written(value)
    }

    fn keep(&self, value: &T, options: &Options, default: Option<fn() -> T>) -> bool {
        super::dump::keep(value, options, default)
    }

    fn field<'de, D, E>(
        &self,
        d: D,
        constraints: &Constraints,
        validator: impl FnOnce(T) -> Result<T, E>,
    ) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        E: fmt::Display,
    {
        super::fast::field(d, constraints, validator)
    }
}

/// The stand-in for a field type that is not `Validate`: the model does
/// not compile (its validation names the type), so this never runs.
pub trait ViaUnsupported<T> {
    /// Never called.
    fn written(&self, value: &T);

    /// Never called.
    fn keep(&self, value: &T, options: &Options, default: Option<fn() -> T>) -> bool;

    /// Never called.
    fn field<'de, D, E>(
        &self,
        d: D,
        constraints: &Constraints,
        validator: impl FnOnce(T) -> Result<T, E>,
    ) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        E: fmt::Display;
}

impl<T> ViaUnsupported<T> for FieldProbe<T> {
    fn written(&self, _: &T) {}

    fn keep(&self, _: &T, _: &Options, _: Option<fn() -> T>) -> bool {
        true
    }

    fn field<'de, D, E>(
        &self,
        _: D,
        _: &Constraints,
        _: impl FnOnce(T) -> Result<T, E>,
    ) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        E: fmt::Display,
    {
        Err(serde::de::Error::custom(
            "this field's type cannot be validated",
        ))
    }
}
