//! Declarations: what an endpoint, a provider and each of their arguments
//! say about themselves, and the [`OperationDoc`] their inputs are reported
//! to.
//!
//! This module is the meeting point of the others, and depends on none of
//! them but [`mod@crate::model`]: the macros write [`ParamSpec`]s, [`Operation`]s
//! and [`ProviderDecl`]s as statics; the pipeline turns them into
//! [`EndpointInfo`] and [`ProviderInfo`] when a route is registered; route
//! registration checks them; [`crate::openapi`] only reads them.

use std::any::TypeId;
use std::borrow::Cow;
use std::fmt;
use std::mem::ManuallyDrop;
use std::sync::Arc;

use http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::model::{
    annotate, apply_constraints, is_ref, title_of, Components, Constraints, FieldInfo, JsonSchema,
    Location,
};

/// The declaration of one endpoint or provider argument, written by the
/// macros as a `static`: its names, documentation and constraints.
#[derive(Debug)]
pub struct ParamSpec {
    /// The Rust argument name.
    pub name: &'static str,
    /// The name on the wire for path, query, cookie and body parameters:
    /// the `alias`, else the argument name.
    pub alias: &'static str,
    /// The header name: the `alias`, else the argument name with `_` as `-`
    /// (unless `convert_underscores = false`), lower-case.
    pub header_name: &'static str,
    /// `header_name` in lower case, made at compile time, so that reading
    /// the header does not parse its name on every request (empty when it
    /// is not a header name: it is then looked up as text).
    pub header_lookup: StaticHeaderName,
    /// `title` for the schema.
    pub title: Option<&'static str>,
    /// `description` for the schema.
    pub description: Option<&'static str>,
    /// Marked deprecated in the schema.
    pub deprecated: bool,
    /// Listed in the OpenAPI document.
    pub include_in_schema: bool,
    /// Checks on the value.
    pub constraints: Constraints,
    /// `#[param(embed)]`: the body is an object and this argument is the
    /// value of its key `alias`, even when it is the only body argument.
    pub embed: bool,
    /// `#[param(body)]`: a scalar read from the key `alias` of the body
    /// object (FastAPI's `Body()`), not from the query.
    pub body: bool,
    /// `#[param(use_cache = false)]` on a dependency: run its provider
    /// again instead of reusing the request's value.
    pub use_cache: bool,
    /// `#[param(scopes = [...])]` on a dependency: the OAuth2 scopes its
    /// security schemes require, added to those of the dependencies it is
    /// used through (FastAPI's `Security(dep, scopes=[...])`).
    pub scopes: &'static [&'static str],
    /// `examples`, for the schema.
    pub examples: Option<fn() -> Value>,
    /// `openapi_examples`: named examples (`{"name": {"summary": ...,
    /// "value": ...}}`) of the parameter, or of the body's media type.
    pub openapi_examples: Option<fn() -> Value>,
    /// `#[param(required)]` on an `Option`: the parameter must be sent
    /// (FastAPI's `q: str | None` without a default).
    pub required: bool,
    /// True for the arguments of a `#[websocket]` route: only there does a
    /// `WebSocket` argument get a session.
    pub websocket_route: bool,
    /// `#[param(convert_underscores = false)]`: header names are read as
    /// written, `_` included (for `Header<T>` it is in `header_name`; a
    /// `Headers<M>` model reads it here for its fields).
    pub convert_underscores: bool,
}

impl ParamSpec {
    /// A spec with only a name, no options. Used by tests and by hand-written
    /// endpoints, and by `#[endpoint]`, which writes only the fields that
    /// differ from it (so these defaults are the macros' too: a test below
    /// pins them).
    pub const fn named(name: &'static str) -> Self {
        ParamSpec {
            name,
            alias: name,
            header_name: name,
            header_lookup: StaticHeaderName::new(name),
            title: None,
            description: None,
            deprecated: false,
            include_in_schema: true,
            constraints: Constraints::NONE,
            embed: false,
            body: false,
            use_cache: true,
            scopes: &[],
            examples: None,
            openapi_examples: None,
            required: false,
            websocket_route: false,
            convert_underscores: true,
        }
    }

    /// The name the parameter has at `location`: the header name for
    /// headers, the alias elsewhere.
    pub fn wire_name(&self, location: Location) -> &'static str {
        match location {
            Location::Header => self.header_name,
            _ => self.alias,
        }
    }
}

