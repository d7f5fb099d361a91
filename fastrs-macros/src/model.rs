//! `#[model]`: one declaration for a type that travels as JSON and, for a
//! fieldless enum, as a parameter value.
//!
//! On a struct: serde's derives (through `::fastrs::serde`) and
//! `IntoResponse`, so the struct can be returned bare.
//! On a fieldless enum: the same, plus `ParamValue` (so it can be a path,
//! query, header or cookie parameter, with Pydantic's `enum` error listing
//! the values) and `as_str()`. The wire names follow serde's `rename` and
//! `rename_all`, read here so that parsing and serde agree.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, Data, DeriveInput, Fields, LitStr};

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    if !attr.is_empty() {
        let error =
            syn::Error::new_spanned(&attr, "#[model] takes no options yet").to_compile_error();
        return quote!(#error #item);
    }
    let input: DeriveInput = match syn::parse2(item.clone()) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let result = match &input.data {
        Data::Enum(data) => enum_model(&input, data),
        Data::Struct(_) => Ok(struct_model(&input)),
        Data::Union(_) => Err(syn::Error::new_spanned(
            &input.ident,
            "#[model] goes on a struct or a fieldless enum",
        )),
    };
    match result {
        Ok(tokens) => tokens,
        Err(e) => {
            let e = e.to_compile_error();
            quote!(#e #item)
        }
    }
}

fn derives(input: &DeriveInput) -> TokenStream {
    quote! {
        #[derive(::fastrs::serde::Serialize, ::fastrs::serde::Deserialize)]
        #[serde(crate = "::fastrs::serde")]
        #input
    }
}

fn into_response(input: &DeriveInput) -> TokenStream {
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        impl #impl_generics ::fastrs::IntoResponse for #name #ty_generics #where_clause {
            fn into_response(self) -> ::fastrs::Response {
                ::fastrs::response::json_response(::fastrs::http::StatusCode::OK, &self)
            }
            fn into_response_with_status(
                self,
                __fastrs_status: ::fastrs::http::StatusCode,
            ) -> ::fastrs::Response {
                ::fastrs::response::json_response(__fastrs_status, &self)
            }
        }
    }
}

fn struct_model(input: &DeriveInput) -> TokenStream {
    let derived = derives(input);
    let response = into_response(input);
    quote!(#derived #response)
}

fn enum_model(input: &DeriveInput, data: &syn::DataEnum) -> syn::Result<TokenStream> {
    let name = &input.ident;
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "a #[model] enum cannot be generic",
        ));
    }
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
        let name = variant.ident.to_string();
        let value = match serde_value(&variant.attrs, "rename")? {
            Some(explicit) => explicit,
            None => rename(&name, rename_all.as_deref()),
        };
        variants.push(&variant.ident);
        wire.push(value);
    }
    let derived = derives(input);
    let response = into_response(input);
    Ok(quote! {
        #derived
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
        }

        impl ::fastrs::model::ParamValue for #name {
            fn parse_param(
                __fastrs_raw: &str,
                _: &::fastrs::model::Constraints,
            ) -> ::core::result::Result<Self, ::fastrs::model::ErrorKind> {
                match __fastrs_raw {
                    #(#wire => ::core::result::Result::Ok(Self::#variants),)*
                    _ => ::core::result::Result::Err(::fastrs::model::ErrorKind::Enum(Self::VALUES)),
                }
            }
        }
    })
}

/// The string value of `#[serde(key = "...")]`, if present.
fn serde_value(attrs: &[Attribute], key: &str) -> syn::Result<Option<String>> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                let value: LitStr = meta.value()?.parse()?;
                found = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        })?;
    }
    Ok(found)
}

/// A variant name under serde's `rename_all` rule.
fn rename(variant: &str, rule: Option<&str>) -> String {
    let words = split_words(variant);
    match rule {
        Some("lowercase") => variant.to_lowercase(),
        Some("UPPERCASE") => variant.to_uppercase(),
        Some("snake_case") => words.join("_"),
        Some("SCREAMING_SNAKE_CASE") => words.join("_").to_uppercase(),
        Some("kebab-case") => words.join("-"),
        Some("SCREAMING-KEBAB-CASE") => words.join("-").to_uppercase(),
        Some("camelCase") => {
            let mut chars = variant.chars();
            chars
                .next()
                .map_or(String::new(), |c| c.to_lowercase().chain(chars).collect())
        }
        _ => variant.to_owned(),
    }
}

fn split_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        if c.is_uppercase() || words.is_empty() {
            words.push(c.to_lowercase().collect());
        } else if let Some(last) = words.last_mut() {
            last.push(c);
        }
    }
    words
}
