//! Parsing `#[endpoint(METHOD "/path", option = value, ...)]`.

use crate::attrs::{flag, json_tokens};
use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Ident, LitInt, LitStr, Token};

/// What the attribute says.
pub(crate) struct EndpointAttr {
    pub method: Ident,
    pub path: LitStr,
    pub status: Option<u16>,
    /// `tags = ["items", Tags::Users]`: strings, or values of a `#[model]`
    /// enum (FastAPI's tags from an `Enum`), read with its `const fn as_str`.
    pub tags: Vec<syn::Expr>,
    pub summary: Option<LitStr>,
    pub description: Option<LitStr>,
    pub deprecated: bool,
    pub operation_id: Option<LitStr>,
    pub include_in_schema: bool,
    pub response_model: Option<syn::Type>,
    /// `response_class = Html`: the documented media type, for a return
    /// type that cannot say it (a raw response, a stream).
    pub response_class: Option<syn::Type>,
    /// `response_description`: the success's description in the document.
    pub response_description: Option<LitStr>,
    /// `response_model_exclude_unset`, `_none`, `_defaults`, with the
    /// option's name for a missing `response_model`.
    pub exclude: [Option<Ident>; 3],
    /// `response_model_include = ["name", "owner.name"]`, with the key.
    pub include_fields: Option<(Ident, Vec<LitStr>)>,
    /// `response_model_exclude = ["tax"]`, with the key.
    pub exclude_fields: Option<(Ident, Vec<LitStr>)>,
    /// Providers run for their effect (FastAPI's `dependencies=[...]`).
    pub dependencies: Vec<syn::Expr>,
    /// `strict_content_type = false`: a body without `Content-Type` is JSON.
    pub strict_content_type: Option<bool>,
    /// `openapi_extra = {...}`: JSON merged into the operation.
    pub openapi_extra: Option<TokenStream>,
    /// `webhook`: the path is a webhook's name (`"new-subscription"`), and
    /// the endpoint is documented with `App::webhook`, never routed.
    pub webhook: bool,
    /// `callbacks = [notify]`: endpoints documented as the operation's
    /// callbacks.
    pub callbacks: Vec<syn::Path>,
    /// `responses = [(404, "Not found"), (409, "Conflict", Body), ..SHARED]`.
    pub responses: Vec<ResponseItem>,
    /// A WebSocket route (`#[websocket]`), not an HTTP one.
    pub websocket: bool,
}

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const OPTIONS: &[&str] = &[
    "status",
    "tags",
    "summary",
    "description",
    "deprecated",
    "operation_id",
    "include_in_schema",
    "response_model",
    "response_class",
    "response_description",
    "response_model_exclude_unset",
    "response_model_exclude_none",
    "response_model_exclude_defaults",
    "response_model_include",
    "response_model_exclude",
    "dependencies",
    "responses",
    "strict_content_type",
    "openapi_extra",
    "webhook",
    "callbacks",
];

impl EndpointAttr {
    /// `#[websocket("/path", dependencies = [...])]`: a GET route left out
    /// of the document; the options about HTTP answers do not apply.
    pub(crate) fn parse_websocket(attr: proc_macro2::TokenStream) -> syn::Result<Self> {
        if attr.is_empty() {
            return Err(syn::Error::new(
                Span::call_site(),
                "#[websocket] needs a path, for example #[websocket(\"/ws/{client_id}\")]",
            ));
        }
        let mut tokens = quote::quote!(GET);
        tokens.extend(attr);
        let mut attr: EndpointAttr = syn::parse2(tokens)?;
        let http_only = [
            ("status", attr.status.is_some()),
            ("tags", !attr.tags.is_empty()),
            ("summary", attr.summary.is_some()),
            ("description", attr.description.is_some()),
            ("deprecated", attr.deprecated),
            ("operation_id", attr.operation_id.is_some()),
            ("response_model", attr.response_model.is_some()),
            ("response_class", attr.response_class.is_some()),
            ("response_description", attr.response_description.is_some()),
            ("responses", !attr.responses.is_empty()),
            ("openapi_extra", attr.openapi_extra.is_some()),
            ("webhook", attr.webhook),
            ("callbacks", !attr.callbacks.is_empty()),
        ];
        if let Some((name, _)) = http_only.iter().find(|(_, set)| *set) {
            return Err(syn::Error::new(
                attr.path.span(),
                format!("`{name}` describes an HTTP answer; a #[websocket] route takes only `dependencies`"),
            ));
        }
        attr.include_in_schema = false;
        attr.websocket = true;
        Ok(attr)
    }
}

