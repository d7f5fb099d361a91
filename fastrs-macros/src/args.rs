//! Arguments of endpoints and providers: their `#[param]` options, their
//! `static ParamSpec`s, and the declarations handed to the runtime pipeline.
//!
//! Shared by `#[endpoint]` and `#[dependency]`, so that a provider's
//! arguments are exactly what an endpoint can take. Nothing here looks at
//! how a type is spelled: what an argument is (a dependency, a parameter, the
//! body) is decided by the runtime, from the type's `FromRequest` impl. The
//! macros only write down names, options and types.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, LitStr, Type};

use crate::attrs::{AttrKind, ParamAttr};

/// One argument as written.
pub(crate) struct Arg {
    pub ident: syn::Ident,
    pub ty: Type,
    pub attr: ParamAttr,
    /// `#[depends(provider)]`: the value of a named provider, taken as
    /// the value itself, a reference to it or a mutable one.
    pub depends: Option<DependsAttr>,
}

/// `#[depends(provider, options)]` on an argument: FastAPI's
/// `Depends(provider)`, the argument's type being the value's.
pub(crate) struct DependsAttr {
    /// The provider, a `#[dependency]` function (its type has its name).
    pub provider: syn::Path,
    /// How the handler takes the value.
    pub form: ValueForm,
    /// The value's type (`T` of `T`, `&T`, `&mut T`).
    pub value: Type,
}

/// How an argument with `#[depends]` takes the provider's value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueForm {
    /// `T`: moved out when no one else in the request uses it, else cloned.
    Owned,
    /// `&T`.
    Shared,
    /// `&mut T`: the value lent to this argument alone (`DependsMut`).
    Exclusive,
}

