//! `#[model]`: one declaration for a type that travels as JSON, is validated
//! with Pydantic's rules, and, for a fieldless enum, can be a parameter.
//!
//! On a struct it emits:
//! - serde's `Deserialize`, every field read by a generated function that
//!   runs its type's lax fast path, its constraints and its validator in the
//!   one pass (`fastrs::model::fast::field`), `Option`, `Maybe` and
//!   defaulted fields allowed to be absent, `alias` as the serde name,
//!   `extra = "forbid"` as `deny_unknown_fields`;
//! - its own `Serialize`: the fields through `Validate::write` (Pydantic's
//!   formats), the exclusions of `fastrs::model::dump`, then the computed
//!   fields;
//! - `Validate` (every error, from parsed JSON, then the model validator)
//!   and `Model` (name, fields, computed fields);
//! - `IntoResponse`, so the struct can be returned bare.
//!
//! `#[field(...)]` drives both the checks and the field metadata, so they
//! cannot disagree. On a fieldless enum it emits serde's derives,
//! `ParamValue`, `Validate`, `FastDeserialize` and `as_str()`; the wire names
//! follow serde's `rename` and `rename_all`, read here so parsing and serde
//! agree. `#[model(literal)]` reports `literal_error` instead of `enum`
//! (Python's `Literal[...]` rather than an `Enum` class). On a one-field
//! tuple struct it makes a constrained type; on an enum whose variants hold
//! models, a union (`crate::union`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Token, Type};

use crate::attrs::{AttrKind, ParamAttr};
use crate::docs::doc_text;
use crate::wire::{into_response, serde_value, variant_wire_name};

#[derive(Default)]
struct ModelAttr {
    forbid_extra: bool,
    literal: bool,
    /// `validate = path::to::fn`: `fn(Self) -> Result<Self, E>`, run once
    /// every field is valid (Pydantic's `@model_validator(mode="after")`).
    validate: Option<syn::Expr>,
    /// `discriminator = "pet_type"`: a union of models told apart by this
    /// key (Pydantic's `Field(discriminator=...)`).
    discriminator: Option<LitStr>,
    /// `computed(total, ...)`: methods `fn total(&self) -> T` written out
    /// with the model (Pydantic's `@computed_field`).
    computed: Vec<Ident>,
    /// `examples = [{...}]`: examples of the whole model, written as JSON
    /// (Pydantic's `model_config["json_schema_extra"]["examples"]`).
    examples: Option<TokenStream>,
    /// The options given, to refuse one that does not apply to the item.
    given: Vec<Ident>,
}

/// What `#[model]` is on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A struct with named fields.
    Struct,
    /// A one-field tuple struct: a constrained type.
    Constrained,
    /// A fieldless enum.
    Enum,
    /// An enum whose variants hold models.
    Union,
}

impl Kind {
    fn of(input: &DeriveInput) -> syn::Result<Kind> {
        match &input.data {
            Data::Struct(data) if matches!(data.fields, Fields::Unnamed(_)) => {
                Ok(Kind::Constrained)
            }
            Data::Struct(_) => Ok(Kind::Struct),
            Data::Enum(data)
                if data
                    .variants
                    .iter()
                    .all(|v| matches!(v.fields, Fields::Unit)) =>
            {
                Ok(Kind::Enum)
            }
            Data::Enum(_) => Ok(Kind::Union),
            Data::Union(_) => Err(syn::Error::new_spanned(
                &input.ident,
                "#[model] goes on a struct or an enum, not a Rust `union`: for a value that is one of several models, write an enum whose variants hold them (`enum Pet { Cat(Cat), Dog(Dog) }`)",
            )),
        }
    }
}

impl ModelAttr {
    /// Refuses an option given on a kind of item it does not apply to.
    fn check_applies(&self, kind: Kind) -> syn::Result<()> {
        for key in &self.given {
            let (applies, on) = match key.to_string().as_str() {
                "extra" | "validate" | "computed" | "examples" => {
                    (kind == Kind::Struct, "a struct with named fields")
                }
                "literal" => (kind == Kind::Enum, "a fieldless enum"),
                "discriminator" => (kind == Kind::Union, "an enum whose variants hold models"),
                _ => (true, ""),
            };
            if !applies {
                return Err(syn::Error::new(
                    key.span(),
                    format!("#[model({key})] applies to {on}"),
                ));
            }
        }
        Ok(())
    }
}

