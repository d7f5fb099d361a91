//! JSON Schema (2020-12, as OpenAPI 3.1 uses) for the types fastrs reads and
//! writes, shaped as Pydantic shapes it so that documents match FastAPI's.
//!
//! [`JsonSchema`] is implemented here for scalars, `Option` (`anyOf` with
//! `null`), `Vec`, maps, `serde_json::Value` and the optional types, and by
//! `#[model]` for structs and enums, which register themselves as named
//! components and answer a `$ref`. Constraints are written into the schema
//! by [`apply_constraints`] from the same [`Constraints`] that validation
//! enforces.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::{json, Map, Value};

use super::{Constraints, Number};

/// Whether a schema describes what the server reads or what it writes:
/// they differ for a model with computed fields, which are output only.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum SchemaMode {
    /// Parameters and request bodies.
    #[default]
    Input,
    /// Responses.
    Output,
}

/// The named schemas of a document (`components.schemas`), sorted by name.
#[derive(Debug, Default, Clone)]
pub struct Components {
    schemas: BTreeMap<String, Value>,
    /// `components.securitySchemes`, in the order first used.
    security_schemes: Map<String, Value>,
    mode: SchemaMode,
    /// For each model registered: true when its input and output schemas
    /// differ, so that it is registered twice, as `Name-Input` and
    /// `Name-Output` (FastAPI's `separate_input_output_schemas`).
    split: HashMap<&'static str, bool>,
}

impl Components {
    /// The mode schemas are being written in.
    pub fn mode(&self) -> SchemaMode {
        self.mode
    }

    /// Runs `f` with schemas written in `mode`.
    pub fn in_mode<R>(&mut self, mode: SchemaMode, f: impl FnOnce(&mut Self) -> R) -> R {
        let outer = std::mem::replace(&mut self.mode, mode);
        let out = f(self);
        self.mode = outer;
        out
    }

    /// Registers a model from its schema in each mode (`build` runs once per
    /// mode, the first time only) and returns the `$ref` for the current
    /// mode: `Name` when the two agree, `Name-Input` or `Name-Output` when
    /// they differ, as FastAPI names them.
    pub fn model(&mut self, name: &'static str, build: impl Fn(&mut Components) -> Value) -> Value {
        if !self.split.contains_key(name) {
            // Provisional, so that a recursive model terminates.
            self.split.insert(name, false);
            let input = self.in_mode(SchemaMode::Input, &build);
            let output = self.in_mode(SchemaMode::Output, &build);
            if input == output {
                self.schemas.insert(name.to_owned(), input);
            } else {
                self.split.insert(name, true);
                self.schemas.insert(format!("{name}-Input"), input);
                self.schemas.insert(format!("{name}-Output"), output);
            }
        }
        let suffix = match (self.split[name], self.mode) {
            (false, _) => "",
            (true, SchemaMode::Input) => "-Input",
            (true, SchemaMode::Output) => "-Output",
        };
        json!({"$ref": format!("#/components/schemas/{name}{suffix}")})
    }

    /// Registers `name` (once; `build` runs the first time only) and returns
    /// its `$ref`.
    pub fn named(&mut self, name: &str, build: impl FnOnce(&mut Components) -> Value) -> Value {
        if !self.schemas.contains_key(name) {
            // Placeholder first, so that a recursive model terminates.
            self.schemas.insert(name.to_owned(), Value::Null);
            let schema = build(self);
            self.schemas.insert(name.to_owned(), schema);
        }
        json!({"$ref": format!("#/components/schemas/{name}")})
    }

    /// Registers `schema` under `name` unless a schema has that name.
    pub fn named_once(&mut self, name: &str, schema: Value) {
        self.schemas.entry(name.to_owned()).or_insert(schema);
    }

    /// Changes the schema registered under `name`, if there is one.
    pub fn edit(&mut self, name: &str, f: impl FnOnce(&mut Value)) {
        if let Some(schema) = self.schemas.get_mut(name) {
            f(schema);
        }
    }

