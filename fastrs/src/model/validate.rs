//! Complete validation of JSON values: every error, with its `loc` and
//! `input`, as Pydantic reports them in lax (Python) mode.
//!
//! [`Validate`] is implemented for the scalar types, `Option`, `Vec`, maps
//! with string or integer keys, `serde_json::Value`, and by `#[model]` for
//! structs and enums. A body is first deserialized by the fast path (serde,
//! see [`fast`](super::fast)); only when that fails does this module walk the
//! parsed JSON to report every error, so valid requests pay for one serde
//! pass and nothing else.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::Hash;

use serde_json::Value;

use super::coerce::{parse_bool, parse_float, parse_int};
use super::constraints::{Constraints, Counted};
use super::errors::{ErrorKind, LocItem, Location, ValidationError, ValidationErrors};

/// Where validation is: the location, the path inside it, and the errors so far.
pub struct ValidateCx<'e> {
    location: Location,
    path: Vec<LocItem>,
    errors: &'e mut ValidationErrors,
}

impl<'e> ValidateCx<'e> {
    /// Validation at `location` with `path` as the start of every `loc`.
    pub fn new(location: Location, path: Vec<LocItem>, errors: &'e mut ValidationErrors) -> Self {
        ValidateCx {
            location,
            path,
            errors,
        }
    }

    /// Records an error at the current path.
    pub fn error(&mut self, kind: ErrorKind, input: &Value) {
        self.errors.push(ValidationError {
            kind,
            location: self.location,
            loc: self.path.clone(),
            input: super::errors::bounded_input(input),
        });
    }

    /// Runs `f` one step deeper (`key` or index), then comes back.
    pub fn at<T>(&mut self, step: impl Into<LocItem>, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push(step.into());
        let out = f(self);
        self.path.pop();
        out
    }

    /// The location being validated.
    pub fn location(&self) -> Location {
        self.location
    }

    /// A context at this path plus `step` that records into `errors`: for
    /// an attempt whose errors may be dropped (a variant of a union).
    pub fn scratch<'s>(
        &self,
        step: impl Into<LocItem>,
        errors: &'s mut ValidationErrors,
    ) -> ValidateCx<'s> {
        let mut path = self.path.clone();
        path.push(step.into());
        ValidateCx::new(self.location, path, errors)
    }

    /// Records errors gathered by a [`scratch`](Self::scratch) context.
    pub fn extend(&mut self, errors: ValidationErrors) {
        for error in errors.into_sorted() {
            self.errors.push(error);
        }
    }
}

/// A type that can be validated from a JSON value, reporting every error.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be validated as part of a request",
    note = "fields and bodies are integers, floats, bool, String, Option, Vec, maps, serde_json::Value, or `#[model]` types",
    note = "a struct or enum of your own becomes one with #[model] (in place of serde's derives)",
    note = "a type of another crate with serde's Deserialize and Serialize and schemars' JsonSchema can be a field as `fastrs::model::Serde<T>` (feature `schemars`)"
)]
pub trait Validate:
    crate::model::JsonSchema + serde::Serialize + crate::model::FastDeserialize + Sized
{
    /// Validates `value`; `None` after recording errors in `cx`.
    fn validate(value: &Value, constraints: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self>;

    /// Checks `constraints` on a value that serde built (the fast path).
    fn check(&self, constraints: &Constraints) -> bool {
        let _ = constraints;
        true
    }

    /// The value of an absent field that has no default: `None` for
    /// `Option`, else nothing (the field is required).
    fn missing() -> Option<Self> {
        None
    }

    /// Writes the value as Pydantic writes it in a model (chrono's dates and
    /// times in Pydantic's format, containers item by item); serde's
    /// `Serialize` for every other type. `#[model]` writes its fields
    /// through this.
    fn write<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
    }

    /// True for `None` (and a `Maybe` holding `None`): what `exclude_none`
    /// leaves out.
    fn is_none(&self) -> bool {
        false
    }

    /// True for [`Maybe::Unset`](super::Maybe): a field never written out.
    fn is_unset(&self) -> bool {
        false
    }

    /// True for list types: a parameter model collects repeated keys into them.
    const IS_LIST: bool = false;
}

fn simple(kind: &'static str, msg: &'static str) -> ErrorKind {
    ErrorKind::Other {
        kind: kind.into(),
        msg: msg.into(),
        ctx: None,
    }
}