impl Parse for EndpointAttr {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(syn::Error::new(
                Span::call_site(),
                "#[endpoint] needs a method and a path, for example #[endpoint(GET \"/items/{item_id}\")]",
            ));
        }
        let method: Ident = input.parse()?;
        if !METHODS.contains(&method.to_string().as_str()) {
            return Err(syn::Error::new(
                method.span(),
                format!(
                    "unknown HTTP method `{method}`; use one of {}",
                    METHODS.join(", ")
                ),
            ));
        }
        let path: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the path as a string after the method, for example GET \"/items\"",
            )
        })?;
        let mut attr = EndpointAttr {
            method,
            path,
            status: None,
            tags: Vec::new(),
            summary: None,
            description: None,
            deprecated: false,
            operation_id: None,
            include_in_schema: true,
            response_model: None,
            response_class: None,
            response_description: None,
            exclude: [None, None, None],
            include_fields: None,
            exclude_fields: None,
            dependencies: Vec::new(),
            strict_content_type: None,
            openapi_extra: None,
            webhook: false,
            callbacks: Vec::new(),
            responses: Vec::new(),
            websocket: false,
        };
        let mut errors: Option<syn::Error> = None;
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            if let Err(e) = attr.option(&key, input) {
                match &mut errors {
                    Some(all) => all.combine(e),
                    None => errors = Some(e),
                }
            }
        }
        if let Err(e) = check_template(&attr.path, attr.webhook) {
            match &mut errors {
                Some(all) => all.combine(e),
                None => errors = Some(e),
            }
        }
        if attr.response_model.is_none() {
            let listed = [&attr.include_fields, &attr.exclude_fields];
            let listed = listed.into_iter().flatten().map(|(key, _)| key);
            for key in attr.exclude.iter().flatten().chain(listed) {
                let e = syn::Error::new(
                    key.span(),
                    format!(
                        "`{key}` filters the `response_model`: add `response_model = YourModel`"
                    ),
                );
                match &mut errors {
                    Some(all) => all.combine(e),
                    None => errors = Some(e),
                }
            }
        }
        match errors {
            Some(e) => Err(e),
            None => Ok(attr),
        }
    }
}