impl Parse for ModelAttr {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut attr = ModelAttr::default();
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            attr.given.push(key.clone());
            match key.to_string().as_str() {
                "extra" => {
                    input.parse::<Token![=]>()?;
                    let value: LitStr = input.parse()?;
                    match value.value().as_str() {
                        "forbid" => attr.forbid_extra = true,
                        "ignore" => attr.forbid_extra = false,
                        _ => return Err(syn::Error::new(value.span(), "extra is \"forbid\" or \"ignore\"")),
                    }
                }
                "literal" => attr.literal = true,
                "discriminator" => {
                    input.parse::<Token![=]>()?;
                    attr.discriminator = Some(input.parse()?);
                }
                "validate" => {
                    input.parse::<Token![=]>()?;
                    attr.validate = Some(input.parse()?);
                }
                "examples" => {
                    input.parse::<Token![=]>()?;
                    attr.examples = Some(crate::attrs::json_tokens(input)?);
                }
                "computed" => {
                    let content;
                    syn::parenthesized!(content in input);
                    let methods =
                        syn::punctuated::Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
                    attr.computed.extend(methods);
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown #[model] option `{other}`; the options are extra = \"forbid\", literal, validate = path::to::fn, computed(method, ...), discriminator = \"key\", examples = [...]"),
                    ))
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(attr)
    }
}

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut input: DeriveInput = match syn::parse2(item.clone()) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let result = syn::parse2::<ModelAttr>(attr).and_then(|attr| {
        if !input.generics.params.is_empty() {
            return Err(syn::Error::new_spanned(
                &input.generics,
                "a #[model] type cannot be generic",
            ));
        }
        let kind = Kind::of(&input)?;
        attr.check_applies(kind)?;
        match kind {
            Kind::Struct => struct_model(&mut input, &attr),
            Kind::Constrained => newtype_model(&mut input),
            Kind::Enum => enum_model(&input, &attr),
            Kind::Union => crate::union::union_model(&input, attr.discriminator.as_ref()),
        }
    });
    match result {
        Ok(tokens) => tokens,
        Err(e) => {
            // Emit the type as written, without the attributes that only
            // `#[model]` reads (ours and serde's, whose derive is not
            // emitted), so that no follow-up error appears.
            let mut original: DeriveInput = match syn::parse2(item) {
                Ok(original) => original,
                Err(_) => input,
            };
            strip_model_attrs(&mut original);
            let e = e.to_compile_error();
            quote!(#e #original)
        }
    }
}

fn strip_model_attrs(input: &mut DeriveInput) {
    let ours = |a: &syn::Attribute| a.path().is_ident("field") || a.path().is_ident("serde");
    input.attrs.retain(|a| !ours(a));
    match &mut input.data {
        Data::Struct(data) => {
            for field in data.fields.iter_mut() {
                field.attrs.retain(|a| !ours(a));
            }
        }
        Data::Enum(data) => {
            for variant in data.variants.iter_mut() {
                variant.attrs.retain(|a| !ours(a));
            }
        }
        Data::Union(_) => {}
    }
}

