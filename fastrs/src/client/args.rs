//! What a typed call sends: each argument type's [`ClientArg`] (what the
//! caller passes for it, and where it goes in the request), and the
//! type-level list that turns an endpoint's arguments into the tuple of
//! the values the caller passes, leaving out what is not sent
//! (dependencies, credentials, the request handles).

use serde::Serialize;
use serde_json::Value;

use crate::decl::ParamSpec;
use crate::di::{Depends, DependsMut};
use crate::extract::{Cookie, Cookies, Header, Headers, Query};
#[cfg(feature = "forms")]
use crate::extract::{Form, JsonOrForm};
use crate::model::{Model, ParamValue};
use crate::response::Json;
#[cfg(feature = "forms")]
use crate::security::OAuth2PasswordRequestForm;
use crate::security::SecurityScopes;

/// A request being written by a typed call.
#[derive(Debug)]
pub struct Outgoing {
    /// The template, its variables replaced as the path arguments come.
    pub(super) path: String,
    pub(super) query: Vec<(String, String)>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) cookies: Vec<(String, String)>,
    pub(super) body: Body,
    /// What could not be written (the request is then not sent).
    pub(super) problem: Option<String>,
    /// How many parts the JSON body has (`Json<T>` arguments and
    /// `#[param(body)]` scalars): with more than one, the body is an
    /// object of them, as the server reads it.
    pub(super) json_parts: usize,
}

/// The body of a call.
#[derive(Debug)]
pub(super) enum Body {
    None,
    /// JSON: a whole body, or an object of the embedded parts.
    Json(Value),
    /// `application/x-www-form-urlencoded` fields.
    Form(Vec<(String, String)>),
}

impl Outgoing {
    pub(super) fn new(template: &str) -> Self {
        Outgoing {
            path: template.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: Body::None,
            problem: None,
            json_parts: 0,
        }
    }

    /// The variable `{name}` (or `{name:path}`) of the template, as written.
    fn variable(&self, name: &str) -> Option<String> {
        [format!("{{{name}}}"), format!("{{{name}:path}}")]
            .into_iter()
            .find(|v| self.path.contains(v.as_str()))
    }

    /// Puts a scalar argument where the server reads it: the path when the
    /// template has its name, the body when declared a body key, else the
    /// query.
    pub fn scalar<T: Serialize>(&mut self, value: &T, spec: &'static ParamSpec) {
        let value = self.written(value);
        if let Some(variable) = self.variable(spec.alias) {
            let text = scalar_text(&value);
            let encoded = if variable.ends_with(":path}") {
                percent_encoding::utf8_percent_encode(&text, PATH_WITH_SLASHES).to_string()
            } else {
                percent_encoding::utf8_percent_encode(&text, PATH_SEGMENT).to_string()
            };
            self.path = self.path.replace(&variable, &encoded);
        } else if spec.body || spec.embed {
            self.json_part(spec.alias, value, true);
        } else {
            for text in texts(&value) {
                self.query.push((spec.alias.to_owned(), text));
            }
        }
    }

    /// A header argument: one header per value (none for `None`).
    pub fn header<T: Serialize>(&mut self, value: &T, spec: &'static ParamSpec) {
        let value = self.written(value);
        for text in texts(&value) {
            self.headers.push((spec.header_name.to_owned(), text));
        }
    }

    /// A cookie argument (none for `None`).
    pub fn cookie<T: Serialize>(&mut self, value: &T, spec: &'static ParamSpec) {
        let value = self.written(value);
        if let Some(text) = texts(&value).pop() {
            self.cookies.push((spec.alias.to_owned(), text));
        }
    }

    /// A model's fields as query parameters, headers or cookies.
    fn model_fields<M: Serialize>(
        &mut self,
        model: &M,
        mut put: impl FnMut(&mut Self, String, String),
    ) {
        if let Value::Object(fields) = self.written(model) {
            for (name, value) in fields {
                for text in texts(&value) {
                    put(self, name.clone(), text);
                }
            }
        }
    }

    /// A JSON body part: the body itself, or with `embedded` the key
    /// `alias` of the body object.
    pub fn json_part(&mut self, alias: &str, value: Value, embedded: bool) {
        match (&mut self.body, embedded) {
            (Body::None, false) => self.body = Body::Json(value),
            (Body::Json(Value::Object(parts)), true) => {
                parts.insert(alias.to_owned(), value);
            }
            (Body::None, true) => {
                let mut parts = serde_json::Map::new();
                parts.insert(alias.to_owned(), value);
                self.body = Body::Json(Value::Object(parts));
            }
            _ => self.problem = Some(format!("the body part `{alias}` cannot join the others")),
        }
    }

