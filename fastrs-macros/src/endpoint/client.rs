//! The typed-client call of an endpoint (fastrs's feature `client`).
//!
//! Beside `fn name() -> RouteEndpoint`, a trait of the same name (traits
//! and functions live in different namespaces, so importing the endpoint
//! imports its call) with one method, `name`, implemented for
//! `fastrs::client::Client`. What the method takes and returns is computed
//! by the runtime from the argument types (`fastrs::client::ArgList`) and
//! the return type or `response_model` (`fastrs::client::ClientAnswer`);
//! the bounds name the implementor, so an endpoint the client cannot call
//! is an error where its method is called, not where it is declared.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::attr::EndpointAttr;
use crate::args::{self, Arg};

/// The trait and its impl; nothing for WebSocket routes, webhooks and
/// callbacks (no call of them is an HTTP call to this service).
pub(crate) fn typed_call(
    attr: &EndpointAttr,
    function: &syn::ItemFn,
    args: &[Arg],
    returns: &TokenStream,
    documents_only: bool,
) -> TokenStream {
    if attr.websocket || documents_only {
        return TokenStream::new();
    }
    let vis = &function.vis;
    let name = &function.sig.ident;
    let method = &attr.method;
    let path = &attr.path;
    let caller = format_ident!("__FastrsCaller");
    let same = |ty: TokenStream| quote!(<#caller as ::fastrs::client::Caller>::Same<#ty>);
    // `(A0, (A1, ()))`: the arguments as the runtime's type-level list.
    let list = args.iter().rev().fold(quote!(()), |rest, arg| {
        // A named provider's value is never sent: its type (which may
        // be private to the crate) is left out of the public trait.
        let ty = match arg.depends {
            Some(_) => quote!(::fastrs::client::NotSent),
            None => arg.extracted_type(),
        };
        quote!((#ty, #rest))
    });
    let answer = match &attr.response_model {
        Some(model) => quote!(::fastrs::client::Modelled<#model>),
        None => returns.clone(),
    };
    // The trait's parameter names the types the impl is about, so that an
    // impl naming a type private to the crate is private itself (a public
    // endpoint may take `Depends<Db>` of a private `Db`).
    let declared = quote!((#list, #answer));
    let list = same(list);
    let answer = same(answer);
    let statics = args::spec_statics(args, false);
    let refs = args::spec_refs(args);
    let summary = format!(
        "The typed client's call of `{} {}` (endpoint [`{}()`]).",
        method,
        path.value(),
        name
    );
    quote! {
        #[doc = #summary]
        ///
        /// `Args` is the tuple of the values sent (path, query, header,
        /// cookie and body arguments, in order); `Output` is the success
        /// model. See `fastrs::client`.
        #[allow(non_camel_case_types)]
        #vis trait #name<__FastrsDeclared> {
            /// The values the call sends, in the order of the endpoint's
            /// arguments (dependencies are not sent).
            type Args;
            /// What a success answer holds.
            type Output;
            #[doc = #summary]
            fn #name(
                &self,
                args: Self::Args,
            ) -> impl ::core::future::Future<
                Output = ::core::result::Result<Self::Output, ::fastrs::client::ClientError>,
            > + ::core::marker::Send;
        }

        impl<#caller: ::fastrs::client::Caller> #name<#declared> for #caller
        where
            #list: ::fastrs::client::ArgList,
            #answer: ::fastrs::client::ClientAnswer,
        {
            type Args = <#list as ::fastrs::client::ArgList>::Values;
            type Output = <#answer as ::fastrs::client::ClientAnswer>::Success;

            fn #name(
                &self,
                args: Self::Args,
            ) -> impl ::core::future::Future<
                Output = ::core::result::Result<Self::Output, ::fastrs::client::ClientError>,
            > + ::core::marker::Send {
                #statics
                static __FASTRS_CALL: ::fastrs::client::Call = ::fastrs::client::Call {
                    method: ::fastrs::http::Method::#method,
                    path: #path,
                };
                ::fastrs::client::call::<#list, #answer>(
                    ::fastrs::client::Caller::client(self),
                    &__FASTRS_CALL,
                    &[#(#refs),*],
                    args,
                )
            }
        }
    }
}