/// A `validate = ...` function, or the one that accepts everything.
fn validator_or_none(validate: &Option<syn::Expr>) -> TokenStream {
    match validate {
        Some(path) => quote!(#path),
        None => quote!(::fastrs::model::fast::unvalidated),
    }
}

fn opt_str(v: &Option<LitStr>) -> TokenStream {
    match v {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

/// True when the type is written `Option<...>` or `Maybe<...>` (serde needs
/// to know which fields may be absent; validation asks the type itself).
fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option" || s.ident == "Maybe"))
}

fn struct_model(input: &mut DeriveInput, attr: &ModelAttr) -> syn::Result<TokenStream> {
    let name = input.ident.clone();
    let name_str = name.to_string();
    let Data::Struct(data) = &mut input.data else {
        unreachable!("checked by the caller")
    };
    let Fields::Named(fields) = &mut data.fields else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "a #[model] struct needs named fields",
        ));
    };
    let model_examples = crate::attrs::json_fn(attr.examples.as_ref());
    let mut errors: Option<syn::Error> = None;
    let mut field_idents = Vec::new();
    let mut field_types = Vec::new();
    let mut wire_names = Vec::new();
    let mut field_items = Vec::new();
    let mut checks = Vec::new();
    let mut infos = Vec::new();
    let mut defaults = Vec::new();
    let mut default_fns = Vec::new();
    let mut validators = Vec::new();
    let mut default_ptrs = Vec::new();
    for (index, field) in fields.named.iter_mut().enumerate() {
        let ident = field.ident.clone().expect("named field");
        let mut options = ParamAttr::default();
        let mut kept = Vec::new();
        for a in field.attrs.drain(..) {
            if a.path().is_ident("serde") {
                let e = syn::Error::new_spanned(
                    &a,
                    "#[model] writes the serde attributes of its fields itself: \
                     use #[field(alias = \"...\")] for the name on the wire and \
                     #[field(default = ...)] for a default",
                );
                match &mut errors {
                    Some(all) => all.combine(e),
                    None => errors = Some(e),
                }
                continue;
            }
            if a.path().is_ident("field") {
                match ParamAttr::parse_attr(&a, AttrKind::Field) {
                    Ok(p) => options = p,
                    Err(e) => match &mut errors {
                        Some(all) => all.combine(e),
                        None => errors = Some(e),
                    },
                }
            } else {
                kept.push(a);
            }
        }
        field.attrs = kept;
        let rust_name = ident.to_string();
        let rust_name = rust_name
            .strip_prefix("r#")
            .unwrap_or(&rust_name)
            .to_owned();
        let wire = options
            .alias
            .as_ref()
            .map_or(rust_name.clone(), LitStr::value);
        let ty = field.ty.clone();

        // serde: the lax fast path with the field's checks, the wire name,
        // and what may be absent.
        let de_fn = format_ident!("__fastrs_de_{}", index);
        let de_path = LitStr::new(&format!("{name}::{de_fn}"), ident.span());
        field
            .attrs
            .push(syn::parse_quote!(#[serde(deserialize_with = #de_path)]));
        let validator = validator_or_none(&options.validate);
        if options.alias.is_some() {
            field
                .attrs
                .push(syn::parse_quote!(#[serde(rename = #wire)]));
        }
        let default_fn = format_ident!("__fastrs_default_{}_{}", name, rust_name);
        match &options.default {
            Some(expr) => {
                let expr = match expr {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(_),
                        ..
                    }) => {
                        quote!(::core::convert::Into::into(#expr))
                    }
                    other => quote!(#other),
                };
                let path = LitStr::new(&default_fn.to_string(), ident.span());
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(default = #path)]));
                default_fns.push(quote! {
                    #[doc(hidden)]
                    #[allow(non_snake_case)]
                    fn #default_fn() -> #ty { #expr }
                });
                defaults.push(quote!(::core::option::Option::Some(#default_fn())));
                default_ptrs.push(quote!(::core::option::Option::Some(#default_fn as fn() -> #ty)));
            }
            None if options.required => {
                // Sent or refused as missing, even when it may be null.
                defaults.push(quote!(::core::option::Option::<#ty>::None));
                default_ptrs.push(quote!(::core::option::Option::None));
            }
            None => {
                if is_option(&ty) {
                    field.attrs.push(syn::parse_quote!(#[serde(default)]));
                }
                defaults.push(quote!(<#ty as ::fastrs::model::Validate>::missing()));
                default_ptrs.push(quote!(::core::option::Option::None));
            }
        }

        let constraints = options.constraints();
        checks.push(options.applicability(&ty));
        let cname = format_ident!("__FASTRS_FIELD_{}", index);
        field_items.push(quote! {
            #[doc(hidden)]
            const #cname: ::fastrs::model::Constraints = #constraints;

            #[doc(hidden)]
            fn #de_fn<'de, D: ::fastrs::serde::Deserializer<'de>>(
                __fastrs_d: D,
            ) -> ::core::result::Result<#ty, D::Error> {
                #[allow(unused_imports)]
                use ::fastrs::model::probe::{ViaUnsupported as _, ViaValidate as _};
                (&&::fastrs::model::probe::FieldProbe::<#ty>::new()).field(__fastrs_d, &Self::#cname, #validator)
            }
        });
        validators.push(validator);
        let title = opt_str(&options.title);
        let examples = options.examples_fn();
        let description = match (&options.description, doc_text(&field.attrs)) {
            (Some(d), _) => quote!(::core::option::Option::Some(#d)),
            (None, Some(doc)) => quote!(::core::option::Option::Some(#doc)),
            (None, None) => quote!(::core::option::Option::None),
        };
        let default_json = match &options.default {
            Some(_) if options.default_factory => quote!(::core::option::Option::None),
            Some(_) => quote!(::core::option::Option::Some(|| {
                ::fastrs::serde_json::to_value(#default_fn()).unwrap_or(::fastrs::serde_json::Value::Null)
            })),
            None => quote!(::core::option::Option::None),
        };
        let has_default = options.default.is_some();
        let required = options.required;
        infos.push(quote! {
            ::fastrs::model::FieldInfo {
                name: #wire,
                is_list: <#ty as ::fastrs::model::Validate>::IS_LIST,
                title: #title,
                description: #description,
                constraints: Self::#cname,
                examples: #examples,
                schema: <#ty as ::fastrs::openapi::JsonSchema>::json_schema,
                required: #required || (!#has_default && !<#ty as ::fastrs::openapi::JsonSchema>::OPTIONAL),
                default: #default_json,
            }
        });
        field_idents.push(ident);
        field_types.push(ty);
        wire_names.push(wire);
    }
    if let Some(e) = errors {
        return Err(e);
    }
    let forbid = attr.forbid_extra;
    if forbid {
        input
            .attrs
            .push(syn::parse_quote!(#[serde(deny_unknown_fields)]));
    }
    let cnames: Vec<_> = (0..field_idents.len())
        .map(|i| format_ident!("__FASTRS_FIELD_{}", i))
        .collect();
    let slots: Vec<_> = (0..field_idents.len())
        .map(|i| format_ident!("__fastrs_f{}", i))
        .collect();
    let response = into_response(input);
    let model_validator = validator_or_none(&attr.validate);
    let computed = &attr.computed;
    let computed_names: Vec<String> = computed.iter().map(Ident::to_string).collect();
    let written = field_idents.len() + computed.len();

    Ok(quote! {
        #(#checks)*
        #[derive(::fastrs::serde::Deserialize)]
        #[serde(crate = "::fastrs::serde")]
        #input

        impl ::fastrs::serde::Serialize for #name {
            fn serialize<__S: ::fastrs::serde::Serializer>(
                &self,
                __fastrs_s: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                use ::fastrs::serde::ser::SerializeStruct as _;
                #[allow(unused_imports)]
                use ::fastrs::model::probe::{ViaUnsupported as _, ViaValidate as _};
                let __fastrs_options = ::fastrs::model::dump::options();
                let mut __fastrs_st = __fastrs_s.serialize_struct(#name_str, #written)?;
                #(
                    if (&&::fastrs::model::probe::FieldProbe::<#field_types>::new()).keep(&self.#field_idents, &__fastrs_options, #default_ptrs) {
                        __fastrs_st.serialize_field(#wire_names, &(&&::fastrs::model::probe::FieldProbe::<#field_types>::new()).written(&self.#field_idents))?;
                    } else {
                        __fastrs_st.skip_field(#wire_names)?;
                    }
                )*
                if __fastrs_options.computed() {
                    #(
                        __fastrs_st.serialize_field(#computed_names, &self.#computed())?;
                    )*
                }
                __fastrs_st.end()
            }
        }

        #(#default_fns)*

        impl #name {
            #(#field_items)*
        }

        impl ::fastrs::model::Model for #name {
            const NAME: &'static str = #name_str;
            const FIELDS: &'static [::fastrs::model::FieldInfo] = &[#(#infos),*];
            const FORBID_EXTRA: bool = #forbid;
            const COMPUTED: &'static [::fastrs::model::ComputedField] = &[#(
                ::fastrs::model::ComputedField {
                    name: #computed_names,
                    schema: {
                        fn __fastrs_schema(
                            __fastrs_components: &mut ::fastrs::model::Components,
                        ) -> ::fastrs::serde_json::Value {
                            ::fastrs::model::computed_schema(#name::#computed, __fastrs_components)
                        }
                        __fastrs_schema
                    },
                }
            ),*];
        }

        impl ::fastrs::model::FastDeserialize for #name {
            fn deserialize_fast<'de, D: ::fastrs::serde::Deserializer<'de>>(
                __fastrs_d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                <Self as ::fastrs::serde::Deserialize>::deserialize(__fastrs_d)
                    .and_then(|__fastrs_m| ::fastrs::model::fast::after(__fastrs_m, #model_validator))
            }
        }

        impl ::fastrs::openapi::JsonSchema for #name {
            fn json_schema(__fastrs_components: &mut ::fastrs::openapi::Components) -> ::fastrs::serde_json::Value {
                ::fastrs::openapi::model_schema(
                    #name_str,
                    <Self as ::fastrs::model::Model>::FIELDS,
                    <Self as ::fastrs::model::Model>::COMPUTED,
                    <Self as ::fastrs::model::Model>::FORBID_EXTRA,
                    #model_examples,
                    __fastrs_components,
                )
            }
        }

        impl ::fastrs::model::Validate for #name {
            fn validate(
                __fastrs_value: &::fastrs::serde_json::Value,
                _: &::fastrs::model::Constraints,
                __fastrs_cx: &mut ::fastrs::model::ValidateCx<'_>,
            ) -> ::core::option::Option<Self> {
                let ::fastrs::serde_json::Value::Object(__fastrs_map) = __fastrs_value else {
                    ::fastrs::model::validate::not_an_object(__fastrs_value, __fastrs_cx);
                    return ::core::option::Option::None;
                };
                #(
                    let #slots: ::core::option::Option<#field_types> = match __fastrs_map.get(#wire_names) {
                        ::core::option::Option::Some(__fastrs_field) => __fastrs_cx.at(#wire_names, |__fastrs_cx| {
                            <#field_types as ::fastrs::model::Validate>::validate(__fastrs_field, &Self::#cnames, __fastrs_cx)
                                .and_then(|__fastrs_v| ::fastrs::model::validate::after_validator(
                                    __fastrs_v, #validators, __fastrs_field, __fastrs_cx,
                                ))
                        }),
                        ::core::option::Option::None => match #defaults {
                            ::core::option::Option::Some(__fastrs_default) => ::core::option::Option::Some(__fastrs_default),
                            ::core::option::Option::None => {
                                ::fastrs::model::validate::missing_field(#wire_names, __fastrs_value, __fastrs_cx);
                                ::core::option::Option::None
                            }
                        },
                    };
                )*
                if #forbid && !::fastrs::model::validate::forbid_extra(__fastrs_map, &[#(#wire_names),*], __fastrs_cx) {
                    return ::core::option::Option::None;
                }
                let __fastrs_model = #name { #(#field_idents: #slots?,)* };
                ::fastrs::model::validate::after_validator(__fastrs_model, #model_validator, __fastrs_value, __fastrs_cx)
            }
        }

        #response
    })
}

fn enum_model(input: &DeriveInput, attr: &ModelAttr) -> syn::Result<TokenStream> {
    let name = &input.ident;
    let Data::Enum(data) = &input.data else {
        unreachable!("checked by the caller")
    };
    let rename_all = serde_value(&input.attrs, "rename_all")?;
    let mut variants = Vec::new();
    let mut wire = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            return Err(syn::Error::new_spanned(
                &variant.fields,
                "a #[model] enum must be fieldless (each variant a plain name)",
            ));
        }
        variants.push(&variant.ident);
        wire.push(variant_wire_name(variant, rename_all.as_deref())?);
    }
    let response = into_response(input);
    let error = if attr.literal {
        quote!(::fastrs::model::ErrorKind::Literal(Self::VALUES))
    } else {
        quote!(::fastrs::model::ErrorKind::Enum(Self::VALUES))
    };
    let name_str = name.to_string();
    let schema = if attr.literal {
        quote!(::fastrs::model::enum_schema(
            Self::VALUES,
            ::core::option::Option::None
        ))
    } else {
        quote!(__fastrs_components.named(#name_str, |_| {
            ::fastrs::model::enum_schema(Self::VALUES, ::core::option::Option::Some(#name_str))
        }))
    };
    let scalar_param = scalar_param(name);
    Ok(quote! {
        #[derive(::fastrs::serde::Serialize, ::fastrs::serde::Deserialize)]
        #[serde(crate = "::fastrs::serde")]
        #input

        #response

        impl #name {
            /// The values on the wire, in declaration order.
            pub const VALUES: &'static [&'static str] = &[#(#wire),*];

            /// This variant's value on the wire.
            pub const fn as_str(&self) -> &'static str {
                match self {
                    #(Self::#variants => #wire,)*
                }
            }

            fn __fastrs_parse(__fastrs_raw: &str) -> ::core::result::Result<Self, ::fastrs::model::ErrorKind> {
                match __fastrs_raw {
                    #(#wire => ::core::result::Result::Ok(Self::#variants),)*
                    _ => ::core::result::Result::Err(#error),
                }
            }
        }

        impl ::fastrs::openapi::JsonSchema for #name {
            fn json_schema(__fastrs_components: &mut ::fastrs::openapi::Components) -> ::fastrs::serde_json::Value {
                #schema
            }
        }

        impl ::fastrs::model::ParamValue for #name {
            fn parse_param(
                __fastrs_raw: &str,
                _: &::fastrs::model::Constraints,
            ) -> ::core::result::Result<Self, ::fastrs::model::ErrorKind> {
                Self::__fastrs_parse(__fastrs_raw)
            }
        }

        #scalar_param

        impl ::fastrs::model::FastDeserialize for #name {
            fn deserialize_fast<'de, D: ::fastrs::serde::Deserializer<'de>>(
                __fastrs_d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                <Self as ::fastrs::serde::Deserialize>::deserialize(__fastrs_d)
            }
        }

        impl ::fastrs::model::Validate for #name {
            fn validate(
                __fastrs_value: &::fastrs::serde_json::Value,
                _: &::fastrs::model::Constraints,
                __fastrs_cx: &mut ::fastrs::model::ValidateCx<'_>,
            ) -> ::core::option::Option<Self> {
                let __fastrs_parsed = match __fastrs_value {
                    ::fastrs::serde_json::Value::String(__fastrs_s) => Self::__fastrs_parse(__fastrs_s),
                    _ => ::core::result::Result::Err(#error),
                };
                match __fastrs_parsed {
                    ::core::result::Result::Ok(__fastrs_v) => ::core::option::Option::Some(__fastrs_v),
                    ::core::result::Result::Err(__fastrs_kind) => {
                        __fastrs_cx.error(__fastrs_kind, __fastrs_value);
                        ::core::option::Option::None
                    }
                }
            }
        }
    })
}

/// `FromRequest` for a type that is a parameter as the built-in scalars
/// are (a fieldless enum, a constrained type): read and documented by
/// `scalar_from_request` and `describe_scalar`.
fn scalar_param(name: &syn::Ident) -> TokenStream {
    quote! {
        impl ::fastrs::extract::FromRequest for #name {
            type Value = Self;

            fn from_request<'a>(
                __fastrs_cx: &'a mut ::fastrs::extract::RequestContext,
                __fastrs_arg: &'a ::fastrs::extract::Arg<Self>,
                __fastrs_errors: &'a mut ::fastrs::model::ValidationErrors,
            ) -> impl ::core::future::Future<
                Output = ::core::result::Result<::core::option::Option<Self>, ::fastrs::response::Rejection>,
            > + ::core::marker::Send + 'a {
                ::fastrs::extract::scalar_from_request(__fastrs_cx, __fastrs_arg, __fastrs_errors)
            }

            fn reads_at_once(__fastrs_arg: &::fastrs::extract::Arg<Self>) -> bool {
                ::fastrs::extract::scalar_reads_at_once(__fastrs_arg)
            }

            fn describe(__fastrs_arg: &::fastrs::extract::Arg<Self>, __fastrs_doc: &mut ::fastrs::openapi::OperationDoc<'_>) {
                ::fastrs::extract::describe_scalar(__fastrs_arg, __fastrs_doc)
            }
        }
    }
}

/// True when `ty` is written as a list, set or map (`Vec`, `HashSet`,
/// `BTreeSet`, `HashMap`, `BTreeMap`), the types a root model wraps.
fn is_collection(ty: &Type) -> bool {
    let Type::Path(path) = ty else { return false };
    path.path.segments.last().is_some_and(|last| {
        matches!(
            last.ident.to_string().as_str(),
            "Vec" | "HashSet" | "BTreeSet" | "HashMap" | "BTreeMap"
        )
    })
}

/// A constrained type declared once (Pydantic's `Annotated[str,
/// Field(...)]`): `struct Sku(#[field(min_length = 3)] String);` is its
/// inner type with the constraints, on the wire, in validation (bodies and
/// parameters alike) and in the schema. Over a list, set or map it is a
/// root model (Pydantic's `RootModel[list[str]]`): a named component, read
/// from a body, never from a parameter.
fn newtype_model(input: &mut DeriveInput) -> syn::Result<TokenStream> {
    let name = input.ident.clone();
    let Data::Struct(data) = &mut input.data else {
        unreachable!("checked by the caller")
    };
    let Fields::Unnamed(fields) = &mut data.fields else {
        unreachable!("checked by the caller")
    };
    if fields.unnamed.len() != 1 {
        return Err(syn::Error::new_spanned(
            &fields.unnamed,
            "a #[model] tuple struct wraps exactly one type: `struct Sku(#[field(min_length = 3)] String);`",
        ));
    }
    let field = &mut fields.unnamed[0];
    let mut constraints = quote!(::fastrs::model::Constraints::NONE);
    let mut validator = validator_or_none(&None);
    let mut checks = TokenStream::new();
    for a in &field.attrs {
        if a.path().is_ident("field") {
            let options = ParamAttr::parse_attr(a, AttrKind::Field)?;
            constraints = options.constraints();
            checks = options.applicability(&field.ty);
            validator = validator_or_none(&options.validate);
        }
    }
    field.attrs.retain(|a| !a.path().is_ident("field"));
    let inner = field.ty.clone();
    // A list, set or map is a root model: a component of its own, read
    // from a body only. Anything else is its inner type with constraints.
    let root = is_collection(&inner);
    let schema = if root {
        let name_str = name.to_string();
        quote!(::fastrs::model::root_schema::<#inner>(#name_str, &Self::CONSTRAINTS, __fastrs_components))
    } else {
        quote!(::fastrs::model::constrained_schema::<#inner>(&Self::CONSTRAINTS, __fastrs_components))
    };
    let param = if root {
        TokenStream::new()
    } else {
        let scalar_param = scalar_param(&name);
        quote! {
            impl ::fastrs::model::ParamValue for #name {
                fn parse_param(
                    __fastrs_raw: &str,
                    _: &::fastrs::model::Constraints,
                ) -> ::core::result::Result<Self, ::fastrs::model::ErrorKind> {
                    <#inner as ::fastrs::model::ParamValue>::parse_param(__fastrs_raw, &Self::CONSTRAINTS)
                        .and_then(|__fastrs_v| (#validator)(__fastrs_v).map_err(::fastrs::model::ErrorKind::value_error))
                        .map(#name)
                }
            }

            #scalar_param
        }
    };
    Ok(quote! {
        #checks
        #[derive(::fastrs::serde::Deserialize)]
        #[serde(crate = "::fastrs::serde", transparent)]
        #input

        // Written as its inner type is written in a model (Pydantic's
        // formats for dates, durations, ...), wherever it is written.
        impl ::fastrs::serde::Serialize for #name {
            fn serialize<__S: ::fastrs::serde::Serializer>(&self, __fastrs_s: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                ::fastrs::model::Validate::write(&self.0, __fastrs_s)
            }
        }

        impl #name {
            /// The constraints every value of this type meets.
            pub const CONSTRAINTS: ::fastrs::model::Constraints = #constraints;
        }

        impl ::fastrs::openapi::JsonSchema for #name {
            fn json_schema(__fastrs_components: &mut ::fastrs::openapi::Components) -> ::fastrs::serde_json::Value {
                #schema
            }
        }

        impl ::fastrs::model::Validate for #name {
            fn validate(
                __fastrs_value: &::fastrs::serde_json::Value,
                _: &::fastrs::model::Constraints,
                __fastrs_cx: &mut ::fastrs::model::ValidateCx<'_>,
            ) -> ::core::option::Option<Self> {
                <#inner as ::fastrs::model::Validate>::validate(__fastrs_value, &Self::CONSTRAINTS, __fastrs_cx)
                    .and_then(|__fastrs_v| ::fastrs::model::validate::after_validator(
                        __fastrs_v, #validator, __fastrs_value, __fastrs_cx,
                    ))
                    .map(#name)
            }

            fn write<__S: ::fastrs::serde::Serializer>(&self, __fastrs_s: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                ::fastrs::model::Validate::write(&self.0, __fastrs_s)
            }
        }

        impl ::fastrs::model::FastDeserialize for #name {
            fn deserialize_fast<'de, D: ::fastrs::serde::Deserializer<'de>>(
                __fastrs_d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                ::fastrs::model::fast::field(__fastrs_d, &Self::CONSTRAINTS, #validator).map(#name)
            }
        }

        #param

        impl ::core::ops::Deref for #name {
            type Target = #inner;
            fn deref(&self) -> &#inner {
                &self.0
            }
        }
    })
}
