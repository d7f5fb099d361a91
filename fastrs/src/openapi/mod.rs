//! The OpenAPI 3.1 document of an app, built from what the
//! macros declared: every route's [`crate::decl::EndpointInfo`]
//! (summary, description, tags, status) and its `describe` function, which
//! reports each parameter and body through [`OperationDoc`], dependencies'
//! included. The rules are FastAPI's (DESIGN.md section 4): summary from the
//! function name, operationId from name + path + method, parameters ordered
//! path, query, header, cookie and deduplicated, `422` and the validation
//! components only for operations with inputs, `Body_<operationId>` for
//! bodies of several parts, components sorted.
//!
//! The docs pages (`/docs`, `/redoc`) and `/openapi.json` are served by
//! [`ui`], with their assets built in: no network needed.

pub mod ui;

use serde::Serialize;
use serde_json::{json, Map, Value};

pub use crate::model::{
    annotate, apply_constraints, is_ref, object_schema, python_title, title_of, Components,
    JsonSchema,
};

pub use crate::decl::{ClassDoc, OperationDoc, ResponseDecl, ResponseDoc, ResponseMedia};

use crate::decl::{EndpointInfo, ProviderInfo};
use crate::model::{ComputedField, FieldInfo, SchemaMode};

/// What the document says about the API as a whole.
#[derive(Debug, Clone, Serialize)]
pub struct Info {
    /// The API's title.
    pub title: String,
    /// A short summary of the API.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The API's version.
    pub version: String,
    /// A longer description (Markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The terms of service, a URL.
    #[serde(rename = "termsOfService", skip_serializing_if = "Option::is_none")]
    pub terms_of_service: Option<String>,
    /// Who to contact: `{"name", "url", "email"}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Value>,
    /// The licence: `{"name", "url"}` or `{"name", "identifier"}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<Value>,
}

/// A tag's description, listed at the top of the document.
#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    /// The tag.
    pub name: String,
    /// What the tag's operations are about.
    pub description: String,
    /// More documentation elsewhere: `{"description", "url"}`.
    #[serde(rename = "externalDocs", skip_serializing_if = "Option::is_none")]
    pub external_docs: Option<Value>,
}

