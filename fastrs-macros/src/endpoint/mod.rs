//! `#[endpoint(METHOD "/path", ...)]`.
//!
//! Replaces `async fn name(args) -> R` with:
//!
//! - `fn name() -> RouteEndpoint`, documented like the original:
//!   `App::route(name)` calls it to get the endpoint. A plain function, so a
//!   variable may share its name. Its body declares one `static ParamSpec`
//!   per argument and a `static Operation` (route, options, documented
//!   responses), and makes the endpoint with one call,
//!   `fastrs::pipeline::endpoint`, given the arguments' types and a closure
//!   that calls the original function and turns its value into a response;
//! - a hidden unit struct holding the original function as `call`: a
//!   plain `fn` when the body never awaits (`at_once`), which the runtime
//!   may then call in place, with `endpoint_at_once` instead.
//!
//! The runtime decides what each argument is and runs the request
//! (`fastrs::pipeline`). Checked here, at the user's tokens: the function
//! is `async`, has no generics or `self`, every template variable has an
//! argument, and the attribute options are known.

mod at_once;
pub(crate) mod attr;
#[cfg(feature = "client")]
mod client;

pub(crate) use at_once::never_awaits;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, LitStr, Pat, ReturnType};

use crate::args::{self, push, take_depends_attr, take_param_attr, Arg};
use crate::docs::route_description;
use attr::{template_vars, EndpointAttr};

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut function: ItemFn = match syn::parse2(item) {
        Ok(f) => f,
        Err(e) => return e.to_compile_error(),
    };
    let attr: EndpointAttr = match syn::parse2(attr) {
        Ok(a) => a,
        Err(e) => return endpoint_stub(e, function),
    };
    match build(&attr, &mut function) {
        Ok(tokens) => tokens,
        Err(e) => endpoint_stub(e, function),
    }
}

/// `#[websocket("/path", option = value, ...)]`: an endpoint answering a
/// GET handshake, left out of the OpenAPI document (as FastAPI leaves
/// WebSocket routes out), whose function runs as the session once the
/// handshake is answered.
pub(crate) fn expand_websocket(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut function: ItemFn = match syn::parse2(item) {
        Ok(f) => f,
        Err(e) => return e.to_compile_error(),
    };
    if !cfg!(feature = "websockets") {
        let error = syn::Error::new(
            Span::call_site(),
            "#[websocket] needs fastrs's cargo feature `websockets`, which is off: \
             in Cargo.toml, fastrs = { version = \"...\", features = [\"websockets\"] }",
        );
        return endpoint_stub(error, function);
    }
    let attr = match EndpointAttr::parse_websocket(attr) {
        Ok(a) => a,
        Err(e) => return endpoint_stub(e, function),
    };
    match build(&attr, &mut function) {
        Ok(tokens) => tokens,
        Err(e) => endpoint_stub(e, function),
    }
}

/// What a failed `#[endpoint]` leaves behind: the errors, `fn name()` with
/// the signature `App::route` expects (so that registering it adds no
/// error of its own), and the original function under a hidden name (so
/// that mistakes in its body are still reported, once).
fn endpoint_stub(error: syn::Error, mut function: ItemFn) -> TokenStream {
    let vis = function.vis.clone();
    let name = function.sig.ident.clone();
    let docs: Vec<_> = function
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect();
    function.sig.ident = format_ident!("__fastrs_unregistered_{}", name);
    let original = with_item(error, function);
    quote! {
        #original
        #(#docs)*
        #vis fn #name() -> ::fastrs::pipeline::RouteEndpoint {
            ::core::unreachable!("`#[endpoint]` reported an error for this function")
        }
    }
}