impl Arg {
    /// The type the pipeline reads: the argument's, or for `#[depends]`
    /// the `Depends` (or `DependsMut`) of the named provider.
    pub(crate) fn extracted_type(&self) -> TokenStream {
        match &self.depends {
            None => {
                let ty = &self.ty;
                quote!(#ty)
            }
            Some(d) => {
                let (value, provider) = (&d.value, &d.provider);
                let holder = match d.form {
                    ValueForm::Exclusive => quote!(DependsMut),
                    ValueForm::Owned | ValueForm::Shared => quote!(Depends),
                };
                quote_spanned!(self.ty.span()=> ::fastrs::di::#holder<#value, #provider>)
            }
        }
    }

    /// The argument's name, without a raw identifier's `r#`.
    pub(crate) fn name(&self) -> String {
        let name = self.ident.to_string();
        name.strip_prefix("r#").unwrap_or(&name).to_owned()
    }

    /// The name on the wire: the `alias`, else the argument name.
    pub(crate) fn wire_name(&self) -> String {
        self.attr
            .alias
            .as_ref()
            .map_or_else(|| self.name(), LitStr::value)
    }
}

/// Removes the argument attributes (`#[param]`, `#[depends]`) from every
/// argument of `inputs`: what is left of a function the macros could not
/// read, so that the only errors the user sees are ours.
pub(crate) fn strip_argument_attrs<'a>(inputs: impl IntoIterator<Item = &'a mut syn::FnArg>) {
    for input in inputs {
        if let syn::FnArg::Typed(typed) = input {
            strip_attrs(&mut typed.attrs);
        }
    }
}

/// Removes `#[param]` and `#[depends]` from `attrs` (an argument's or a
/// field's).
pub(crate) fn strip_attrs(attrs: &mut Vec<Attribute>) {
    attrs.retain(|a| !a.path().is_ident("param") && !a.path().is_ident("depends"));
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
        let kind = if attr_name == "field" {
            AttrKind::Field
        } else {
            AttrKind::Param
        };
        match ParamAttr::parse_attr(a, kind) {
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

/// The identifiers of the extracted values, `__fastrs_a0`, ...
pub(crate) fn value_idents(args: &[Arg]) -> Vec<syn::Ident> {
    (0..args.len())
        .map(|i| format_ident!("__fastrs_a{}", i))
        .collect()
}

fn spec_ident(i: usize) -> syn::Ident {
    format_ident!("__FASTRS_P{}", i)
}

/// What the function is called with: each extracted value, or for a
/// `#[depends]` argument the value (`Depends::into_inner`), a reference
/// or a mutable reference to it.
pub(crate) fn passed_values(args: &[Arg]) -> Vec<TokenStream> {
    value_idents(args)
        .into_iter()
        .zip(args)
        .map(|(value, arg)| match arg.depends.as_ref().map(|d| d.form) {
            None => quote!(#value),
            Some(ValueForm::Owned) => {
                quote_spanned!(arg.ty.span()=> ::fastrs::di::Depends::into_inner(#value))
            }
            Some(ValueForm::Shared) => quote!(&*#value),
            Some(ValueForm::Exclusive) => quote!(&mut *#value),
        })
        .collect()
}

/// The bindings of the extracted values in the handler's closure: `mut`
/// for a value lent as `&mut`.
pub(crate) fn value_bindings(args: &[Arg]) -> Vec<TokenStream> {
    value_idents(args)
        .into_iter()
        .zip(args)
        .map(|(value, arg)| match arg.depends.as_ref().map(|d| d.form) {
            Some(ValueForm::Exclusive) => quote!(mut #value),
            _ => quote!(#value),
        })
        .collect()
}

/// Takes `#[depends(provider, use_cache = false, scopes = [...])]` off
/// `attrs`, with the argument's type `ty`; its options go to `param`.
pub(crate) fn take_depends_attr(
    attrs: &mut Vec<Attribute>,
    ty: &Type,
    param: &mut ParamAttr,
    errors: &mut Option<syn::Error>,
) -> Option<DependsAttr> {
    let mut found = None;
    attrs.retain(|a| {
        if !a.path().is_ident("depends") {
            return true;
        }
        match a.parse_args_with(|input: syn::parse::ParseStream| {
            let provider: syn::Path = input.parse()?;
            if !input.is_empty() {
                input.parse::<syn::Token![,]>()?;
            }
            param.depends_options(input)?;
            Ok(provider)
        }) {
            Ok(provider) => {
                let (form, value) = match ty {
                    // A `&'static T` is the value itself (a provider of
                    // `&'static str`), never a borrow of it.
                    Type::Reference(r)
                        if r.lifetime.as_ref().is_some_and(|l| l.ident == "static") =>
                    {
                        (ValueForm::Owned, ty.clone())
                    }
                    Type::Reference(r) if r.mutability.is_some() => {
                        (ValueForm::Exclusive, (*r.elem).clone())
                    }
                    Type::Reference(r) => (ValueForm::Shared, (*r.elem).clone()),
                    other => (ValueForm::Owned, other.clone()),
                };
                found = Some(DependsAttr {
                    provider,
                    form,
                    value,
                })
            }
            Err(e) => push(errors, e),
        }
        false
    });
    found
}

/// The `static ParamSpec` of every argument, and the checks that its
/// constraints can apply to its type.
pub(crate) fn specs(args: &[Arg], websocket_route: bool) -> TokenStream {
    let statics = spec_statics(args, websocket_route);
    let checks = args
        .iter()
        .filter(|arg| arg.depends.is_none())
        .map(|arg| arg.attr.applicability(&arg.ty));
    quote!(#statics #(#checks)*)
}

/// The arguments' `static ParamSpec`s, `__FASTRS_P0`, ...
pub(crate) fn spec_statics(args: &[Arg], websocket_route: bool) -> TokenStream {
    let statics = args
        .iter()
        .enumerate()
        .map(|(i, arg)| spec(&spec_ident(i), arg, websocket_route));
    quote!(#(#statics)*)
}

/// References to the arguments' specs, `&__FASTRS_P0, ...`.
#[cfg_attr(not(feature = "client"), allow(dead_code))]
pub(crate) fn spec_refs(args: &[Arg]) -> Vec<TokenStream> {
    (0..args.len())
        .map(|i| {
            let ident = spec_ident(i);
            quote!(&#ident)
        })
        .collect()
}

fn opt_str(v: &Option<LitStr>) -> TokenStream {
    match v {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

fn spec(ident: &syn::Ident, arg: &Arg, websocket_route: bool) -> TokenStream {
    let name = arg.name();
    let a = &arg.attr;
    let alias = arg.wire_name();
    // Header lookups are case-insensitive; the name is also the error `loc`,
    // where FastAPI shows an alias as written.
    let header_name = match (&a.alias, a.convert_underscores.unwrap_or(true)) {
        (Some(alias), _) => alias.value(),
        (None, true) => name.replace('_', "-").to_lowercase(),
        (None, false) => name.to_lowercase(),
    };
    let header_lookup = header_name.to_lowercase();
    // Only what differs from `ParamSpec::named(name)` is written: most
    // arguments have no option, and each line is compiled in every app.
    let mut given = Vec::new();
    if alias != name {
        given.push(quote!(alias: #alias,));
    }
    if header_name != name {
        given.push(quote!(header_name: #header_name,));
    }
    if header_lookup != name {
        given.push(quote!(header_lookup: ::fastrs::decl::StaticHeaderName::new(#header_lookup),));
    }
    if a.title.is_some() {
        let title = opt_str(&a.title);
        given.push(quote!(title: #title,));
    }
    if a.description.is_some() {
        let description = opt_str(&a.description);
        given.push(quote!(description: #description,));
    }
    let flags = [
        ("deprecated", a.deprecated, false),
        (
            "include_in_schema",
            a.include_in_schema.unwrap_or(true),
            true,
        ),
        ("embed", a.embed, false),
        ("body", a.body, false),
        ("use_cache", a.use_cache.unwrap_or(true), true),
        ("required", a.required, false),
        ("websocket_route", websocket_route, false),
        (
            "convert_underscores",
            a.convert_underscores.unwrap_or(true),
            true,
        ),
    ];
    for (field, value, default) in flags {
        if value != default {
            let field = format_ident!("{field}");
            given.push(quote!(#field: #value,));
        }
    }
    if let Some(constraints) = a.constraints_given() {
        given.push(quote!(constraints: #constraints,));
    }
    if !a.scopes.is_empty() {
        let scopes = &a.scopes;
        given.push(quote!(scopes: &[#(#scopes),*],));
    }
    if a.examples.is_some() {
        let examples = a.examples_fn();
        given.push(quote!(examples: #examples,));
    }
    if a.openapi_examples.is_some() {
        let openapi_examples = a.openapi_examples_fn();
        given.push(quote!(openapi_examples: #openapi_examples,));
    }
    if given.is_empty() {
        return quote! {
            static #ident: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec::named(#name);
        };
    }
    quote! {
        static #ident: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec {
            #(#given)*
            ..::fastrs::decl::ParamSpec::named(#name)
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
            quote_spanned!(default.span()=> ::core::option::Option::Some((|| #expr) as fn() -> _))
        }
        None => quote!(::core::option::Option::None),
    }
}

/// The arguments' declarations, one `fastrs::pipeline::argument::<T, _, _>`
/// call per argument, each spanned at the argument's type: the pipeline's
/// constructor takes each as its own parameter and reports a type that
/// cannot be an argument there, once.
pub(crate) fn decls(args: &[Arg]) -> Vec<TokenStream> {
    args.iter()
        .enumerate()
        .map(|(i, arg)| {
            let spec = spec_ident(i);
            let default = default_fn(&arg.attr);
            let ty = arg.extracted_type();
            quote_spanned!(arg.ty.span()=> ::fastrs::pipeline::argument::<#ty, _, _>(&#spec, #default))
        })
        .collect()
}

/// The pipeline's constructor for this many arguments: `endpoint_N` or
/// `provider_N`.
pub(crate) fn constructor(kind: &str, args: &[Arg]) -> syn::Ident {
    format_ident!("{}_{}", kind, args.len())
}

/// The arguments' types as a tuple type.
pub(crate) fn types(args: &[Arg]) -> TokenStream {
    let types = args.iter().map(Arg::extracted_type);
    quote!((#(#types,)*))
}
