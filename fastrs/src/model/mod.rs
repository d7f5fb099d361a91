//! Validation: the FastAPI error catalogue, constraints, and the lax coercion
//! rules that turn raw strings into typed values.
//!
//! Everything that decides *whether* a client's input is acceptable, and *what
//! the 422 answer says when it is not*, lives here, so the wire contract of
//! DESIGN.md section 4 has one home. Extractors (`crate::extract`) only find
//! the raw input and hand it to these functions.

mod coerce;
mod constraints;
mod errors;

pub use coerce::{parse_bool, parse_float, parse_int, ParamValue};
pub use constraints::{Constraints, Number, Pattern};
pub use errors::{ErrorKind, LocItem, Location, ValidationError, ValidationErrors};
