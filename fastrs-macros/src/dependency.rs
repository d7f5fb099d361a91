//! `#[dependency]`: a provider from a function, a struct of parameters, or
//! a configured value (FastAPI's `Depends(function)`, `Depends(Class)` and
//! `Depends(instance)`).
//!
//! On `async fn name(args) -> R` (or a plain `fn`, called on the blocking
//! pool) it emits the function as `fn name()` returning a type of the same
//! name, `struct name {}`, which implements `fastrs::di::Provider` and
//! `StaticProvider` (its arguments are declared exactly as an endpoint's,
//! see `crate::args`, and read by the runtime's `fastrs::pipeline::provider`,
//! which both `info` and `provide` reach through one generated function),
//! `ProviderOf<T, Named>` so that `Depends<T, name>` names it, and
//! `Dependency<name>` for the provided type so that `Depends<T>` finds it
//! by type. `R` may be `T`, `Yield<T>` (cleanup), `Result<T, E>` or
//! `Result<Yield<T>, E>`; a provider returning `()` is used through
//! `dependencies = [name]` only.
//!
//! On a struct, the fields are the arguments and the struct is the value.
//! On `impl Type { fn call(&self, args) -> R }`, `Type` becomes a
//! `ConfiguredProvider`; on `static NAME: Type = value;`, the value
//! becomes a provider of its own, whose type is named `NAME` too.
//!
//! Options: `scope = "request"` (default), `"app"` or `"transient"`; and
//! `for_override`, for a replacement given to `App::dependency_override`
//! (not registered as the provider of its type, so both can coexist).

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::{
    GenericArgument, Ident, ImplItem, Item, ItemFn, ItemImpl, ItemStatic, ItemStruct, LitStr,
    PathArguments, ReturnType, Token, Type,
};

use crate::args::{self, take_depends_attr, take_param_attr, Arg};

use crate::endpoint::{blocking_call, never_awaits, signature_args, with_item};

struct DependencyAttr {
    scope: Ident,
    /// `for_override`: a replacement for `App::dependency_override`, not
    /// registered as the provider of its type.
    for_override: bool,
}

impl Default for DependencyAttr {
    fn default() -> Self {
        DependencyAttr {
            scope: Ident::new("Request", proc_macro2::Span::call_site()),
            for_override: false,
        }
    }
}