    /// Inserts a schema under `name`, replacing any.
    pub fn insert(&mut self, name: &str, schema: Value) {
        self.schemas.insert(name.to_owned(), schema);
    }

    /// True when no schema and no security scheme is registered.
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty() && self.security_schemes.is_empty()
    }

    /// Registers a security scheme under `name` (the first one given for
    /// a name is kept).
    pub fn security_scheme(&mut self, name: &str, scheme: Value) {
        if !self.security_schemes.contains_key(name) {
            self.security_schemes.insert(name.to_owned(), scheme);
        }
    }

    /// The security schemes, in the order first used.
    pub fn security_schemes(&self) -> &Map<String, Value> {
        &self.security_schemes
    }

    /// The schemas, sorted by name.
    pub fn schemas(&self) -> &BTreeMap<String, Value> {
        &self.schemas
    }
}

/// The schema of `T` with `constraints` applied: what a constrained type
/// (`#[model] struct Sku(#[field(...)] String);`) documents wherever it is
/// used.
pub fn constrained_schema<T: JsonSchema>(
    constraints: &Constraints,
    components: &mut Components,
) -> Value {
    let mut schema = T::json_schema(components);
    apply_constraints(&mut schema, constraints);
    schema
}

/// The component of a root model (`#[model] struct Tags(Vec<String>);`,
/// Pydantic's `RootModel[list[str]]`): the inner type's schema with the
/// constraints, titled with the type's name and referenced by `$ref`.
pub fn root_schema<T: JsonSchema>(
    name: &'static str,
    constraints: &Constraints,
    components: &mut Components,
) -> Value {
    components.model(name, |components| {
        let mut schema = constrained_schema::<T>(constraints, components);
        annotate(&mut schema, "title", json!(name));
        schema
    })
}

/// A type with a JSON Schema.
pub trait JsonSchema {
    /// The schema; named types register in `components` and return a `$ref`.
    fn json_schema(components: &mut Components) -> Value;

    /// True for `Option<T>`: absent is fine, so the field is not required.
    const OPTIONAL: bool = false;
}