/// An integer from any JSON value, as Pydantic's lax mode takes it.
pub(crate) fn int_from_json(value: &Value) -> Result<i128, ErrorKind> {
    match value {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Ok(i as i128)
            } else if let Some(u) = n.as_u64() {
                Ok(u as i128)
            } else {
                int_from_f64(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::Bool(b) => Ok(*b as i128),
        Value::String(s) => parse_int(s),
        _ => Err(simple("int_type", "Input should be a valid integer")),
    }
}

pub(crate) fn int_from_f64(f: f64) -> Result<i128, ErrorKind> {
    if !f.is_finite() {
        return Err(simple("finite_number", "Input should be a finite number"));
    }
    if f.fract() != 0.0 {
        return Err(ErrorKind::IntFromFloat);
    }
    // pydantic-core converts floats to 64-bit integers only.
    if f.abs() >= i64::MAX as f64 {
        return Err(simple(
            "int_parsing_size",
            "Unable to parse input string as an integer, exceeded maximum size",
        ));
    }
    Ok(f as i128)
}

/// A float from any JSON value, as Pydantic's lax mode takes it.
pub(crate) fn float_from_json(value: &Value) -> Result<f64, ErrorKind> {
    match value {
        Value::Number(n) => Ok(n.as_f64().unwrap_or(f64::NAN)),
        Value::Bool(b) => Ok(if *b { 1.0 } else { 0.0 }),
        Value::String(s) => parse_float(s),
        _ => Err(simple("float_type", "Input should be a valid number")),
    }
}

/// A boolean from any JSON value, as Pydantic's lax mode takes it.
pub(crate) fn bool_from_json(value: &Value) -> Result<bool, ErrorKind> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) => match n.as_f64() {
            Some(0.0) => Ok(false),
            Some(1.0) => Ok(true),
            _ if n.is_f64() => Err(simple("bool_type", "Input should be a valid boolean")),
            _ => Err(ErrorKind::BoolParsing),
        },
        Value::String(s) => parse_bool(s),
        _ => Err(simple("bool_type", "Input should be a valid boolean")),
    }
}

/// The error for a value that is not a string.
pub(crate) fn string_type() -> ErrorKind {
    simple("string_type", "Input should be a valid string")
}

macro_rules! validate_int {
    ($($t:ty),*) => {$(
        impl Validate for $t {
            fn validate(value: &Value, c: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
                let result = int_from_json(value).and_then(|wide| {
                    c.check_int(wide)?;
                    <$t>::try_from(wide).map_err(|_| super::coerce::out_of_range(wide, <$t>::MIN as i128, <$t>::MAX as i128))
                });
                result.map_err(|kind| cx.error(kind, value)).ok()
            }
            fn check(&self, c: &Constraints) -> bool {
                c.check_int(*self as i128).is_ok()
            }
        }
    )*};
}
validate_int!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl Validate for f64 {
    fn validate(value: &Value, c: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
        let result = float_from_json(value).and_then(|f| c.check_float(f).map(|()| f));
        result.map_err(|kind| cx.error(kind, value)).ok()
    }
    fn check(&self, c: &Constraints) -> bool {
        c.check_float(*self).is_ok()
    }
}

impl Validate for f32 {
    fn validate(value: &Value, c: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
        f64::validate(value, c, cx).map(|f| f as f32)
    }
    fn check(&self, c: &Constraints) -> bool {
        c.check_float(*self as f64).is_ok()
    }
}

impl Validate for bool {
    fn validate(value: &Value, _: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
        bool_from_json(value)
            .map_err(|kind| cx.error(kind, value))
            .ok()
    }
}

impl Validate for String {
    fn validate(value: &Value, c: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
        let Value::String(s) = value else {
            cx.error(string_type(), value);
            return None;
        };
        match c.check_str(s) {
            Ok(()) => Some(s.clone()),
            Err(kind) => {
                cx.error(kind, value);
                None
            }
        }
    }
    fn check(&self, c: &Constraints) -> bool {
        c.check_str(self).is_ok()
    }
}

impl Validate for Value {
    fn validate(value: &Value, _: &Constraints, _: &mut ValidateCx<'_>) -> Option<Self> {
        Some(value.clone())
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(value: &Value, c: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            other => T::validate(other, c, cx).map(Some),
        }
    }
    fn check(&self, c: &Constraints) -> bool {
        self.as_ref().is_none_or(|v| v.check(c))
    }
    fn missing() -> Option<Self> {
        Some(None)
    }
    fn is_none(&self) -> bool {
        Option::is_none(self)
    }
    fn write<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => s.serialize_some(&Written(value)),
            None => s.serialize_none(),
        }
    }
    const IS_LIST: bool = T::IS_LIST;
}

