//! Parameter models: a `#[model]` struct as a whole set of query, header or
//! cookie parameters (FastAPI's `Annotated[Model, Query()]`).
//!
//! The raw values are gathered into a JSON object (a list field takes every
//! repeated value, any other field the one a scalar would take) and the
//! model validates it, so defaults, constraints and `extra = "forbid"` work
//! as they do for bodies, with `loc` `["query", field]`.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{FromRequest, ParamSpec, RequestContext};
use crate::error::HttpError;
use crate::model::{Constraints, Location, Model, ValidateCx, ValidationErrors};

/// Builds the object a parameter model validates: declared fields first,
/// then (so that `extra = "forbid"` can name them) every other key.
fn gather<'a, M: Model>(
    keys: impl Iterator<Item = Cow<'a, str>>,
    values_of: impl Fn(&str) -> Vec<String>,
    first: bool,
) -> Map<String, Value> {
    let mut object = Map::new();
    let declared = M::FIELDS.iter().map(|f| (f.name, f.is_list));
    let others: Vec<(String, bool)> = if M::FORBID_EXTRA {
        keys.filter(|k| !M::FIELDS.iter().any(|f| f.name == k))
            .map(|k| (k.into_owned(), false))
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

impl<M: Model + Send> FromRequest for Query<M> {
    type Value = M;

    fn describe(
        _: &'static ParamSpec,
        _: Option<fn() -> M>,
        doc: &mut crate::openapi::OperationDoc<'_>,
    ) {
        for field in M::FIELDS {
            doc.model_field(Location::Query, field);
        }
    }

    async fn from_request(
        cx: &mut RequestContext,
        _: &'static ParamSpec,
        _: Option<fn() -> M>,
        errors: &mut ValidationErrors,
    ) -> Result<Option<Self>, HttpError> {
        let object = gather::<M>(
            cx.query_keys(),
            |name| cx.query_values(name).map(Cow::into_owned).collect(),
            false,
        );
        Ok(validate(object, Location::Query, errors).map(Query))
    }
}

/// A `#[model]` struct read from the headers; field `user_agent` reads
/// `user-agent`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headers<T>(pub T);

impl<M: Model + Send> FromRequest for Headers<M> {
    type Value = M;

    fn describe(
        _: &'static ParamSpec,
        _: Option<fn() -> M>,
        doc: &mut crate::openapi::OperationDoc<'_>,
    ) {
        for field in M::FIELDS {
            doc.model_field(Location::Header, field);
        }
    }

    async fn from_request(
        cx: &mut RequestContext,
        _: &'static ParamSpec,
        _: Option<fn() -> M>,
        errors: &mut ValidationErrors,
    ) -> Result<Option<Self>, HttpError> {
        let header_name = |field: &str| field.replace('_', "-").to_lowercase();
        let keys = cx
            .head()
            .headers
            .keys()
            .map(|k| Cow::Owned(k.as_str().replace('-', "_")));
        let object = gather::<M>(
            keys,
            |name| {
                cx.header_values(&header_name(name))
                    .map(Cow::into_owned)
                    .collect()
            },
            true,
        );
        Ok(validate(object, Location::Header, errors).map(Headers))
    }
}

/// A `#[model]` struct read from the cookies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cookies<T>(pub T);

impl<M: Model + Send> FromRequest for Cookies<M> {
    type Value = M;

    fn describe(
        _: &'static ParamSpec,
        _: Option<fn() -> M>,
        doc: &mut crate::openapi::OperationDoc<'_>,
    ) {
        for field in M::FIELDS {
            doc.model_field(Location::Cookie, field);
        }
    }

    async fn from_request(
        cx: &mut RequestContext,
        _: &'static ParamSpec,
        _: Option<fn() -> M>,
        errors: &mut ValidationErrors,
    ) -> Result<Option<Self>, HttpError> {
        let names: Vec<String> = cx.cookie_names();
        let object = gather::<M>(
            names.into_iter().map(Cow::Owned),
            |name| cx.cookie_values(name).map(Cow::into_owned).collect(),
            false,
        );
        Ok(validate(object, Location::Cookie, errors).map(Cookies))
    }
}

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
