//! [`Number`]: a numeric bound as the user wrote it, shared by the
//! constraints that hold it and the errors that report it.

use std::fmt;

use serde_json::Value;

/// A bound as the user wrote it: an integer stays an integer (`ctx` shows `1`,
/// not `1.0`), a float stays a float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An integer literal.
    Int(i64),
    /// A float literal.
    Float(f64),
}

impl Number {
    /// The value as JSON (`1` or `10.5`).
    pub fn to_json(self) -> Value {
        match self {
            Number::Int(i) => i.into(),
            Number::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        }
    }

    pub(crate) fn to_float(self) -> Number {
        Number::Float(self.as_f64())
    }

    pub(crate) fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

/// Formats as pydantic-core's messages do (it is written in Rust): `0`, `10.5`;
/// a float bound with no fraction prints without one, though its `ctx`
/// value stays a float (`"greater than 0"`, `{"gt": 0.0}`).
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}