/// The OpenAPI document, typed at the top and JSON below the operations.
#[derive(Debug, Clone, Serialize)]
pub struct OpenApi {
    /// Always `3.1.0`.
    pub openapi: &'static str,
    /// Title, version and the rest.
    pub info: Info,
    /// Where the API is served (`[{"url": ...}]`), omitted when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<Value>,
    /// Path templates to their operations, in registration order.
    pub paths: Map<String, Value>,
    /// Webhooks' names to their operations (`App::webhook`), omitted when
    /// there are none.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub webhooks: Map<String, Value>,
    /// Named schemas, sorted; omitted when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub components: Option<Value>,
    /// Tag descriptions, omitted when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

impl OpenApi {
    /// The document as JSON.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// The schema of a `#[model]` struct, registered as a component: each
/// field's type schema with its constraints, title, description, default and
/// examples, the required fields, `additionalProperties: false` for a
/// model with `extra = "forbid"`, and the model's own `examples`.
pub fn model_schema(
    name: &'static str,
    fields: &'static [FieldInfo],
    computed: &'static [ComputedField],
    forbid_extra: bool,
    examples: Option<fn() -> Value>,
    components: &mut Components,
) -> Value {
    components.model(name, |components| {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for field in fields {
            let mut schema = (field.schema)(components);
            apply_constraints(&mut schema, &field.constraints);
            if !is_ref(&schema) {
                // A model that may be null is titled by its component, as
                // Pydantic leaves a reference untitled.
                if !is_nullable_ref(&schema) || field.title.is_some() {
                    annotate(
                        &mut schema,
                        "title",
                        json!(field
                            .title
                            .map_or_else(|| title_of(field.name), str::to_owned)),
                    );
                }
                if let Some(d) = field.description {
                    annotate(&mut schema, "description", json!(d));
                }
                if let Some(default) = field.default {
                    annotate(&mut schema, "default", default());
                }
                if let Some(examples) = field.examples {
                    annotate(&mut schema, "examples", examples());
                }
            }
            if field.required {
                required.push(field.name);
            }
            properties.insert(field.name.to_owned(), schema);
        }
        // Computed fields are written, never read: output schemas only,
        // required and read-only there, as Pydantic documents them.
        if components.mode() == SchemaMode::Output {
            for field in computed {
                let mut schema = (field.schema)(components);
                if !is_ref(&schema) {
                    annotate(&mut schema, "title", json!(title_of(field.name)));
                }
                annotate(&mut schema, "readOnly", json!(true));
                required.push(field.name);
                properties.insert(field.name.to_owned(), schema);
            }
        }
        let mut schema = object_schema(name, properties, required);
        if forbid_extra {
            schema["additionalProperties"] = Value::Bool(false);
        }
        if let Some(examples) = examples {
            schema["examples"] = examples();
        }
        schema
    })
}

/// `{"anyOf": [{"$ref": ...}, {"type": "null"}]}`: a model or enum that
/// may be null.
fn is_nullable_ref(schema: &Value) -> bool {
    match schema.get("anyOf").and_then(Value::as_array) {
        Some(options) => {
            options.len() == 2
                && options.iter().any(is_ref)
                && options.iter().any(|o| *o == json!({"type": "null"}))
        }
        None => false,
    }
}

/// How an operation's unique id is made (FastAPI's
/// `generate_unique_id_function`) when it has no `operation_id`: its
/// `operationId`, the name of its `Body_...` schema and the title of its
/// response's schema. Set on the app
/// ([`App::generate_unique_id_function`](crate::App::generate_unique_id_function))
/// or a router; [`unique_id`] by default.
pub type UniqueId = fn(&EndpointInfo) -> String;

/// FastAPI's operationId: `operation_id` when given, else the operation's
/// unique id ([`unique_id`]).
pub fn operation_id(info: &EndpointInfo) -> String {
    match info.operation_id {
        Some(id) => id.to_owned(),
        None => unique_id(info),
    }
}

/// FastAPI's default unique id of an operation: name and path with every
/// non-word character as `_`, then `_` and the lower-case method.
pub fn unique_id(info: &EndpointInfo) -> String {
    let raw = format!("{}{}", info.name, path_format(&info.path));
    let cleaned: String = raw
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{cleaned}_{}", info.method.as_str().to_lowercase())
}

/// The path as the document writes it: `{file_path:path}` is `{file_path}`.
pub fn path_format(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_braces = false;
    let mut skipping = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_braces = true;
                out.push(c);
            }
            '}' => {
                in_braces = false;
                skipping = false;
                out.push(c);
            }
            ':' if in_braces => skipping = true,
            _ if skipping => {}
            _ => out.push(c),
        }
    }
    out
}

/// FastAPI's default summary: the function name, `_` as space, title case.
pub fn summary(info: &EndpointInfo) -> String {
    info.summary
        .map_or_else(|| title_of(info.name), str::to_owned)
}

/// `HTTPError`, the body of the answers fastrs gives on its own
/// (`{"detail": "..."}`), registered as a component.
fn http_error_component(components: &mut Components) -> Value {
    components.named("HTTPError", |_| {
        json!({
            "properties": {"detail": {"type": "string", "title": "Detail"}},
            "type": "object",
            "required": ["detail"],
            "title": "HTTPError",
        })
    })
}

fn validation_components(components: &mut Components) {
    components.insert(
        "ValidationError",
        json!({
            "properties": {
                "loc": {"items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "type": "array", "title": "Location"},
                "msg": {"type": "string", "title": "Message"},
                "type": {"type": "string", "title": "Error Type"},
                "input": {"title": "Input"},
                "ctx": {"type": "object", "title": "Context"},
            },
            "type": "object",
            "required": ["loc", "msg", "type"],
            "title": "ValidationError",
        }),
    );
    components.insert(
        "HTTPValidationError",
        json!({
            "properties": {
                "detail": {"items": {"$ref": "#/components/schemas/ValidationError"}, "type": "array", "title": "Detail"},
            },
            "type": "object",
            "title": "HTTPValidationError",
        }),
    );
}

/// One operation of the document.
/// The app's answer to invalid input, when it is not FastAPI's 422: its
/// status and its body's schema.
pub type ValidationAnswer = Option<(http::StatusCode, fn(&mut Components) -> Option<Value>)>;

/// What the app adds to every operation's document.
#[derive(Clone, Copy)]
pub(crate) struct AppDoc<'a> {
    /// The app's dependencies, documented first.
    pub(crate) dependencies: &'a [ProviderInfo],
    /// The app's answer to invalid input, when not FastAPI's 422.
    pub(crate) validation: ValidationAnswer,
    /// How unique ids are made (`generate_unique_id_function`).
    pub(crate) unique_id: Option<UniqueId>,
    /// Whether the statuses fastrs answers on its own are documented
    /// ([`App::document_framework_answers`](crate::App::document_framework_answers)).
    pub(crate) framework_answers: bool,
}

