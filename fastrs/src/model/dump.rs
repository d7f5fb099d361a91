//! How a model is written out: Pydantic's `model_dump` options
//! (`exclude_unset`, `exclude_none`, `exclude_defaults`), partial updates
//! ([`updated`]), and the [`Maybe`] type that tells an absent field from
//! `null`.
//!
//! `#[model]` writes each struct's `Serialize` by hand so that it can leave
//! out the fields these options exclude and add computed fields. The
//! options travel in a thread-local for the length of one synchronous
//! serialization, so they reach nested models as
//! Pydantic's do, and a serialization without options reads them once per
//! model and pays nothing else.

use std::cell::Cell;

use serde::{Serialize, Serializer};
use serde_json::Value;

use super::{Constraints, FastDeserialize, JsonSchema, Validate, ValidateCx};

/// Which fields a serialization leaves out (Pydantic's `model_dump`
/// arguments, and `response_model_exclude_*` on an endpoint).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dump {
    /// Leave out the fields the value did not set: for a response model,
    /// the keys the handler's value did not have.
    pub exclude_unset: bool,
    /// Leave out the fields that are `None`.
    pub exclude_none: bool,
    /// Leave out the fields equal to their default.
    pub exclude_defaults: bool,
    /// Write only these fields (FastAPI's `response_model_include`): names
    /// as the answer writes them, `owner.name` for a field of a nested
    /// model (of each item of a list).
    pub include: Option<&'static [&'static str]>,
    /// Leave these fields out (FastAPI's `response_model_exclude`), named
    /// as for `include`.
    pub exclude: &'static [&'static str],
}

impl Dump {
    /// Every field written.
    pub const ALL: Dump = Dump {
        exclude_unset: false,
        exclude_none: false,
        exclude_defaults: false,
        include: None,
        exclude: &[],
    };
}

/// The fields of an `include` or `exclude` list as a tree: a name with no
/// children is the whole field; with children, those fields of it.
#[derive(Debug, Default)]
struct Paths(std::collections::BTreeMap<&'static str, Paths>);

impl Paths {
    fn of(list: &[&'static str]) -> Paths {
        let mut root = Paths::default();
        for path in list {
            let mut node = &mut root;
            for name in path.split('.') {
                node = node.0.entry(name).or_default();
            }
        }
        root
    }
}

/// Applies `include` and `exclude` to a written value ([`to_value`]): Pydantic's
/// `model_dump(include=..., exclude=...)` on the answer's JSON (a list's
/// items each filtered alike).
fn prune(
    value: &mut Value,
    include: Option<&'static [&'static str]>,
    exclude: &'static [&'static str],
) {
    if let Some(include) = include {
        keep_paths(value, &Paths::of(include));
    }
    if !exclude.is_empty() {
        drop_paths(value, &Paths::of(exclude));
    }
}