/// A header name made at compile time from a `&'static str`, for
/// [`ParamSpec::header_lookup`]. It owns no memory (`HeaderName::from_static`
/// borrows its text), so it has no destructor, and a `ParamSpec` holding it
/// can still be written `..ParamSpec::named("q")` in a `static`.
#[derive(Debug, Clone)]
pub struct StaticHeaderName(ManuallyDrop<Option<http::HeaderName>>);

impl StaticHeaderName {
    /// `name` as a header name, when it is one in lower case (letters,
    /// digits and `` !#$%&'*+-.^_`|~ ``); empty otherwise. In a `static`
    /// this runs at compile time.
    pub const fn new(name: &'static str) -> Self {
        let bytes = name.as_bytes();
        let mut valid = !bytes.is_empty();
        let mut i = 0;
        while valid && i < bytes.len() {
            valid = matches!(
                bytes[i],
                b'a'..=b'z' | b'0'..=b'9' | b'!' | b'#' | b'$' | b'%' | b'&' | b'\''
                    | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
            );
            i += 1;
        }
        StaticHeaderName(ManuallyDrop::new(if valid {
            Some(http::HeaderName::from_static(name))
        } else {
            None
        }))
    }

    /// The header name, if the text was one.
    pub fn get(&self) -> Option<&http::HeaderName> {
        self.0.as_ref()
    }
}

/// How long a provided value lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Once per request, shared by every user in it (the default).
    Request,
    /// Once for the app, shared by all requests: settings, pools.
    App,
    /// Every use runs the provider again.
    Transient,
}

/// Reports an endpoint's or a provider's inputs to an [`OperationDoc`]:
/// built by the pipeline from the argument declarations.
#[derive(Clone)]
pub struct Describe(Arc<dyn Fn(&mut OperationDoc<'_>) + Send + Sync>);

impl Describe {
    /// Wraps a describing function.
    pub fn new(describe: impl Fn(&mut OperationDoc<'_>) + Send + Sync + 'static) -> Self {
        Describe(Arc::new(describe))
    }

    /// Nothing to report.
    pub fn nothing() -> Self {
        Describe::new(|_| {})
    }

    /// Reports the inputs to `doc`.
    pub fn call(&self, doc: &mut OperationDoc<'_>) {
        (self.0)(doc)
    }
}

impl fmt::Debug for Describe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Describe(..)")
    }
}

/// What `#[dependency]` writes as a `static` for a provider.
#[derive(Debug)]
pub struct ProviderDecl {
    /// The function or struct name.
    pub name: &'static str,
    /// Its scope.
    pub scope: Scope,
    /// True when running it may wait: its function awaits (or may, as
    /// `#[dependency]` reads its tokens), or it returns a `Yield` (whose
    /// cleanup may wait before the response). A provider that does not
    /// wait and whose arguments are all read at once is resolved in place
    /// ([`crate::di::Provider::reads_at_once`]).
    pub waits: bool,
}

/// Everything known about a provider: its declaration, its inputs and its
/// own dependencies. Read by the startup checks and the OpenAPI document.
#[derive(Debug, Clone)]
pub struct ProviderInfo {
    /// The function or struct name.
    pub name: &'static str,
    /// The provider's type, the key of the cache and of overrides.
    pub id: TypeId,
    /// Its scope.
    pub scope: Scope,
    /// Its arguments that read the request (dependencies excluded).
    pub params: Vec<&'static ParamSpec>,
    /// Its dependencies, in declaration order; a function, so that a cycle
    /// can be found instead of followed forever.
    pub dependencies: fn() -> Vec<ProviderInfo>,
    /// Reports its inputs (and its dependencies') to the OpenAPI document.
    pub describe: Describe,
}

/// What `#[endpoint]` writes as a `static` for an endpoint: its route and
/// its options.
#[derive(Debug)]
pub struct Operation {
    /// The HTTP method.
    pub method: Method,
    /// The path template as written.
    pub path: &'static str,
    /// The function name.
    pub name: &'static str,
    /// `summary`.
    pub summary: Option<&'static str>,
    /// `description`, by default the doc comment.
    pub description: Option<&'static str>,
    /// `tags`.
    pub tags: &'static [&'static str],
    /// `status`, checked by the macro to be a valid code.
    pub status: u16,
    /// `deprecated`.
    pub deprecated: bool,
    /// `operation_id`.
    pub operation_id: Option<&'static str>,
    /// `include_in_schema`.
    pub include_in_schema: bool,
    /// The schema of a successful response.
    pub response_schema: fn(&mut Components) -> Option<Value>,
    /// How a successful response's body is documented: its media type.
    pub response_media: fn() -> ResponseMedia,
    /// `response_description`: the success's description (default
    /// "Successful Response").
    pub response_description: Option<&'static str>,
    /// Other documented responses: `responses = [...]`, then those the
    /// error type declares.
    pub responses: fn(&mut Components) -> Vec<ResponseDoc>,
    /// The answers the return type documents besides its success (a
    /// `#[responses]` enum's variants), given the endpoint's status.
    pub answers: fn(&mut Components, u16) -> Vec<ResponseDoc>,
    /// True when the function returns text (`String`, `&'static str`) and
    /// names no `response_class` or `response_model`: a router's or app's
    /// `default_response_class` decides how it is sent.
    pub returns_text: fn() -> bool,
    /// `openapi_extra = {...}`: JSON merged into the operation, key by key,
    /// last (FastAPI's `openapi_extra`).
    pub openapi_extra: Option<fn() -> Value>,
    /// `callbacks = [...]`: the endpoints documented as its callbacks.
    pub callbacks: &'static [fn() -> EndpointInfo],
    /// True for a webhook (`webhook`) or a callback (a URL that is a
    /// runtime expression): documented, never routed.
    pub documents_only: bool,
    /// `strict_content_type = false` (or `true`): whether this endpoint
    /// reads a body without a `Content-Type` as JSON, whatever the app's
    /// [`App::strict_content_type`](crate::App::strict_content_type).
    pub strict_content_type: Option<bool>,
}