macro_rules! simple_schema {
    ($schema:tt => $($t:ty),*) => {$(
        impl JsonSchema for $t {
            fn json_schema(_: &mut Components) -> Value {
                json!($schema)
            }
        }
    )*};
}
// Integers name their range with the OpenAPI format registry's formats,
// so that the schema says what validation enforces (FastAPI's `int` is
// unbounded and has none): a value past the range is a 422.
simple_schema!({"type": "integer", "format": "int8"} => i8);
simple_schema!({"type": "integer", "format": "int16"} => i16);
simple_schema!({"type": "integer", "format": "int32"} => i32);
simple_schema!({"type": "integer", "format": "int64"} => i64, isize);
simple_schema!({"type": "integer", "format": "uint8"} => u8);
simple_schema!({"type": "integer", "format": "uint16"} => u16);
simple_schema!({"type": "integer", "format": "uint32"} => u32);
simple_schema!({"type": "integer", "format": "uint64"} => u64, usize);
simple_schema!({"type": "number"} => f32, f64);
simple_schema!({"type": "boolean"} => bool);
simple_schema!({"type": "string"} => String, &'static str, str);
simple_schema!({} => Value);
simple_schema!({"type": "string", "format": "email"} => super::Email);
simple_schema!({"type": "string", "contentEncoding": "base64", "contentMediaType": "application/octet-stream"} => super::Binary);

#[cfg(feature = "uuid")]
simple_schema!({"type": "string", "format": "uuid"} => uuid::Uuid);
#[cfg(feature = "url")]
simple_schema!({"type": "string", "format": "uri", "minLength": 1, "maxLength": 2083} => super::HttpUrl);
#[cfg(feature = "url")]
simple_schema!({"type": "string", "format": "uri", "minLength": 1} => super::AnyUrl);
#[cfg(feature = "chrono")]
simple_schema!({"type": "string", "format": "date-time"} =>
    chrono::NaiveDateTime, chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::FixedOffset>);
#[cfg(feature = "chrono")]
simple_schema!({"type": "string", "format": "date"} => chrono::NaiveDate);
#[cfg(feature = "chrono")]
simple_schema!({"type": "string", "format": "time"} => chrono::NaiveTime);
#[cfg(feature = "chrono")]
simple_schema!({"type": "string", "format": "duration"} => chrono::TimeDelta);

impl<T: JsonSchema> JsonSchema for Option<T> {
    fn json_schema(components: &mut Components) -> Value {
        json!({"anyOf": [T::json_schema(components), {"type": "null"}]})
    }
    const OPTIONAL: bool = true;
}

impl<T: JsonSchema> JsonSchema for Box<T> {
    fn json_schema(components: &mut Components) -> Value {
        T::json_schema(components)
    }
}

impl<T: JsonSchema> JsonSchema for Vec<T> {
    fn json_schema(components: &mut Components) -> Value {
        json!({"type": "array", "items": T::json_schema(components)})
    }
}

/// Python's `set[T]`, as Pydantic documents it: a list of unique items.
impl<T: JsonSchema, S> JsonSchema for HashSet<T, S> {
    fn json_schema(components: &mut Components) -> Value {
        json!({"type": "array", "items": T::json_schema(components), "uniqueItems": true})
    }
}

/// Python's `set[T]`, kept sorted.
impl<T: JsonSchema> JsonSchema for BTreeSet<T> {
    fn json_schema(components: &mut Components) -> Value {
        json!({"type": "array", "items": T::json_schema(components), "uniqueItems": true})
    }
}

impl<K, V: JsonSchema, S> JsonSchema for HashMap<K, V, S> {
    fn json_schema(components: &mut Components) -> Value {
        json!({"type": "object", "additionalProperties": V::json_schema(components)})
    }
}

/// Python's `dict`, as Pydantic documents it.
impl JsonSchema for serde_json::Map<String, Value> {
    fn json_schema(_: &mut Components) -> Value {
        json!({"type": "object", "additionalProperties": true})
    }
}

impl<K, V: JsonSchema> JsonSchema for BTreeMap<K, V> {
    fn json_schema(components: &mut Components) -> Value {
        json!({"type": "object", "additionalProperties": V::json_schema(components)})
    }
}

/// Python's `str.title()`: the first letter of each run of letters upper
/// case, the rest lower case (`item_id` reads `Item Id` once `_` is a space).
pub fn python_title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous_is_letter = false;
    for c in text.chars() {
        if c.is_alphabetic() {
            if previous_is_letter {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
            }
            previous_is_letter = true;
        } else {
            out.push(c);
            previous_is_letter = false;
        }
    }
    out
}

/// A field or parameter title as Pydantic derives it from a name.
pub fn title_of(name: &str) -> String {
    python_title(&name.replace('_', " "))
}

fn number(n: Number) -> Value {
    n.to_json()
}

/// The object to which constraints and metadata belong: the schema itself,
/// or its non-null branch when it is `anyOf [T, null]`.
fn value_branch(schema: &mut Value) -> &mut Value {
    let is_nullable = schema
        .get("anyOf")
        .and_then(Value::as_array)
        .is_some_and(|branches| branches.len() == 2 && branches[1] == json!({"type": "null"}));
    if is_nullable {
        &mut schema["anyOf"][0]
    } else {
        schema
    }
}