fn operation(info: &EndpointInfo, app: AppDoc<'_>, components: &mut Components) -> Value {
    let AppDoc {
        dependencies: app_dependencies,
        validation,
        unique_id: app_unique_id,
        framework_answers,
    } = app;
    // FastAPI's `unique_id`: `operation_id` when given, else made by the
    // route's (or app's) function; the operationId, and the name of the
    // body's and response's schemas.
    let id = match info.operation_id {
        Some(id) => id.to_owned(),
        None => info.unique_id.or(app_unique_id).unwrap_or(unique_id)(info),
    };
    let mut doc = OperationDoc::new(components, &info.path);
    // In the order they run: the app's dependencies, the routers', then
    // the route's own and its arguments.
    for dependency in app_dependencies.iter().chain(&info.inherited) {
        doc.dependency(dependency);
    }
    info.describe.call(&mut doc);
    let mut op = Map::new();
    if !info.tags.is_empty() {
        op.insert("tags".into(), json!(info.tags));
    }
    op.insert("summary".into(), json!(summary(info)));
    if let Some(description) = info.description.filter(|d| !d.is_empty()) {
        op.insert("description".into(), json!(description));
    }
    op.insert("operationId".into(), json!(id));
    if info.deprecated {
        op.insert("deprecated".into(), json!(true));
    }
    let has_inputs = doc.has_inputs();
    let reads_body = doc.body.is_some() || !doc.body_fields.is_empty();
    let reads_any_body = reads_body || doc.raw_body;
    let secured = !doc.security.is_empty();
    if !doc.parameters.is_empty() {
        // Path, query, header, cookie; within each, in the order found
        // (dependencies first), as FastAPI lists them.
        let mut parameters = std::mem::take(&mut doc.parameters);
        parameters.sort_by_key(|(location, _, _)| *location);
        op.insert(
            "parameters".into(),
            json!(parameters
                .into_iter()
                .map(|(_, _, p)| p)
                .collect::<Vec<_>>()),
        );
    }
    if !doc.body_fields.is_empty() {
        let name = format!("Body_{id}");
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (field, schema, is_required) in &doc.body_fields {
            properties.insert(field.clone(), schema.clone());
            if *is_required {
                required.push(field.as_str());
            }
        }
        let any_required = !required.is_empty();
        let schema = object_schema(&name, properties, required);
        let reference = doc.components.named(&name, |_| schema);
        op.insert(
            "requestBody".into(),
            request_body(
                body_content(&doc.body_media, reference, doc.body_examples.as_ref()),
                any_required,
            ),
        );
    } else if let Some((schema, required)) = doc.body.take() {
        op.insert(
            "requestBody".into(),
            request_body(
                body_content(&doc.body_media, schema, doc.body_examples.as_ref()),
                required,
            ),
        );
    }
    // FastAPI's callbacks: each by its function's name, then its URL; the
    // app's dependencies are not theirs.
    if !info.callbacks.is_empty() {
        let alone = AppDoc {
            dependencies: &[],
            ..app
        };
        let mut callbacks = Map::new();
        for callback in info.callbacks {
            let callback = callback();
            let op = operation(&callback, alone, doc.components);
            let method = callback.method.as_str().to_lowercase();
            callbacks.insert(
                callback.name.to_owned(),
                json!({ path_format(&callback.path): { method: op } }),
            );
        }
        op.insert("callbacks".into(), Value::Object(callbacks));
    }
    // What the server writes is documented in output mode (a model with
    // computed fields is `Name-Output` there).
    let responses = doc.components.in_mode(SchemaMode::Output, |components| {
        let mut responses = Map::new();
        let status = info.status.as_u16();
        let description = info.response_description.unwrap_or("Successful Response");
        let mut success = json!({ "description": description });
        if status != 204 && status != 304 {
            let media = (info.response_media)();
            let mut schema = (info.response_schema)(components).unwrap_or_else(|| json!({}));
            let is_empty = schema.as_object().is_some_and(Map::is_empty);
            let is_json = media == ResponseMedia::JSON;
            if is_json && !is_ref(&schema) && !is_empty && schema.get("title").is_none() {
                annotate(
                    &mut schema,
                    "title",
                    json!(format!("Response {}", title_of(&id))),
                );
            }
            let key = if media.per_item { "itemSchema" } else { "schema" };
            if media != ResponseMedia::NONE {
                success["content"] = json!({ media.media_type: { key: schema } });
            }
        }
        responses.insert(status.to_string(), success);
        for answer in (info.answers)(components, status) {
            merge_answer(&mut responses, answer, status, &id);
        }
        // The routers' responses, then the route's own: a later one for the
        // same status replaces an earlier one, as in FastAPI's
        // `{**router_responses, **route_responses}`; each is then merged
        // into what the document already has for its status.
        let mut declared: Vec<ResponseDoc> = Vec::new();
        let inherited = info.inherited_responses.iter().map(|r| r.doc(components));
        let inherited: Vec<ResponseDoc> = inherited.collect();
        for doc in inherited.into_iter().chain((info.responses)(components)) {
            match declared.iter_mut().find(|earlier| earlier.status == doc.status) {
                Some(earlier) => *earlier = doc,
                None => declared.push(doc),
            }
        }
        for doc in declared {
            merge_declared(&mut responses, doc);
        }
        if framework_answers {
            let answers = [
                (reads_body, 400, "There was an error parsing the body"),
                (reads_any_body, 413, "The request body is larger than the limit"),
                (secured, 401, "Not authenticated"),
            ];
            for (applies, status, description) in answers {
                if applies && !responses.contains_key(&status.to_string()) {
                    let schema = http_error_component(components);
                    responses.insert(
                        status.to_string(),
                        json!({"description": description, "content": {"application/json": {"schema": schema}}}),
                    );
                }
            }
        }
        // A status already documented for invalid input is kept, and the
        // validation components are not added for it (FastAPI's rule).
        let validation_status = validation.map_or(422, |(status, _)| status.as_u16());
        let documented = responses.contains_key(&validation_status.to_string());
        if let (true, false, Some((status, schema))) = (has_inputs, documented, validation) {
            let mut response = json!({"description": "Validation Error"});
            if let Some(schema) = schema(components) {
                response["content"] = json!({"application/json": {"schema": schema}});
            }
            responses.insert(status.as_u16().to_string(), response);
        } else if has_inputs && !documented {
            validation_components(components);
            responses.insert(
                "422".into(),
                json!({"description": "Validation Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}}),
            );
        }
        responses
    });
    op.insert("responses".into(), Value::Object(responses));
    if !doc.security.is_empty() {
        let security: Vec<Value> = doc
            .security
            .iter()
            .map(|(name, scopes)| json!({ *name: scopes }))
            .collect();
        op.insert("security".into(), Value::Array(security));
    }
    let mut op = Value::Object(op);
    if let Some(extra) = info.openapi_extra {
        merge_into(&mut op, extra());
    }
    op
}

/// Merges a declared response into `responses`, as FastAPI merges a
/// `responses` entry: key by key into the entry already there (the
/// success's, for its status), the description being the one given, else
/// the one there, else the status's phrase.
fn merge_declared(responses: &mut Map<String, Value>, doc: ResponseDoc) {
    let entry = responses
        .entry(doc.status.to_string())
        .or_insert_with(|| json!({"description": ""}));
    if !doc.description.is_empty() {
        entry["description"] = json!(doc.description);
    } else if entry["description"] == "" {
        entry["description"] = json!(status_phrase(doc.status));
    }
    if let Some((media_type, media)) = doc.content() {
        merge_into(&mut entry["content"][media_type], media);
    }
    if let Some(more) = doc.more {
        merge_into(entry, more);
    }
}

/// FastAPI's `deep_dict_update`: objects merged key by key, anything
/// else replaced.
fn merge_into(target: &mut Value, patch: Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                merge_into(target.entry(key).or_insert(Value::Null), value);
            }
        }
        (target, patch) => *target = patch,
    }
}