impl Operation {
    /// A route of the framework's own that the document leaves out (the
    /// docs pages, the metrics page): `GET`, answering 200, with no option.
    pub(crate) const fn undocumented(path: &'static str, name: &'static str) -> Operation {
        Operation {
            method: Method::GET,
            path,
            name,
            summary: None,
            description: None,
            tags: &[],
            status: 200,
            deprecated: false,
            operation_id: None,
            include_in_schema: false,
            response_schema: |_| None,
            response_media: || ResponseMedia::JSON,
            response_description: None,
            responses: |_| Vec::new(),
            answers: |_, _| Vec::new(),
            returns_text: || false,
            openapi_extra: None,
            callbacks: &[],
            documents_only: false,
            strict_content_type: None,
        }
    }
}

/// How the body of a successful response is documented: its media type,
/// and whether its schema is the whole body's (`schema`) or one item's of a
/// stream (`itemSchema`, for server-sent events).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseMedia {
    /// The documented media type (`application/json`, `text/html`).
    pub media_type: &'static str,
    /// True when the schema describes one item of a stream.
    pub per_item: bool,
}

impl ResponseMedia {
    /// JSON, the default.
    pub const JSON: ResponseMedia = ResponseMedia::whole("application/json");

    /// No content documented (a redirect class's answer).
    pub const NONE: ResponseMedia = ResponseMedia::whole("");

    /// A body of `media_type` described as a whole.
    pub const fn whole(media_type: &'static str) -> Self {
        ResponseMedia {
            media_type,
            per_item: false,
        }
    }

    /// A stream of `media_type` whose schema describes one item.
    pub const fn per_item(media_type: &'static str) -> Self {
        ResponseMedia {
            media_type,
            per_item: true,
        }
    }
}

