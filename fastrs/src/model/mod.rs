//! Validation: the FastAPI error catalogue, constraints, and the lax coercion
//! rules that turn raw strings and JSON values into typed values.
//!
//! Everything that decides *whether* a client's input is acceptable, and *what
//! the 422 answer says when it is not*, lives here, so the wire contract of
//! DESIGN.md section 4 has one home. Extractors (`crate::extract`) only find
//! the raw input and hand it to these functions.
//!
//! JSON takes two paths: [`fast`] deserializes straight from the bytes and
//! stops at the first problem; only then does [`validate`] walk the parsed
//! JSON to report every error.

mod applies;
mod binary;
mod coerce;
mod constraints;
pub mod dump;
mod email;
mod errors;
pub mod fast;
mod finite;
#[cfg(feature = "schemars")]
pub mod foreign;
mod info;
mod number;
pub mod probe;
mod schema;
mod types;
pub mod union;
#[cfg(feature = "url")]
mod urls;
pub mod validate;

pub use applies::{comparable, has_length, matchable, Comparable, HasLength, Matchable};
pub use binary::Binary;
pub use coerce::{parse_bool, parse_float, parse_int, ParamValue};
pub use constraints::{Constraints, Counted, Number, Pattern};
pub use dump::{from_json, model_validate, updated, Dump, Maybe};
pub use email::Email;
pub use errors::{ErrorKind, LocItem, Location, ValidationError, ValidationErrors};
pub use fast::FastDeserialize;
pub use finite::Finite;
#[cfg(feature = "schemars")]
pub use foreign::Serde;
pub use info::{computed_schema, ComputedField, FieldInfo, Model};
pub use schema::{
    annotate, apply_constraints, constrained_schema, enum_schema, is_ref, object_schema,
    python_title, root_schema, title_of, Components, JsonSchema, SchemaMode,
};
#[cfg(feature = "url")]
pub use urls::{AnyUrl, HttpUrl, HTTP_URL_MAX_LENGTH};
pub use validate::{Validate, ValidateCx};
