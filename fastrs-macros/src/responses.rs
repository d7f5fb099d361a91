//! `#[responses]` on an enum: one endpoint, several answer types. Each
//! variant holds what one answer sends (a model, a `Redirect`, a file...)
//! or nothing (a bare status); `#[response(status = ..., description =
//! ..., media_type = ...)]` says how it is sent and documented. The
//! generated impls are thin: `fastrs::openapi::ResponseDoc::answer` and
//! `fastrs::response::with_status` do the work.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitInt, LitStr, Token};

use crate::endpoint::attr::status_code;

/// What `#[response(...)]` says about one variant.
#[derive(Default)]
struct VariantAttr {
    status: Option<LitInt>,
    description: Option<LitStr>,
    media_type: Option<LitStr>,
}

impl VariantAttr {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut attr = VariantAttr::default();
        while !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "status" => attr.status = Some(status_code(input)?),
                "description" => attr.description = Some(input.parse()?),
                "media_type" => attr.media_type = Some(input.parse()?),
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown option `{other}` of #[response]: expected `status`, `description` or `media_type`"
                        ),
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

/// Expands `#[responses]` on `item`.
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    if !attr.is_empty() {
        return syn::Error::new(attr.span(), "#[responses] takes no arguments").to_compile_error();
    }
    let mut input: DeriveInput = match syn::parse2(item) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    match responses(&mut input) {
        Ok(impls) => quote!(#input #impls),
        Err(error) => {
            let error = error.to_compile_error();
            quote!(#input #error)
        }
    }
}

fn responses(input: &mut DeriveInput) -> syn::Result<TokenStream> {
    let name = input.ident.clone();
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "a #[responses] enum cannot be generic: name the type each variant sends",
        ));
    }
    let Data::Enum(data) = &mut input.data else {
        return Err(syn::Error::new(
            name.span(),
            "#[responses] goes on an enum: one variant per kind of answer",
        ));
    };
    let mut arms = Vec::new();
    let mut docs = Vec::new();
    for variant in &mut data.variants {
        let mut attr = VariantAttr::default();
        let mut kept = Vec::new();
        for a in std::mem::take(&mut variant.attrs) {
            if a.path().is_ident("response") {
                attr = a.parse_args_with(VariantAttr::parse)?;
            } else {
                kept.push(a);
            }
        }
        variant.attrs = kept;
        let ident = &variant.ident;
        let description = match &attr.description {
            Some(d) => quote!(::core::option::Option::Some(#d)),
            None => quote!(::core::option::Option::None),
        };
        let media_type = match &attr.media_type {
            Some(m) => quote!(::core::option::Option::Some(#m)),
            None => quote!(::core::option::Option::None),
        };
        let status = match &attr.status {
            Some(s) => quote!(::core::option::Option::Some(#s)),
            None => quote!(::core::option::Option::None),
        };
        match &variant.fields {
            Fields::Unit => {
                let Some(code) = &attr.status else {
                    return Err(syn::Error::new(
                        ident.span(),
                        "a variant without a value sends a bare status: say which, `#[response(status = 204)]`",
                    ));
                };
                arms.push(quote! {
                    #name::#ident => ::fastrs::response::bare_status(::fastrs::pipeline::status(#code))
                });
                docs.push(quote! {
                    ::fastrs::openapi::ResponseDoc::answer(
                        #code, #description, #media_type,
                        (::core::option::Option::None, ::core::option::Option::None, ::fastrs::decl::ResponseMedia::NONE),
                    )
                });
            }
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                let ty = &fields.unnamed[0].ty;
                arms.push(match &attr.status {
                    Some(code) => quote_spanned! {ty.span()=>
                        #name::#ident(__fastrs_value) => ::fastrs::response::with_status(
                            ::fastrs::IntoResponse::into_response_with_status(__fastrs_value, ::fastrs::pipeline::status(#code)),
                            ::fastrs::pipeline::status(#code),
                        )
                    },
                    None => quote_spanned! {ty.span()=>
                        #name::#ident(__fastrs_value) => ::fastrs::IntoResponse::into_response_with_status(__fastrs_value, __fastrs_status)
                    },
                });
                docs.push(quote! {
                    {
                        #[allow(unused_imports)]
                        use ::fastrs::openapi::{ViaNoResponseClass as _, ViaResponseClass as _};
                        let __fastrs_class = (&&::fastrs::openapi::Probe::<#ty>::new()).class_of(__fastrs_components);
                        let __fastrs_code = match (#status, __fastrs_class.0) {
                            (::core::option::Option::Some(code), _) => code,
                            (::core::option::Option::None, ::core::option::Option::Some(code)) => code,
                            (::core::option::Option::None, ::core::option::Option::None) => __fastrs_endpoint_status,
                        };
                        ::fastrs::openapi::ResponseDoc::answer(__fastrs_code, #description, #media_type, __fastrs_class)
                    }
                });
            }
            _ => {
                return Err(syn::Error::new(
                    variant.fields.span(),
                    "each variant of a #[responses] enum holds one answer, `Found(Item)`, or none, `Gone`",
                ))
            }
        }
    }
    Ok(quote! {
        impl ::fastrs::IntoResponse for #name {
            fn into_response(self) -> ::fastrs::Response {
                <Self as ::fastrs::IntoResponse>::into_response_with_status(self, ::fastrs::http::StatusCode::OK)
            }
            fn into_response_with_status(self, __fastrs_status: ::fastrs::http::StatusCode) -> ::fastrs::Response {
                match self {
                    #(#arms,)*
                }
            }
        }

        impl ::fastrs::openapi::ResponseSchema for #name {
            fn response_schema(_: &mut ::fastrs::model::Components) -> ::core::option::Option<::fastrs::serde_json::Value> {
                ::core::option::Option::None
            }
            fn response_media() -> ::fastrs::decl::ResponseMedia {
                ::fastrs::decl::ResponseMedia::NONE
            }
            fn answers(
                __fastrs_components: &mut ::fastrs::model::Components,
                __fastrs_endpoint_status: u16,
            ) -> ::std::vec::Vec<::fastrs::openapi::ResponseDoc> {
                ::std::vec![#(#docs),*]
            }
        }
    })
}
