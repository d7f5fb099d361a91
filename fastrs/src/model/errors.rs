//! Validation errors and the 422 body FastAPI sends for them.
//!
//! An error is `{"type", "loc", "msg", "input"}` plus `"ctx"` when its type
//! has one. [`ErrorKind`] is the catalogue: each variant knows its `type`
//! string, its message and its context, so a message cannot drift from its
//! type. [`ValidationErrors`] collects every error of a request (FastAPI
//! reports all of them, not the first) and orders them as FastAPI does:
//! path, query, header, cookie, then body.

use std::borrow::Cow;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::number::Number;

/// Where a parameter comes from; the first item of an error's `loc`.
///
/// The order of the variants is the order FastAPI reports errors in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    /// A path template variable.
    Path,
    /// A query string key.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
    /// The request body.
    Body,
}

impl Location {
    /// The name FastAPI uses in `loc` and OpenAPI uses in `in`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
            Location::Body => "body",
        }
    }
}

/// One step of an error's `loc` after the location: a key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocItem {
    /// An object key or parameter name.
    Key(Cow<'static, str>),
    /// A position in a list (or a character offset, for `json_invalid`).
    Index(usize),
}

impl Serialize for LocItem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            LocItem::Key(k) => s.serialize_str(k),
            LocItem::Index(i) => s.serialize_u64(*i as u64),
        }
    }
}

impl From<&'static str> for LocItem {
    fn from(key: &'static str) -> Self {
        LocItem::Key(Cow::Borrowed(key))
    }
}

impl From<String> for LocItem {
    fn from(key: String) -> Self {
        LocItem::Key(Cow::Owned(key))
    }
}

impl From<usize> for LocItem {
    fn from(index: usize) -> Self {
        LocItem::Index(index)
    }
}

/// The catalogue of validation errors: Pydantic's error types that fastrs
/// produces, with their messages and contexts.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorKind {
    /// `missing`: a required value is absent.
    Missing,
    /// `int_parsing`: a string that is not an integer.
    IntParsing,
    /// `int_from_float`: a number with a fractional part where an integer is wanted.
    IntFromFloat,
    /// `float_parsing`: a string that is not a number.
    FloatParsing,
    /// `bool_parsing`: a string that is not one of the accepted booleans.
    BoolParsing,
    /// `string_too_short`, with the minimum length.
    StringTooShort(usize),
    /// `string_too_long`, with the maximum length.
    StringTooLong(usize),
    /// `string_pattern_mismatch`, with the pattern.
    PatternMismatch(&'static str),
    /// `greater_than`, with the bound.
    GreaterThan(Number),
    /// `greater_than_equal`, with the bound.
    GreaterThanEqual(Number),
    /// `less_than`, with the bound.
    LessThan(Number),
    /// `less_than_equal`, with the bound.
    LessThanEqual(Number),
    /// `multiple_of`, with the divisor.
    MultipleOf(Number),
    /// `enum`: not one of the values of a fieldless enum. Holds the values.
    Enum(&'static [&'static str]),
    /// `literal_error`: not one of the values of a `#[model(literal)]` enum.
    Literal(&'static [&'static str]),
    /// `extra_forbidden`: a key the model does not declare.
    ExtraForbidden,
    /// `model_attributes_type`: not an object.
    ModelAttributesType,
    /// `json_invalid`, with the parser's message.
    JsonInvalid(String),
    /// `finite_number`: NaN or an infinity where a finite float is wanted.
    FiniteNumber,
    /// Any other Pydantic error type: `type`, `msg` and an optional `ctx`.
    Other {
        /// The `type` string.
        kind: Cow<'static, str>,
        /// The `msg` string.
        msg: Cow<'static, str>,
        /// The `ctx` object, if any.
        ctx: Option<Value>,
    },
}

impl ErrorKind {
    /// `value_error`: a validator refused the value (Pydantic's
    /// `ValueError` in a `@field_validator` or `@model_validator`), with
    /// its message after `"Value error, "` and an empty `ctx.error`.
    pub fn value_error(message: impl std::fmt::Display) -> Self {
        ErrorKind::Other {
            kind: Cow::Borrowed("value_error"),
            msg: format!("Value error, {message}").into(),
            ctx: Some(serde_json::json!({"error": {}})),
        }
    }