impl EndpointAttr {
    fn option(&mut self, key: &Ident, input: ParseStream) -> syn::Result<()> {
        match key.to_string().as_str() {
            "status" => {
                input.parse::<Token![=]>()?;
                self.status = Some(status_code(input)?.base10_parse()?);
            }
            "tags" => {
                input.parse::<Token![=]>()?;
                let content;
                syn::bracketed!(content in input);
                let tags = Punctuated::<syn::Expr, Token![,]>::parse_terminated(&content)?;
                self.tags = tags.into_iter().collect();
            }
            "summary" => self.summary = Some(value(input)?),
            "responses" => {
                input.parse::<Token![=]>()?;
                let content;
                syn::bracketed!(content in input);
                let items = Punctuated::<ResponseItem, Token![,]>::parse_terminated(&content)?;
                self.responses = items.into_iter().collect();
            }
            "dependencies" => {
                input.parse::<Token![=]>()?;
                let content;
                syn::bracketed!(content in input);
                let providers = Punctuated::<syn::Expr, Token![,]>::parse_terminated(&content)?;
                self.dependencies = providers.into_iter().collect();
            }
            "response_model" => {
                input.parse::<Token![=]>()?;
                self.response_model = Some(input.parse()?);
            }
            "response_class" => {
                input.parse::<Token![=]>()?;
                self.response_class = Some(input.parse()?);
            }
            name @ ("response_model_exclude_unset"
            | "response_model_exclude_none"
            | "response_model_exclude_defaults") => {
                let slot = match name {
                    "response_model_exclude_unset" => 0,
                    "response_model_exclude_none" => 1,
                    _ => 2,
                };
                self.exclude[slot] = flag(input)?.then(|| key.clone());
            }
            name @ ("response_model_include" | "response_model_exclude") => {
                input.parse::<Token![=]>()?;
                let content;
                syn::bracketed!(content in input);
                let fields = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
                let fields = (key.clone(), fields.into_iter().collect());
                if name == "response_model_include" {
                    self.include_fields = Some(fields);
                } else {
                    self.exclude_fields = Some(fields);
                }
            }
            "description" => self.description = Some(value(input)?),
            "response_description" => self.response_description = Some(value(input)?),
            "operation_id" => self.operation_id = Some(value(input)?),
            "deprecated" => self.deprecated = flag(input)?,
            "include_in_schema" => self.include_in_schema = flag(input)?,
            "strict_content_type" => self.strict_content_type = Some(flag(input)?),
            "openapi_extra" => {
                input.parse::<Token![=]>()?;
                self.openapi_extra = Some(json_tokens(input)?);
            }
            "webhook" => self.webhook = flag(input)?,
            "callbacks" => {
                input.parse::<Token![=]>()?;
                let content;
                syn::bracketed!(content in input);
                let callbacks = Punctuated::<syn::Path, Token![,]>::parse_terminated(&content)?;
                self.callbacks = callbacks.into_iter().collect();
            }
            _ => {
                // Skip the value so the next option still parses.
                if input.parse::<Token![=]>().is_ok() {
                    let _: syn::Expr = input.parse()?;
                }
                return Err(crate::attrs::unknown_option("#[endpoint]", key, OPTIONS));
            }
        }
        Ok(())
    }
}

/// One item of `responses = [...]`: `(404, "description", BodyType,
/// media_type = "image/png", example = {...}, examples = {...})`, where
/// only the status is required (the description defaults to the status's
/// phrase), or `..SHARED`, a `&[ResponseDecl]` shared by several routes
/// (FastAPI's `responses={**shared, ...}`).
pub(crate) enum ResponseItem {
    /// One response.
    One {
        status: LitInt,
        description: Option<LitStr>,
        model: Option<syn::Type>,
        media_type: Option<LitStr>,
        /// `example = <JSON>` and `examples = <JSON>`, as written.
        examples: Vec<(syn::Ident, TokenStream)>,
    },
    /// `..SHARED`.
    Shared(syn::Expr),
}

impl Parse for ResponseItem {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(Token![..]) {
            input.parse::<Token![..]>()?;
            return Ok(ResponseItem::Shared(input.parse()?));
        }
        let content;
        syn::parenthesized!(content in input);
        let status = status_code(&content)?;
        let mut description = None;
        let mut model = None;
        let mut media_type = None;
        let mut examples = Vec::new();
        while content.parse::<Token![,]>().is_ok() && !content.is_empty() {
            if content.peek(LitStr) && description.is_none() && model.is_none() {
                description = Some(content.parse()?);
            } else if content.peek(syn::Ident) && content.peek2(Token![=]) {
                let key: syn::Ident = content.parse()?;
                content.parse::<Token![=]>()?;
                match key.to_string().as_str() {
                    "media_type" => media_type = Some(content.parse()?),
                    "example" | "examples" => examples.push((key, json_tokens(&content)?)),
                    other => {
                        return Err(syn::Error::new(
                            key.span(),
                            format!("unknown option `{other}` of a response: expected `media_type`, `example` or `examples`"),
                        ))
                    }
                }
            } else if model.is_none() {
                model = Some(content.parse()?);
            } else {
                return Err(content.error(
                    "a response is `(status, \"description\", Model, media_type = \"...\", example = {...})`",
                ));
            }
        }
        if !content.is_empty() {
            return Err(content.error("expected `,` between the parts of a response"));
        }
        Ok(ResponseItem::One {
            status,
            description,
            model,
            media_type,
            examples,
        })
    }
}