impl Parse for DependencyAttr {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut scope = Ident::new("Request", proc_macro2::Span::call_site());
        let mut for_override = false;
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            if key == "for_override" {
                for_override = true;
                if !input.is_empty() {
                    input.parse::<Token![,]>()?;
                }
                continue;
            }
            if key != "scope" {
                return Err(syn::Error::new(
                    key.span(),
                    "unknown #[dependency] option; the options are scope = \"request\" | \"app\" | \"transient\", and for_override",
                ));
            }
            input.parse::<Token![=]>()?;
            let value: LitStr = input.parse()?;
            scope = match value.value().as_str() {
                "request" => Ident::new("Request", value.span()),
                "app" => Ident::new("App", value.span()),
                "transient" => Ident::new("Transient", value.span()),
                _ => {
                    return Err(syn::Error::new(
                        value.span(),
                        "scope is \"request\", \"app\" or \"transient\"",
                    ))
                }
            };
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(DependencyAttr {
            scope,
            for_override,
        })
    }
}

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item: Item = match syn::parse2(item) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let attr = syn::parse2::<DependencyAttr>(attr);
    match item {
        // A bad option is reported, and the provider is made with the
        // defaults, so that its users see no error of their own.
        Item::Fn(function) => match attr {
            Ok(attr) => function_provider(&attr, function),
            Err(e) => {
                let error = e.to_compile_error();
                let provider = function_provider(&DependencyAttr::default(), function);
                quote!(#error #provider)
            }
        },
        Item::Struct(item) => match attr.and_then(|attr| struct_provider(&attr, item.clone())) {
            Ok(tokens) => tokens,
            Err(e) => {
                let e = e.to_compile_error();
                let mut item = item;
                for field in item.fields.iter_mut() {
                    args::strip_attrs(&mut field.attrs);
                }
                quote!(#e #item)
            }
        },
        Item::Impl(block) => match attr.and_then(|attr| configured_type(&attr, block.clone())) {
            Ok(tokens) => tokens,
            Err(e) => {
                // The block as written, minus the argument attributes, so
                // that the only errors are ours.
                let e = e.to_compile_error();
                let mut block = block;
                for item in block.items.iter_mut() {
                    if let ImplItem::Fn(f) = item {
                        args::strip_argument_attrs(f.sig.inputs.iter_mut());
                    }
                }
                quote!(#e #block)
            }
        },
        Item::Static(value) => match attr.and_then(|_| configured_value(&value)) {
            Ok(tokens) => tokens,
            Err(e) => {
                let e = e.to_compile_error();
                quote!(#e #value)
            }
        },
        other => {
            let e = syn::Error::new_spanned(
                &other,
                "#[dependency] goes on a fn, a struct, an impl block with a `call(&self, ...)` method, or a static of such a type",
            )
            .to_compile_error();
            quote!(#e #other)
        }
    }
}

/// The visibility, inside the provider's own module, that is `vis` outside
/// it: the provider type is exactly as visible as the function or static
/// it is made of (no more, so that a private value type stays private).
fn inner_visibility(vis: &syn::Visibility) -> TokenStream {
    match vis {
        syn::Visibility::Inherited => quote!(pub(super)),
        syn::Visibility::Restricted(r) if r.path.is_ident("self") => quote!(pub(super)),
        syn::Visibility::Restricted(r) if r.path.is_ident("super") => quote!(pub(in super::super)),
        other => quote!(#other),
    }
}

/// How a provider function's return value becomes `Provided<T>`.
enum Returns {
    Plain(Type),
    Yield(Type),
    Result(Type),
    ResultYield(Type),
}

fn first_type_arg(ty: &Type, name: &str) -> Option<Type> {
    let Type::Path(p) = ty else { return None };
    let segment = p.path.segments.last().filter(|s| s.ident == name)?;
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

fn returns(output: &ReturnType) -> Returns {
    let ty: Type = match output {
        ReturnType::Default => syn::parse_quote!(()),
        ReturnType::Type(_, ty) => (**ty).clone(),
    };
    if let Some(ok) = first_type_arg(&ty, "Result") {
        return match first_type_arg(&ok, "Yield") {
            Some(inner) => Returns::ResultYield(inner),
            None => Returns::Result(ok),
        };
    }
    match first_type_arg(&ty, "Yield") {
        Some(inner) => Returns::Yield(inner),
        None => Returns::Plain(ty),
    }
}

fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(t) if t.elems.is_empty())
}

/// The `Provider` impl and the `Dependency` key, shared by both forms.
/// `call` builds the `Provided<T>` from the argument values
/// `__fastrs_a0, ...` (an `.await`ed expression); `waits` is false when
/// it is ready at once (a function that never awaits and returns no
/// `Yield`, or a struct).
#[allow(clippy::too_many_arguments)]
fn provider_impls(
    provider: &TokenStream,
    name: &str,
    span: proc_macro2::Span,
    output: &Type,
    attr: &DependencyAttr,
    arguments: &[Arg],
    call: TokenStream,
    waits: bool,
) -> TokenStream {
    let specs = args::specs(arguments, false);
    let decls = args::decls(arguments);
    let constructor = args::constructor("provider", arguments);
    let types = args::types(arguments);
    let vals = args::value_bindings(arguments);
    // Spanned at the provider's name: a future that is not `Send` is
    // reported there (with rustc's note at the `.await`), not at the
    // attribute.
    let construct = quote_spanned! {span=>
        ::fastrs::pipeline::#constructor(
            &__FASTRS_PROVIDER,
            #(#decls,)*
            |(#(#vals,)*): #types| async move { #call },
        )
    };
    let scope = &attr.scope;
    // Spanned at the provider's name: when two providers give one type,
    // rustc's note on an ambiguous `Depends<T>` lists them by their names.
    let key = if is_unit(output) || attr.for_override {
        quote!()
    } else {
        quote_spanned! {span=>
            impl ::fastrs::di::Dependency<#provider> for #output {
                type Provider = #provider;
            }
        }
    };
    let provider_impl = provider_type_impl(
        provider,
        &quote!(#output),
        quote!(::fastrs::decl::Scope::#scope),
        quote!(__fastrs_pipeline()),
        None,
    );
    quote! {
        const _: () = {
            #specs

            static __FASTRS_PROVIDER: ::fastrs::decl::ProviderDecl = ::fastrs::decl::ProviderDecl {
                name: #name,
                scope: ::fastrs::decl::Scope::#scope,
                waits: #waits,
            };

            fn __fastrs_pipeline() -> impl ::fastrs::pipeline::ProviderPipe<Output = #output> {
                #construct
            }

            #key

            #provider_impl
        };
    }
}

/// The `StaticProvider` and `Provider` impls of the unit-like provider
/// type `provider`, whose pipeline is the expression `pipeline` (made anew
/// at each use: it is declarations and a closure, no state), scope
/// `scope` and value `output`; `name` replaces the declared name in its
/// info (a configured static is known by the static's name).
fn provider_type_impl(
    provider: &TokenStream,
    output: &TokenStream,
    scope: TokenStream,
    pipeline: TokenStream,
    name: Option<&str>,
) -> TokenStream {
    let info = match name {
        Some(name) => quote! {
            ::fastrs::decl::ProviderInfo {
                name: #name,
                ..::fastrs::pipeline::ProviderPipe::info(&#pipeline, ::core::any::TypeId::of::<Self>())
            }
        },
        None => quote! {
            ::fastrs::pipeline::ProviderPipe::info(&#pipeline, ::core::any::TypeId::of::<Self>())
        },
    };
    quote! {
        impl ::fastrs::di::StaticProvider for #provider {
            fn instance() -> &'static Self {
                &#provider {}
            }

            fn instance_value() -> Self {
                #provider {}
            }
        }

        impl ::fastrs::di::Provider for #provider {
            type Output = #output;

            fn scope(&self) -> ::fastrs::decl::Scope {
                #scope
            }

            fn info(&self) -> ::fastrs::decl::ProviderInfo {
                #info
            }

            fn reads_at_once(&self) -> bool {
                ::fastrs::pipeline::ProviderPipe::reads_at_once(&#pipeline)
            }

            fn provide<'a>(
                &'a self,
                __fastrs_cx: &'a mut ::fastrs::extract::RequestContext,
                __fastrs_errors: &'a mut ::fastrs::model::ValidationErrors,
            ) -> impl ::core::future::Future<Output = ::fastrs::di::Provided<Self::Output>>
                   + ::core::marker::Send + 'a {
                ::fastrs::pipeline::ProviderPipe::provide(#pipeline, __fastrs_cx, __fastrs_errors)
            }
        }
    }
}

/// How a provider function is called: the type it provides, the call
/// (an expression giving `Provided<T>`), and whether it may wait.
struct ProviderCall {
    provided: Type,
    call: TokenStream,
    waits: bool,
}

/// The call of `function` as `called` (the function applied to the
/// argument values): awaited for an `async fn`, on the blocking pool for a
/// plain `fn` (as FastAPI runs a `def`), its value made a `Provided<T>`
/// as its return type says.
fn provider_call(function: &ItemFn, called: TokenStream) -> ProviderCall {
    // A `Yield`'s cleanup may wait before the response: such a provider
    // is never resolved in place.
    let (provided, convert, cleans_up) = match returns(&function.sig.output) {
        Returns::Plain(t) => (t, quote!(::fastrs::di::Provided::value), false),
        Returns::Yield(t) => (t, quote!(::fastrs::di::Provided::with_cleanup), true),
        Returns::Result(t) => (t, quote!(::fastrs::di::Provided::result), false),
        Returns::ResultYield(t) => (t, quote!(::fastrs::di::Provided::result_with_cleanup), true),
    };
    let blocking = function.sig.asyncness.is_none();
    let call = if blocking {
        let called = blocking_call(called);
        quote!(#convert(#called))
    } else {
        quote!(#convert(#called.await))
    };
    ProviderCall {
        provided,
        call,
        waits: blocking || cleans_up || !never_awaits(function),
    }
}

fn function_provider(attr: &DependencyAttr, mut function: ItemFn) -> TokenStream {
    let mut errors = None;
    let arguments = signature_args(&mut function, &[], "a dependency", &mut errors);
    if let Some(e) = errors {
        return with_item(e, function);
    }
    let vis = &function.vis;
    let name = &function.sig.ident;
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
    let passed = args::passed_values(&arguments);
    // The provider's type lives in a module of its own, so that the
    // function's name is free for the type `Named<...>` that names it.
    let module = format_ident!("__fastrs_{}", name);
    let provider = quote!(#module::#name);
    let ProviderCall {
        provided,
        call,
        waits,
    } = provider_call(&function, quote!(#provider::call(#(#passed),*)));
    let asyncness = function.sig.asyncness;
    let impls = provider_impls(
        &provider,
        &name.to_string(),
        name.span(),
        &provided,
        attr,
        &arguments,
        call,
        waits,
    );
    let fn_note = format!(
        " (A dependency provider: `Depends<T, {name}>` names it, and `Depends<T>` finds it when it is the one provider of `T`.)"
    );
    let type_note =
        format!(" (The provider's name in types: `Depends<T, {name}>`, `#[depends({name})]`.)");
    let inner_vis = inner_visibility(vis);
    quote! {
        #(#doc_attrs)*
        ///
        #[doc = #fn_note]
        #[allow(dead_code)]
        #vis fn #name() -> #provider {
            #provider {}
        }

        #(#doc_attrs)*
        ///
        #[doc = #type_note]
        #[allow(non_camel_case_types)]
        #vis type #name = ::fastrs::di::Named<#provider>;

        #[doc(hidden)]
        #[allow(non_snake_case)]
        #vis mod #module {
            /// The provider.
            #[allow(non_camel_case_types)]
            #[derive(Debug, Clone, Copy, Default)]
            #inner_vis struct #name {}
        }

        impl #provider {
            #(#other_attrs)*
            #asyncness fn call(#inputs) #output #block
        }

        #impls
    }
}

fn struct_provider(attr: &DependencyAttr, mut item: ItemStruct) -> syn::Result<TokenStream> {
    if !item.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &item.generics,
            "a #[dependency] struct cannot be generic",
        ));
    }
    let syn::Fields::Named(fields) = &mut item.fields else {
        return Err(syn::Error::new_spanned(
            &item.ident,
            "a #[dependency] struct needs named fields",
        ));
    };
    let mut errors = None;
    let mut arguments = Vec::new();
    for field in fields.named.iter_mut() {
        let mut param = take_param_attr(&mut field.attrs, "param", &mut errors);
        let depends = take_depends_attr(&mut field.attrs, &field.ty, &mut param, &mut errors);
        let ident = field.ident.clone().expect("named field");
        arguments.push(Arg {
            ident,
            ty: field.ty.clone(),
            attr: param,
            depends,
        });
    }
    if let Some(e) = errors {
        return Err(e);
    }
    let name = &item.ident;
    let provider = format_ident!("__FastrsProvider_{}", name);
    let field_idents: Vec<_> = arguments.iter().map(|a| &a.ident).collect();
    let passed = args::passed_values(&arguments);
    let call = quote!(::fastrs::di::Provided::value(#name { #(#field_idents: #passed),* }));
    let output: Type = syn::parse_quote!(#name);
    let impls = provider_impls(
        &quote!(#provider),
        &name.to_string(),
        name.span(),
        &output,
        attr,
        &arguments,
        call,
        false,
    );
    Ok(quote! {
        #item

        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, Default)]
        pub struct #provider;

        #impls
    })
}

/// `#[dependency] impl Type { fn call(&self, args) -> R }`: `Type` becomes
/// a `ConfiguredProvider`, whose values (statics marked `#[dependency]`)
/// are providers. `call`'s arguments are read as a function provider's;
/// `self` is the configuration.
fn configured_type(attr: &DependencyAttr, mut block: ItemImpl) -> syn::Result<TokenStream> {
    if !block.generics.params.is_empty() || block.trait_.is_some() {
        return Err(syn::Error::new_spanned(
            &block.self_ty,
            "#[dependency] goes on an inherent impl of a type that is not generic",
        ));
    }
    let self_ty = block.self_ty.clone();
    let call = block.items.iter_mut().find_map(|item| match item {
        ImplItem::Fn(f) if f.sig.ident == "call" => Some(f),
        _ => None,
    });
    let Some(call) = call else {
        return Err(syn::Error::new_spanned(
            &self_ty,
            "#[dependency] on an impl block needs a method `fn call(&self, ...)` that provides the value",
        ));
    };
    let has_self_ref = matches!(
        call.sig.inputs.first(),
        Some(syn::FnArg::Receiver(r)) if r.reference.is_some() && r.mutability.is_none()
    );
    if !has_self_ref {
        return Err(syn::Error::new_spanned(
            &call.sig,
            "a configured provider's `call` takes `&self` first: the configuration",
        ));
    }
    // The arguments after `&self`, read as a function provider's.
    let mut function = ItemFn {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        sig: call.sig.clone(),
        block: Box::new(call.block.clone()),
    };
    function.sig.inputs = function.sig.inputs.into_iter().skip(1).collect();
    let mut errors = None;
    let arguments = signature_args(&mut function, &[], "a dependency", &mut errors);
    if let Some(e) = errors {
        return Err(e);
    }
    // The method keeps its receiver, without the argument attributes.
    args::strip_argument_attrs(call.sig.inputs.iter_mut());
    let passed = args::passed_values(&arguments);
    let ProviderCall {
        provided,
        call,
        waits,
    } = provider_call(
        &function,
        quote!(<#self_ty>::call(__fastrs_this, #(#passed),*)),
    );
    let name = match &*self_ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .map_or_else(String::new, |s| s.ident.to_string()),
        _ => String::new(),
    };
    let specs = args::specs(&arguments, false);
    let decls = args::decls(&arguments);
    let constructor = args::constructor("provider", &arguments);
    let types = args::types(&arguments);
    let vals = args::value_bindings(&arguments);
    let scope = &attr.scope;
    Ok(quote! {
        #block

        const _: () = {
            #specs

            static __FASTRS_PROVIDER: ::fastrs::decl::ProviderDecl = ::fastrs::decl::ProviderDecl {
                name: #name,
                scope: ::fastrs::decl::Scope::#scope,
                waits: #waits,
            };

            impl ::fastrs::pipeline::ConfiguredProvider for #self_ty {
                type Output = #provided;

                fn scope() -> ::fastrs::decl::Scope {
                    ::fastrs::decl::Scope::#scope
                }

                fn pipeline(
                    __fastrs_this: &'static Self,
                ) -> impl ::fastrs::pipeline::ProviderPipe<Output = #provided> {
                    ::fastrs::pipeline::#constructor(
                        &__FASTRS_PROVIDER,
                        #(#decls,)*
                        move |(#(#vals,)*): #types| async move { #call },
                    )
                }
            }
        };
    })
}

/// `#[dependency] static NAME: Type = value;` with `Type` a configured
/// provider: the value becomes a provider of its own, named `NAME` in
/// types too (`Depends<T, NAME>`, `#[depends(NAME)]`). The static is given
/// the type `Configured<provider, Type>`, which derefs to the value, so
/// that `&NAME` names the provider where one is given (overrides).
fn configured_value(value: &ItemStatic) -> syn::Result<TokenStream> {
    if !matches!(value.mutability, syn::StaticMutability::None) {
        return Err(syn::Error::new_spanned(
            &value.mutability,
            "a configured provider is an immutable static",
        ));
    }
    let name = &value.ident;
    let vis = &value.vis;
    let ty = &value.ty;
    let expr = &value.expr;
    let attrs = &value.attrs;
    let name_str = name.to_string();
    let module = format_ident!("__fastrs_{}", name);
    let provider = quote!(#module::#name);
    let output = quote!(<#ty as ::fastrs::pipeline::ConfiguredProvider>::Output);
    let note = format!(" (The provider `{name_str}` in types: `Depends<T, {name_str}>`.)");
    let this = quote!(::core::ops::Deref::deref(&#name));
    let inner_vis = inner_visibility(vis);
    let provider_impl = provider_type_impl(
        &provider,
        &output,
        quote!(<#ty as ::fastrs::pipeline::ConfiguredProvider>::scope()),
        quote!(<#ty as ::fastrs::pipeline::ConfiguredProvider>::pipeline(#this)),
        Some(&name_str),
    );
    Ok(quote! {
        #(#attrs)*
        #vis static #name: ::fastrs::di::Configured<#provider, #ty> =
            ::fastrs::di::Configured::new(#expr);

        #[doc = #note]
        #[allow(non_camel_case_types)]
        #vis type #name = ::fastrs::di::Named<#provider>;

        #[doc(hidden)]
        #[allow(non_snake_case)]
        #vis mod #module {
            /// The provider.
            #[allow(non_camel_case_types)]
            #[derive(Debug, Clone, Copy, Default)]
            #inner_vis struct #name {}
        }

        const _: () = {
            #provider_impl
        };
    })
}