impl<T: Validate> Validate for Box<T> {
    fn validate(value: &Value, c: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
        T::validate(value, c, cx).map(Box::new)
    }
    fn check(&self, c: &Constraints) -> bool {
        (**self).check(c)
    }
    fn write<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).write(s)
    }
}

/// A set (Python's `set[T]`): a list whose items are validated one by one
/// (errors at their index), duplicates dropped, the length constraints
/// checked on what is left, as Pydantic does.
macro_rules! set_validate {
    ($set:ident, $($bound:tt)*) => {
        impl<T: Validate + $($bound)*> Validate for $set<T> {
            fn validate(value: &Value, c: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
                let Value::Array(items) = value else {
                    cx.error(simple("set_type", "Input should be a valid set"), value);
                    return None;
                };
                let inner = item_constraints(c);
                let mut out = $set::new();
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    match cx.at(i, |cx| T::validate(item, &inner, cx)) {
                        Some(v) => {
                            out.insert(v);
                        }
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                if let Err(kind) = c.check_count(Counted::Set, out.len()) {
                    cx.error(kind, value);
                    return None;
                }
                Some(out)
            }
            fn check(&self, c: &Constraints) -> bool {
                let inner = item_constraints(c);
                c.check_count(Counted::Set, self.len()).is_ok() && self.iter().all(|v| v.check(&inner))
            }
            fn write<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.iter().map(Written))
            }
            const IS_LIST: bool = true;
        }
    };
}
set_validate!(HashSet, Eq + Hash);
set_validate!(BTreeSet, Ord);

/// Constraints for the items of a list: the length ones are the list's own.
fn item_constraints(c: &Constraints) -> Constraints {
    Constraints {
        min_length: None,
        max_length: None,
        ..*c
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(value: &Value, c: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
        let Value::Array(items) = value else {
            cx.error(simple("list_type", "Input should be a valid list"), value);
            return None;
        };
        let inner = item_constraints(c);
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match cx.at(i, |cx| T::validate(item, &inner, cx)) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        if let Err(kind) = c.check_len(items.len()) {
            cx.error(kind, value);
            return None;
        }
        ok.then_some(out)
    }
    fn check(&self, c: &Constraints) -> bool {
        let inner = item_constraints(c);
        c.check_len(self.len()).is_ok() && self.iter().all(|v| v.check(&inner))
    }
    fn write<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(Written))
    }
    const IS_LIST: bool = true;
}

/// A value written with [`Validate::write`], as `#[model]` writes its
/// fields.
pub struct Written<'a, T>(pub &'a T);

impl<T: Validate> serde::Serialize for Written<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.write(s)
    }
}

/// A map key: read from a JSON object's key, a string.
pub trait MapKey: Sized {
    /// Parses the key; the error is reported at `[key, "[key]"]`.
    fn from_key(key: &str) -> Result<Self, ErrorKind>;
}

impl MapKey for String {
    fn from_key(key: &str) -> Result<Self, ErrorKind> {
        Ok(key.to_owned())
    }
}

macro_rules! int_key {
    ($($t:ty),*) => {$(
        impl MapKey for $t {
            fn from_key(key: &str) -> Result<Self, ErrorKind> {
                let wide = parse_int(key)?;
                <$t>::try_from(wide).map_err(|_| super::coerce::out_of_range(wide, <$t>::MIN as i128, <$t>::MAX as i128))
            }
        }
    )*};
}
int_key!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

fn validate_map<K: MapKey, V: Validate>(
    value: &Value,
    c: &Constraints,
    cx: &mut ValidateCx<'_>,
    mut insert: impl FnMut(K, V),
) -> Option<()> {
    let Value::Object(map) = value else {
        cx.error(
            simple("dict_type", "Input should be a valid dictionary"),
            value,
        );
        return None;
    };
    let inner = item_constraints(c);
    let mut ok = true;
    for (key, item) in map {
        let k = match K::from_key(key) {
            Ok(k) => Some(k),
            Err(kind) => {
                let input = Value::String(key.clone());
                cx.at(key.clone(), |cx| {
                    cx.at("[key]", |cx| cx.error(kind, &input))
                });
                None
            }
        };
        let v = cx.at(key.clone(), |cx| V::validate(item, &inner, cx));
        match (k, v) {
            (Some(k), Some(v)) => insert(k, v),
            _ => ok = false,
        }
    }
    if !ok {
        return None;
    }
    if let Err(kind) = c.check_count(Counted::Dictionary, map.len()) {
        cx.error(kind, value);
        return None;
    }
    Some(())
}