fn value(input: ParseStream) -> syn::Result<LitStr> {
    input.parse::<Token![=]>()?;
    input.parse()
}

/// The `{name}` and `{name:path}` variables of a path template, in order.
/// Checks a path template written in `#[endpoint]`: it starts with `/` (a
/// callback's may start with an OpenAPI runtime expression,
/// `{$callback_url}`; a webhook's is a name), its braces pair up, and each
/// variable is named once. These are literals, so they are compile errors,
/// not startup panics.
fn check_template(path: &LitStr, webhook: bool) -> syn::Result<()> {
    let text = path.value();
    let error = |message: String| Err(syn::Error::new(path.span(), message));
    if webhook {
        return Ok(());
    }
    if !text.starts_with('/') && !text.starts_with("{$") {
        return error(format!(
            "a path starts with `/`: write \"/{text}\" (a webhook's name needs `webhook`)"
        ));
    }
    let mut seen: Vec<String> = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('{', None) => open = Some(i),
            ('{', Some(_)) => {
                return error(format!(
                    "`{{` inside `{{...}}` in \"{text}\": a path parameter is `{{name}}`"
                ))
            }
            ('}', None) => return error(format!("`}}` without its `{{` in \"{text}\"")),
            ('}', Some(start)) => {
                let name = text[start + 1..i].split(':').next().unwrap_or("");
                if name.is_empty() {
                    return error(format!("`{{}}` in \"{text}\" has no name: write `{{item_id}}` and take `item_id` as an argument"));
                }
                if seen.iter().any(|s| s == name) {
                    return error(format!("`{{{name}}}` appears twice in \"{text}\": each path parameter is named once"));
                }
                seen.push(name.to_owned());
                open = None;
            }
            _ => {}
        }
    }
    if open.is_some() {
        return error(format!("a `{{` without its `}}` in \"{text}\""));
    }
    Ok(())
}

pub(crate) fn template_vars(path: &str) -> Vec<String> {
    let mut vars = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        // `{$request.body.id}`: an OpenAPI runtime expression of a
        // callback's URL, not a parameter.
        if !inner.starts_with('$') {
            vars.push(inner.split(':').next().unwrap_or(inner).to_owned());
        }
        rest = &rest[open + close + 1..];
    }
    vars
}

/// A status code: a number (`201`) or the name of one of `StatusCode`'s
/// constants (`StatusCode::CREATED`, `http::StatusCode::CREATED`), as a
/// number literal spanned where it was written.
pub(crate) fn status_code(input: ParseStream) -> syn::Result<LitInt> {
    if input.peek(LitInt) {
        let lit: LitInt = input.parse()?;
        let code: u16 = lit.base10_parse()?;
        if !(100..=599).contains(&code) {
            return Err(syn::Error::new(
                lit.span(),
                "a status code is between 100 and 599",
            ));
        }
        return Ok(lit);
    }
    if input.peek(LitStr) {
        let text: LitStr = input.parse()?;
        return Err(syn::Error::new(
            text.span(),
            "a status is a number, not a string: `status = 201` (or `StatusCode::CREATED`)",
        ));
    }
    let wrong = |span| {
        syn::Error::new(
            span,
            "a status is a number or a `StatusCode` constant: `status = 201` or `status = StatusCode::CREATED`",
        )
    };
    let path: syn::Path = input.parse().map_err(|e| wrong(e.span()))?;
    let last = path.segments.last().map(|s| s.ident.to_string());
    match last.and_then(|name| STATUS_NAMES.iter().find(|(n, _)| *n == name)) {
        Some((_, code)) => Ok(LitInt::new(&code.to_string(), path.span())),
        None => Err(syn::Error::new_spanned(
            &path,
            "not a `StatusCode` constant: write one of its names (`StatusCode::CREATED`, `StatusCode::NOT_FOUND`) or the number",
        )),
    }
}