/// The status's phrase ("Not Found"), as FastAPI describes a response
/// given without a description.
fn status_phrase(status: u16) -> &'static str {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Additional Response")
}

/// Adds one answer of the return type to `responses`: a new entry for its
/// status, or its media type added to the entry already there (the success
/// of an endpoint whose answers share a status: JSON beside `image/png`).
/// Two schemas under one media type are `anyOf` both. A JSON schema that is
/// no reference is titled as FastAPI titles a response model's:
/// `Response {operationId}`, with the status first for another status.
fn merge_answer(responses: &mut Map<String, Value>, answer: ResponseDoc, status: u16, id: &str) {
    let entry = responses
        .entry(answer.status.to_string())
        .or_insert_with(|| json!({"description": ""}));
    if !answer.description.is_empty() {
        entry["description"] = json!(answer.description);
    } else if entry["description"] == "" {
        entry["description"] = json!(status_phrase(answer.status));
    }
    let Some((media_type, mut media)) = answer.content() else {
        return;
    };
    if let Some(schema) = media.get_mut("schema") {
        let is_empty = schema.as_object().is_some_and(Map::is_empty);
        if media_type == "application/json"
            && !is_ref(schema)
            && !is_empty
            && schema.get("title").is_none()
        {
            let title = if answer.status == status {
                format!("Response {}", title_of(id))
            } else {
                format!("Response {} {}", answer.status, title_of(id))
            };
            annotate(schema, "title", json!(title));
        }
    }
    let content = entry
        .as_object_mut()
        .map(|entry| entry.entry("content").or_insert_with(|| json!({})));
    let Some(Value::Object(content)) = content else {
        return;
    };
    match content.get_mut(media_type) {
        Some(existing) => {
            if let (Some(old), Some(new)) = (existing.get("schema"), media.get("schema")) {
                if old != new {
                    *existing = json!({"schema": {"anyOf": [old, new]}});
                }
            }
        }
        None => {
            content.insert(media_type.to_owned(), media);
        }
    }
}

