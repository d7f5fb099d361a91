//! Path, query, header and cookie parameters.
//!
//! A parameter's raw values (strings) are found by its source, then shaped by
//! the argument's type ([`ParamShape`]): a scalar takes one value, `Option`
//! allows none, `Vec` takes every repeated value. Each value is parsed and
//! checked by [`ParamValue`](crate::model::ParamValue).

use std::borrow::Cow;

use serde_json::Value;

use super::{Arg, FromRequest, RequestContext};
use crate::decl::{OperationDoc, ParamSpec};
use crate::error::HttpError;
use crate::model::{
    Constraints, ErrorKind, LocItem, Location, ParamValue, Validate, ValidationError,
    ValidationErrors,
};
use crate::response::Rejection;

/// Which value a scalar takes when a key is repeated: Starlette reads the
/// last query value and cookie, and the first header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The first value.
    First,
    /// The last value.
    Last,
}

impl Pick {
    fn of(location: Location) -> Self {
        match location {
            Location::Header => Pick::First,
            _ => Pick::Last,
        }
    }
}

/// What shaping the raw values gave.
pub enum Shaped<T> {
    /// A value.
    Value(T),
    /// No value was sent (and the shape needs one).
    Absent,
    /// A value was sent and was invalid; errors were recorded.
    Invalid,
}

/// The shape of a parameter type: a scalar, `Option` of one, `Vec` of them,
/// or `Option<Vec<_>>`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from the request as a parameter",
    note = "path, query, header and cookie parameters are integers, floats, bool, String, `#[model]` fieldless enums, or Option/Vec of those",
    note = "to read the body, use Json<T>; a header, Header<T>; a cookie, Cookie<T>"
)]
pub trait ParamShape: crate::model::JsonSchema + serde::Serialize + Sized + Send + 'static {
    /// Builds the value from every raw value found, in request order.
    fn shape<'a>(
        values: impl Iterator<Item = Cow<'a, str>>,
        location: Location,
        spec: &'static ParamSpec,
        errors: &mut ValidationErrors,
    ) -> Shaped<Self>;
}

/// Parses one raw value; `loc` names it in the error, built only when
/// there is one (a valid value allocates nothing here).
fn parse_one<T: ParamValue>(
    raw: &str,
    constraints: &Constraints,
    location: Location,
    loc: impl FnOnce() -> Vec<LocItem>,
    errors: &mut ValidationErrors,
) -> Option<T> {
    match T::parse_param(raw, constraints) {
        Ok(value) => Some(value),
        Err(kind) => {
            errors.push(ValidationError {
                kind,
                location,
                loc: loc(),
                input: Value::String(raw.to_owned()),
            });
            None
        }
    }
}

impl<T: ParamValue> ParamShape for T {
    fn shape<'a>(
        mut values: impl Iterator<Item = Cow<'a, str>>,
        location: Location,
        spec: &'static ParamSpec,
        errors: &mut ValidationErrors,
    ) -> Shaped<Self> {
        let raw = match Pick::of(location) {
            Pick::First => values.next(),
            Pick::Last => values.last(),
        };
        let Some(raw) = raw else {
            return Shaped::Absent;
        };
        let loc = || vec![LocItem::from(spec.wire_name(location))];
        match parse_one(&raw, &spec.constraints, location, loc, errors) {
            Some(value) => Shaped::Value(value),
            None => Shaped::Invalid,
        }
    }
}

impl<T> Shaped<T> {
    /// The value changed by `f`; absent and invalid stay so.
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Shaped<U> {
        match self {
            Shaped::Value(v) => Shaped::Value(f(v)),
            Shaped::Absent => Shaped::Absent,
            Shaped::Invalid => Shaped::Invalid,
        }
    }
}

/// The shape of an `Option`: an absent value is `None`.
fn optional<T>(shaped: Shaped<T>) -> Shaped<Option<T>> {
    match shaped {
        Shaped::Value(v) => Shaped::Value(Some(v)),
        Shaped::Absent => Shaped::Value(None),
        Shaped::Invalid => Shaped::Invalid,
    }
}

