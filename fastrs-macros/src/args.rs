//! Arguments of endpoints and providers: where each comes from, its
//! `static ParamSpec`, and the code that extracts it.
//!
//! Shared by `#[endpoint]` and `#[dependency]`, so that a provider's
//! arguments are exactly what an endpoint can take. Generated extraction code
//! names two bindings, `__fastrs_cx: &mut RequestContext` and
//! `__fastrs_errors: &mut ValidationErrors`, and on an answer that ends the
//! request runs the caller's `on_response` tokens with `__fastrs_response`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, GenericArgument, LitStr, PathArguments, Type};

use crate::attrs::ParamAttr;

/// Where an argument comes from.
pub(crate) enum Source {
    /// A path template variable of the endpoint.
    Path,
    /// `Depends<T>`: the provider of `T`.
    Depends(Box<Type>),
    /// A scalar `#[param(body)]`: a key of the body object.
    BodyField,
    /// Any other type, through `FromRequest` (query, headers, cookies, `Json`).
    Request,
}

pub(crate) struct Arg {
    pub ident: syn::Ident,
    pub ty: Type,
    pub attr: ParamAttr,
    pub source: Source,
    /// For body arguments: read from a key of the body object.
    pub embed: bool,
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) => p.path.segments.last(),
        _ => None,
    }
}

/// True when the type is written `Name<...>` (the macros must see `Json`
/// and `Depends` by name: type aliases of them are not recognised).
pub(crate) fn is_named(ty: &Type, name: &str) -> bool {
    last_segment(ty).is_some_and(|s| s.ident == name)
}