/// Everything known about an endpoint: its route, its options and its
/// inputs. Read when the route is registered and by the OpenAPI generator.
#[derive(Debug, Clone)]
pub struct EndpointInfo {
    /// The HTTP method.
    pub method: Method,
    /// The path template (`/files/{file_path:path}`), with the router's
    /// prefix once registered.
    pub path: String,
    /// The function name.
    pub name: &'static str,
    /// `summary`; by default the function name in title case.
    pub summary: Option<&'static str>,
    /// `description`; by default the doc comment.
    pub description: Option<&'static str>,
    /// `tags`, then the router's.
    pub tags: Vec<&'static str>,
    /// The status of a successful response.
    pub status: StatusCode,
    /// `deprecated`.
    pub deprecated: bool,
    /// `operation_id`; by default derived from the name, path and method.
    pub operation_id: Option<&'static str>,
    /// `include_in_schema`.
    pub include_in_schema: bool,
    /// The arguments that read the request (dependencies excluded).
    pub params: Vec<&'static ParamSpec>,
    /// The dependencies: the route's `dependencies = [...]`, then the
    /// arguments', in declaration order.
    pub dependencies: Vec<ProviderInfo>,
    /// Reports the inputs (dependencies' included) to the OpenAPI document.
    pub describe: Describe,
    /// The schema of a successful response.
    pub response_schema: fn(&mut Components) -> Option<Value>,
    /// How a successful response's body is documented: its media type.
    pub response_media: fn() -> ResponseMedia,
    /// The success's description (default "Successful Response").
    pub response_description: Option<&'static str>,
    /// Other documented responses.
    pub responses: fn(&mut Components) -> Vec<ResponseDoc>,
    /// The answers the return type documents besides its success (a
    /// `#[responses]` enum's variants), given the endpoint's status.
    pub answers: fn(&mut Components, u16) -> Vec<ResponseDoc>,
    /// True when the function returns text and no class has claimed it
    /// yet: the innermost `default_response_class` of its routers (or the
    /// app's) decides how it is sent and documented.
    pub returns_text: bool,
    /// `openapi_extra`: JSON merged into the operation.
    pub openapi_extra: Option<fn() -> Value>,
    /// How its unique id is made, when its innermost router says
    /// (`Router::generate_unique_id_function`); else the app's, else
    /// FastAPI's default.
    pub unique_id: Option<fn(&EndpointInfo) -> String>,
    /// `callbacks = [...]`: the endpoints documented as its callbacks.
    pub callbacks: &'static [fn() -> EndpointInfo],
    /// True for a webhook or a callback: documented, never routed.
    pub documents_only: bool,
    /// The dependencies of the routers the route was included through,
    /// outermost first: they run before the route's and are documented
    /// with it.
    pub inherited: Vec<ProviderInfo>,
    /// Responses the routers document on every route they hold, outermost
    /// first; the route's own `responses` win for the same status.
    pub inherited_responses: Vec<ResponseDecl>,
}

/// A response documented on several routes: by a router on each of its
/// routes (FastAPI's `APIRouter(responses={404: {"description": "Not
/// found"}})`), or by a shared list a route spreads into its own
/// (`responses = [..SHARED, (200, ...)]`, FastAPI's `responses={**shared,
/// ...}`). Made in a `const`:
///
/// ```
/// use fastrs::openapi::ResponseDecl;
///
/// const SHARED: &[ResponseDecl] = &[
///     ResponseDecl::new(404, "Item not found"),
///     ResponseDecl::new(302, "The item was moved"),
/// ];
/// ```
#[derive(Debug, Clone)]
pub struct ResponseDecl {
    /// The status code.
    pub status: u16,
    /// What it means (empty: the status's phrase).
    pub description: Cow<'static, str>,
    /// The schema of its JSON body, if it has one.
    pub schema: Option<fn(&mut Components) -> Value>,
}

impl ResponseDecl {
    /// A response with `status` and `description`, no content.
    pub const fn new(status: u16, description: &'static str) -> Self {
        ResponseDecl {
            status,
            description: Cow::Borrowed(description),
            schema: None,
        }
    }

    /// A response with `status`, `description` and a JSON body of type `T`.
    pub const fn json<T: JsonSchema>(status: u16, description: &'static str) -> Self {
        ResponseDecl {
            status,
            description: Cow::Borrowed(description),
            schema: Some(T::json_schema),
        }
    }

    /// The response as the document writes it.
    pub fn doc(&self, components: &mut Components) -> ResponseDoc {
        match self.schema {
            Some(schema) => ResponseDoc {
                status: self.status,
                description: self.description.to_string(),
                schema: Some(schema(components)),
                media: ResponseMedia::JSON,
                more: None,
            },
            None => ResponseDoc::new(self.status, &self.description),
        }
    }
}