impl<K, V, S> Validate for HashMap<K, V, S>
where
    K: MapKey + Eq + Hash + serde::Serialize,
    V: Validate,
    S: std::hash::BuildHasher + Default,
{
    fn write<Ser: serde::Serializer>(&self, s: Ser) -> Result<Ser::Ok, Ser::Error> {
        s.collect_map(self.iter().map(|(k, v)| (k, Written(v))))
    }

    fn validate(value: &Value, c: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
        let mut out = HashMap::default();
        validate_map(value, c, cx, |k, v| {
            out.insert(k, v);
        })?;
        Some(out)
    }
    fn check(&self, c: &Constraints) -> bool {
        let inner = item_constraints(c);
        c.check_count(Counted::Dictionary, self.len()).is_ok()
            && self.values().all(|v| v.check(&inner))
    }
}

impl<K: MapKey + Ord + serde::Serialize, V: Validate> Validate for BTreeMap<K, V> {
    fn write<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter().map(|(k, v)| (k, Written(v))))
    }

    fn validate(value: &Value, c: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
        let mut out = BTreeMap::new();
        validate_map(value, c, cx, |k, v| {
            out.insert(k, v);
        })?;
        Some(out)
    }
    fn check(&self, c: &Constraints) -> bool {
        let inner = item_constraints(c);
        c.check_count(Counted::Dictionary, self.len()).is_ok()
            && self.values().all(|v| v.check(&inner))
    }
}

/// Python's `dict`: any JSON object (`dict_type` otherwise), its keys in
/// the order sent.
impl Validate for serde_json::Map<String, Value> {
    fn validate(value: &Value, c: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
        let mut out = serde_json::Map::new();
        validate_map(value, c, cx, |k: String, v: Value| {
            out.insert(k, v);
        })?;
        Some(out)
    }
}

/// The error for a value that should be a model's object. FastAPI reports
/// `model_attributes_type` at every depth (plain Pydantic would say
/// `model_type` inside a model; FastAPI's answer is the contract).
pub fn not_an_object(value: &Value, cx: &mut ValidateCx<'_>) {
    cx.error(ErrorKind::ModelAttributesType, value);
}

/// Records `missing` for the absent field `key` of `object` (the input is
/// the enclosing object, as Pydantic reports it).
pub fn missing_field(key: &'static str, object: &Value, cx: &mut ValidateCx<'_>) {
    cx.at(key, |cx| cx.error(ErrorKind::Missing, object));
}

/// Runs a validator (a `#[field(validate = ...)]` or
/// `#[model(validate = ...)]` function) on a value that passed its type and
/// constraint checks: its `Err` is recorded as `value_error` at the current
/// path, with `input` as the error's input.
pub fn after_validator<T, E: std::fmt::Display>(
    value: T,
    validator: impl FnOnce(T) -> Result<T, E>,
    input: &Value,
    cx: &mut ValidateCx<'_>,
) -> Option<T> {
    validator(value)
        .map_err(|message| cx.error(ErrorKind::value_error(message), input))
        .ok()
}

