//! Settings from the environment: pydantic-settings' `BaseSettings`, the
//! `core/config.py` of a FastAPI project.
//!
//! A settings struct is a `#[model]`; [`EnvSource`] reads it from
//! environment variables named by a prefix and the field names (case does
//! not matter), from an optional `.env` file (the environment wins), with
//! nested models read from `PREFIX_FIELD__SUBFIELD` under a delimiter.
//! Values are read as Pydantic reads them: strings coerced by the field's
//! type (`"8000"` for a `u16`, `"yes"` for a `bool`), JSON for lists, maps
//! and nested models given whole (`APP_TAGS='["a", "b"]'`). Every missing or
//! invalid variable is reported at once, in Pydantic's error list, each with
//! the variable it came from; nothing panics. [`Secret`] keeps a value out
//! of logs: its `Debug` and its JSON are `**********`.
//!
//! ```
//! use fastrs::prelude::*;
//! use fastrs::settings::{EnvSource, Secret};
//!
//! #[model]
//! struct Settings {
//!     database_url: String,
//!     #[field(default = 8000)]
//!     port: u16,
//!     secret_key: Secret<String>,
//! }
//!
//! let settings: Settings = EnvSource::new()
//!     .prefix("APP_")
//!     .vars([("APP_DATABASE_URL", "sqlite://app.db"), ("app_secret_key", "s3cret")])
//!     .load()
//!     .unwrap();
//! assert_eq!(settings.port, 8000);
//! assert_eq!(settings.secret_key.expose(), "s3cret");
//! assert_eq!(format!("{:?}", settings.secret_key), "Secret(\"**********\")");
//! ```

use std::fmt;
use std::path::PathBuf;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::model::{
    Components, Constraints, FastDeserialize, JsonSchema, Location, Model, Validate, ValidateCx,
    ValidationError, ValidationErrors,
};

/// Where settings are read from: the process environment (or the given
/// variables), a prefix, an optional `.env` file and a nested delimiter.
#[derive(Debug, Clone, Default)]
pub struct EnvSource {
    prefix: String,
    env_file: Option<PathBuf>,
    delimiter: Option<String>,
    vars: Option<Vec<(String, String)>>,
}

impl EnvSource {
    /// The process environment, no prefix, no `.env` file, no nesting.
    pub fn new() -> Self {
        EnvSource::default()
    }

    /// Variables are named `prefix` + the field name (`APP_` + `port`).
    pub fn prefix(mut self, prefix: &str) -> Self {
        self.prefix = prefix.to_owned();
        self
    }

    /// Also read `path`, a `.env` file (`KEY=value` lines, `#` comments,
    /// optional quotes and `export`), when it exists; the environment wins
    /// over it.
    pub fn env_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.env_file = Some(path.into());
        self
    }

    /// Nested models are read from `PREFIX_FIELD<delimiter>SUBFIELD`
    /// (pydantic-settings' `env_nested_delimiter`, usually `"__"`).
    pub fn nested_delimiter(mut self, delimiter: &str) -> Self {
        self.delimiter = Some(delimiter.to_owned());
        self
    }

    /// Reads these variables instead of the process environment (for
    /// tests).
    pub fn vars<K: Into<String>, V: Into<String>>(
        mut self,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.vars = Some(
            vars.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        );
        self
    }

    /// Reads and validates `M`, reporting every error at once.
    pub fn load<M: Model>(&self) -> Result<M, SettingsError> {
        let mut variables = self.env_file_vars()?;
        // The environment is read after the file, so that it wins.
        match &self.vars {
            Some(vars) => variables.extend(vars.iter().cloned()),
            None => variables.extend(std::env::vars()),
        }
        let input = self.object::<M>(&variables);
        let mut errors = ValidationErrors::new();
        let value = {
            let mut cx = ValidateCx::new(Location::Body, Vec::new(), &mut errors);
            M::validate(&input, &Constraints::NONE, &mut cx)
        };
        match value {
            Some(value) if errors.is_empty() => Ok(value),
            _ => Err(SettingsError {
                model: M::NAME,
                errors: errors
                    .into_sorted()
                    .into_iter()
                    .map(|error| {
                        let variable = self.variable_of(&error);
                        (variable, error)
                    })
                    .collect(),
            }),
        }
    }

    fn env_file_vars(&self) -> Result<Vec<(String, String)>, SettingsError> {
        let Some(path) = &self.env_file else {
            return Ok(Vec::new());
        };
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(parse_env_file(&text)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(error) => Err(SettingsError::file(path, error)),
        }
    }

    /// The JSON object `M` is validated from: each field's variable, the
    /// nested ones gathered under their field.
    fn object<M: Model>(&self, variables: &[(String, String)]) -> Value {
        let prefix = self.prefix.to_lowercase();
        let mut object = Map::new();
        for (name, raw) in variables {
            let Some(rest) = name.to_lowercase().strip_prefix(&prefix).map(str::to_owned) else {
                continue;
            };
            let mut path: Vec<String> = match &self.delimiter {
                Some(d) => rest.split(&d.to_lowercase()).map(str::to_owned).collect(),
                None => vec![rest],
            };
            let Some(field) = M::FIELDS
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case(&path[0]))
            else {
                continue;
            };
            path[0] = field.name.to_owned();
            let value = if path.len() == 1 && is_complex(field) {
                serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.clone()))
            } else {
                Value::String(raw.clone())
            };
            insert(&mut object, &path, value);
        }
        Value::Object(object)
    }

    /// The variable an error's field is read from: nested fields have one
    /// of their own only under a delimiter (else they come in their
    /// model's JSON).
    fn variable_of(&self, error: &ValidationError) -> String {
        let mut keys = error.loc.iter().filter_map(|item| match item {
            crate::model::LocItem::Key(key) => Some(key.to_uppercase()),
            crate::model::LocItem::Index(_) => None,
        });
        let name = match &self.delimiter {
            Some(delimiter) => keys.collect::<Vec<_>>().join(delimiter),
            None => keys.next().unwrap_or_default(),
        };
        format!("{}{name}", self.prefix)
    }
}

