//! `#[endpoint(METHOD "/path", ...)]`.
//!
//! Replaces `async fn name(args) -> R` with:
//!
//! - a unit struct `name` (what `App::route` takes), documented like the fn;
//! - `name::call(args)`, the original function, still callable directly;
//! - one `static ParamSpec` per argument and an `Endpoint` impl whose
//!   `handle` calls one runtime extractor per argument, then
//!   `fastrs::extract::finish`, then the function.
//!
//! Checked here, at the user's tokens: the function is `async`, has no
//! generics or `self`, every template variable has an argument, and the
//! attribute options are known.

mod attr;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, LitStr, Pat, ReturnType};

use crate::attrs::ParamAttr;
use crate::docs::doc_text;
pub(crate) use attr::flag;
use attr::{template_vars, EndpointAttr};

struct Arg {
    ident: syn::Ident,
    ty: syn::Type,
    attr: ParamAttr,
    is_path: bool,
    /// Read from the body: a `Json<T>`, or a scalar marked `#[param(body)]`.
    is_body: bool,
    /// Read from a key of the body object rather than the whole body.
    embed: bool,
}

/// True when the type is written `Json<...>`: the macro must know the body
/// arguments to decide whether the body is one value or an object of them.
fn is_json(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Json"))
}

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut function: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => return e.to_compile_error(),
    };
    let attr: EndpointAttr = match syn::parse2(attr) {
        Ok(a) => a,
        Err(e) => return with_item(e, function),
    };
    let _ = item;
    match build(&attr, &mut function) {
        Ok(tokens) => tokens,
        Err(e) => with_item(e, function),
    }
}

