//! Types fastrs does not know, through serde and schemars (feature
//! `schemars`): [`Serde<T>`] makes any `T` with serde's `Deserialize` and
//! `Serialize` and schemars 1.x's `JsonSchema` a field or a parameter
//! (`rust_decimal::Decimal`, `url::Url`, `std::net::IpAddr`, your own serde
//! enum).
//!
//! It is read by `T`'s `Deserialize`, in the one serde pass of a valid body;
//! a failure is Pydantic's `value_error` at the field's `loc`, with serde's
//! message (`"Value error, invalid IP address syntax"`), as Pydantic reports
//! a custom type that raises. It is documented by `T`'s schemars schema,
//! generated for JSON Schema 2020-12 with its definitions under
//! `#/components/schemas/` (the deserialize contract for requests, the
//! serialize contract for responses), so a named type is a component of the
//! document like the others.
//!
//! Why fastrs's own types and `#[model]` do not go through schemars: their
//! schema must be Pydantic's to the byte (titles from field names as
//! `"Unit Price"`, `anyOf` with `null` for `Option`, defaults, constraints
//! placed on the non-null branch, `Name-Input`/`Name-Output` components),
//! and it is written from the same [`Constraints`] that validation checks,
//! so that a documented constraint is always an enforced one. schemars'
//! derive reads serde's and its own attributes, not fastrs's `#[field]`,
//! and its transforms cannot know which constraints fastrs enforces; a
//! schemars-derived schema would be a second description that can drift
//! from the first.

use std::ops::{Deref, DerefMut};

use serde::de::DeserializeOwned;
use serde::{Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::{
    Components, Constraints, ErrorKind, FastDeserialize, JsonSchema, ParamValue, SchemaMode,
    Validate, ValidateCx,
};

/// A value of a type fastrs does not know, read by its serde
/// `Deserialize` and documented by its schemars `JsonSchema`.
///
/// ```
/// use fastrs::model::Serde;
/// use fastrs::prelude::*;
/// use std::net::IpAddr;
///
/// #[model]
/// struct Peer {
///     address: Serde<IpAddr>,
/// }
///
/// #[endpoint(GET "/ping/{address}")]
/// async fn ping(address: Serde<IpAddr>) -> String {
///     format!("pinging {}", *address)
/// }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Serde<T>(pub T);

impl<T> Deref for Serde<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Serde<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T> From<T> for Serde<T> {
    fn from(value: T) -> Self {
        Serde(value)
    }
}

impl<T: Serialize> Serialize for Serde<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// The types `Serde<T>` takes: serde both ways and a schemars schema.
pub trait SerdeType: DeserializeOwned + Serialize + schemars::JsonSchema + Send + 'static {}

impl<T: DeserializeOwned + Serialize + schemars::JsonSchema + Send + 'static> SerdeType for T {}

impl<T: SerdeType> JsonSchema for Serde<T> {
    fn json_schema(components: &mut Components) -> Value {
        let mut settings = schemars::generate::SchemaSettings::draft2020_12().with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        });
        settings = match components.mode() {
            SchemaMode::Input => settings.for_deserialize(),
            SchemaMode::Output => settings.for_serialize(),
        };
        let mut generator = settings.into_generator();
        let schema = generator.subschema_for::<T>().to_value();
        for (name, definition) in generator.take_definitions(true) {
            components.named_once(&name, definition);
        }
        schema
    }
}

/// The error for a value `T`'s `Deserialize` refused.
fn refused(error: serde_json::Error) -> ErrorKind {
    ErrorKind::value_error(error)
}

impl<T: SerdeType> Validate for Serde<T> {
    fn validate(value: &Value, _: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
        T::deserialize(value)
            .map(Serde)
            .map_err(|error| cx.error(refused(error), value))
            .ok()
    }
}

impl<T: SerdeType> FastDeserialize for Serde<T> {
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <T as serde::Deserialize>::deserialize(d).map(Serde)
    }
}

/// A parameter is read from its text as a JSON string; when `T` refuses a
/// string, from the text as a JSON number or boolean.
impl<T: SerdeType> ParamValue for Serde<T> {
    fn parse_param(raw: &str, _: &Constraints) -> Result<Self, ErrorKind> {
        match T::deserialize(Value::String(raw.to_owned())) {
            Ok(value) => Ok(Serde(value)),
            Err(error) => match serde_json::from_str::<Value>(raw) {
                Ok(scalar @ (Value::Number(_) | Value::Bool(_))) => {
                    T::deserialize(scalar).map(Serde).map_err(refused)
                }
                _ => Err(refused(error)),
            },
        }
    }
}