/// True for a field whose variable holds JSON: a list, a map or a model.
fn is_complex(field: &crate::model::FieldInfo) -> bool {
    fn complex(schema: &Value) -> bool {
        schema.get("$ref").is_some()
            || matches!(
                schema.get("type").and_then(Value::as_str),
                Some("array" | "object")
            )
            || schema
                .get("anyOf")
                .and_then(Value::as_array)
                .is_some_and(|branches| branches.iter().any(complex))
    }
    field.is_list || complex(&(field.schema)(&mut Components::default()))
}

/// Puts `value` at `path` in `object`, creating the objects on the way; a
/// nested variable does not replace a whole value given as JSON, it is
/// added to it.
fn insert(object: &mut Map<String, Value>, path: &[String], value: Value) {
    let (first, rest) = path.split_first().expect("a variable names a field");
    if rest.is_empty() {
        object.insert(first.clone(), value);
        return;
    }
    let slot = object
        .entry(first.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    if let Value::Object(inner) = slot {
        insert(inner, rest, value);
    }
}

/// `KEY=value` lines: blank lines and `#` comments skipped, `export `
/// allowed, one pair of matching quotes around the value removed.
fn parse_env_file(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let line = line.strip_prefix("export ").unwrap_or(line);
            let (key, value) = line.split_once('=')?;
            let value = value.trim();
            let unquoted = ['"', '\'']
                .iter()
                .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
                .unwrap_or(value);
            Some((key.trim().to_owned(), unquoted.to_owned()))
        })
        .collect()
}

/// Settings that could not be read: every error, each with its variable.
#[derive(Debug)]
pub struct SettingsError {
    model: &'static str,
    errors: Vec<(String, ValidationError)>,
}

impl SettingsError {
    fn file(path: &std::path::Path, error: std::io::Error) -> Self {
        SettingsError {
            model: "settings",
            errors: vec![(
                path.display().to_string(),
                ValidationError {
                    kind: crate::model::ErrorKind::Other {
                        kind: "env_file".into(),
                        msg: format!("cannot read the .env file: {error}").into(),
                        ctx: None,
                    },
                    location: Location::Body,
                    loc: Vec::new(),
                    input: Value::Null,
                },
            )],
        }
    }

    /// The errors, as Pydantic lists them (`type`, `loc` by field, `msg`,
    /// `input`), each with the variable it was read from.
    pub fn errors(&self) -> impl Iterator<Item = (&str, &ValidationError)> {
        self.errors.iter().map(|(v, e)| (v.as_str(), e))
    }
}

/// Pydantic's text: `N validation errors for Settings`, then each field's
/// path with its variable, and the message with its type.
impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(
            f,
            "{n} validation error{} for {}",
            if n == 1 { "" } else { "s" },
            self.model
        )?;
        for (variable, error) in &self.errors {
            let path: Vec<String> = error
                .loc
                .iter()
                .map(|item| match item {
                    crate::model::LocItem::Key(key) => key.to_string(),
                    crate::model::LocItem::Index(i) => i.to_string(),
                })
                .collect();
            let path = if path.is_empty() {
                variable.clone()
            } else {
                path.join(".")
            };
            write!(
                f,
                "\n{path} (from {variable})\n  {} [type={}]",
                error.kind.message(),
                error.kind.type_name()
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for SettingsError {}

/// A value that never shows: `Debug` and JSON print `**********`
/// (Pydantic's `SecretStr`); [`expose`](Secret::expose) reads it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Secret(value)
    }

    /// The value itself.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"**********\")")
    }
}

impl<T> Serialize for Secret<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("**********")
    }
}

impl<T: JsonSchema> JsonSchema for Secret<T> {
    fn json_schema(_: &mut Components) -> Value {
        serde_json::json!({"type": "string", "format": "password", "writeOnly": true})
    }
}

impl<T: Validate> Validate for Secret<T> {
    fn validate(value: &Value, c: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
        T::validate(value, c, cx).map(Secret)
    }
    fn check(&self, c: &Constraints) -> bool {
        self.0.check(c)
    }
}

impl<T: FastDeserialize> FastDeserialize for Secret<T> {
    fn deserialize_fast<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize_fast(d).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files_are_read_as_dotenv_writes_them() {
        let text = "# a comment\n\nexport A=1\nB = \"two words\"\nC='x=y'\nnot a pair\n";
        assert_eq!(
            parse_env_file(text),
            vec![
                ("A".to_owned(), "1".to_owned()),
                ("B".to_owned(), "two words".to_owned()),
                ("C".to_owned(), "x=y".to_owned()),
            ]
        );
    }
}