impl<T: ParamValue> ParamShape for Option<T> {
    fn shape<'a>(
        values: impl Iterator<Item = Cow<'a, str>>,
        location: Location,
        spec: &'static ParamSpec,
        errors: &mut ValidationErrors,
    ) -> Shaped<Self> {
        optional(T::shape(values, location, spec, errors))
    }
}

impl<T: ParamValue> ParamShape for Vec<T> {
    fn shape<'a>(
        values: impl Iterator<Item = Cow<'a, str>>,
        location: Location,
        spec: &'static ParamSpec,
        errors: &mut ValidationErrors,
    ) -> Shaped<Self> {
        let name = spec.wire_name(location);
        // Length constraints apply to the list; the rest to each item.
        let item_constraints = Constraints {
            min_length: None,
            max_length: None,
            ..spec.constraints
        };
        let mut items = Vec::new();
        let mut invalid = false;
        let mut raws = Vec::new();
        for (index, raw) in values.enumerate() {
            let loc = || vec![LocItem::from(name), LocItem::Index(index)];
            match parse_one(&raw, &item_constraints, location, loc, errors) {
                Some(item) => items.push(item),
                None => invalid = true,
            }
            raws.push(Value::String(raw.into_owned()));
        }
        if raws.is_empty() {
            return Shaped::Absent;
        }
        if invalid {
            return Shaped::Invalid;
        }
        if let Err(kind) = spec.constraints.check_len(items.len()) {
            errors.push(ValidationError {
                kind,
                location,
                loc: vec![LocItem::from(name)],
                input: Value::Array(raws),
            });
            return Shaped::Invalid;
        }
        Shaped::Value(items)
    }
}

impl<T: ParamValue> ParamShape for Option<Vec<T>> {
    fn shape<'a>(
        values: impl Iterator<Item = Cow<'a, str>>,
        location: Location,
        spec: &'static ParamSpec,
        errors: &mut ValidationErrors,
    ) -> Shaped<Self> {
        optional(Vec::<T>::shape(values, location, spec, errors))
    }
}

/// Sets (Python's `set[T]` in a query): the values as a list, duplicates
/// dropped.
macro_rules! set_shape {
    ($set:ident, $($bound:tt)*) => {
        impl<T: ParamValue + $($bound)*> ParamShape for std::collections::$set<T> {
            fn shape<'a>(
                values: impl Iterator<Item = Cow<'a, str>>,
                location: Location,
                spec: &'static ParamSpec,
                errors: &mut ValidationErrors,
            ) -> Shaped<Self> {
                Vec::<T>::shape(values, location, spec, errors).map(|items| items.into_iter().collect())
            }
        }

        impl<T: ParamValue + $($bound)*> ParamShape for Option<std::collections::$set<T>> {
            fn shape<'a>(
                values: impl Iterator<Item = Cow<'a, str>>,
                location: Location,
                spec: &'static ParamSpec,
                errors: &mut ValidationErrors,
            ) -> Shaped<Self> {
                optional(std::collections::$set::<T>::shape(values, location, spec, errors))
            }
        }
    };
}
set_shape!(HashSet, Eq + std::hash::Hash);
set_shape!(BTreeSet, Ord);

/// Shapes the values and applies the default, or records `missing`.
pub(crate) fn read<'a, T: ParamShape>(
    values: impl Iterator<Item = Cow<'a, str>>,
    location: Location,
    spec: &'static ParamSpec,
    default: Option<fn() -> T>,
    errors: &mut ValidationErrors,
) -> Option<T> {
    if spec.required {
        // `#[param(required)]` on an `Option`: sent, or `missing`.
        let mut values = values.peekable();
        if values.peek().is_none() {
            return missing(location, spec, errors);
        }
        return shaped(
            T::shape(values, location, spec, errors),
            location,
            spec,
            default,
            errors,
        );
    }
    shaped(
        T::shape(values, location, spec, errors),
        location,
        spec,
        default,
        errors,
    )
}

/// What [`read`] makes of a shape: the value, the default, or `missing`.
fn shaped<T>(
    shaped: Shaped<T>,
    location: Location,
    spec: &'static ParamSpec,
    default: Option<fn() -> T>,
    errors: &mut ValidationErrors,
) -> Option<T> {
    match shaped {
        Shaped::Value(value) => Some(value),
        Shaped::Invalid => None,
        Shaped::Absent => match default {
            Some(default) => Some(default()),
            None => missing(location, spec, errors),
        },
    }
}