/// The error, then the function as written minus its `#[param]` attributes,
/// so that the only errors the user sees are ours.
pub(crate) fn with_item(error: syn::Error, mut function: ItemFn) -> TokenStream {
    args::strip_argument_attrs(function.sig.inputs.iter_mut());
    let error = error.to_compile_error();
    quote!(#[allow(dead_code)] #error #function)
}

/// Checks the signature shared by endpoints and providers, and classifies
/// the arguments. `what` names the item in messages. (A plain `fn` is
/// accepted: it runs on the blocking pool, see [`blocking_call`].)
pub(crate) fn signature_args(
    function: &mut ItemFn,
    template: &[String],
    what: &str,
    errors: &mut Option<syn::Error>,
) -> Vec<Arg> {
    let sig = &function.sig;
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        push(
            errors,
            syn::Error::new(
                sig.generics.span(),
                format!("{what} cannot be generic; give its arguments concrete types"),
            ),
        );
    }
    let mut out = Vec::new();
    for input in function.sig.inputs.iter_mut() {
        let FnArg::Typed(typed) = input else {
            push(
                errors,
                syn::Error::new(
                    input.span(),
                    format!("{what} is a free function; remove `self`"),
                ),
            );
            continue;
        };
        let mut param = take_param_attr(&mut typed.attrs, "param", errors);
        let depends = take_depends_attr(&mut typed.attrs, &typed.ty, &mut param, errors);
        let Pat::Ident(pat) = &*typed.pat else {
            push(
                errors,
                syn::Error::new(
                    typed.pat.span(),
                    "arguments must be plain names (`item_id: i64`), not patterns",
                ),
            );
            continue;
        };
        let arg = Arg {
            ident: pat.ident.clone(),
            ty: (*typed.ty).clone(),
            attr: param,
            depends,
        };
        if template.contains(&arg.wire_name()) && arg.attr.default.is_some() {
            push(
                errors,
                syn::Error::new(pat.ident.span(), "a path parameter cannot have a default"),
            );
        }
        out.push(arg);
    }
    out
}