impl EndpointInfo {
    /// The info of `operation` with these inputs.
    pub fn new(
        operation: &'static Operation,
        params: Vec<&'static ParamSpec>,
        dependencies: Vec<ProviderInfo>,
        describe: Describe,
    ) -> Self {
        EndpointInfo {
            method: operation.method.clone(),
            path: operation.path.to_owned(),
            name: operation.name,
            summary: operation.summary,
            description: operation.description,
            tags: operation.tags.to_vec(),
            status: StatusCode::from_u16(operation.status).unwrap_or(StatusCode::OK),
            deprecated: operation.deprecated,
            operation_id: operation.operation_id,
            include_in_schema: operation.include_in_schema,
            params,
            dependencies,
            describe,
            response_schema: operation.response_schema,
            response_media: operation.response_media,
            response_description: operation.response_description,
            responses: operation.responses,
            answers: operation.answers,
            returns_text: (operation.returns_text)(),
            openapi_extra: operation.openapi_extra,
            unique_id: None,
            callbacks: operation.callbacks,
            documents_only: operation.documents_only,
            inherited: Vec::new(),
            inherited_responses: Vec::new(),
        }
    }
}

/// One operation's inputs as the generated `describe` functions report them.
pub struct OperationDoc<'c> {
    pub(crate) components: &'c mut Components,
    path_vars: Vec<String>,
    /// Parameters found, with their location and wire name.
    pub(crate) parameters: Vec<(Location, String, Value)>,
    /// A whole body: its schema and whether it is required.
    pub(crate) body: Option<(Value, bool)>,
    /// The keys of an embedded body: name, schema, required.
    pub(crate) body_fields: Vec<(String, Value, bool)>,
    /// The body's media types (`application/json` when none is set).
    pub(crate) body_media: Vec<&'static str>,
    /// The body's named examples (`openapi_examples`), beside its schema
    /// under each media type.
    pub(crate) body_examples: Option<Value>,
    /// The security schemes the operation uses, with their scopes, in the
    /// order found.
    pub(crate) security: Vec<(&'static str, Vec<&'static str>)>,
    /// The scopes required where the description now is: those of every
    /// enclosing `#[param(scopes = [...])]` dependency, outermost first.
    scopes: Vec<&'static str>,
    /// True when a parameter was read but left out of the document
    /// (`include_in_schema = false`): it can still be invalid, so the
    /// operation keeps its validation answer, as FastAPI's does.
    hidden_inputs: bool,
    /// True when the body is read as sent ([`RawBody`](crate::extract::RawBody)):
    /// nothing is documented for it, but it can be past the body limit.
    pub(crate) raw_body: bool,
}