/// Records that the parameter was not sent.
fn missing<T>(
    location: Location,
    spec: &'static ParamSpec,
    errors: &mut ValidationErrors,
) -> Option<T> {
    errors.push(ValidationError::new(
        ErrorKind::Missing,
        location,
        spec.wire_name(location),
        Value::Null,
    ));
    None
}

/// Whether a parameter is required, and its default as JSON, for the
/// OpenAPI document.
pub(crate) fn param_default<T: crate::model::JsonSchema + serde::Serialize>(
    default: Option<fn() -> T>,
) -> (bool, Option<Value>) {
    match default {
        Some(default) => (false, serde_json::to_value(default()).ok()),
        None => (!T::OPTIONAL, None),
    }
}

/// Reads a path parameter from the value the router matched.
fn path_param<T: ParamShape>(
    value: &str,
    spec: &'static ParamSpec,
    errors: &mut ValidationErrors,
) -> Option<T> {
    let value = std::iter::once(Cow::Borrowed(value));
    read(value, Location::Path, spec, None, errors)
}

/// Reads a bare scalar, `Option` or `Vec` argument: a path parameter when
/// the matched route has a variable of that name (an endpoint's template
/// variable, a dependency's argument, or one under a router prefix like
/// `/users/{user_id}`); a key of the body object with `#[param(body)]` (or
/// `#[param(embed)]`); else a query parameter.
///
/// The body of every scalar type's [`FromRequest`] impl (the built-in ones
/// and those `#[model]` writes for fieldless enums). A parameter is read at
/// once (the future is ready when made); only a body key awaits the body.
pub fn scalar_from_request<'a, T: ParamShape + Validate>(
    cx: &'a mut RequestContext,
    arg: &'a Arg<T>,
    errors: &'a mut ValidationErrors,
) -> ScalarFuture<'a, T> {
    let spec = arg.spec;
    if reads_body(spec) {
        let field = super::body_field(cx, spec, arg.default, errors);
        return ScalarFuture(ScalarState::Body(Box::pin(field)));
    }
    let value = match cx.path_param(spec.alias) {
        Some(value) => path_param(value, spec, errors),
        None => read(
            cx.query_values(spec.alias),
            Location::Query,
            spec,
            arg.default,
            errors,
        ),
    };
    ScalarFuture(ScalarState::Ready(Some(value)))
}

/// Whether [`scalar_from_request`] reads `arg` at once: always, but for a
/// key of the body.
pub fn scalar_reads_at_once<T>(arg: &Arg<T>) -> bool {
    !reads_body(arg.spec)
}

/// The future of [`scalar_from_request`].
pub struct ScalarFuture<'a, T>(ScalarState<'a, T>);

type BodyFieldFuture<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Option<T>, HttpError>> + Send + 'a>>;

enum ScalarState<'a, T> {
    Ready(Option<Option<T>>),
    Body(BodyFieldFuture<'a, T>),
}

impl<T> std::future::Future for ScalarFuture<'_, T> {
    type Output = Result<Option<T>, Rejection>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        match &mut self.get_mut().0 {
            ScalarState::Ready(value) => std::task::Poll::Ready(Ok(value.take().flatten())),
            ScalarState::Body(field) => field.as_mut().poll(cx).map(|r| r.map_err(Rejection::from)),
        }
    }
}

// Nothing is pinned in place: the value is taken out, the body future is
// boxed.
impl<T> Unpin for ScalarFuture<'_, T> {}

/// Documents a scalar argument, as [`scalar_from_request`] reads it.
pub fn describe_scalar<T: ParamShape + Validate>(arg: &Arg<T>, doc: &mut OperationDoc<'_>) {
    if reads_body(arg.spec) {
        return super::describe_body_field(arg.spec, true, arg.default, doc);
    }
    let (required, default) = param_default::<T>(arg.default);
    doc.query_or_path::<T>(arg.spec, required, default);
}

