//! What every kind of `#[model]` item shares: the names on the wire of
//! enum variants (serde's `rename` and `rename_all`, read here so that
//! fastrs and serde agree) and the `IntoResponse` that lets a model be
//! returned bare.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, DeriveInput, LitStr};

/// `IntoResponse` for a model: its JSON, with the endpoint's status.
pub(crate) fn into_response(input: &DeriveInput) -> TokenStream {
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

/// A variant's name on the wire: its serde `rename`, else its name under
/// the enum's `rename_all`.
pub(crate) fn variant_wire_name(
    variant: &syn::Variant,
    rename_all: Option<&str>,
) -> syn::Result<String> {
    Ok(match serde_value(&variant.attrs, "rename")? {
        Some(explicit) => explicit,
        None => rename(&variant.ident.to_string(), rename_all),
    })
}

/// The string value of `#[serde(key = "...")]`, if present.
pub(crate) fn serde_value(attrs: &[Attribute], key: &str) -> syn::Result<Option<String>> {
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
