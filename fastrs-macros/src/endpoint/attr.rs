//! Parsing `#[endpoint(METHOD "/path", option = value, ...)]`.

use crate::attrs::flag;
use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitInt, LitStr, Token};

/// What the attribute says.
pub(crate) struct EndpointAttr {
    pub method: Ident,
    pub path: LitStr,
    pub status: Option<u16>,
    pub tags: Vec<LitStr>,
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
    /// Providers run for their effect (FastAPI's `dependencies=[...]`).
    pub dependencies: Vec<syn::Expr>,
    /// `responses = [(404, "Not found"), (409, "Conflict", Body)]`.
    pub responses: Vec<(LitInt, LitStr, Option<syn::Type>)>,
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
    "dependencies",
    "responses",
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
        check_template(&path)?;
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
            dependencies: Vec::new(),
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
        if attr.response_model.is_none() {
            for key in attr.exclude.iter().flatten() {
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
                let lit: LitInt = input.parse().map_err(|e| {
                    syn::Error::new(
                        e.span(),
                        "`status` is a number, not a string: `status = 201`",
                    )
                })?;
                let code: u16 = lit.base10_parse()?;
                if !(100..=599).contains(&code) {
                    return Err(syn::Error::new(
                        lit.span(),
                        "a status code is between 100 and 599",
                    ));
                }
                self.status = Some(code);
            }
            "tags" => {
                input.parse::<Token![=]>()?;
                let content;
                syn::bracketed!(content in input);
                let tags = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
                self.tags = tags.into_iter().collect();
            }
            "summary" => self.summary = Some(value(input)?),
            "responses" => {
                input.parse::<Token![=]>()?;
                let content;
                syn::bracketed!(content in input);
                let items = Punctuated::<ResponseItem, Token![,]>::parse_terminated(&content)?;
                self.responses = items
                    .into_iter()
                    .map(|r| (r.status, r.description, r.model))
                    .collect();
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
            "description" => self.description = Some(value(input)?),
            "response_description" => self.response_description = Some(value(input)?),
            "operation_id" => self.operation_id = Some(value(input)?),
            "deprecated" => self.deprecated = flag(input)?,
            "include_in_schema" => self.include_in_schema = flag(input)?,
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

/// `(404, "description")` or `(404, "description", BodyType)`.
struct ResponseItem {
    status: LitInt,
    description: LitStr,
    model: Option<syn::Type>,
}

impl Parse for ResponseItem {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let content;
        syn::parenthesized!(content in input);
        let status: LitInt = content.parse()?;
        let code: u16 = status.base10_parse()?;
        if !(100..=599).contains(&code) {
            return Err(syn::Error::new(
                status.span(),
                "a status code is between 100 and 599",
            ));
        }
        content.parse::<Token![,]>()?;
        let description: LitStr = content.parse()?;
        let model = if content.peek(Token![,]) {
            content.parse::<Token![,]>()?;
            Some(content.parse()?)
        } else {
            None
        };
        Ok(ResponseItem {
            status,
            description,
            model,
        })
    }
}

fn value(input: ParseStream) -> syn::Result<LitStr> {
    input.parse::<Token![=]>()?;
    input.parse()
}

/// The `{name}` and `{name:path}` variables of a path template, in order.
/// Checks a path template written in `#[endpoint]`: it starts with `/`,
/// its braces pair up, and each variable is named once. These are literals,
/// so they are compile errors, not startup panics.
fn check_template(path: &LitStr) -> syn::Result<()> {
    let text = path.value();
    let error = |message: String| Err(syn::Error::new(path.span(), message));
    if !text.starts_with('/') {
        return error(format!("a path starts with `/`: write \"/{text}\""));
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
        vars.push(inner.split(':').next().unwrap_or(inner).to_owned());
        rest = &rest[open + close + 1..];
    }
    vars
}