fn keep_paths(value: &mut Value, paths: &Paths) {
    match value {
        Value::Object(object) => {
            object.retain(|key, _| paths.0.contains_key(key.as_str()));
            for (key, field) in object.iter_mut() {
                if let Some(inner) = paths.0.get(key.as_str()) {
                    if !inner.0.is_empty() {
                        keep_paths(field, inner);
                    }
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| keep_paths(item, paths)),
        _ => {}
    }
}

fn drop_paths(value: &mut Value, paths: &Paths) {
    match value {
        Value::Object(object) => {
            for (name, inner) in &paths.0 {
                if inner.0.is_empty() {
                    object.shift_remove(*name);
                } else if let Some(field) = object.get_mut(*name) {
                    drop_paths(field, inner);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| drop_paths(item, paths)),
        _ => {}
    }
}

/// The options of the serialization in progress, as the `Serialize` that
/// `#[model]` writes reads them.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    dump: Dump,
    /// False to leave computed fields out (to tell them apart from the
    /// fields a value did not set).
    computed: bool,
}

impl Options {
    const DEFAULT: Options = Options {
        dump: Dump::ALL,
        computed: true,
    };

    /// True when computed fields are written.
    pub fn computed(&self) -> bool {
        self.computed
    }
}

thread_local! {
    static OPTIONS: Cell<Options> = const { Cell::new(Options::DEFAULT) };
}

/// The options of the serialization in progress on this thread.
pub fn options() -> Options {
    OPTIONS.with(Cell::get)
}

/// Runs `f` (a synchronous serialization) with `options` in force, then
/// restores the previous ones, also when `f` panics.
fn with_options<R>(options: Options, f: impl FnOnce() -> R) -> R {
    struct Restore(Options);
    impl Drop for Restore {
        fn drop(&mut self) {
            OPTIONS.with(|o| o.set(self.0));
        }
    }
    let _restore = Restore(OPTIONS.with(|o| o.replace(options)));
    f()
}

/// Serializes `value` to JSON with `dump`'s exclusions (Pydantic's
/// `model_dump(mode="json", ...)`); `exclude_unset` needs the JSON the
/// value was validated from, see [`to_value_given`].
pub fn to_value<T: Serialize + ?Sized>(value: &T, dump: Dump) -> serde_json::Result<Value> {
    let options = Options {
        dump,
        computed: true,
    };
    let mut written = with_options(options, || serde_json::to_value(super::Finite(value)))?;
    prune(&mut written, dump.include, dump.exclude);
    Ok(written)
}

/// [`to_value`] for a value validated from `given`: with `exclude_unset`,
/// only the keys `given` has are kept, at every depth, and the computed
/// fields (never given, always written, as in Pydantic).
pub fn to_value_given<T: Serialize + ?Sized>(
    value: &T,
    dump: Dump,
    given: &Value,
) -> serde_json::Result<Value> {
    let mut written = to_value(value, dump)?;
    if dump.exclude_unset {
        let options = Options {
            dump,
            computed: false,
        };
        let plain = with_options(options, || serde_json::to_value(super::Finite(value)))?;
        retain_set(&mut written, &plain, given);
    }
    Ok(written)
}

/// True when a model field is written under `options`; called by the
/// `Serialize` that `#[model]` writes. `default` is the field's declared
/// default, if any.
pub fn keep<T: Validate + Serialize>(
    value: &T,
    options: &Options,
    default: Option<fn() -> T>,
) -> bool {
    let options = &options.dump;
    if value.is_unset() || (options.exclude_none && value.is_none()) {
        return false;
    }
    if options.exclude_defaults {
        let equal = match default {
            Some(default) => {
                serde_json::to_value(value).ok() == serde_json::to_value(default()).ok()
            }
            None => T::missing().is_some() && value.is_none(),
        };
        return !equal;
    }
    true
}

/// The keys of `written` that `given` has, recursively, and those that
/// `plain` (the same value written without computed fields) lacks: what
/// Pydantic's `exclude_unset` keeps of a model validated from `given`.
fn retain_set(written: &mut Value, plain: &Value, given: &Value) {
    match (written, plain, given) {
        (Value::Object(out), Value::Object(plain), Value::Object(input)) => {
            out.retain(|key, _| input.contains_key(key) || !plain.contains_key(key));
            for (key, value) in out.iter_mut() {
                if let (Some(plain), Some(given)) = (plain.get(key), input.get(key)) {
                    retain_set(value, plain, given);
                }
            }
        }
        (Value::Array(out), Value::Array(plain), Value::Array(input)) => {
            for ((value, plain), given) in out.iter_mut().zip(plain).zip(input) {
                retain_set(value, plain, given);
            }
        }
        _ => {}
    }
}

/// `stored` with the fields that `patch` sets replaced, validated again as
/// `M`: the PATCH of FastAPI's tutorial (`stored.model_copy(update=
/// patch.model_dump(exclude_unset=True))`), except that the result is
/// checked. `patch`'s [`Maybe::Unset`] fields (and any key it does not
/// write) leave the stored value alone; a value that `M` refuses (a `null`
/// for a required field, say) is an error at `["body", field]`, which
/// answers 422 when returned from a handler (`?` turns it into an
/// `HttpError`).
///
/// ```
/// use fastrs::model::{updated, Maybe};
/// use fastrs::prelude::*;
///
/// #[model]
/// struct Item { name: String, price: f64 }
///
/// #[model]
/// struct ItemPatch { name: Maybe<String>, price: Maybe<f64> }
///
/// let stored = Item { name: "Foo".into(), price: 1.5 };
/// let patch = ItemPatch { name: Maybe::Unset, price: Maybe::Set(2.0) };
/// let item = updated(&stored, &patch).unwrap();
/// assert_eq!((item.name.as_str(), item.price), ("Foo", 2.0));
/// ```
pub fn updated<M, P>(stored: &M, patch: &P) -> Result<M, super::ValidationErrors>
where
    M: Validate + Serialize,
    P: Serialize,
{
    let internal = |error: serde_json::Error| {
        let mut errors = super::ValidationErrors::new();
        errors.push(super::ValidationError {
            kind: super::ErrorKind::Other {
                kind: "serialization_error".into(),
                msg: error.to_string().into(),
                ctx: None,
            },
            location: super::Location::Body,
            loc: Vec::new(),
            input: Value::Null,
        });
        errors
    };
    let mut merged = to_value(stored, Dump::ALL).map_err(internal)?;
    let changes = to_value(patch, Dump::ALL).map_err(internal)?;
    if let (Value::Object(merged), Value::Object(changes)) = (&mut merged, changes) {
        merged.extend(changes);
    }
    from_json(&merged)
}

/// Validates a JSON value as `M`, every error at `["body", ...]`
/// (Pydantic's `model_validate`): for data kept as JSON, as FastAPI apps
/// keep dicts.
pub fn from_json<M: Validate>(value: &Value) -> Result<M, super::ValidationErrors> {
    let mut errors = super::ValidationErrors::new();
    let model = {
        let mut cx = ValidateCx::new(super::Location::Body, Vec::new(), &mut errors);
        M::validate(value, &Constraints::NONE, &mut cx)
    };
    match model {
        Some(model) if errors.is_empty() => Ok(model),
        _ => Err(errors),
    }
}

/// Validates a JSON value as the model `M` as Pydantic's
/// `M.model_validate(data)` does for data already parsed (a WebSocket
/// message, a queue payload): a value that is not an object is one
/// `model_type` error naming the model. Report the errors as Pydantic's
/// `e.errors()` lists them with
/// [`ValidationErrors::without_location`](super::ValidationErrors::without_location).
///
/// ```
/// use fastrs::prelude::*;
///
/// #[model]
/// struct Move {
///     #[field(ge = 0, le = 7)]
///     x: i64,
/// }
///
/// let Err(errors) = fastrs::model::model_validate::<Move>(&serde_json::json!([1])) else {
///     panic!("a list is not a Move")
/// };
/// assert_eq!(
///     serde_json::to_value(errors.without_location()).unwrap(),
///     serde_json::json!([{"type": "model_type", "loc": [], "msg": "Input should be a valid dictionary or instance of Move", "input": [1], "ctx": {"class_name": "Move"}}])
/// );
/// ```
pub fn model_validate<M: Validate + super::Model>(
    value: &Value,
) -> Result<M, super::ValidationErrors> {
    if !value.is_object() {
        let mut errors = super::ValidationErrors::new();
        errors.push(super::ValidationError {
            kind: super::ErrorKind::Other {
                kind: "model_type".into(),
                msg: format!(
                    "Input should be a valid dictionary or instance of {}",
                    M::NAME
                )
                .into(),
                ctx: Some(serde_json::json!({"class_name": M::NAME})),
            },
            location: super::Location::Body,
            loc: Vec::new(),
            input: super::errors::bounded_input(value),
        });
        return Err(errors);
    }
    from_json(value)
}

/// A field that may be absent, told apart from `null`: `Maybe<Option<T>>`
/// is absent, `null` or a value. Absent is [`Maybe::Unset`], which is never
/// written out, so a model of `Maybe` fields serializes to exactly the keys
/// it was given (Pydantic's `exclude_unset`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Maybe<T> {
    /// The field was not given.
    #[default]
    Unset,
    /// The field was given this value.
    Set(T),
}

impl<T> Maybe<T> {
    /// True when the field was given.
    pub const fn is_set(&self) -> bool {
        matches!(self, Maybe::Set(_))
    }

    /// The value, if given.
    pub fn into_option(self) -> Option<T> {
        match self {
            Maybe::Set(value) => Some(value),
            Maybe::Unset => None,
        }
    }

    /// A reference to the value, if given.
    pub const fn as_ref(&self) -> Option<&T> {
        match self {
            Maybe::Set(value) => Some(value),
            Maybe::Unset => None,
        }
    }

    /// Writes the value into `target` if it was given.
    pub fn apply_to(self, target: &mut T) {
        if let Maybe::Set(value) = self {
            *target = value;
        }
    }
}

impl<T: Serialize> Serialize for Maybe<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Maybe::Set(value) => value.serialize(s),
            Maybe::Unset => s.serialize_none(),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Maybe<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Maybe::Set)
    }
}