/// The error, then the function as written minus its `#[param]` attributes,
/// so that the only errors the user sees are ours.
fn with_item(error: syn::Error, mut function: ItemFn) -> TokenStream {
    for input in function.sig.inputs.iter_mut() {
        if let FnArg::Typed(typed) = input {
            typed.attrs.retain(|a| !a.path().is_ident("param"));
        }
    }
    let error = error.to_compile_error();
    quote!(#error #function)
}

fn push(errors: &mut Option<syn::Error>, e: syn::Error) {
    match errors {
        Some(all) => all.combine(e),
        None => *errors = Some(e),
    }
}

fn build(attr: &EndpointAttr, function: &mut ItemFn) -> syn::Result<TokenStream> {
    let mut errors: Option<syn::Error> = None;
    let sig = &function.sig;
    if sig.asyncness.is_none() {
        push(
            &mut errors,
            syn::Error::new(
                sig.fn_token.span(),
                "an endpoint must be an `async fn`; write `async fn` here",
            ),
        );
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        push(
            &mut errors,
            syn::Error::new(
                sig.generics.span(),
                "an endpoint cannot be generic; give its arguments concrete types",
            ),
        );
    }
    let path = attr.path.value();
    let vars = template_vars(&path);

    let mut args = Vec::new();
    for input in function.sig.inputs.iter_mut() {
        let FnArg::Typed(typed) = input else {
            push(
                &mut errors,
                syn::Error::new(
                    input.span(),
                    "an endpoint is a free function; remove `self`",
                ),
            );
            continue;
        };
        let Pat::Ident(pat) = &*typed.pat else {
            push(
                &mut errors,
                syn::Error::new(
                    typed.pat.span(),
                    "endpoint arguments must be plain names (`item_id: i64`), not patterns",
                ),
            );
            continue;
        };
        let mut param = ParamAttr::default();
        let mut kept = Vec::new();
        for a in typed.attrs.drain(..) {
            if a.path().is_ident("param") {
                match a.parse_args::<ParamAttr>() {
                    Ok(p) => param = p,
                    Err(e) => push(&mut errors, e),
                }
            } else {
                kept.push(a);
            }
        }
        typed.attrs = kept;
        let name = pat.ident.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        let lookup = param.alias.as_ref().map_or(name.clone(), LitStr::value);
        let is_path = vars.contains(&lookup);
        if is_path && param.default.is_some() {
            push(
                &mut errors,
                syn::Error::new(pat.ident.span(), "a path parameter cannot have a default"),
            );
        }
        let is_body = !is_path && (is_json(&typed.ty) || param.body || param.embed);
        args.push(Arg {
            ident: pat.ident.clone(),
            ty: (*typed.ty).clone(),
            is_path,
            is_body,
            embed: false,
            attr: param,
        });
    }
    // FastAPI's rule: several body arguments, or one embedded or scalar
    // one, make the body an object keyed by argument name.
    let bodies = args.iter().filter(|a| a.is_body).count();
    let embed = bodies > 1
        || args
            .iter()
            .any(|a| a.is_body && (a.attr.embed || a.attr.body));
    for arg in args.iter_mut().filter(|a| a.is_body) {
        arg.embed = embed;
    }
    for var in &vars {
        let has_arg = args.iter().any(|a| {
            a.is_path
                && a.attr
                    .alias
                    .as_ref()
                    .map_or(a.ident.to_string(), LitStr::value)
                    == *var
        });
        if !has_arg {
            push(&mut errors, syn::Error::new(
                attr.path.span(),
                format!("the path parameter `{{{var}}}` has no argument; add `{var}: T` to the function"),
            ));
        }
    }
    if let Some(e) = errors {
        return Err(e);
    }
    Ok(generate(attr, function, &args))
}

fn generate(attr: &EndpointAttr, function: &ItemFn, args: &[Arg]) -> TokenStream {
    let vis = &function.vis;
    let name = &function.sig.ident;
    let name_str = name.to_string();
    let doc_attrs: Vec<_> = function
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .collect();
    let other_attrs: Vec<_> = function
        .attrs
        .iter()
        .filter(|a| !a.path().is_ident("doc"))
        .collect();
    let inputs = &function.sig.inputs;
    let output = &function.sig.output;
    let block = &function.block;

    let specs: Vec<_> = args.iter().enumerate().map(|(i, a)| spec(i, a)).collect();
    let spec_idents: Vec<_> = (0..args.len())
        .map(|i| format_ident!("__FASTRS_P{}", i))
        .collect();
    let vals: Vec<_> = (0..args.len())
        .map(|i| format_ident!("__fastrs_a{}", i))
        .collect();
    let extract = args.iter().zip(&spec_idents).zip(&vals).map(|((a, spec), val)| {
        let ty = &a.ty;
        let default = default_fn(&a.attr);
        // Each extractor returns `Result<Option<T>, HttpError>`: `Err` answers at once.
        let call = if a.is_path {
            quote_spanned! {ty.span()=>
                ::core::result::Result::<_, ::fastrs::HttpError>::Ok(
                    ::fastrs::extract::path_param::<#ty>(&__fastrs_cx, &#spec, &mut __fastrs_errors),
                )
            }
        } else if a.is_body && !is_json(ty) {
            quote_spanned! {ty.span()=>
                ::fastrs::extract::body_field::<#ty>(&mut __fastrs_cx, &#spec, #default, &mut __fastrs_errors).await
            }
        } else {
            quote_spanned! {ty.span()=>
                <#ty as ::fastrs::extract::FromRequest>::from_request(
                    &mut __fastrs_cx, &#spec, #default, &mut __fastrs_errors,
                ).await
            }
        };
        quote! {
            let #val = match #call {
                ::core::result::Result::Ok(__fastrs_value) => __fastrs_value,
                ::core::result::Result::Err(__fastrs_error) => {
                    return ::fastrs::IntoResponse::into_response(__fastrs_error);
                }
            };
        }
    });
    let method = &attr.method;
    let path = &attr.path;
    let status = attr.status.unwrap_or(200);
    let tags = &attr.tags;
    let opt = |v: &Option<LitStr>| match v {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    };
    let summary = opt(&attr.summary);
    let operation_id = opt(&attr.operation_id);
    let description = match (&attr.description, doc_text(&function.attrs)) {
        (Some(d), _) => quote!(::core::option::Option::Some(#d)),
        (None, Some(doc)) => quote!(::core::option::Option::Some(#doc)),
        (None, None) => quote!(::core::option::Option::None),
    };
    let deprecated = attr.deprecated;
    let include_in_schema = attr.include_in_schema;
    let arg_count = args.len();
    let returns = match output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => quote!(#ty),
    };
    let status_expr = quote!(::fastrs::endpoint::status(#status));
    let call = quote!(#name::call(#(#vals),*).await);
    let respond = match &attr.response_model {
        // Spanned at the return type: a type that is no response is reported there.
        None => quote_spanned! {returns.span()=>
            <#returns as ::fastrs::IntoResponse>::into_response_with_status(#call, #status_expr)
        },
        Some(model) if returns_result(output) => quote_spanned! {returns.span()=>
            match #call {
                ::core::result::Result::Ok(__fastrs_value) => {
                    ::fastrs::response::model_response::<#model, _>(&__fastrs_value, #status_expr)
                }
                ::core::result::Result::Err(__fastrs_error) => ::fastrs::IntoResponse::into_response(__fastrs_error),
            }
        },
        Some(model) => quote_spanned! {returns.span()=>
            ::fastrs::response::model_response::<#model, _>(&#call, #status_expr)
        },
    };

    quote! {
        #(#doc_attrs)*
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy)]
        #vis struct #name;

        impl #name {
            #(#doc_attrs)*
            #(#other_attrs)*
            #vis async fn call(#inputs) #output #block
        }

        const _: () = {
            #(#specs)*
            static __FASTRS_PARAMS: [&::fastrs::extract::ParamSpec; #arg_count] = [#(&#spec_idents),*];

            impl ::fastrs::Endpoint for #name {
                fn info(&self) -> ::fastrs::EndpointInfo {
                    ::fastrs::EndpointInfo {
                        method: ::fastrs::http::Method::#method,
                        path: #path,
                        name: #name_str,
                        summary: #summary,
                        description: #description,
                        tags: &[#(#tags),*],
                        status: ::fastrs::endpoint::status(#status),
                        deprecated: #deprecated,
                        operation_id: #operation_id,
                        include_in_schema: #include_in_schema,
                        params: &__FASTRS_PARAMS,
                    }
                }

                fn handle(
                    &self,
                    __fastrs_cx: ::fastrs::extract::RequestContext,
                ) -> ::fastrs::endpoint::ResponseFuture {
                    ::std::boxed::Box::pin(async move {
                        #[allow(unused_mut)]
                        let mut __fastrs_cx = __fastrs_cx;
                        #[allow(unused_mut)]
                        let mut __fastrs_errors = ::fastrs::model::ValidationErrors::new();
                        #(#extract)*
                        let (#(#vals,)*) = match ::fastrs::extract::finish(__fastrs_errors, (#(#vals,)*)) {
                            ::core::result::Result::Ok(__fastrs_values) => __fastrs_values,
                            ::core::result::Result::Err(__fastrs_response) => return __fastrs_response,
                        };
                        #respond
                    })
                }
            }
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

/// True when the return type is written `Result<...>`: with a
/// `response_model`, only the `Ok` value is converted.
fn returns_result(output: &ReturnType) -> bool {
    matches!(output, ReturnType::Type(_, ty) if matches!(&**ty, syn::Type::Path(p)
        if p.path.segments.last().is_some_and(|s| s.ident == "Result")))
}

/// The `static ParamSpec` of argument `index`.
fn spec(index: usize, arg: &Arg) -> TokenStream {
    let ident = format_ident!("__FASTRS_P{}", index);
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
    let opt = |v: &Option<LitStr>| match v {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    };
    let title = opt(&a.title);
    let description = opt(&a.description);
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