impl<'c> OperationDoc<'c> {
    /// A document for an operation on the path template `path`.
    pub fn new(components: &'c mut Components, path: &str) -> Self {
        let mut path_vars = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let inner = &rest[open + 1..open + close];
            path_vars.push(inner.split(':').next().unwrap_or(inner).to_owned());
            rest = &rest[open + close + 1..];
        }
        OperationDoc {
            components,
            path_vars,
            parameters: Vec::new(),
            body: None,
            body_fields: Vec::new(),
            body_media: Vec::new(),
            body_examples: None,
            security: Vec::new(),
            scopes: Vec::new(),
            hidden_inputs: false,
            raw_body: false,
        }
    }

    /// The document's named schemas.
    pub fn components(&mut self) -> &mut Components {
        self.components
    }

    /// A query parameter, or a path parameter when the route has a
    /// variable of that name.
    pub fn query_or_path<T: JsonSchema>(
        &mut self,
        spec: &ParamSpec,
        required: bool,
        default: Option<Value>,
    ) {
        let location = if self.path_vars.iter().any(|v| v == spec.alias) {
            Location::Path
        } else {
            Location::Query
        };
        self.parameter::<T>(location, spec, required, default);
    }

    /// A parameter from `spec`, with `T`'s schema.
    pub fn parameter<T: JsonSchema>(
        &mut self,
        location: Location,
        spec: &ParamSpec,
        required: bool,
        default: Option<Value>,
    ) {
        let schema = T::json_schema(self.components);
        let name = match location {
            Location::Header => spec.header_name,
            _ => spec.alias,
        };
        let required = required || spec.required || location == Location::Path;
        self.add_parameter(
            location,
            name,
            spec_schema(schema, spec, name, default),
            required,
            spec,
        );
    }

    /// A parameter from a field of a parameter model.
    pub fn model_field(
        &mut self,
        location: Location,
        field: &FieldInfo,
        convert_underscores: bool,
    ) {
        let name = match location {
            Location::Header if convert_underscores => field.name.replace('_', "-"),
            _ => field.name.to_owned(),
        };
        let mut schema = (field.schema)(self.components);
        apply_constraints(&mut schema, &field.constraints);
        if !is_ref(&schema) {
            annotate(
                &mut schema,
                "title",
                json!(field
                    .title
                    .map_or_else(|| title_of(field.name), str::to_owned)),
            );
        }
        if let Some(default) = field.default {
            annotate(&mut schema, "default", default());
        }
        let mut parameter = json!({"name": name, "in": location.as_str(), "required": field.required, "schema": schema});
        if let Some(d) = field.description {
            parameter["description"] = json!(d);
        }
        self.push_parameter(location, &name, parameter);
    }

    fn add_parameter(
        &mut self,
        location: Location,
        name: &str,
        schema: Value,
        required: bool,
        spec: &ParamSpec,
    ) {
        if !spec.include_in_schema {
            self.hidden_inputs = true;
            return;
        }
        let mut parameter =
            json!({"name": name, "in": location.as_str(), "required": required, "schema": schema});
        if let Some(examples) = spec.openapi_examples {
            parameter["examples"] = examples();
        }
        if let Some(d) = spec.description {
            parameter["description"] = json!(d);
        }
        if spec.deprecated {
            parameter["deprecated"] = json!(true);
        }
        self.push_parameter(location, name, parameter);
    }

    fn push_parameter(&mut self, location: Location, name: &str, parameter: Value) {
        let seen = self
            .parameters
            .iter()
            .any(|(l, n, _)| *l == location && n == name);
        if !seen {
            self.parameters.push((location, name.to_owned(), parameter));
        }
    }

    /// A body argument: the whole body, or the key `spec.alias` of it when
    /// the body is `embedded` (an object of several parts).
    pub fn body<T: JsonSchema>(
        &mut self,
        spec: &ParamSpec,
        embedded: bool,
        required: bool,
        default: Option<Value>,
    ) {
        let schema = T::json_schema(self.components);
        if let Some(examples) = spec.openapi_examples {
            self.body_examples = Some(examples());
        }
        let title = spec
            .title
            .map_or_else(|| title_of(spec.alias), str::to_owned);
        let mut schema = spec_schema(schema, spec, &title, default);
        if embedded {
            if !self.body_fields.iter().any(|(n, _, _)| n == spec.alias) {
                self.body_fields
                    .push((spec.alias.to_owned(), schema, required));
            }
        } else {
            if !is_ref(&schema) {
                annotate(&mut schema, "title", json!(title));
            }
            self.body = Some((schema, required));
        }
    }

    /// A key of an embedded body object with its schema as given (for
    /// bodies whose schema is written by hand, such as the OAuth2 form).
    pub fn body_field(&mut self, name: &str, schema: Value, required: bool) {
        if !self.body_fields.iter().any(|(n, _, _)| n == name) {
            self.body_fields.push((name.to_owned(), schema, required));
        }
    }

    /// The inputs of a dependency (and, through it, of its own dependencies).
    pub fn dependency(&mut self, info: &ProviderInfo) {
        info.describe.call(self);
    }

    /// The inputs of a dependency used with `scopes` (FastAPI's
    /// `Security(dep, scopes=[...])`): its security schemes require them,
    /// after the scopes of the dependencies it is used through.
    pub fn scoped_dependency(&mut self, info: &ProviderInfo, scopes: &'static [&'static str]) {
        let depth = self.scopes.len();
        self.scopes.extend_from_slice(scopes);
        info.describe.call(self);
        self.scopes.truncate(depth);
    }

    /// The body may also be sent as `media` (`application/json` when none
    /// is given).
    pub fn body_media(&mut self, media: &'static str) {
        if !self.body_media.contains(&media) {
            self.body_media.push(media);
        }
    }

    /// A form part is sent as `media`: a form is
    /// `application/x-www-form-urlencoded`, and `multipart/form-data` once
    /// it has a file, as FastAPI documents it.
    pub fn form_media(&mut self, media: &'static str) {
        const URLENCODED: &str = "application/x-www-form-urlencoded";
        const MULTIPART: &str = "multipart/form-data";
        if media == MULTIPART {
            self.body_media.retain(|m| *m != URLENCODED);
        }
        if media == URLENCODED && self.body_media.contains(&MULTIPART) {
            return;
        }
        self.body_media(media);
    }

    /// The operation uses the security scheme `name` (registered in the
    /// document's components as `scheme`), with the scopes required here.
    pub fn security(&mut self, name: &'static str, scheme: Value) {
        self.components.security_scheme(name, scheme);
        let scopes = self.scopes.clone();
        if !self
            .security
            .iter()
            .any(|(n, s)| *n == name && *s == scopes)
        {
            self.security.push((name, scopes));
        }
    }

    /// Records that the operation reads the body as sent: it documents no
    /// request body, but can answer 413 past the app's body limit.
    pub fn reads_raw_body(&mut self) {
        self.raw_body = true;
    }

    /// True when the operation reads any parameter or body.
    pub fn has_inputs(&self) -> bool {
        !self.parameters.is_empty()
            || self.body.is_some()
            || !self.body_fields.is_empty()
            || self.hidden_inputs
    }
}