/// A request body's `content`: the schema under each media type, and the
/// body's named examples beside it (`openapi_examples`).
fn body_content(media: &[&'static str], schema: Value, examples: Option<&Value>) -> Value {
    let mut content = Map::new();
    let media = if media.is_empty() {
        &["application/json"][..]
    } else {
        media
    };
    for media in media {
        let mut entry = json!({ "schema": schema });
        if let Some(examples) = examples {
            entry["examples"] = examples.clone();
        }
        content.insert((*media).to_owned(), entry);
    }
    Value::Object(content)
}

/// The documented `endpoints` by path (or webhook name), then method.
fn operations(
    endpoints: &[EndpointInfo],
    app: AppDoc<'_>,
    components: &mut Components,
) -> Map<String, Value> {
    let mut paths = Map::new();
    for endpoint in endpoints.iter().filter(|e| e.include_in_schema) {
        let op = operation(endpoint, app, components);
        let item = paths
            .entry(path_format(&endpoint.path))
            .or_insert_with(|| json!({}));
        item[endpoint.method.as_str().to_lowercase()] = op;
    }
    paths
}

/// The document for `endpoints` with `info`, `servers` and `tags`.
pub(crate) fn document(
    info: Info,
    servers: Vec<Value>,
    tags: Vec<Tag>,
    endpoints: &[EndpointInfo],
    webhooks: &[EndpointInfo],
    app: AppDoc<'_>,
) -> OpenApi {
    let mut components = Components::default();
    let paths = operations(endpoints, app, &mut components);
    // Webhooks are the app's own requests: its dependencies are not theirs.
    let alone = AppDoc {
        dependencies: &[],
        ..app
    };
    let webhook_paths = operations(webhooks, alone, &mut components);
    let components = (!components.is_empty()).then(|| {
        let mut parts = Map::new();
        if !components.schemas().is_empty() {
            parts.insert("schemas".into(), json!(components.schemas()));
        }
        if !components.security_schemes().is_empty() {
            parts.insert(
                "securitySchemes".into(),
                json!(components.security_schemes()),
            );
        }
        Value::Object(parts)
    });
    OpenApi {
        openapi: "3.1.0",
        info,
        servers,
        paths,
        webhooks: webhook_paths,
        components,
        tags,
    }
}

/// A request body object: `required` is written only when true, as
/// FastAPI writes it (an optional body has no `required` key).
fn request_body(content: Value, required: bool) -> Value {
    if required {
        json!({"content": content, "required": true})
    } else {
        json!({"content": content})
    }
}

/// The schema of what an endpoint returns, for its `200` response.
/// Implemented for the return types that say what they contain; anything
/// else is documented as `{}` (any JSON), as FastAPI documents a function
/// without a return annotation.
pub trait ResponseSchema {
    /// The schema, or `None` when there is none to give.
    fn response_schema(components: &mut Components) -> Option<Value>;

    /// The documented media type: JSON unless the type says otherwise
    /// (`Html` is `text/html`, an `EventStream` documents one event).
    fn response_media() -> ResponseMedia {
        ResponseMedia::JSON
    }

    /// The type's other answers, each with its status: a `#[responses]`
    /// enum's variants (those with no status of their own answer with the
    /// endpoint's, `endpoint_status`). None by default.
    fn answers(components: &mut Components, endpoint_status: u16) -> Vec<ResponseDoc> {
        let _ = (components, endpoint_status);
        Vec::new()
    }
}

impl<T: Into<bytes::Bytes>> ResponseSchema for crate::response::Html<T> {
    fn response_schema(_: &mut Components) -> Option<Value> {
        Some(json!({"type": "string"}))
    }
    fn response_media() -> ResponseMedia {
        ResponseMedia::whole("text/html")
    }
}

impl<T: Into<bytes::Bytes>> ResponseSchema for crate::response::PlainText<T> {
    fn response_schema(_: &mut Components) -> Option<Value> {
        Some(json!({"type": "string"}))
    }
    fn response_media() -> ResponseMedia {
        ResponseMedia::whole("text/plain")
    }
}

/// What `#[endpoint(..., response_class = C)]` documents: the class's
/// schema and media type, and the status the endpoint answers when it
/// does not say. Every [`ResponseSchema`] is a class as it documents
/// itself (status 200); [`Redirect`](crate::response::Redirect) is one as
/// FastAPI's `RedirectResponse` class: its 307, with no content. (A
/// `Redirect` returned without `response_class` is documented as FastAPI
/// documents it then: any JSON, with 200.)
pub trait ResponseClass {
    /// The status the endpoint answers unless `status = ...` says
    /// otherwise (`None`: 200).
    const DEFAULT_STATUS: Option<u16>;

    /// The schema, or `None` when there is none to give.
    fn class_schema(components: &mut Components) -> Option<Value>;

    /// The documented media type ([`ResponseMedia::NONE`]: no content).
    fn class_media() -> ResponseMedia;
}

impl<T: ResponseSchema> ResponseClass for T {
    const DEFAULT_STATUS: Option<u16> = None;

    fn class_schema(components: &mut Components) -> Option<Value> {
        T::response_schema(components)
    }
    fn class_media() -> ResponseMedia {
        T::response_media()
    }
}

impl ResponseClass for crate::response::Redirect {
    const DEFAULT_STATUS: Option<u16> = Some(307);

    fn class_schema(_: &mut Components) -> Option<Value> {
        None
    }
    fn class_media() -> ResponseMedia {
        ResponseMedia::NONE
    }
}

/// Classes without a media type of their own, so no content is documented,
/// as FastAPI documents `response_class=StreamingResponse` (its media type
/// is set at run time) and `response_class=FileResponse` (each file has
/// its own).
macro_rules! no_content_class {
    ($($t:ty),*) => {$(
        impl ResponseClass for $t {
            const DEFAULT_STATUS: Option<u16> = None;

            fn class_schema(_: &mut Components) -> Option<Value> {
                None
            }
            fn class_media() -> ResponseMedia {
                ResponseMedia::NONE
            }
        }
    )*};
}
no_content_class!(crate::response::StreamingResponse);
#[cfg(feature = "static-files")]
no_content_class!(crate::response::FileResponse);

/// One line's schema, as OpenAPI 3.2's `itemSchema` (FastAPI documents a
/// JSON Lines stream so).
impl<T: crate::model::Model> ResponseSchema for crate::response::JsonLines<T> {
    fn response_schema(components: &mut Components) -> Option<Value> {
        Some(T::json_schema(components))
    }
    fn response_media() -> ResponseMedia {
        ResponseMedia::per_item("application/jsonl")
    }
}

impl<T: crate::response::SseItem> ResponseSchema for crate::response::EventStream<T> {
    fn response_schema(components: &mut Components) -> Option<Value> {
        Some(T::item_schema(components))
    }
    fn response_media() -> ResponseMedia {
        ResponseMedia::per_item("text/event-stream")
    }
}

impl<T: JsonSchema> ResponseSchema for crate::response::Json<T> {
    fn response_schema(components: &mut Components) -> Option<Value> {
        Some(T::json_schema(components))
    }
}

impl<T: ResponseSchema, E> ResponseSchema for Result<T, E> {
    fn response_schema(components: &mut Components) -> Option<Value> {
        T::response_schema(components)
    }
    fn response_media() -> ResponseMedia {
        T::response_media()
    }
    fn answers(components: &mut Components, endpoint_status: u16) -> Vec<ResponseDoc> {
        T::answers(components, endpoint_status)
    }
}

impl<T: ResponseSchema> ResponseSchema for (http::StatusCode, T) {
    fn response_schema(components: &mut Components) -> Option<Value> {
        T::response_schema(components)
    }
    fn response_media() -> ResponseMedia {
        T::response_media()
    }
    fn answers(components: &mut Components, endpoint_status: u16) -> Vec<ResponseDoc> {
        T::answers(components, endpoint_status)
    }
}

macro_rules! model_collection_schema {
    ($($t:ty),*) => {$(
        impl<M: crate::model::Model> ResponseSchema for $t {
            fn response_schema(components: &mut Components) -> Option<Value> {
                Some(<$t>::json_schema(components))
            }
        }
    )*};
}
model_collection_schema!(
    Vec<M>,
    Option<M>,
    std::collections::HashMap<String, M>,
    std::collections::BTreeMap<String, M>
);

impl<M: crate::model::Model> ResponseSchema for M {
    fn response_schema(components: &mut Components) -> Option<Value> {
        Some(M::json_schema(components))
    }
}

/// An error type that declares, once, the responses it produces: every
/// endpoint returning `Result<_, E>` lists them in its document.
///
/// ```
/// use fastrs::openapi::{Components, ErrorResponses, ResponseDoc};
///
/// struct NotFound;
///
/// impl ErrorResponses for NotFound {
///     fn error_responses(components: &mut Components) -> Vec<ResponseDoc> {
///         vec![ResponseDoc::json::<serde_json::Value>(404, "Not found", components)]
///     }
/// }
/// ```
pub trait ErrorResponses {
    /// The responses, with their schemas registered in `components`.
    fn error_responses(components: &mut Components) -> Vec<ResponseDoc>;
}

/// Picks [`ErrorResponses`] of a `Result`'s error type when it has them, in
/// generated code (autoref specialisation, like [`Probe`]'s schemas).
pub trait ViaErrorResponses {
    /// The declared responses.
    fn error_responses_of(&self, components: &mut Components) -> Vec<ResponseDoc>;
}

impl<T, E: ErrorResponses> ViaErrorResponses for &Probe<Result<T, E>> {
    fn error_responses_of(&self, components: &mut Components) -> Vec<ResponseDoc> {
        E::error_responses(components)
    }
}

/// The fallback of [`ViaErrorResponses`]: nothing declared.
pub trait ViaNoErrorResponses {
    /// Nothing.
    fn error_responses_of(&self, components: &mut Components) -> Vec<ResponseDoc>;
}

impl<T: ?Sized> ViaNoErrorResponses for Probe<T> {
    fn error_responses_of(&self, _: &mut Components) -> Vec<ResponseDoc> {
        Vec::new()
    }
}

/// The schema of a `response_model`: its [`JsonSchema`] (autoref
/// specialization, so that a `response_model` that is not a model is
/// reported once, by the conversion of the answer, not again here).
pub struct ModelSchema<T: ?Sized>(std::marker::PhantomData<T>);

impl<T: ?Sized> ModelSchema<T> {
    /// The probe of `T`.
    pub const fn new() -> Self {
        ModelSchema(std::marker::PhantomData)
    }
}

impl<T: ?Sized> Default for ModelSchema<T> {
    fn default() -> Self {
        ModelSchema::new()
    }
}

/// The case of a `response_model` with a schema.
pub trait ViaJsonSchema {
    /// Its schema.
    fn model_schema(&self, components: &mut Components) -> Option<Value>;
}

impl<T: JsonSchema> ViaJsonSchema for &ModelSchema<T> {
    fn model_schema(&self, components: &mut Components) -> Option<Value> {
        Some(T::json_schema(components))
    }
}

/// The stand-in for a `response_model` without one: never used, the
/// endpoint does not compile.
pub trait ViaNoSchema {
    /// Nothing.
    fn model_schema(&self, components: &mut Components) -> Option<Value>;
}

impl<T: ?Sized> ViaNoSchema for ModelSchema<T> {
    fn model_schema(&self, _: &mut Components) -> Option<Value> {
        None
    }
}

/// Picks [`ResponseSchema`] when the type has it and `{}` otherwise, in
/// code generated for a concrete return type (autoref specialisation).
pub struct Probe<T: ?Sized>(std::marker::PhantomData<T>);

impl<T: ?Sized> Probe<T> {
    /// A probe for `T`.
    pub const fn new() -> Self {
        Probe(std::marker::PhantomData)
    }
}

impl<T: ?Sized> Default for Probe<T> {
    fn default() -> Self {
        Probe::new()
    }
}

/// The documented case of [`Probe`].
pub trait ViaResponseSchema {
    /// The schema.
    fn schema_of(&self, components: &mut Components) -> Option<Value>;
    /// The media type.
    fn media_of(&self) -> ResponseMedia;
    /// The other answers.
    fn answers_of(&self, components: &mut Components, endpoint_status: u16) -> Vec<ResponseDoc>;
}

impl<T: ResponseSchema> ViaResponseSchema for &Probe<T> {
    fn schema_of(&self, components: &mut Components) -> Option<Value> {
        T::response_schema(components)
    }
    fn media_of(&self) -> ResponseMedia {
        T::response_media()
    }
    fn answers_of(&self, components: &mut Components, endpoint_status: u16) -> Vec<ResponseDoc> {
        T::answers(components, endpoint_status)
    }
}

/// The fallback case of [`Probe`]: any JSON.
pub trait ViaAnything {
    /// `{}`.
    fn schema_of(&self, components: &mut Components) -> Option<Value>;
    /// JSON.
    fn media_of(&self) -> ResponseMedia;
    /// None.
    fn answers_of(&self, components: &mut Components, endpoint_status: u16) -> Vec<ResponseDoc>;
}

impl<T: ?Sized> ViaAnything for Probe<T> {
    fn schema_of(&self, _: &mut Components) -> Option<Value> {
        Some(json!({}))
    }
    fn media_of(&self) -> ResponseMedia {
        ResponseMedia::JSON
    }
    fn answers_of(&self, _: &mut Components, _: u16) -> Vec<ResponseDoc> {
        Vec::new()
    }
}

/// The case of [`Probe`] for text returned without a class
/// ([`TextAnswer`](crate::response::TextAnswer)): a router's or app's
/// `default_response_class` decides how it is sent and documented.
pub trait ViaTextAnswer {
    /// True.
    fn is_text(&self) -> bool;
}

impl<T: crate::response::TextAnswer> ViaTextAnswer for &Probe<T> {
    fn is_text(&self) -> bool {
        true
    }
}

/// The fallback of [`ViaTextAnswer`]: the type says how it is sent.
pub trait ViaNoTextAnswer {
    /// False.
    fn is_text(&self) -> bool;
}

impl<T: ?Sized> ViaNoTextAnswer for Probe<T> {
    fn is_text(&self) -> bool {
        false
    }
}

/// The case of [`Probe`] for a [`ResponseClass`]: what the class documents.
pub trait ViaResponseClass {
    /// Default status, schema and media type.
    fn class_of(&self, components: &mut Components) -> ClassDoc;
}

impl<T: ResponseClass> ViaResponseClass for &Probe<T> {
    fn class_of(&self, components: &mut Components) -> ClassDoc {
        (
            T::DEFAULT_STATUS,
            T::class_schema(components),
            T::class_media(),
        )
    }
}

/// The fallback of [`ViaResponseClass`]: any JSON, as an unannotated
/// return is documented.
pub trait ViaNoResponseClass {
    /// No status, `{}`, JSON.
    fn class_of(&self, components: &mut Components) -> ClassDoc;
}

impl<T: ?Sized> ViaNoResponseClass for Probe<T> {
    fn class_of(&self, _: &mut Components) -> ClassDoc {
        (None, Some(json!({})), ResponseMedia::JSON)
    }
}
