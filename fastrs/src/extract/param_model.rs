//! Parameter models: a `#[model]` struct as a whole set of query, header or
//! cookie parameters (FastAPI's `Annotated[Model, Query()]`).
//!
//! The raw values are gathered into a JSON object (a list field takes every
//! repeated value, any other field the one a scalar would take) and the
//! model validates it, so defaults, constraints and `extra = "forbid"` work
//! as they do for bodies, with `loc` `["query", field]`.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{Arg, FromRequest, RequestContext};
use crate::decl::OperationDoc;
use crate::model::{Constraints, Location, Model, ValidateCx, ValidationErrors};
use crate::response::Rejection;

/// Builds the object a parameter model validates: declared fields first,
/// then (so that `extra = "forbid"` can name them) every other key.
fn gather<M: Model>(
    keys: impl FnOnce() -> Vec<String>,
    values_of: impl Fn(&str) -> Vec<String>,
    first: bool,
) -> Map<String, Value> {
    let mut object = Map::new();
    let declared = M::FIELDS.iter().map(|f| (f.name, f.is_list));
    let others: Vec<(String, bool)> = if M::FORBID_EXTRA {
        keys()
            .into_iter()
            .filter(|k| !M::FIELDS.iter().any(|f| f.name == k))
            .map(|k| (k, false))
            .collect()
    } else {
        Vec::new()
    };
    let names = declared.map(|(n, l)| (n.to_owned(), l)).chain(others);
    for (name, is_list) in names {
        let mut values = values_of(&name);
        if values.is_empty() || object.contains_key(&name) {
            continue;
        }
        let value = if is_list {
            Value::Array(values.into_iter().map(Value::String).collect())
        } else if first {
            Value::String(values.swap_remove(0))
        } else {
            Value::String(values.pop().unwrap_or_default())
        };
        object.insert(name, value);
    }
    object
}

fn validate<M: Model>(
    object: Map<String, Value>,
    location: Location,
    errors: &mut ValidationErrors,
) -> Option<M> {
    let mut cx = ValidateCx::new(location, Vec::new(), errors);
    M::validate(&Value::Object(object), &Constraints::NONE, &mut cx)
}

/// A `#[model]` struct read from the query string.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::extract::Query;
///
/// #[model(extra = "forbid")]
/// struct Page {
///     #[field(default = 100, gt = 0, le = 100)]
///     limit: u32,
///     #[field(default = 0, ge = 0)]
///     offset: u32,
/// }
///
/// #[endpoint(GET "/items")]
/// async fn items(page: Query<Page>) -> Json<u32> {
///     Json(page.0.limit)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query<T>(pub T);

/// A `#[model]` struct read from the headers; field `user_agent` reads
/// `user-agent`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headers<T>(pub T);

/// A `#[model]` struct read from the cookies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cookies<T>(pub T);

fn owned<'a>(values: impl Iterator<Item = Cow<'a, str>>) -> Vec<String> {
    values.map(Cow::into_owned).collect()
}

fn header_name(field: &str) -> String {
    field.replace('_', "-").to_lowercase()
}

/// The three extractors differ only in where keys and values come from.
macro_rules! model_extractor {
    ($wrapper:ident, $location:expr, $first:expr, keys: $keys:expr, values: $values:expr) => {
        impl<M: Model + Send + 'static> FromRequest for $wrapper<M> {
            type Value = M;

            fn describe(_: &Arg<M>, doc: &mut OperationDoc<'_>) {
                for field in M::FIELDS {
                    doc.model_field($location, field);
                }
            }

            async fn from_request(
                cx: &mut RequestContext,
                _: &Arg<M>,
                errors: &mut ValidationErrors,
            ) -> Result<Option<Self>, Rejection> {
                let cx: &RequestContext = cx;
                let object = gather::<M>(|| $keys(cx), |name| $values(cx, name), $first);
                Ok(validate(object, $location, errors).map($wrapper))
            }
        }
    };
}

model_extractor!(Query, Location::Query, false,
    keys: |cx: &RequestContext| owned(cx.query_keys()),
    values: |cx: &RequestContext, name: &str| owned(cx.query_values(name)));
model_extractor!(Headers, Location::Header, true,
    keys: |cx: &RequestContext| cx.head().headers.keys().map(|k| k.as_str().replace('-', "_")).collect(),
    values: |cx: &RequestContext, name: &str| owned(cx.header_values(&header_name(name))));
model_extractor!(Cookies, Location::Cookie, false,
    keys: |cx: &RequestContext| cx.cookie_names(),
    values: |cx: &RequestContext, name: &str| owned(cx.cookie_values(name)));

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
deref_wrapper!(Query, Headers, Cookies);