/// A parameter's schema: `T`'s, with its constraints, title, description,
/// default and examples.
fn spec_schema(mut schema: Value, spec: &ParamSpec, name: &str, default: Option<Value>) -> Value {
    apply_constraints(&mut schema, &spec.constraints);
    if is_ref(&schema) {
        // Pydantic writes the examples of a model beside its reference.
        if let Some(examples) = spec.examples {
            schema["examples"] = examples();
        }
        return schema;
    }
    annotate(
        &mut schema,
        "title",
        json!(spec.title.map_or_else(|| title_of(name), str::to_owned)),
    );
    if let Some(d) = spec.description {
        annotate(&mut schema, "description", json!(d));
    }
    if spec.deprecated {
        annotate(&mut schema, "deprecated", json!(true));
    }
    if let Some(default) = default {
        annotate(&mut schema, "default", default);
    }
    if let Some(examples) = spec.examples {
        annotate(&mut schema, "examples", examples());
    }
    schema
}

/// What a type documents as a response class, for one answer of a
/// `#[responses]` enum: its default status, schema and media type.
pub type ClassDoc = (Option<u16>, Option<Value>, ResponseMedia);

/// A documented response other than the success: its status, description,
/// media type and body schema.
#[derive(Debug, Clone)]
pub struct ResponseDoc {
    /// The status code.
    pub status: u16,
    /// What it means (empty: the status's own phrase, or the description
    /// already written for that status).
    pub description: String,
    /// The body's schema, if it has one.
    pub schema: Option<Value>,
    /// The body's media type ([`ResponseMedia::NONE`]: no content).
    pub media: ResponseMedia,
    /// More of the response object, merged into it key by key as FastAPI
    /// merges a `responses` entry: other media types, examples.
    pub more: Option<Value>,
}

impl ResponseDoc {
    /// A response with `status`, `description` and the schema of `T`.
    pub fn json<T: JsonSchema + ?Sized>(
        status: u16,
        description: &str,
        components: &mut Components,
    ) -> Self {
        ResponseDoc {
            status,
            description: description.to_owned(),
            schema: Some(T::json_schema(components)),
            media: ResponseMedia::JSON,
            more: None,
        }
    }

    /// A response with `status` and `description` and no content.
    pub fn new(status: u16, description: &str) -> Self {
        ResponseDoc {
            status,
            description: description.to_owned(),
            schema: None,
            media: ResponseMedia::NONE,
            more: None,
        }
    }

    /// Also documents `media_type` for this status, with no schema
    /// (FastAPI's `responses={200: {"content": {"image/png": {}}}}`).
    pub fn also_media_type(mut self, media_type: &str) -> Self {
        let more = self.more.get_or_insert_with(|| serde_json::json!({}));
        more["content"][media_type] = serde_json::json!({});
        self
    }

    /// An example of the body (`example`), under the body's media type:
    /// the model's JSON, else the first other media type, else JSON.
    pub fn example(self, value: Value) -> Self {
        self.under_media("example", value)
    }

    /// Named examples of the body (`examples`: `{"name": {"summary": ...,
    /// "value": ...}}`), under the body's media type as for
    /// [`ResponseDoc::example`].
    pub fn examples(self, value: Value) -> Self {
        self.under_media("examples", value)
    }