/// Records `extra_forbidden` for every key of `map` not in `known`; true
/// when there was none.
pub fn forbid_extra(
    map: &serde_json::Map<String, Value>,
    known: &[&str],
    cx: &mut ValidateCx<'_>,
) -> bool {
    let mut clean = true;
    for (key, value) in map {
        if !known.contains(&key.as_str()) {
            cx.at(key.clone(), |cx| cx.error(ErrorKind::ExtraForbidden, value));
            clean = false;
        }
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run<T: Validate>(value: Value) -> (Option<T>, Vec<Value>) {
        run_with(value, &Constraints::NONE)
    }

    fn run_with<T: Validate>(value: Value, c: &Constraints) -> (Option<T>, Vec<Value>) {
        let mut errors = ValidationErrors::new();
        let out = {
            let mut cx = ValidateCx::new(Location::Body, vec![LocItem::from("f")], &mut errors);
            T::validate(&value, c, &mut cx)
        };
        let errors = errors
            .into_sorted()
            .iter()
            .map(|e| serde_json::to_value(e).unwrap())
            .collect();
        (out, errors)
    }

    fn types(errors: &[Value]) -> Vec<&str> {
        errors.iter().map(|e| e["type"].as_str().unwrap()).collect()
    }

    // Expectations from pydantic 2, BaseModel.model_validate on Python values
    // parsed from JSON (FastAPI's path for bodies).
    #[test]
    fn ints_follow_pydantic_lax_mode() {
        assert_eq!(run::<i64>(json!(true)).0, Some(1));
        assert_eq!(run::<i64>(json!(5.0)).0, Some(5));
        assert_eq!(run::<i64>(json!("5")).0, Some(5));
        assert_eq!(types(&run::<i64>(json!(5.5)).1), ["int_from_float"]);
        assert_eq!(types(&run::<i64>(json!(null)).1), ["int_type"]);
        assert_eq!(types(&run::<i64>(json!([1])).1), ["int_type"]);
        assert_eq!(types(&run::<i64>(json!(1e30)).1), ["int_parsing_size"]);
    }

    #[test]
    fn strings_are_never_coerced_from_other_types() {
        for value in [json!(5), json!(true), json!(null), json!([1]), json!(1.5)] {
            assert_eq!(types(&run::<String>(value).1), ["string_type"]);
        }
    }

    #[test]
    fn bools_take_zero_and_one_and_the_words() {
        assert_eq!(run::<bool>(json!(1)).0, Some(true));
        assert_eq!(run::<bool>(json!(1.0)).0, Some(true));
        assert_eq!(run::<bool>(json!("yes")).0, Some(true));
        assert_eq!(types(&run::<bool>(json!(2)).1), ["bool_parsing"]);
        assert_eq!(types(&run::<bool>(json!(0.5)).1), ["bool_type"]);
        assert_eq!(types(&run::<bool>(json!(null)).1), ["bool_type"]);
    }

    #[test]
    fn list_items_are_reported_with_their_index() {
        let (out, errors) = run::<Vec<i64>>(json!([1, "x", null]));
        assert_eq!(out, None);
        assert_eq!(errors[0]["loc"], json!(["body", "f", 1]));
        assert_eq!(errors[1]["loc"], json!(["body", "f", 2]));
        assert_eq!(types(&errors), ["int_parsing", "int_type"]);
        assert_eq!(types(&run::<Vec<i64>>(json!("abc")).1), ["list_type"]);
    }

    #[test]
    fn map_keys_are_parsed_and_bad_keys_reported_at_key() {
        let (out, _) = run::<BTreeMap<i64, f64>>(json!({"1": "2.5", "02": 3}));
        assert_eq!(out, Some(BTreeMap::from([(1, 2.5), (2, 3.0)])));
        let (_, errors) = run::<BTreeMap<i64, f64>>(json!({"x": 1}));
        assert_eq!(errors[0]["loc"], json!(["body", "f", "x", "[key]"]));
        assert_eq!(errors[0]["input"], json!("x"));
        assert_eq!(
            types(&run::<HashMap<String, i64>>(json!([1])).1),
            ["dict_type"]
        );
    }

    // Pydantic 2.14's errors for `Annotated[dict[str, int], Field(...)]` and
    // `Annotated[set[int], Field(...)]`: a dictionary or a set that is too
    // long is "not more", with no length.
    #[test]
    fn maps_and_sets_count_their_items_as_pydantic_words_it() {
        let min_two = Constraints {
            min_length: Some(2),
            ..Constraints::NONE
        };
        let max_one = Constraints {
            max_length: Some(1),
            ..Constraints::NONE
        };
        let (out, errors) = run_with::<HashMap<String, i64>>(json!({"a": 1}), &min_two);
        assert_eq!(out, None);
        assert_eq!(
            errors[0]["msg"],
            "Dictionary should have at least 2 items after validation, not 1"
        );
        assert_eq!(
            errors[0]["ctx"],
            json!({"field_type": "Dictionary", "min_length": 2, "actual_length": 1})
        );
        let (_, errors) = run_with::<BTreeMap<String, i64>>(json!({"a": 1, "b": 2}), &max_one);
        assert_eq!(
            errors[0]["msg"],
            "Dictionary should have at most 1 item after validation, not more"
        );
        assert_eq!(
            errors[0]["ctx"],
            json!({"field_type": "Dictionary", "max_length": 1, "actual_length": null})
        );
        let (_, errors) = run_with::<BTreeSet<i64>>(json!([1, 1]), &min_two);
        assert_eq!(
            errors[0]["msg"],
            "Set should have at least 2 items after validation, not 1"
        );
        let (_, errors) = run_with::<HashSet<i64>>(json!([1, 2]), &max_one);
        assert_eq!(
            errors[0]["msg"],
            "Set should have at most 1 item after validation, not more"
        );
        assert_eq!(
            errors[0]["ctx"],
            json!({"field_type": "Set", "max_length": 1, "actual_length": null})
        );
        // A map's length constraint is not its values' (was passed on).
        let short_values =
            run_with::<HashMap<String, String>>(json!({"a": "x", "b": "y"}), &min_two);
        assert_eq!(short_values.1, Vec::<Value>::new());
    }
}