/// The `T` of `Depends<T>`.
fn depends_inner(ty: &Type) -> Option<Type> {
    let segment = last_segment(ty).filter(|s| s.ident == "Depends")?;
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

/// Takes `#[param(...)]` (or `#[field(...)]`, with `attr_name`) off `attrs`.
pub(crate) fn take_param_attr(
    attrs: &mut Vec<Attribute>,
    attr_name: &str,
    errors: &mut Option<syn::Error>,
) -> ParamAttr {
    let mut param = ParamAttr::default();
    attrs.retain(|a| {
        if !a.path().is_ident(attr_name) {
            return true;
        }
        match a.parse_args::<ParamAttr>() {
            Ok(p) => param = p,
            Err(e) => push(errors, e),
        }
        false
    });
    param
}

pub(crate) fn push(errors: &mut Option<syn::Error>, e: syn::Error) {
    match errors {
        Some(all) => all.combine(e),
        None => *errors = Some(e),
    }
}

/// Classifies one argument. `template_vars` is the endpoint's path template
/// (empty for providers, whose bare arguments are read from the path when
/// the matched route has such a variable, else from the query).
pub(crate) fn classify(
    ident: syn::Ident,
    ty: Type,
    attr: ParamAttr,
    template_vars: &[String],
) -> Arg {
    let name = ident.to_string();
    let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
    let lookup = attr.alias.as_ref().map_or(name, LitStr::value);
    let source = if let Some(inner) = depends_inner(&ty) {
        Source::Depends(Box::new(inner))
    } else if template_vars.contains(&lookup) {
        Source::Path
    } else if attr.body || (attr.embed && !is_named(&ty, "Json")) {
        Source::BodyField
    } else {
        Source::Request
    };
    Arg {
        ident,
        ty,
        attr,
        source,
        embed: false,
    }
}

/// FastAPI's rule: several body arguments, or one embedded or scalar one,
/// make the body an object keyed by argument name.
pub(crate) fn mark_embedded(args: &mut [Arg]) {
    let is_body = |a: &Arg| match a.source {
        Source::BodyField => true,
        Source::Request => is_named(&a.ty, "Json"),
        _ => false,
    };
    let bodies = args.iter().filter(|a| is_body(a)).count();
    let embed = bodies > 1
        || args
            .iter()
            .any(|a| is_body(a) && (a.attr.embed || a.attr.body));
    for arg in args.iter_mut().filter(|a| is_body(a)) {
        arg.embed = embed;
    }
}

/// The identifiers of the specs and of the extracted values.
pub(crate) fn idents(args: &[Arg]) -> (Vec<syn::Ident>, Vec<syn::Ident>) {
    let specs = (0..args.len())
        .map(|i| format_ident!("__FASTRS_P{}", i))
        .collect();
    let vals = (0..args.len())
        .map(|i| format_ident!("__fastrs_a{}", i))
        .collect();
    (specs, vals)
}

/// The `static ParamSpec` of every argument that is not a dependency, and
/// the list of them (`__FASTRS_PARAMS`).
pub(crate) fn specs(args: &[Arg]) -> TokenStream {
    let (spec_idents, _) = idents(args);
    let mut statics = Vec::new();
    let mut listed = Vec::new();
    for (arg, ident) in args.iter().zip(&spec_idents) {
        statics.push(spec(ident, arg));
        if !matches!(arg.source, Source::Depends(_)) {
            listed.push(ident);
        }
    }
    let count = listed.len();
    quote! {
        #(#statics)*
        static __FASTRS_PARAMS: [&::fastrs::extract::ParamSpec; #count] = [#(&#listed),*];
    }
}

fn opt_str(v: &Option<LitStr>) -> TokenStream {
    match v {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

fn spec(ident: &syn::Ident, arg: &Arg) -> TokenStream {
    let name = arg.ident.to_string();
    let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
    let a = &arg.attr;
    let alias = a.alias.as_ref().map_or(name.clone(), LitStr::value);
    // Header lookups are case-insensitive; the name is also the error `loc`,
    // where FastAPI shows an alias as written.
    let header_name = match (&a.alias, a.convert_underscores.unwrap_or(true)) {
        (Some(alias), _) => alias.value(),
        (None, true) => name.replace('_', "-").to_lowercase(),
        (None, false) => name.to_lowercase(),
    };
    let title = opt_str(&a.title);
    let description = opt_str(&a.description);
    let deprecated = a.deprecated;
    let include = a.include_in_schema.unwrap_or(true);
    let constraints = a.constraints();
    let embed = arg.embed;
    let examples = a.examples_fn();
    quote! {
        static #ident: ::fastrs::extract::ParamSpec = ::fastrs::extract::ParamSpec {
            name: #name,
            alias: #alias,
            header_name: #header_name,
            title: #title,
            description: #description,
            deprecated: #deprecated,
            include_in_schema: #include,
            constraints: #constraints,
            embed: #embed,
            examples: #examples,
        };
    }
}

/// `#[param(default = EXPR)]` as `Option<fn() -> T>`; a string literal is
/// converted with `Into`, so `default = "guest"` works for a `String`.
fn default_fn(attr: &ParamAttr) -> TokenStream {
    match &attr.default {
        Some(default) => {
            let expr = match default {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(_),
                    ..
                }) => {
                    quote!(::core::convert::Into::into(#default))
                }
                other => quote!(#other),
            };
            quote!(::core::option::Option::Some((|| #expr) as fn() -> _))
        }
        None => quote!(::core::option::Option::None),
    }
}

/// The code extracting every argument: dependencies first (in declaration
/// order, as FastAPI solves them), then the rest. Each value lands in its
/// `__fastrs_aN: Option<T>`.
pub(crate) fn extraction(args: &[Arg], on_response: &TokenStream) -> TokenStream {
    let (spec_idents, vals) = idents(args);
    let mut dependencies = Vec::new();
    let mut params = Vec::new();
    for ((a, spec), val) in args.iter().zip(&spec_idents).zip(&vals) {
        let ty = &a.ty;
        let default = default_fn(&a.attr);
        let call = match &a.source {
            Source::Depends(inner) => {
                let use_cache = a.attr.use_cache.unwrap_or(true);
                quote_spanned! {ty.span()=>
                    ::fastrs::di::resolve::<#inner, _>(&mut *__fastrs_cx, #use_cache, &mut *__fastrs_errors).await
                }
            }
            Source::Path => quote_spanned! {ty.span()=>
                ::core::result::Result::<_, ::fastrs::Response>::Ok(
                    ::fastrs::extract::path_param::<#ty>(&*__fastrs_cx, &#spec, &mut *__fastrs_errors),
                )
            },
            Source::BodyField => quote_spanned! {ty.span()=>
                ::fastrs::extract::body_field::<#ty>(&mut *__fastrs_cx, &#spec, #default, &mut *__fastrs_errors)
                    .await
                    .map_err(::fastrs::IntoResponse::into_response)
            },
            Source::Request => quote_spanned! {ty.span()=>
                <#ty as ::fastrs::extract::FromRequest>::from_request(
                    &mut *__fastrs_cx, &#spec, #default, &mut *__fastrs_errors,
                )
                .await
                .map_err(::fastrs::IntoResponse::into_response)
            },
        };
        let code = quote! {
            let #val = match #call {
                ::core::result::Result::Ok(__fastrs_value) => __fastrs_value,
                ::core::result::Result::Err(__fastrs_response) => { #on_response }
            };
        };
        match a.source {
            Source::Depends(_) => dependencies.push(code),
            _ => params.push(code),
        }
    }
    quote! {
        #(#dependencies)*
        __fastrs_errors.freeze();
        #(#params)*
    }
}

/// `fn __fastrs_describe(doc)`: reports every argument to the OpenAPI
/// document, dependencies first, as extraction runs them.
pub(crate) fn describe_fn(args: &[Arg]) -> TokenStream {
    let (spec_idents, _) = idents(args);
    let mut dependencies = Vec::new();
    let mut params = Vec::new();
    for (a, spec) in args.iter().zip(&spec_idents) {
        let ty = &a.ty;
        let default = default_fn(&a.attr);
        match &a.source {
            Source::Depends(inner) => dependencies.push(quote_spanned! {ty.span()=>
                __fastrs_doc.dependency(::fastrs::di::info_of::<#inner, _>());
            }),
            Source::Path => params.push(quote_spanned! {ty.span()=>
                __fastrs_doc.parameter::<#ty>(::fastrs::model::Location::Path, &#spec, true, ::core::option::Option::None);
            }),
            Source::BodyField => params.push(quote_spanned! {ty.span()=>
                ::fastrs::extract::describe_body_field::<#ty>(&#spec, #default, __fastrs_doc);
            }),
            Source::Request => params.push(quote_spanned! {ty.span()=>
                <#ty as ::fastrs::extract::FromRequest>::describe(&#spec, #default, __fastrs_doc);
            }),
        }
    }
    quote! {
        #[allow(unused_variables)]
        fn __fastrs_describe(__fastrs_doc: &mut ::fastrs::openapi::OperationDoc<'_>) {
            #(#dependencies)*
            #(#params)*
        }
    }
}

/// The providers an endpoint or provider depends on, as a static list of
/// `fn() -> ProviderInfo` (`__FASTRS_DEPENDENCIES`), for startup checks and
/// the OpenAPI document. `extra` are the route's `dependencies = [...]`.
pub(crate) fn dependency_infos(args: &[Arg], extra: &[syn::Expr]) -> TokenStream {
    let mut entries: Vec<TokenStream> = extra
        .iter()
        .map(|p| quote!(|| ::fastrs::di::Provider::info(&#p())))
        .collect();
    for a in args {
        if let Source::Depends(inner) = &a.source {
            entries.push(quote!(|| ::fastrs::di::info_of::<#inner, _>()));
        }
    }
    let count = entries.len();
    quote! {
        static __FASTRS_DEPENDENCIES: [fn() -> ::fastrs::di::ProviderInfo; #count] = [#(#entries),*];
    }
}