impl<T: FastDeserialize> FastDeserialize for Maybe<T> {
    fn deserialize_fast<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize_fast(d).map(Maybe::Set)
    }
}

impl<T: JsonSchema> JsonSchema for Maybe<T> {
    fn json_schema(components: &mut super::Components) -> Value {
        T::json_schema(components)
    }
    const OPTIONAL: bool = true;
}

impl<T: Validate> Validate for Maybe<T> {
    fn validate(value: &Value, c: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
        T::validate(value, c, cx).map(Maybe::Set)
    }
    fn check(&self, c: &Constraints) -> bool {
        self.as_ref().is_none_or(|v| v.check(c))
    }
    fn missing() -> Option<Self> {
        Some(Maybe::Unset)
    }
    fn is_none(&self) -> bool {
        self.as_ref().is_some_and(Validate::is_none)
    }
    fn is_unset(&self) -> bool {
        !self.is_set()
    }
    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Maybe::Set(value) => value.write(s),
            Maybe::Unset => s.serialize_none(),
        }
    }
    const IS_LIST: bool = T::IS_LIST;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn retain_set_keeps_the_keys_given_at_every_depth_and_the_computed_ones() {
        let plain = json!({"a": 1, "b": null, "c": [{"x": 1, "y": 2}], "d": {"x": 1, "y": 2}});
        let mut written = json!({"a": 1, "b": null, "c": [{"x": 1, "y": 2, "t": 3}], "d": {"x": 1, "y": 2}, "t": 0});
        let given = json!({"a": 1, "c": [{"x": 1}], "d": {"y": 2}});
        retain_set(&mut written, &plain, &given);
        assert_eq!(
            written,
            json!({"a": 1, "c": [{"x": 1, "t": 3}], "d": {"y": 2}, "t": 0})
        );
    }

    #[test]
    fn options_are_restored_after_a_panic() {
        let caught = std::panic::catch_unwind(|| {
            let options = Options {
                dump: Dump {
                    exclude_none: true,
                    ..Dump::ALL
                },
                computed: false,
            };
            with_options(options, || panic!("boom"))
        });
        assert!(caught.is_err());
        assert_eq!(options().dump, Dump::ALL);
        assert!(options().computed());
    }
}