/// The constants of `http::StatusCode`, by name.
const STATUS_NAMES: &[(&str, u16)] = &[
    ("CONTINUE", 100),
    ("SWITCHING_PROTOCOLS", 101),
    ("PROCESSING", 102),
    ("EARLY_HINTS", 103),
    ("OK", 200),
    ("CREATED", 201),
    ("ACCEPTED", 202),
    ("NON_AUTHORITATIVE_INFORMATION", 203),
    ("NO_CONTENT", 204),
    ("RESET_CONTENT", 205),
    ("PARTIAL_CONTENT", 206),
    ("MULTI_STATUS", 207),
    ("ALREADY_REPORTED", 208),
    ("IM_USED", 226),
    ("MULTIPLE_CHOICES", 300),
    ("MOVED_PERMANENTLY", 301),
    ("FOUND", 302),
    ("SEE_OTHER", 303),
    ("NOT_MODIFIED", 304),
    ("USE_PROXY", 305),
    ("TEMPORARY_REDIRECT", 307),
    ("PERMANENT_REDIRECT", 308),
    ("BAD_REQUEST", 400),
    ("UNAUTHORIZED", 401),
    ("PAYMENT_REQUIRED", 402),
    ("FORBIDDEN", 403),
    ("NOT_FOUND", 404),
    ("METHOD_NOT_ALLOWED", 405),
    ("NOT_ACCEPTABLE", 406),
    ("PROXY_AUTHENTICATION_REQUIRED", 407),
    ("REQUEST_TIMEOUT", 408),
    ("CONFLICT", 409),
    ("GONE", 410),
    ("LENGTH_REQUIRED", 411),
    ("PRECONDITION_FAILED", 412),
    ("PAYLOAD_TOO_LARGE", 413),
    ("URI_TOO_LONG", 414),
    ("UNSUPPORTED_MEDIA_TYPE", 415),
    ("RANGE_NOT_SATISFIABLE", 416),
    ("EXPECTATION_FAILED", 417),
    ("IM_A_TEAPOT", 418),
    ("MISDIRECTED_REQUEST", 421),
    ("UNPROCESSABLE_ENTITY", 422),
    ("LOCKED", 423),
    ("FAILED_DEPENDENCY", 424),
    ("TOO_EARLY", 425),
    ("UPGRADE_REQUIRED", 426),
    ("PRECONDITION_REQUIRED", 428),
    ("TOO_MANY_REQUESTS", 429),
    ("REQUEST_HEADER_FIELDS_TOO_LARGE", 431),
    ("UNAVAILABLE_FOR_LEGAL_REASONS", 451),
    ("INTERNAL_SERVER_ERROR", 500),
    ("NOT_IMPLEMENTED", 501),
    ("BAD_GATEWAY", 502),
    ("SERVICE_UNAVAILABLE", 503),
    ("GATEWAY_TIMEOUT", 504),
    ("HTTP_VERSION_NOT_SUPPORTED", 505),
    ("VARIANT_ALSO_NEGOTIATES", 506),
    ("INSUFFICIENT_STORAGE", 507),
    ("LOOP_DETECTED", 508),
    ("NOT_EXTENDED", 510),
    ("NETWORK_AUTHENTICATION_REQUIRED", 511),
];