    /// The error's `type` string.
    pub fn type_name(&self) -> &str {
        match self {
            ErrorKind::Missing => "missing",
            ErrorKind::IntParsing => "int_parsing",
            ErrorKind::IntFromFloat => "int_from_float",
            ErrorKind::FloatParsing => "float_parsing",
            ErrorKind::BoolParsing => "bool_parsing",
            ErrorKind::StringTooShort(_) => "string_too_short",
            ErrorKind::StringTooLong(_) => "string_too_long",
            ErrorKind::PatternMismatch(_) => "string_pattern_mismatch",
            ErrorKind::GreaterThan(_) => "greater_than",
            ErrorKind::GreaterThanEqual(_) => "greater_than_equal",
            ErrorKind::LessThan(_) => "less_than",
            ErrorKind::LessThanEqual(_) => "less_than_equal",
            ErrorKind::MultipleOf(_) => "multiple_of",
            ErrorKind::Enum(_) => "enum",
            ErrorKind::Literal(_) => "literal_error",
            ErrorKind::ExtraForbidden => "extra_forbidden",
            ErrorKind::ModelAttributesType => "model_attributes_type",
            ErrorKind::JsonInvalid(_) => "json_invalid",
            ErrorKind::FiniteNumber => "finite_number",
            ErrorKind::Other { kind, .. } => kind,
        }
    }

    /// The error's `msg`, worded as Pydantic words it.
    pub fn message(&self) -> Cow<'_, str> {
        match self {
            ErrorKind::Missing => "Field required".into(),
            ErrorKind::IntParsing => {
                "Input should be a valid integer, unable to parse string as an integer".into()
            }
            ErrorKind::IntFromFloat => {
                "Input should be a valid integer, got a number with a fractional part".into()
            }
            ErrorKind::FloatParsing => {
                "Input should be a valid number, unable to parse string as a number".into()
            }
            ErrorKind::BoolParsing => {
                "Input should be a valid boolean, unable to interpret input".into()
            }
            ErrorKind::StringTooShort(n) => format!(
                "String should have at least {n} character{}",
                if *n == 1 { "" } else { "s" }
            )
            .into(),
            ErrorKind::StringTooLong(n) => format!(
                "String should have at most {n} character{}",
                if *n == 1 { "" } else { "s" }
            )
            .into(),
            ErrorKind::PatternMismatch(p) => format!("String should match pattern '{p}'").into(),
            ErrorKind::GreaterThan(v) => format!("Input should be greater than {v}").into(),
            ErrorKind::GreaterThanEqual(v) => {
                format!("Input should be greater than or equal to {v}").into()
            }
            ErrorKind::LessThan(v) => format!("Input should be less than {v}").into(),
            ErrorKind::LessThanEqual(v) => {
                format!("Input should be less than or equal to {v}").into()
            }
            ErrorKind::MultipleOf(v) => format!("Input should be a multiple of {v}").into(),
            ErrorKind::Enum(values) | ErrorKind::Literal(values) => {
                format!("Input should be {}", expected_list(values)).into()
            }
            ErrorKind::ExtraForbidden => "Extra inputs are not permitted".into(),
            ErrorKind::FiniteNumber => "Input should be a finite number".into(),
            ErrorKind::ModelAttributesType => {
                "Input should be a valid dictionary or object to extract fields from".into()
            }
            ErrorKind::JsonInvalid(_) => "JSON decode error".into(),
            ErrorKind::Other { msg, .. } => Cow::Borrowed(msg),
        }
    }

    /// The error's `ctx`, for the types that have one.
    pub fn context(&self) -> Option<Value> {
        let one = |key: &str, value: Value| {
            let mut map = serde_json::Map::with_capacity(1);
            map.insert(key.to_owned(), value);
            Some(Value::Object(map))
        };
        match self {
            ErrorKind::StringTooShort(n) => one("min_length", (*n).into()),
            ErrorKind::StringTooLong(n) => one("max_length", (*n).into()),
            ErrorKind::PatternMismatch(p) => one("pattern", (*p).into()),
            ErrorKind::GreaterThan(v) => one("gt", v.to_json()),
            ErrorKind::GreaterThanEqual(v) => one("ge", v.to_json()),
            ErrorKind::LessThan(v) => one("lt", v.to_json()),
            ErrorKind::LessThanEqual(v) => one("le", v.to_json()),
            ErrorKind::MultipleOf(v) => one("multiple_of", v.to_json()),
            ErrorKind::Enum(values) | ErrorKind::Literal(values) => {
                one("expected", expected_list(values).into())
            }
            ErrorKind::JsonInvalid(e) => one("error", e.clone().into()),
            ErrorKind::Other { ctx, .. } => ctx.clone(),
            _ => None,
        }
    }
}