/// Writes `constraints` into `schema` with JSON Schema's keywords.
pub fn apply_constraints(schema: &mut Value, constraints: &Constraints) {
    let target = value_branch(schema);
    let Some(object) = target.as_object_mut() else {
        return;
    };
    let (min_key, max_key) = match object.get("type").and_then(Value::as_str) {
        Some("array") => ("minItems", "maxItems"),
        Some("object") => ("minProperties", "maxProperties"),
        _ => ("minLength", "maxLength"),
    };
    if let Some(n) = constraints.min_length {
        object.insert(min_key.into(), n.into());
    }
    if let Some(n) = constraints.max_length {
        object.insert(max_key.into(), n.into());
    }
    if let Some(p) = constraints.pattern {
        object.insert("pattern".into(), p.source().into());
    }
    let bounds = [
        ("exclusiveMinimum", constraints.gt),
        ("minimum", constraints.ge),
        ("exclusiveMaximum", constraints.lt),
        ("maximum", constraints.le),
        ("multipleOf", constraints.multiple_of),
    ];
    for (key, bound) in bounds {
        if let Some(bound) = bound {
            object.insert(key.into(), number(bound));
        }
    }
}

/// Adds `key: value` to the schema object (for `title`, `default`, ...).
pub fn annotate(schema: &mut Value, key: &str, value: Value) {
    if let Some(object) = schema.as_object_mut() {
        object.insert(key.into(), value);
    }
}

/// True for a bare `$ref`, which Pydantic does not annotate with a title.
pub fn is_ref(schema: &Value) -> bool {
    schema.get("$ref").is_some()
}

/// The schema of an object model from its properties, as Pydantic writes it.
pub fn object_schema(title: &str, properties: Map<String, Value>, required: Vec<&str>) -> Value {
    let mut schema = json!({"properties": properties, "type": "object"});
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema["title"] = json!(title);
    schema
}

/// The schema of a fieldless `#[model]` enum: a string among `values`,
/// titled when it is a named component (`Some(title)`; a
/// `#[model(literal)]` enum is inlined, Pydantic's `Literal`). Called by
/// generated code, which cannot use `json!` under `#![no_implicit_prelude]`.
pub fn enum_schema(values: &[&str], title: Option<&str>) -> Value {
    match title {
        Some(title) => serde_json::json!({"type": "string", "enum": values, "title": title}),
        None => serde_json::json!({"enum": values, "type": "string"}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_follow_python() {
        assert_eq!(title_of("item_id"), "Item Id");
        assert_eq!(title_of("x-token"), "X-Token");
        assert_eq!(title_of("user-agent"), "User-Agent");
        assert_eq!(title_of("strange_header"), "Strange Header");
        assert_eq!(python_title("read_items_items_get"), "Read_Items_Items_Get");
    }

    #[test]
    #[cfg(feature = "patterns")]
    fn constraints_go_to_the_non_null_branch() {
        use crate::model::Pattern;
        static P: Pattern = Pattern::new("^x$");
        let mut schema = Option::<String>::json_schema(&mut Components::default());
        let c = Constraints {
            min_length: Some(3),
            pattern: Some(&P),
            ..Constraints::NONE
        };
        apply_constraints(&mut schema, &c);
        assert_eq!(
            schema,
            json!({"anyOf": [{"type": "string", "minLength": 3, "pattern": "^x$"}, {"type": "null"}]})
        );
        let mut list = Vec::<i64>::json_schema(&mut Components::default());
        apply_constraints(
            &mut list,
            &Constraints {
                max_length: Some(2),
                ..Constraints::NONE
            },
        );
        assert_eq!(
            list,
            json!({"type": "array", "items": {"type": "integer", "format": "int64"}, "maxItems": 2})
        );
    }

    #[test]
    fn integers_name_their_range() {
        let mut components = Components::default();
        assert_eq!(
            u8::json_schema(&mut components),
            json!({"type": "integer", "format": "uint8"})
        );
        assert_eq!(
            i64::json_schema(&mut components),
            json!({"type": "integer", "format": "int64"})
        );
        assert_eq!(
            usize::json_schema(&mut components),
            json!({"type": "integer", "format": "uint64"})
        );
    }
}