/// `call` (the user's plain `fn`, called with the argument values) run on
/// tokio's blocking pool, as FastAPI runs a `def` in its threadpool.
pub(crate) fn blocking_call(call: TokenStream) -> TokenStream {
    quote!(::fastrs::pipeline::run_blocking(move || #call).await)
}

fn build(attr: &EndpointAttr, function: &mut ItemFn) -> syn::Result<TokenStream> {
    let mut errors: Option<syn::Error> = None;
    let vars = template_vars(&attr.path.value());
    let args = signature_args(function, &vars, "an endpoint", &mut errors);
    if attr.websocket && function.sig.asyncness.is_none() {
        push(
            &mut errors,
            syn::Error::new(
                function.sig.fn_token.span(),
                "a WebSocket session must be an `async fn`; write `async fn` here",
            ),
        );
    }
    for var in &vars {
        let has_arg = args.iter().any(|a| a.wire_name() == *var);
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

/// True when the return type is written `Result<...>`: with a
/// `response_model`, only the `Ok` value is converted. (The one place a
/// type's spelling matters: `response_model` converts the success value.)
fn returns_result(output: &ReturnType) -> bool {
    let ReturnType::Type(_, ty) = output else {
        return false;
    };
    matches!(&**ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Result"))
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
    // Lint levels apply to the registered function (where rustc reports
    // an endpoint never registered) and to the body (where the user's code
    // is); `expect` goes to the registered function only, or the body,
    // always used, would leave it unfulfilled.
    let is_lint = |a: &&syn::Attribute| {
        ["allow", "warn", "deny", "forbid", "expect"]
            .iter()
            .any(|lint| a.path().is_ident(lint))
    };
    let outer_attrs: Vec<_> = function.attrs.iter().filter(is_lint).collect();
    let other_attrs: Vec<_> = function
        .attrs
        .iter()
        .filter(|a| !a.path().is_ident("doc") && !a.path().is_ident("expect"))
        .collect();
    let inputs = &function.sig.inputs;
    let output = &function.sig.output;
    let block = &function.block;

    let specs = args::specs(args, attr.websocket);
    let decls = args::decls(args);
    // A plain `fn` runs on the blocking pool; a WebSocket session always
    // runs as a future; an `async fn` that never awaits is called in place.
    let blocking = function.sig.asyncness.is_none();
    let at_once = !blocking && !attr.websocket && at_once::never_awaits(function);
    let constructor = args::constructor(
        if at_once {
            "endpoint_at_once"
        } else {
            "endpoint"
        },
        args,
    );
    let types = args::types(args);
    let route_dependencies = attr.dependencies.iter().map(
        |provider| quote_spanned!(provider.span()=> ::fastrs::di::AnyProvider::new(::fastrs::di::IntoProvider::into_provider(#provider))),
    );

    let method = &attr.method;
    let path = &attr.path;
    // The status: the one given, else the response class's own (a
    // redirect's 307), else 200.
    let status = match (attr.status, &attr.response_class) {
        (Some(status), _) => quote!(#status),
        (None, Some(class)) => quote! {
            match <#class as ::fastrs::openapi::ResponseClass>::DEFAULT_STATUS {
                ::core::option::Option::Some(status) => status,
                ::core::option::Option::None => 200u16,
            }
        },
        (None, None) => quote!(200u16),
    };
    let tags = attr.tags.iter().map(|tag| match tag {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => quote!(#text),
        value => quote_spanned!(value.span()=> #value.as_str()),
    });
    let opt = |v: &Option<LitStr>| match v {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    };
    let summary = opt(&attr.summary);
    let response_description = opt(&attr.response_description);
    let operation_id = opt(&attr.operation_id);
    let description = match (&attr.description, route_description(&function.attrs)) {
        (Some(d), _) => quote!(::core::option::Option::Some(#d)),
        (None, Some(doc)) => quote!(::core::option::Option::Some(#doc)),
        (None, None) => quote!(::core::option::Option::None),
    };
    let deprecated = attr.deprecated;
    let include_in_schema = attr.include_in_schema;
    let returns = match output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => quote!(#ty),
    };
    let response_schema = match (&attr.response_model, &attr.response_class) {
        (Some(model), _) => quote! {
            #[allow(unused_imports)]
            use ::fastrs::openapi::{ViaJsonSchema as _, ViaNoSchema as _};
            (&&::fastrs::openapi::ModelSchema::<#model>::new()).model_schema(__fastrs_components)
        },
        (None, Some(class)) => quote! {
            <#class as ::fastrs::openapi::ResponseClass>::class_schema(__fastrs_components)
        },
        (None, None) => quote! {
            #[allow(unused_imports)]
            use ::fastrs::openapi::{ViaAnything as _, ViaResponseSchema as _};
            (&&::fastrs::openapi::Probe::<#returns>::new()).schema_of(__fastrs_components)
        },
    };
    let response_media = match &attr.response_class {
        Some(class) => quote_spanned! {class.span()=>
            <#class as ::fastrs::openapi::ResponseClass>::class_media()
        },
        None => quote! {
            #[allow(unused_imports)]
            use ::fastrs::openapi::{ViaAnything as _, ViaResponseSchema as _};
            (&&::fastrs::openapi::Probe::<#returns>::new()).media_of()
        },
    };
    // Text a default response class may claim: not when the endpoint
    // names its own class or model.
    let returns_text =
        if attr.response_class.is_some() || attr.response_model.is_some() || attr.websocket {
            quote!(false)
        } else {
            quote! {
                #[allow(unused_imports)]
                use ::fastrs::openapi::{ViaNoTextAnswer as _, ViaTextAnswer as _};
                (&&::fastrs::openapi::Probe::<#returns>::new()).is_text()
            }
        };
    let declared_responses = attr.responses.iter().map(declared_response);
    let status_expr = quote!(::fastrs::pipeline::status(#status));
    let openapi_extra = crate::attrs::json_fn(attr.openapi_extra.as_ref());
    let callbacks = attr.callbacks.iter().map(|callback| {
        quote_spanned! {callback.span()=>
            (|| ::fastrs::pipeline::endpoint_info(#callback)) as fn() -> ::fastrs::decl::EndpointInfo
        }
    });
    // A webhook, or a callback (its URL is a runtime expression): only
    // documented, never routed.
    let documents_only = attr.webhook || attr.path.value().starts_with("{$");
    let strict_content_type = match attr.strict_content_type {
        Some(strict) => quote!(::core::option::Option::Some(#strict)),
        None => quote!(::core::option::Option::None),
    };
    let hidden = format_ident!("__FastrsEndpoint_{}", name);
    let passed = args::passed_values(args);
    let vals = args::value_bindings(args);
    let call = if blocking {
        blocking_call(quote!(#hidden::call(#(#passed),*)))
    } else if at_once {
        quote!(#hidden::call(#(#passed),*))
    } else {
        quote!(#hidden::call(#(#passed),*).await)
    };
    let [unset, none, defaults] = attr.exclude.clone().map(|option| option.is_some());
    let include = match &attr.include_fields {
        Some((_, fields)) => quote!(::core::option::Option::Some(&[#(#fields),*])),
        None => quote!(::core::option::Option::None),
    };
    let exclude_fields = attr.exclude_fields.iter().flat_map(|(_, fields)| fields);
    let dump = quote! {
        ::fastrs::model::Dump {
            exclude_unset: #unset,
            exclude_none: #none,
            exclude_defaults: #defaults,
            include: #include,
            exclude: &[#(#exclude_fields),*],
        }
    };
    let respond = match &attr.response_model {
        // A WebSocket session: the function runs once the handshake is
        // answered; what it returns decides the close code. The session
        // owns the extracted values, so that an argument may borrow one
        // (`#[depends(p)] x: &T`).
        _ if attr.websocket => quote_spanned! {returns.span()=>
            ::fastrs::websocket::session(async move { #hidden::call(#(#passed),*).await })
        },
        // The class must be what the function sends: checked at the class,
        // which sends text (`String`) as itself.
        None if attr.response_class.is_some() => {
            let class = &attr.response_class;
            quote_spanned! {class.span()=>
                <#returns as ::fastrs::response::SendsAs<#class>>::send_as(#call, #status_expr)
            }
        }
        // Spanned at the return type: a type that is no response is reported there.
        None => quote_spanned! {returns.span()=>
            <#returns as ::fastrs::IntoResponse>::into_response_with_status(#call, #status_expr)
        },
        Some(model) if returns_result(output) => quote_spanned! {returns.span()=>
            match #call {
                ::core::result::Result::Ok(__fastrs_value) => {
                    ::fastrs::response::model_response::<#model, _>(&__fastrs_value, #status_expr, #dump)
                }
                ::core::result::Result::Err(__fastrs_error) => ::fastrs::IntoResponse::into_response(__fastrs_error),
            }
        },
        Some(model) => quote_spanned! {returns.span()=>
            ::fastrs::response::model_response::<#model, _>(&#call, #status_expr, #dump)
        },
    };

    // Spanned at the function's name: a future that is not `Send` is
    // reported there (with rustc's note at the `.await` that holds the
    // value), not at the attribute.
    // The user's own `fn` token: the item is theirs to the compiler, so
    // an endpoint never registered gets rustc's dead_code warning.
    let fn_token = &function.sig.fn_token;
    let handler = if at_once {
        quote_spanned! {name.span()=>
            |(#(#vals,)*): #types| #respond
        }
    } else {
        quote_spanned! {name.span()=>
            |(#(#vals,)*): #types| async move { #respond }
        }
    };
    let asyncness = (!at_once && !blocking).then(|| quote!(async));
    let construct = quote_spanned! {name.span()=>
        ::fastrs::pipeline::#constructor(
            &__FASTRS_OPERATION,
            ::std::vec![#(#route_dependencies),*],
            #(#decls,)*
            #handler,
        )
    };
    let body_tokens = quote! {
            #specs

            fn __fastrs_responses(
                __fastrs_components: &mut ::fastrs::model::Components,
            ) -> ::std::vec::Vec<::fastrs::openapi::ResponseDoc> {
                #[allow(unused_imports)]
                use ::fastrs::openapi::{ViaErrorResponses as _, ViaNoErrorResponses as _};
                let mut __fastrs_out = ::std::vec::Vec::new();
                #(#declared_responses)*
                ::std::iter::Extend::extend(&mut __fastrs_out, (&&::fastrs::openapi::Probe::<#returns>::new()).error_responses_of(__fastrs_components));
                __fastrs_out
            }

            fn __fastrs_answers(
                __fastrs_components: &mut ::fastrs::model::Components,
                __fastrs_status: u16,
            ) -> ::std::vec::Vec<::fastrs::openapi::ResponseDoc> {
                #[allow(unused_imports)]
                use ::fastrs::openapi::{ViaAnything as _, ViaResponseSchema as _};
                (&&::fastrs::openapi::Probe::<#returns>::new()).answers_of(__fastrs_components, __fastrs_status)
            }

            fn __fastrs_returns_text() -> bool {
                #returns_text
            }

            fn __fastrs_response_schema(
                __fastrs_components: &mut ::fastrs::model::Components,
            ) -> ::core::option::Option<::fastrs::serde_json::Value> {
                #response_schema
            }

            fn __fastrs_response_media() -> ::fastrs::decl::ResponseMedia {
                #response_media
            }

            static __FASTRS_OPERATION: ::fastrs::decl::Operation = ::fastrs::decl::Operation {
                method: ::fastrs::http::Method::#method,
                path: #path,
                name: #name_str,
                summary: #summary,
                description: #description,
                tags: &[#(#tags),*],
                status: #status,
                deprecated: #deprecated,
                operation_id: #operation_id,
                include_in_schema: #include_in_schema,
                response_schema: __fastrs_response_schema,
                response_media: __fastrs_response_media,
                response_description: #response_description,
                responses: __fastrs_responses,
                answers: __fastrs_answers,
                returns_text: __fastrs_returns_text,
                openapi_extra: #openapi_extra,
                callbacks: &[#(#callbacks),*],
                documents_only: #documents_only,
                strict_content_type: #strict_content_type,
            };

            #construct
    };
    // The body's braces are the user's: with the user's `fn` token, the
    // item is theirs to the compiler.
    let mut body = proc_macro2::Group::new(proc_macro2::Delimiter::Brace, body_tokens);
    body.set_span(function.block.brace_token.span.join());
    #[cfg(feature = "client")]
    let typed_call = client::typed_call(attr, function, args, &returns, documents_only);
    #[cfg(not(feature = "client"))]
    let typed_call = TokenStream::new();
    quote! {
        #typed_call

        #(#doc_attrs)*
        ///
        /// (An endpoint: register it with `App::route`.)
        #(#outer_attrs)*
        #vis #fn_token #name() -> ::fastrs::pipeline::RouteEndpoint #body

        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #hidden;

        impl #hidden {
            #(#other_attrs)*
            #asyncness fn call(#inputs) #output #block
        }
    }
}

/// The statements that add one item of `responses = [...]` to
/// `__fastrs_out` (in the generated `__fastrs_responses`).
fn declared_response(item: &attr::ResponseItem) -> TokenStream {
    match item {
        attr::ResponseItem::Shared(shared) => quote_spanned! {shared.span()=>
            ::std::iter::Extend::extend(
                &mut __fastrs_out,
                ::core::iter::IntoIterator::into_iter(#shared).map(|__fastrs_r: &::fastrs::openapi::ResponseDecl| __fastrs_r.doc(__fastrs_components)),
            );
        },
        attr::ResponseItem::One {
            status,
            description,
            model,
            media_type,
            examples,
        } => {
            let description = match description {
                Some(d) => quote!(#d),
                None => quote!(""),
            };
            let mut doc = match model {
                Some(model) => quote! {
                    ::fastrs::openapi::ResponseDoc::json::<#model>(#status, #description, __fastrs_components)
                },
                None => quote!(::fastrs::openapi::ResponseDoc::new(#status, #description)),
            };
            if let Some(media_type) = media_type {
                doc = quote!(#doc.also_media_type(#media_type));
            }
            for (key, value) in examples {
                doc = quote!(#doc.#key(::fastrs::serde_json::json!(#value)));
            }
            quote!(__fastrs_out.push(#doc);)
        }
    }
}