/// Pydantic's list of expected values: `'a', 'b' or 'c'`.
fn expected_list(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// One validation error: what went wrong, where, and with which input.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where the input came from.
    pub location: Location,
    /// The path after the location: the parameter name, then keys and indexes.
    pub loc: Vec<LocItem>,
    /// The offending input (`null` for a missing parameter).
    pub input: Value,
}

impl ValidationError {
    /// An error at `location` / `name` with `input`.
    pub fn new(kind: ErrorKind, location: Location, name: &'static str, input: Value) -> Self {
        ValidationError {
            kind,
            location,
            loc: vec![LocItem::from(name)],
            input,
        }
    }
}

impl Serialize for ValidationError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.write(s, true)
    }
}

impl ValidationError {
    /// Writes the error as FastAPI does, `loc` starting with the location
    /// unless `with_location` is false (Pydantic's own `errors()`).
    fn write<S: Serializer>(&self, s: S, with_location: bool) -> Result<S::Ok, S::Error> {
        struct Loc<'a>(Option<Location>, &'a [LocItem]);
        impl Serialize for Loc<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut seq = s.serialize_seq(Some(self.1.len() + 1))?;
                if let Some(location) = self.0 {
                    seq.serialize_element(location.as_str())?;
                }
                for item in self.1 {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
        }
        let ctx = self.kind.context();
        let mut map = s.serialize_map(Some(if ctx.is_some() { 5 } else { 4 }))?;
        map.serialize_entry("type", self.kind.type_name())?;
        let location = with_location.then_some(self.location);
        map.serialize_entry("loc", &Loc(location, &self.loc))?;
        map.serialize_entry("msg", &self.kind.message())?;
        map.serialize_entry("input", &self.input)?;
        if let Some(ctx) = ctx {
            map.serialize_entry("ctx", &ctx)?;
        }
        map.end()
    }
}

/// All validation errors of one request, in FastAPI's order.
///
/// FastAPI reports the errors of each dependency (depth first, in
/// declaration order), then the endpoint's own; within one of them, by
/// location. So errors are sorted by location in blocks: [`freeze`](Self::freeze)
/// closes a block (a dependency's), and later sorting leaves it alone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValidationErrors {
    errors: Vec<ValidationError>,
    frozen: usize,
}

impl ValidationErrors {
    /// The most errors one request reports (FastAPI reports all of them: a
    /// 1.5 MB body of wrongly typed list items made a 55 MB answer).
    pub const MAX: usize = 1000;

    /// No errors yet.
    pub const fn new() -> Self {
        ValidationErrors {
            errors: Vec::new(),
            frozen: 0,
        }
    }

    /// Sorts the errors recorded since the last freeze by location, and
    /// keeps them in that place from now on.
    pub fn freeze(&mut self) {
        self.sort_open();
        self.frozen = self.errors.len();
    }

    fn sort_open(&mut self) {
        // A stable sort keeps declaration order within one location.
        if self.errors.len() > self.frozen + 1 {
            self.errors[self.frozen..].sort_by_key(|e| e.location);
        }
    }

    /// How much of an error's `input` is echoed, in bytes of its strings
    /// and keys: past it, strings are cut (ending with `…`) and lists and
    /// objects lose their last entries, so that 1,000 errors about one
    /// large value answer at most a few megabytes (FastAPI echoes it whole
    /// in every error).
    pub const MAX_INPUT_BYTES: usize = 4096;

    /// Records one error; past [`ValidationErrors::MAX`], errors are
    /// dropped, so that a large invalid input cannot make a larger answer.
    /// A long string input is cut to [`ValidationErrors::MAX_INPUT_BYTES`].
    pub fn push(&mut self, mut error: ValidationError) {
        if self.errors.len() < Self::MAX {
            if let Value::String(text) = &mut error.input {
                if text.len() > Self::MAX_INPUT_BYTES {
                    *text = cut(text, Self::MAX_INPUT_BYTES);
                }
            }
            self.errors.push(error);
        }
    }

    /// True when nothing failed.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The errors in FastAPI's order: by location (path, query, header,
    /// cookie, body), then in the order they were found.
    pub fn into_sorted(mut self) -> Vec<ValidationError> {
        self.sort_open();
        self.errors
    }

