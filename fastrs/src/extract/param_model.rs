//! Parameter models: a `#[model]` struct as a whole set of query, header or
//! cookie parameters (FastAPI's `Annotated[Model, Query()]`).
//!
//! The raw values are gathered into a JSON object (a list field takes every
//! repeated value, any other field the one a scalar would take) and the
//! model validates it, so defaults, constraints and `extra = "forbid"` work
//! as they do for bodies, with `loc` `["query", field]`.

use serde_json::{Map, Value};

use super::{Arg, FromRequest, RequestContext};
use crate::decl::OperationDoc;
use crate::model::{Constraints, Location, Model, ValidateCx, ValidationErrors};
use crate::response::Rejection;

/// Builds the object a parameter model validates from every `(key, value)`
/// pair sent, in order: declared fields first, then (so that `extra =
/// "forbid"` can name them) every other key. One pass over the pairs, so
/// the cost stays linear in what the client sent.
pub(crate) fn gather<M: Model>(pairs: Vec<(String, String)>, first: bool) -> Map<String, Value> {
    let mut by_key: std::collections::HashMap<String, Vec<String>> = Default::default();
    let mut order: Vec<String> = Vec::new();
    for (key, value) in pairs {
        match by_key.get_mut(&key) {
            Some(values) => values.push(value),
            None => {
                order.push(key.clone());
                by_key.insert(key, vec![value]);
            }
        }
    }
    let mut object = Map::new();
    let declared = M::FIELDS.iter().map(|f| (f.name.to_owned(), f.is_list));
    let others: Vec<(String, bool)> = if M::FORBID_EXTRA {
        order
            .into_iter()
            .filter(|k| !M::FIELDS.iter().any(|f| f.name == k))
            .map(|k| (k, false))
            .collect()
    } else {
        Vec::new()
    };
    for (name, is_list) in declared.chain(others) {
        let Some(mut values) = by_key.remove(&name) else {
            continue;
        };
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
/// `user-agent` (`#[param(convert_underscores = false)]`: `user_agent`).
///
/// ```
/// use fastrs::prelude::*;
///
/// #[model]
/// pub struct CommonHeaders {
///     pub user_agent: Option<String>,
///     pub x_tag: Vec<String>,
/// }
///
/// #[endpoint(GET "/headers")]
/// async fn read_headers(headers: Headers<CommonHeaders>) -> Json<Vec<String>> {
///     Json(headers.0.x_tag)
/// }
///
/// let app = App::new().route(read_headers);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headers<T>(pub T);

/// A `#[model]` struct read from the cookies.
///
/// ```
/// use fastrs::prelude::*;
///
/// #[model]
/// pub struct Session {
///     pub session_id: String,
///     pub tracker: Option<String>,
/// }
///
/// #[endpoint(GET "/session")]
/// async fn read_session(cookies: Cookies<Session>) -> String {
///     cookies.0.session_id
/// }
///
/// let app = App::new().route(read_session);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cookies<T>(pub T);

/// The three extractors differ only in where keys and values come from.
macro_rules! model_extractor {
    ($wrapper:ident, $location:expr, $first:expr, pairs: $pairs:expr) => {
        impl<M: Model + Send + 'static> FromRequest for $wrapper<M> {
            type Value = M;

            fn reads_at_once(_: &Arg<M>) -> bool {
                true
            }

            fn describe(arg: &Arg<M>, doc: &mut OperationDoc<'_>) {
                for field in M::FIELDS {
                    doc.model_field($location, field, arg.spec.convert_underscores);
                }
            }

            async fn from_request(
                cx: &mut RequestContext,
                arg: &Arg<M>,
                errors: &mut ValidationErrors,
            ) -> Result<Option<Self>, Rejection> {
                let cx: &RequestContext = cx;
                let pairs: Result<Vec<(String, String)>, Rejection> = $pairs(cx, arg);
                let object = gather::<M>(pairs?, $first);
                Ok(validate(object, $location, errors).map($wrapper))
            }
        }
    };
}

model_extractor!(Query, Location::Query, false,
    pairs: |cx: &RequestContext, _: &Arg<M>| Ok(cx.query_pairs()));
model_extractor!(Headers, Location::Header, true,
    pairs: |cx: &RequestContext, arg: &Arg<M>| Ok(header_pairs(cx, arg.spec.convert_underscores)));
model_extractor!(Cookies, Location::Cookie, false,
    pairs: |cx: &RequestContext, _: &Arg<M>| cx.check_cookie_count().map(|()| cx.cookie_pairs()));

/// The headers as `(field name, value)` pairs: `user-agent` is the field
/// `user_agent`, unless `convert_underscores` is false (FastAPI's
/// `Header(convert_underscores=False)`: the field `save_data` reads the
/// header `save_data` only); bytes that are not UTF-8 are read as Latin-1.
fn header_pairs(cx: &RequestContext, convert_underscores: bool) -> Vec<(String, String)> {
    cx.head()
        .headers
        .iter()
        .map(|(name, value)| {
            let value = value.to_str().map_or_else(
                |_| value.as_bytes().iter().map(|&b| b as char).collect(),
                str::to_owned,
            );
            let name = if convert_underscores {
                name.as_str().replace('-', "_")
            } else {
                name.as_str().to_owned()
            };
            (name, value)
        })
        .collect()
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
