//! `#[dependency]`: a provider from an `async fn` or from a struct of
//! parameters (FastAPI's `Depends(function)` and `Depends(Class)`).
//!
//! On `async fn name(args) -> R` it emits `fn name()` returning a hidden
//! unit struct that implements `fastrs::di::Provider` (its arguments are
//! declared exactly as an endpoint's, see `crate::args`, and read by the
//! runtime's `fastrs::pipeline::provider`, which both `info` and `provide`
//! reach through one generated function), and an impl of
//! `fastrs::di::Dependency<Marker>` for the provided type, so that
//! `Depends<T>` finds `name` by type. `R` may be `T`, `Yield<T>` (cleanup),
//! `Result<T, E>` or `Result<Yield<T>, E>`; a provider returning `()` is
//! used through `dependencies = [name]` only.
//!
//! On a struct, the fields are the arguments and the struct is the value.
//!
//! Options: `scope = "request"` (default), `"app"` or `"transient"`; and
//! `for_override`, for a replacement given to `App::dependency_override`
//! (not registered as the provider of its type, so both can coexist).

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::{
    GenericArgument, Ident, Item, ItemFn, ItemStruct, LitStr, PathArguments, ReturnType, Token,
    Type,
};

use crate::args::{self, take_param_attr, Arg};

use crate::endpoint::{never_awaits, signature_args, with_item};

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
                    field.attrs.retain(|a| !a.path().is_ident("param"));
                }
                quote!(#e #item)
            }
        },
        other => {
            let e =
                syn::Error::new_spanned(&other, "#[dependency] goes on an async fn or a struct")
                    .to_compile_error();
            quote!(#e #other)
        }
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
    provider: &Ident,
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
    let vals = args::value_idents(arguments);
    let marker = format_ident!("__FastrsProvides_{}", name);
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
    let key = if is_unit(output) || attr.for_override {
        quote!()
    } else {
        quote! {
            #[doc(hidden)]
            #[allow(non_camel_case_types)]
            pub struct #marker;
            impl ::fastrs::di::Dependency<#marker> for #output {
                fn provider_id() -> ::core::any::TypeId {
                    ::core::any::TypeId::of::<#provider>()
                }
                fn scope() -> ::fastrs::decl::Scope {
                    ::fastrs::decl::Scope::#scope
                }
                fn provider_info() -> ::fastrs::decl::ProviderInfo {
                    ::fastrs::di::Provider::info(&#provider)
                }
                fn reads_at_once() -> bool {
                    ::fastrs::di::Provider::reads_at_once(&#provider)
                }
                fn provide<'a>(
                    __fastrs_cx: &'a mut ::fastrs::extract::RequestContext,
                    __fastrs_errors: &'a mut ::fastrs::model::ValidationErrors,
                ) -> impl ::core::future::Future<Output = ::fastrs::di::Provided<Self>>
                       + ::core::marker::Send + 'a {
                    ::fastrs::di::Provider::provide(&#provider, __fastrs_cx, __fastrs_errors)
                }
            }
        }
    };
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

            impl ::fastrs::di::Provider for #provider {
                type Output = #output;

                fn scope(&self) -> ::fastrs::decl::Scope {
                    ::fastrs::decl::Scope::#scope
                }

                fn info(&self) -> ::fastrs::decl::ProviderInfo {
                    ::fastrs::pipeline::ProviderPipe::info(
                        &__fastrs_pipeline(),
                        ::core::any::TypeId::of::<Self>(),
                    )
                }

                fn reads_at_once(&self) -> bool {
                    ::fastrs::pipeline::ProviderPipe::reads_at_once(&__fastrs_pipeline())
                }

                fn provide<'a>(
                    &'a self,
                    __fastrs_cx: &'a mut ::fastrs::extract::RequestContext,
                    __fastrs_errors: &'a mut ::fastrs::model::ValidationErrors,
                ) -> impl ::core::future::Future<Output = ::fastrs::di::Provided<Self::Output>>
                       + ::core::marker::Send + 'a {
                    ::fastrs::pipeline::ProviderPipe::provide(
                        __fastrs_pipeline(),
                        __fastrs_cx,
                        __fastrs_errors,
                    )
                }
            }
        };
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
    let vals = args::value_idents(&arguments);
    let hidden = format_ident!("__FastrsProvider_{}", name);
    // A `Yield`'s cleanup may wait before the response: such a provider
    // is never resolved in place.
    let (provided, convert, cleans_up) = match returns(output) {
        Returns::Plain(t) => (t, quote!(::fastrs::di::Provided::value), false),
        Returns::Yield(t) => (t, quote!(::fastrs::di::Provided::with_cleanup), true),
        Returns::Result(t) => (t, quote!(::fastrs::di::Provided::result), false),
        Returns::ResultYield(t) => (t, quote!(::fastrs::di::Provided::result_with_cleanup), true),
    };
    let waits = cleans_up || !never_awaits(&function);
    let call = quote!(#convert(#hidden::call(#(#vals),*).await));
    let impls = provider_impls(
        &hidden,
        &name.to_string(),
        name.span(),
        &provided,
        attr,
        &arguments,
        call,
        waits,
    );
    quote! {
        #(#doc_attrs)*
        ///
        /// (A dependency provider: `Depends` finds it by the type it provides.)
        #[allow(dead_code)]
        #vis fn #name() -> #hidden {
            #hidden
        }

        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, Default)]
        #vis struct #hidden;

        /// The function's name as a type, for one purpose: `Depends<#name>`
        /// (FastAPI's `Depends(get_db)`) reaches fastrs's "name the type it
        /// provides" advice instead of rustc's "not a type".
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #name {}

        impl #hidden {
            #(#other_attrs)*
            async fn call(#inputs) #output #block
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
        let param = take_param_attr(&mut field.attrs, "param", &mut errors);
        let ident = field.ident.clone().expect("named field");
        arguments.push(Arg {
            ident,
            ty: field.ty.clone(),
            attr: param,
        });
    }
    if let Some(e) = errors {
        return Err(e);
    }
    let name = &item.ident;
    let provider = format_ident!("__FastrsProvider_{}", name);
    let field_idents: Vec<_> = arguments.iter().map(|a| &a.ident).collect();
    let vals = args::value_idents(&arguments);
    let call = quote!(::fastrs::di::Provided::value(#name { #(#field_idents: #vals),* }));
    let output: Type = syn::parse_quote!(#name);
    let impls = provider_impls(
        &provider,
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