    /// The errors as recorded, unsorted.
    pub fn as_slice(&self) -> &[ValidationError] {
        &self.errors
    }
}

impl ValidationErrors {
    /// The errors as Pydantic's `e.errors(include_url=False)` lists them:
    /// a list, each `loc` without the request location (`body`, `query`).
    pub fn without_location(&self) -> impl Serialize + '_ {
        struct Relative<'a>(&'a ValidationError);
        impl Serialize for Relative<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.write(s, false)
            }
        }
        struct List<'a>(&'a ValidationErrors);
        impl Serialize for List<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.errors.iter().map(Relative))
            }
        }
        List(self)
    }
}

impl Serialize for ValidationErrors {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut sorted: Vec<&ValidationError> = self.errors.iter().collect();
        sorted[self.frozen..].sort_by_key(|e| e.location);
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("detail", &sorted)?;
        map.end()
    }
}

/// `text` cut to at most `budget` bytes at a character boundary, with `…`.
fn cut(text: &str, budget: usize) -> String {
    let mut end = budget.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// A copy of `value` for an error's `input`, bounded to
/// [`ValidationErrors::MAX_INPUT_BYTES`] of strings and keys: small values
/// (all that FastAPI's tests send) are copied whole.
pub fn bounded_input(value: &Value) -> Value {
    fn copy(value: &Value, budget: &mut usize) -> Value {
        match value {
            Value::String(text) if text.len() > *budget => {
                let cut = cut(text, *budget);
                *budget = 0;
                Value::String(cut)
            }
            Value::String(text) => {
                *budget -= text.len();
                Value::String(text.clone())
            }
            Value::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    if *budget == 0 {
                        break;
                    }
                    *budget = budget.saturating_sub(1);
                    out.push(copy(item, budget));
                }
                Value::Array(out)
            }
            Value::Object(map) => {
                let mut out = serde_json::Map::new();
                for (key, item) in map {
                    if *budget < key.len() + 1 {
                        *budget = 0;
                        break;
                    }
                    *budget -= key.len() + 1;
                    out.insert(key.clone(), copy(item, budget));
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }
    let mut budget = ValidationErrors::MAX_INPUT_BYTES;
    copy(value, &mut budget)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expected_list_reads_like_pydantic() {
        assert_eq!(expected_list(&["a"]), "'a'");
        assert_eq!(expected_list(&["a", "b"]), "'a' or 'b'");
        assert_eq!(expected_list(&["a", "b", "c"]), "'a', 'b' or 'c'");
    }

    #[test]
    fn string_too_short_uses_singular_for_one() {
        assert_eq!(
            ErrorKind::StringTooShort(1).message(),
            "String should have at least 1 character"
        );
        assert_eq!(
            ErrorKind::StringTooShort(3).message(),
            "String should have at least 3 characters"
        );
    }

    #[test]
    fn errors_serialize_sorted_by_location_with_ctx_only_when_present() {
        let mut errors = ValidationErrors::new();
        errors.push(ValidationError::new(
            ErrorKind::Missing,
            Location::Header,
            "x-token",
            Value::Null,
        ));
        errors.push(ValidationError::new(
            ErrorKind::GreaterThanEqual(Number::Int(1)),
            Location::Path,
            "item_id",
            json!("0"),
        ));
        assert_eq!(
            serde_json::to_value(&errors).unwrap(),
            json!({"detail": [
                {"type": "greater_than_equal", "loc": ["path", "item_id"],
                 "msg": "Input should be greater than or equal to 1", "input": "0",
                 "ctx": {"ge": 1}},
                {"type": "missing", "loc": ["header", "x-token"],
                 "msg": "Field required", "input": null},
            ]})
        );
    }

    #[test]
    fn small_inputs_are_copied_whole_and_large_ones_bounded() {
        let small = serde_json::json!({"name": "a", "tags": [1, 2]});
        assert_eq!(bounded_input(&small), small);
        let long = Value::String("é".repeat(5000));
        let Value::String(cut) = bounded_input(&long) else {
            panic!("a string stays a string");
        };
        assert!(cut.len() <= ValidationErrors::MAX_INPUT_BYTES + "…".len());
        assert!(cut.ends_with("é…"));
        let many = Value::Array((0..10_000).map(Value::from).collect());
        let Value::Array(items) = bounded_input(&many) else {
            panic!("a list stays a list");
        };
        assert_eq!(items.len(), ValidationErrors::MAX_INPUT_BYTES);
    }
}