    fn under_media(mut self, key: &str, value: Value) -> Self {
        let other = self
            .more
            .as_ref()
            .and_then(|more| more.get("content")?.as_object()?.keys().next().cloned());
        let media = match (self.media, other) {
            (media, _) if media != ResponseMedia::NONE => media.media_type.to_owned(),
            (_, Some(other)) => other,
            _ => "application/json".to_owned(),
        };
        let more = self.more.get_or_insert_with(|| serde_json::json!({}));
        more["content"][media.as_str()][key] = value;
        self
    }

    /// One answer of a `#[responses]` enum: its status, its description
    /// (`None`: the status's phrase), the media type it says it sends
    /// (`None`: its type's own), and what its type documents as a response
    /// class (`Probe::class_of`: default status, schema, media type). A
    /// media type given for a type with no schema of its own is documented
    /// without one (`"image/png": {}`), as FastAPI writes it.
    pub fn answer(
        status: u16,
        description: Option<&str>,
        media_type: Option<&'static str>,
        class: ClassDoc,
    ) -> Self {
        let (_, schema, media) = class;
        let (schema, media) = match media_type {
            Some(media_type)
                if media == ResponseMedia::JSON
                    && schema == Some(Value::Object(Default::default())) =>
            {
                (None, ResponseMedia::whole(media_type))
            }
            Some(media_type) => (schema, ResponseMedia::whole(media_type)),
            None => (schema, media),
        };
        ResponseDoc {
            status,
            description: description.unwrap_or_default().to_owned(),
            schema,
            media,
            more: None,
        }
    }

    /// The response object of the document, unless it has no content: its
    /// `content` entry for `media`, keyed `schema` (or `itemSchema` for a
    /// stream's items).
    pub(crate) fn content(&self) -> Option<(&'static str, Value)> {
        if self.media == ResponseMedia::NONE {
            return None;
        }
        let key = if self.media.per_item {
            "itemSchema"
        } else {
            "schema"
        };
        let entry = match &self.schema {
            Some(schema) => serde_json::json!({ key: schema }),
            None => serde_json::json!({}),
        };
        Some((self.media.media_type, entry))
    }
}

#[cfg(test)]
mod tests {
    use super::{ParamSpec, StaticHeaderName};
    use crate::model::Constraints;

    /// `#[endpoint]` leaves out every field of a `ParamSpec` (and of its
    /// `Constraints`) that has the value below (`fastrs-macros`'s
    /// `args::spec` and `ParamAttr::constraints_given`): a default changed
    /// here must change there.
    #[test]
    fn the_defaults_the_macros_leave_out() {
        let spec = ParamSpec::named("user_id");
        assert_eq!(
            (spec.name, spec.alias, spec.header_name),
            ("user_id", "user_id", "user_id")
        );
        assert_eq!(
            spec.header_lookup.get().map(|n| n.as_str()),
            Some("user_id")
        );
        assert_eq!((spec.title, spec.description), (None, None));
        assert!(!spec.deprecated && spec.include_in_schema && !spec.embed && !spec.body);
        assert!(
            spec.use_cache && !spec.required && !spec.websocket_route && spec.convert_underscores
        );
        assert!(
            spec.scopes.is_empty() && spec.examples.is_none() && spec.openapi_examples.is_none()
        );
        for c in [Constraints::NONE, spec.constraints] {
            assert!(c.min_length.is_none() && c.max_length.is_none() && c.pattern.is_none());
            assert!(c.gt.is_none() && c.ge.is_none() && c.lt.is_none() && c.le.is_none());
            assert!(c.multiple_of.is_none() && !c.allow_inf_nan);
        }
    }

    #[test]
    fn only_a_lower_case_header_name_is_made_at_compile_time() {
        static STANDARD: StaticHeaderName = StaticHeaderName::new("user-agent");
        static CUSTOM: StaticHeaderName = StaticHeaderName::new("x-request-id");
        assert_eq!(STANDARD.get(), Some(&http::header::USER_AGENT));
        assert_eq!(CUSTOM.get().map(|name| name.as_str()), Some("x-request-id"));
        for text in ["X-Token", "two words", "", "naïve"] {
            assert!(StaticHeaderName::new(text).get().is_none(), "{text}");
        }
    }
}