    /// Form fields: each field of a model, or the value under `alias`.
    pub fn form<T: Serialize>(&mut self, value: &T, alias: &str) {
        let value = self.written(value);
        let mut fields = Vec::new();
        match value {
            Value::Object(object) => {
                for (name, value) in object {
                    fields.extend(texts(&value).into_iter().map(|t| (name.clone(), t)));
                }
            }
            other => fields.extend(texts(&other).into_iter().map(|t| (alias.to_owned(), t))),
        }
        match &mut self.body {
            Body::None => self.body = Body::Form(fields),
            Body::Form(existing) => existing.extend(fields),
            Body::Json(_) => {
                self.problem = Some("a form cannot be sent with a JSON body".to_owned());
            }
        }
    }

    fn written<T: Serialize>(&mut self, value: &T) -> Value {
        serde_json::to_value(value).unwrap_or_else(|e| {
            self.problem = Some(format!("an argument cannot be written: {e}"));
            Value::Null
        })
    }
}

/// What a path segment escapes: all but RFC 3986's unreserved characters.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A `{name:path}` variable keeps its slashes.
const PATH_WITH_SLASHES: &percent_encoding::AsciiSet = &PATH_SEGMENT.remove(b'/');

/// A scalar's text as a parameter: strings as they are, numbers and
/// booleans as JSON writes them.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The texts of a parameter value: none for `null`, one per item of a
/// list, else one.
fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) => items
            .iter()
            .filter(|v| !v.is_null())
            .map(scalar_text)
            .collect(),
        other => vec![scalar_text(other)],
    }
}

/// A flat tuple of argument values: `()`, `(A,)`, `(A, B)`, ... up to 16.
pub trait Flat: Sized {
    /// The tuple with `H` in front ([`TooMany`] past 16).
    type Prepend<H>: Flat;
    /// Takes the front value off.
    fn split_first<H>(all: Self::Prepend<H>) -> (H, Self);
}

/// What a 17th sent argument would make: no value of it exists, so no
/// call can pass one.
#[derive(Debug)]
pub enum TooMany {}

impl Flat for TooMany {
    type Prepend<H> = TooMany;
    fn split_first<H>(all: TooMany) -> (H, Self) {
        match all {}
    }
}

macro_rules! flat {
    ($($t:ident)*) => {
        impl<$($t,)*> Flat for ($($t,)*) {
            type Prepend<H> = (H, $($t,)*);
            #[allow(non_snake_case, clippy::unused_unit)]
            fn split_first<H>(all: (H, $($t,)*)) -> (H, Self) {
                let (head, $($t,)*) = all;
                (head, ($($t,)*))
            }
        }
    };
}

flat!();
flat!(A);
flat!(A B);
flat!(A B C);
flat!(A B C D);
flat!(A B C D E);
flat!(A B C D E F);
flat!(A B C D E F G);
flat!(A B C D E F G H0);
flat!(A B C D E F G H0 I);
flat!(A B C D E F G H0 I J);
flat!(A B C D E F G H0 I J K);
flat!(A B C D E F G H0 I J K L);
flat!(A B C D E F G H0 I J K L M);
flat!(A B C D E F G H0 I J K L M N);
flat!(A B C D E F G H0 I J K L M N O);

impl<A, B, C, D, E, F, G, H0, I, J, K, L, M, N, O, P> Flat
    for (A, B, C, D, E, F, G, H0, I, J, K, L, M, N, O, P)
{
    type Prepend<H> = TooMany;
    fn split_first<H>(all: TooMany) -> (H, Self) {
        match all {}
    }
}

/// Whether the caller passes an argument's value ([`Sent`]) or not
/// ([`Omitted`]), and how the tuple of values grows by it.
pub trait Role<H> {
    /// The values `R` with this argument's (if sent) in front.
    type Cons<R: Flat>: Flat;
    /// This argument's value (`()` when omitted) and the rest.
    fn split<R: Flat>(all: Self::Cons<R>) -> (H, R);
}

/// An argument the caller passes.
#[derive(Debug)]
pub enum Sent {}

/// An argument the server finds by itself (a dependency, a credential
/// from the client's headers, a request handle).
#[derive(Debug)]
pub enum Omitted {}

impl<H> Role<H> for Sent {
    type Cons<R: Flat> = R::Prepend<H>;
    fn split<R: Flat>(all: Self::Cons<R>) -> (H, R) {
        R::split_first(all)
    }
}

impl Role<()> for Omitted {
    type Cons<R: Flat> = R;
    fn split<R: Flat>(all: R) -> ((), R) {
        ((), all)
    }
}