/// Scalars, and `Option`s and `Vec`s of them, are parameters.
macro_rules! scalar_param {
    ($(#[$cfg:meta])* impl[$($generics:tt)*] for $t:ty) => {
        $(#[$cfg])*
        impl<$($generics)*> FromRequest for $t {
            type Value = $t;

            fn from_request<'a>(
                cx: &'a mut RequestContext,
                arg: &'a Arg<$t>,
                errors: &'a mut ValidationErrors,
            ) -> impl std::future::Future<Output = Result<Option<Self>, Rejection>> + Send + 'a {
                scalar_from_request(cx, arg, errors)
            }

            fn reads_at_once(arg: &Arg<$t>) -> bool {
                scalar_reads_at_once(arg)
            }

            fn describe(arg: &Arg<$t>, doc: &mut OperationDoc<'_>) {
                describe_scalar(arg, doc)
            }
        }
    };
    ($($t:ty),*) => {$( scalar_param!(impl[] for $t); )*};
}

scalar_param!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64, bool, String);
scalar_param!(crate::model::Email);
scalar_param!(serde_json::Value);
scalar_param!(impl[T: ParamValue] for Option<T>);
scalar_param!(impl[T: ParamValue] for Vec<T>);
scalar_param!(impl[T: ParamValue] for Option<Vec<T>>);
scalar_param!(impl[T: ParamValue + Eq + std::hash::Hash] for std::collections::HashSet<T>);
scalar_param!(impl[T: ParamValue + Eq + std::hash::Hash] for Option<std::collections::HashSet<T>>);
scalar_param!(impl[T: ParamValue + Ord] for std::collections::BTreeSet<T>);
scalar_param!(impl[T: ParamValue + Ord] for Option<std::collections::BTreeSet<T>>);
scalar_param!(#[cfg(feature = "uuid")] impl[] for uuid::Uuid);
scalar_param!(#[cfg(feature = "url")] impl[] for crate::model::HttpUrl);
scalar_param!(#[cfg(feature = "url")] impl[] for crate::model::AnyUrl);
scalar_param!(#[cfg(feature = "schemars")] impl[T: crate::model::foreign::SerdeType] for crate::model::Serde<T>);
scalar_param!(#[cfg(feature = "chrono")] impl[] for chrono::DateTime<chrono::Utc>);
scalar_param!(#[cfg(feature = "chrono")] impl[] for chrono::DateTime<chrono::FixedOffset>);
scalar_param!(#[cfg(feature = "chrono")] impl[] for chrono::NaiveDateTime);
scalar_param!(#[cfg(feature = "chrono")] impl[] for chrono::NaiveDate);
scalar_param!(#[cfg(feature = "chrono")] impl[] for chrono::NaiveTime);
scalar_param!(#[cfg(feature = "chrono")] impl[] for chrono::TimeDelta);

/// True for a scalar declared as a key of the body object.
fn reads_body(spec: &ParamSpec) -> bool {
    spec.body || spec.embed
}

/// A request header. The argument `user_agent: Header<String>` reads the
/// header `user-agent`, case-insensitively; `Header<Vec<String>>` reads every
/// value of a repeated header.
///
/// ```
/// use fastrs::prelude::*;
///
/// #[endpoint(GET "/agent")]
/// async fn agent(user_agent: Header<Option<String>>) -> String {
///     user_agent.0.unwrap_or_default()
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header<T>(pub T);

/// A cookie, by the argument's name (or `alias`).
///
/// ```
/// use fastrs::prelude::*;
///
/// #[endpoint(GET "/cookies")]
/// async fn cookies(ads_id: Cookie<Option<String>>) -> Json<Option<String>> {
///     Json(ads_id.0)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cookie<T>(pub T);

/// `Header<T>` and `Cookie<T>` differ only in where the values come from.
macro_rules! located_param {
    ($wrapper:ident, $location:expr, |$cx:ident, $spec:ident| $values:expr) => {
        impl<T: ParamShape> FromRequest for $wrapper<T> {
            type Value = T;

            fn reads_at_once(_: &Arg<T>) -> bool {
                true
            }

            fn describe(arg: &Arg<T>, doc: &mut OperationDoc<'_>) {
                let (required, default) = param_default::<T>(arg.default);
                doc.parameter::<T>($location, arg.spec, required, default);
            }

            async fn from_request(
                $cx: &mut RequestContext,
                arg: &Arg<T>,
                errors: &mut ValidationErrors,
            ) -> Result<Option<Self>, Rejection> {
                let $spec = arg.spec;
                let values = $values;
                Ok(read(values, $location, $spec, arg.default, errors).map($wrapper))
            }
        }
    };
}

located_param!(Header, Location::Header, |cx, spec| cx
    .header_param_values(spec));
located_param!(Cookie, Location::Cookie, |cx, spec| {
    cx.check_cookie_count()?;
    cx.cookie_values(spec.alias)
});

macro_rules! deref_wrapper {
    ($($w:ident),*) => {$(
        impl<T> std::ops::Deref for $w<T> {
            type Target = T;
            fn deref(&self) -> &T {
                &self.0
            }
        }
    )*};
}
deref_wrapper!(Header, Cookie);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Number;
    use crate::response::Body;
    use std::sync::Arc;

    fn values<'a>(raw: &'a [&'a str]) -> impl Iterator<Item = Cow<'a, str>> {
        raw.iter().map(|s| Cow::Borrowed(*s))
    }

    static N: ParamSpec = ParamSpec::named("n");

    #[test]
    fn a_scalar_query_takes_the_last_value_and_a_header_the_first() {
        let mut errors = ValidationErrors::new();
        let q: Option<i64> = read(values(&["1", "2"]), Location::Query, &N, None, &mut errors);
        let h: Option<i64> = read(values(&["1", "2"]), Location::Header, &N, None, &mut errors);
        assert_eq!((q, h), (Some(2), Some(1)));
        assert!(errors.is_empty());
    }

    #[test]
    fn a_missing_value_uses_the_default_or_is_reported() {
        let mut errors = ValidationErrors::new();
        let with_default: Option<i64> =
            read(values(&[]), Location::Query, &N, Some(|| 7), &mut errors);
        assert_eq!(with_default, Some(7));
        let optional: Option<Option<i64>> =
            read(values(&[]), Location::Query, &N, None, &mut errors);
        assert_eq!(optional, Some(None));
        assert!(errors.is_empty());
        let required: Option<i64> = read(values(&[]), Location::Query, &N, None, &mut errors);
        assert_eq!(required, None);
        assert_eq!(errors.as_slice()[0].kind, ErrorKind::Missing);
        assert_eq!(errors.as_slice()[0].input, Value::Null);
    }

    #[test]
    fn every_bad_item_of_a_list_is_reported_with_its_index() {
        let mut errors = ValidationErrors::new();
        let list: Option<Vec<i64>> = read(
            values(&["1", "x", "2.5"]),
            Location::Query,
            &N,
            None,
            &mut errors,
        );
        assert_eq!(list, None);
        let locs: Vec<_> = errors.as_slice().iter().map(|e| e.loc.clone()).collect();
        assert_eq!(
            locs,
            [
                vec![LocItem::from("n"), LocItem::Index(1)],
                vec![LocItem::from("n"), LocItem::Index(2)]
            ]
        );
    }

    #[test]
    fn constraints_apply_to_each_value() {
        static SIZE: ParamSpec = ParamSpec {
            constraints: Constraints {
                gt: Some(Number::Int(0)),
                ..Constraints::NONE
            },
            ..ParamSpec::named("size")
        };
        let mut errors = ValidationErrors::new();
        let size: Option<f64> = read(values(&["0"]), Location::Query, &SIZE, None, &mut errors);
        assert_eq!(size, None);
        assert_eq!(
            errors.as_slice()[0].kind,
            ErrorKind::GreaterThan(Number::Float(0.0))
        );
        assert_eq!(errors.as_slice()[0].input, Value::String("0".into()));
    }

    #[test]
    fn path_params_come_from_the_matched_route() {
        static ID: ParamSpec = ParamSpec::named("item_id");
        let (head, ()) = http::Request::builder()
            .uri("/items/5")
            .body(())
            .unwrap()
            .into_parts();
        let names: Arc<[Box<str>]> = Arc::from(vec![Box::from("item_id")]);
        let mut cx = RequestContext::new(head, Body::empty(), names, vec!["5".into()], 0);
        let mut errors = ValidationErrors::new();
        let arg = Arg::new(&ID, None);
        let read = scalar_from_request::<i64>(&mut cx, &arg, &mut errors);
        let read = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(read);
        assert_eq!(read.ok().flatten(), Some(5));
    }
}
