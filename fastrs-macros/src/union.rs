//! `#[model]` on an enum whose variants each hold one model: a union
//! (Pydantic's `Union[Cat, Dog]`), tagged by a discriminator or untagged.
//! The generated impls are thin; `fastrs::model::union` does the work.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, LitStr};

use crate::wire::{into_response, serde_value, variant_wire_name};

/// A union of models: each variant holds one `#[model]` struct; told apart
/// by `discriminator` when given, else by which variants fit.
pub(crate) fn union_model(
    input: &DeriveInput,
    discriminator: Option<&LitStr>,
) -> syn::Result<TokenStream> {
    let name = &input.ident;
    let Data::Enum(data) = &input.data else {
        unreachable!("checked by the caller")
    };
    let rename_all = serde_value(&input.attrs, "rename_all")?;
    let mut variants = Vec::new();
    let mut types = Vec::new();
    let mut tags = Vec::new();
    for variant in &data.variants {
        let Fields::Unnamed(fields) = &variant.fields else {
            return Err(syn::Error::new_spanned(
                variant,
                "a #[model] enum is either fieldless (`Red, Green`) or a union of models \
                 (`Cat(Cat), Dog(Dog)`): each variant of a union holds one model",
            ));
        };
        if fields.unnamed.len() != 1 {
            return Err(syn::Error::new_spanned(
                fields,
                "each variant of a #[model] union holds one model: `Cat(Cat)`",
            ));
        }
        tags.push(variant_wire_name(variant, rename_all.as_deref())?);
        variants.push(&variant.ident);
        types.push(&fields.unnamed[0].ty);
    }
    let indexes: Vec<usize> = (0..variants.len()).collect();
    let response = into_response(input);
    let variant_schemas = quote! {
        &[#(::fastrs::model::union::Variant {
            tag: #tags,
            schema: <#types as ::fastrs::openapi::JsonSchema>::json_schema,
        }),*]
    };
    // The serde attributes named the tags; fastrs writes the serde impls.
    let mut emitted = input.clone();
    emitted.attrs.retain(|a| !a.path().is_ident("serde"));
    if let Data::Enum(data) = &mut emitted.data {
        for variant in &mut data.variants {
            variant.attrs.retain(|a| !a.path().is_ident("serde"));
        }
    }
    let common = quote! {
        #emitted

        #response
    };
    let Some(discriminator) = discriminator else {
        return Ok(quote! {
            #common

            impl ::fastrs::serde::Serialize for #name {
                fn serialize<__S: ::fastrs::serde::Serializer>(
                    &self,
                    __fastrs_s: __S,
                ) -> ::core::result::Result<__S::Ok, __S::Error> {
                    match self {
                        #(Self::#variants(__fastrs_v) => ::fastrs::serde::Serialize::serialize(__fastrs_v, __fastrs_s),)*
                    }
                }
            }

            impl ::fastrs::openapi::JsonSchema for #name {
                fn json_schema(__fastrs_components: &mut ::fastrs::openapi::Components) -> ::fastrs::serde_json::Value {
                    ::fastrs::model::union::untagged_schema(#variant_schemas, __fastrs_components)
                }
            }

            impl ::fastrs::model::FastDeserialize for #name {
                fn deserialize_fast<'de, D: ::fastrs::serde::Deserializer<'de>>(
                    __fastrs_d: D,
                ) -> ::core::result::Result<Self, D::Error> {
                    let __fastrs_value: ::fastrs::serde_json::Value = ::fastrs::serde::Deserialize::deserialize(__fastrs_d)?;
                    let mut __fastrs_best: ::core::option::Option<(usize, Self)> = ::core::option::Option::None;
                    #(
                        if let ::core::option::Option::Some(__fastrs_v) = ::fastrs::model::union::fast_attempt::<#types>(&__fastrs_value) {
                            let __fastrs_n = ::fastrs::model::union::fields_set::<#types>(&__fastrs_value);
                            if __fastrs_best.as_ref().is_none_or(|(__fastrs_m, _)| __fastrs_n > *__fastrs_m) {
                                __fastrs_best = ::core::option::Option::Some((__fastrs_n, Self::#variants(__fastrs_v)));
                            }
                        }
                    )*
                    __fastrs_best
                        .map(|(_, __fastrs_v)| __fastrs_v)
                        .ok_or_else(|| <D::Error as ::fastrs::serde::de::Error>::custom("no variant fits"))
                }
            }

            impl ::fastrs::model::Validate for #name {
                fn validate(
                    __fastrs_value: &::fastrs::serde_json::Value,
                    _: &::fastrs::model::Constraints,
                    __fastrs_cx: &mut ::fastrs::model::ValidateCx<'_>,
                ) -> ::core::option::Option<Self> {
                    let mut __fastrs_all = ::std::vec::Vec::new();
                    let mut __fastrs_best: ::core::option::Option<(usize, Self)> = ::core::option::Option::None;
                    #(
                        match ::fastrs::model::union::attempt::<#types>(__fastrs_value, __fastrs_cx) {
                            ::core::result::Result::Ok(__fastrs_v) => {
                                let __fastrs_n = ::fastrs::model::union::fields_set::<#types>(__fastrs_value);
                                if __fastrs_best.as_ref().is_none_or(|(__fastrs_m, _)| __fastrs_n > *__fastrs_m) {
                                    __fastrs_best = ::core::option::Option::Some((__fastrs_n, Self::#variants(__fastrs_v)));
                                }
                            }
                            ::core::result::Result::Err(__fastrs_errors) => __fastrs_all.push(__fastrs_errors),
                        }
                    )*
                    if let ::core::option::Option::Some((_, __fastrs_v)) = __fastrs_best {
                        return ::core::option::Option::Some(__fastrs_v);
                    }
                    ::fastrs::model::union::no_variant_fits(__fastrs_all, __fastrs_cx);
                    ::core::option::Option::None
                }
            }
        });
    };
    Ok(quote! {
        #common

        impl ::fastrs::serde::Serialize for #name {
            fn serialize<__S: ::fastrs::serde::Serializer>(
                &self,
                __fastrs_s: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                #[derive(::fastrs::serde::Serialize)]
                #[serde(crate = "::fastrs::serde")]
                struct __FastrsTagged<'a, T: ::fastrs::serde::Serialize> {
                    #[serde(rename = #discriminator)]
                    tag: &'static str,
                    #[serde(flatten)]
                    value: &'a T,
                }
                match self {
                    #(Self::#variants(__fastrs_v) => ::fastrs::serde::Serialize::serialize(
                        &__FastrsTagged { tag: #tags, value: __fastrs_v },
                        __fastrs_s,
                    ),)*
                }
            }
        }

        impl ::fastrs::openapi::JsonSchema for #name {
            fn json_schema(__fastrs_components: &mut ::fastrs::openapi::Components) -> ::fastrs::serde_json::Value {
                ::fastrs::model::union::tagged_schema(#discriminator, #variant_schemas, __fastrs_components)
            }
        }

        impl #name {
            /// The tag of each variant, in declaration order.
            pub const TAGS: &'static [&'static str] = &[#(#tags),*];
        }

        impl ::fastrs::model::FastDeserialize for #name {
            fn deserialize_fast<'de, D: ::fastrs::serde::Deserializer<'de>>(
                __fastrs_d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                let __fastrs_value: ::fastrs::serde_json::Value = ::fastrs::serde::Deserialize::deserialize(__fastrs_d)?;
                match ::fastrs::model::union::fast_tag_index(&__fastrs_value, #discriminator, Self::TAGS) {
                    #(::core::option::Option::Some(#indexes) => ::fastrs::model::union::fast_variant::<#types, D::Error>(__fastrs_value, #discriminator).map(Self::#variants),)*
                    _ => ::core::result::Result::Err(<D::Error as ::fastrs::serde::de::Error>::custom("bad tag")),
                }
            }
        }

        impl ::fastrs::model::Validate for #name {
            fn validate(
                __fastrs_value: &::fastrs::serde_json::Value,
                _: &::fastrs::model::Constraints,
                __fastrs_cx: &mut ::fastrs::model::ValidateCx<'_>,
            ) -> ::core::option::Option<Self> {
                match ::fastrs::model::union::tag_index(__fastrs_value, #discriminator, Self::TAGS, __fastrs_cx)? {
                    #(#indexes => ::fastrs::model::union::validate_variant::<#types>(__fastrs_value, #discriminator, #tags, __fastrs_cx).map(Self::#variants),)*
                    _ => ::core::option::Option::None,
                }
            }
        }
    })
}