/// An argument type of an endpoint, as the typed client sends it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent by the typed client",
    label = "the client does not know how to write this into a request",
    note = "the client sends path, query, header and cookie parameters, Json<T>, Form<T> and parameter models; dependencies are not sent",
    note = "file uploads and raw bodies are not sent by the typed client: call this endpoint with reqwest directly",
    note = "or implement `fastrs::client::ClientArg` for `{Self}`"
)]
pub trait ClientArg: Sized {
    /// What the caller passes for the argument (`()` when omitted).
    type Input;
    /// [`Sent`] or [`Omitted`].
    type Role: Role<Self::Input>;
    /// True for a JSON body argument (`Json<T>`): with several, the body
    /// is an object of them.
    const JSON_PART: bool = false;
    /// Writes the value into the request.
    fn put(input: Self::Input, spec: &'static ParamSpec, out: &mut Outgoing);
}

/// An endpoint's argument types as a list, `(A0, (A1, ()))`: the tuple of
/// the values a call passes, and how they go into the request.
pub trait ArgList {
    /// The flat tuple of the sent arguments' values, in order.
    type Values: Flat;
    /// How many of the arguments are JSON body arguments.
    const JSON_PARTS: usize;
    /// Writes each value with its argument's spec.
    fn put_all(values: Self::Values, specs: &[&'static ParamSpec], out: &mut Outgoing);
}

impl ArgList for () {
    type Values = ();
    const JSON_PARTS: usize = 0;
    fn put_all((): (), _: &[&'static ParamSpec], _: &mut Outgoing) {}
}

impl<A: ClientArg, R: ArgList> ArgList for (A, R) {
    type Values = <A::Role as Role<A::Input>>::Cons<R::Values>;
    const JSON_PARTS: usize = A::JSON_PART as usize + R::JSON_PARTS;
    fn put_all(values: Self::Values, specs: &[&'static ParamSpec], out: &mut Outgoing) {
        let (head, rest) = <A::Role as Role<A::Input>>::split::<R::Values>(values);
        if let Some((spec, others)) = specs.split_first() {
            A::put(head, spec, out);
            R::put_all(rest, others, out);
        }
    }
}

/// Scalars: the path, a body key or the query, as the server reads them.
macro_rules! scalar_arg {
    ($(impl[$($g:tt)*] for $t:ty),* $(,)?) => {$(
        impl<$($g)*> ClientArg for $t {
            type Input = $t;
            type Role = Sent;
            fn put(input: $t, spec: &'static ParamSpec, out: &mut Outgoing) {
                out.scalar(&input, spec);
            }
        }
    )*};
}

scalar_arg!(
    impl[T: ParamValue] for T,
    impl[T: ParamValue] for Option<T>,
    impl[T: ParamValue] for Vec<T>,
    impl[T: ParamValue] for Option<Vec<T>>,
    impl[T: ParamValue + Eq + std::hash::Hash] for std::collections::HashSet<T>,
    impl[T: ParamValue + Eq + std::hash::Hash] for Option<std::collections::HashSet<T>>,
    impl[T: ParamValue + Ord] for std::collections::BTreeSet<T>,
    impl[T: ParamValue + Ord] for Option<std::collections::BTreeSet<T>>,
);

impl<T: Serialize> ClientArg for Header<T> {
    type Input = T;
    type Role = Sent;
    fn put(input: T, spec: &'static ParamSpec, out: &mut Outgoing) {
        out.header(&input, spec);
    }
}

impl<T: Serialize> ClientArg for Cookie<T> {
    type Input = T;
    type Role = Sent;
    fn put(input: T, spec: &'static ParamSpec, out: &mut Outgoing) {
        out.cookie(&input, spec);
    }
}

impl<M: Model> ClientArg for Query<M> {
    type Input = M;
    type Role = Sent;
    fn put(input: M, _: &'static ParamSpec, out: &mut Outgoing) {
        out.model_fields(&input, |out, name, value| out.query.push((name, value)));
    }
}

impl<M: Model> ClientArg for Headers<M> {
    type Input = M;
    type Role = Sent;
    fn put(input: M, spec: &'static ParamSpec, out: &mut Outgoing) {
        let convert = spec.convert_underscores;
        out.model_fields(&input, |out, name, value| {
            let name = if convert {
                name.replace('_', "-")
            } else {
                name
            };
            out.headers.push((name, value));
        });
    }
}

impl<M: Model> ClientArg for Cookies<M> {
    type Input = M;
    type Role = Sent;
    fn put(input: M, _: &'static ParamSpec, out: &mut Outgoing) {
        out.model_fields(&input, |out, name, value| out.cookies.push((name, value)));
    }
}

impl<T: Serialize> ClientArg for Json<T> {
    type Input = T;
    type Role = Sent;
    const JSON_PART: bool = true;
    fn put(input: T, spec: &'static ParamSpec, out: &mut Outgoing) {
        let value = out.written(&input);
        // A body of several parts is an object of them, as the server
        // reads it (`Arg::embedded`); one part is the body unless
        // `#[param(embed)]`.
        let embedded = spec.embed || spec.body || out.json_parts > 1;
        out.json_part(spec.alias, value, embedded);
    }
}

#[cfg(feature = "forms")]
impl<T: Serialize> ClientArg for JsonOrForm<T> {
    type Input = T;
    type Role = Sent;
    fn put(input: T, spec: &'static ParamSpec, out: &mut Outgoing) {
        let value = out.written(&input);
        out.json_part(spec.alias, value, false);
    }
}

#[cfg(feature = "forms")]
impl<T: Serialize> ClientArg for Form<T> {
    type Input = T;
    type Role = Sent;
    fn put(input: T, spec: &'static ParamSpec, out: &mut Outgoing) {
        out.form(&input, spec.alias);
    }
}

#[cfg(feature = "forms")]
impl ClientArg for OAuth2PasswordRequestForm {
    type Input = OAuth2PasswordRequestForm;
    type Role = Sent;
    fn put(input: Self, spec: &'static ParamSpec, out: &mut Outgoing) {
        #[derive(Serialize)]
        struct Fields {
            #[serde(skip_serializing_if = "Option::is_none")]
            grant_type: Option<String>,
            username: String,
            password: String,
            scope: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            client_id: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            client_secret: Option<String>,
        }
        let fields = Fields {
            grant_type: input.grant_type,
            username: input.username,
            password: input.password,
            scope: input.scopes.join(" "),
            client_id: input.client_id,
            client_secret: input.client_secret,
        };
        out.form(&fields, spec.alias);
    }
}

/// Arguments the server finds by itself: nothing is passed or sent.
macro_rules! omitted {
    ($(impl[$($g:tt)*] for $t:ty),* $(,)?) => {$(
        impl<$($g)*> $crate::client::ClientArg for $t {
            type Input = ();
            type Role = $crate::client::Omitted;
            fn put((): (), _: &'static $crate::decl::ParamSpec, _: &mut $crate::client::Outgoing) {}
        }
    )*};
}
pub(crate) use omitted;

/// What `#[endpoint]` writes in place of a `#[depends(provider)]`
/// argument: never sent, so its type does not matter to the client.
#[derive(Debug)]
pub enum NotSent {}

omitted!(
    impl[] for NotSent,
    impl[T, P] for Depends<T, P>,
    impl[T, P] for DependsMut<T, P>,
    impl[] for SecurityScopes,
    impl[] for crate::extract::RequestHead,
    impl[] for crate::extract::Client,
    impl[] for crate::extract::RootPath,
    impl[] for crate::extract::BackgroundTasks,
    impl[] for crate::extract::ResponseHandle,
    impl[] for crate::app::RequestId,
);

#[cfg(test)]
mod tests {
    use super::*;

    static ITEM_ID: ParamSpec = ParamSpec::named("item_id");
    static Q: ParamSpec = ParamSpec::named("q");
    static FILE: ParamSpec = ParamSpec::named("file_path");

    #[test]
    fn path_variables_are_escaped_and_the_rest_goes_to_the_query() {
        let mut out = Outgoing::new("/items/{item_id}/{file_path:path}");
        out.scalar(&"a b/c", &ITEM_ID);
        out.scalar(&"dir/f i", &FILE);
        out.scalar(&vec![1, 2], &Q);
        out.scalar(&Option::<i64>::None, &Q);
        assert_eq!(out.path, "/items/a%20b%2Fc/dir/f%20i");
        assert_eq!(
            out.query,
            [("q".into(), "1".into()), ("q".into(), "2".into())]
        );
        assert!(out.problem.is_none());
    }

    #[test]
    fn the_values_tuple_leaves_out_what_is_not_sent() {
        type Args = (i64, (Depends<String>, (Option<String>, ())));
        let values: <Args as ArgList>::Values = (7, Some("x".to_owned()));
        let mut out = Outgoing::new("/items/{item_id}");
        <Args as ArgList>::put_all(values, &[&ITEM_ID, &ITEM_ID, &Q], &mut out);
        assert_eq!(out.path, "/items/7");
        assert_eq!(out.query, [("q".into(), "x".into())]);
    }
}
