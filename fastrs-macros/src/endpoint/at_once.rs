//! Whether an endpoint's function never awaits, so that it can be written
//! as a plain `fn` and its route answered in place (the runtime's
//! `AnswerAtOnce`), with no future allocated for the request.
//!
//! Read from the tokens, and on the safe side: the body has no `await`
//! anywhere (inside macro invocations and closures too), calls no macro
//! outside a list of macros that never hide one, and the function carries
//! no attribute but lint levels and hints, which cannot add an `.await`.
//! A body this misses (one that awaits through an unlisted macro, say)
//! keeps its future: slower, never wrong. And were a listed name shadowed
//! by a macro that does await, the plain `fn` would not compile: the
//! mistake cannot reach a running server.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ItemFn;

/// Macros that take expressions and never await: the standard library's,
/// `serde_json`'s `json!`, and the `log`/`tracing` event macros.
const NEVER_AWAIT: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "cfg",
    "column",
    "concat",
    "dbg",
    "debug",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "env",
    "eprint",
    "eprintln",
    "error",
    "file",
    "format",
    "format_args",
    "include_bytes",
    "include_str",
    "info",
    "json",
    "line",
    "matches",
    "module_path",
    "option_env",
    "panic",
    "print",
    "println",
    "stringify",
    "todo",
    "trace",
    "unimplemented",
    "unreachable",
    "vec",
    "warn",
    "write",
    "writeln",
];

/// Attributes that change nothing a function does.
const INERT_ATTRIBUTES: &[&str] = &[
    "allow", "cold", "deny", "doc", "expect", "forbid", "inline", "must_use", "warn",
];

/// Keywords that a `!` may follow without making a macro call (`if !(a)`).
const KEYWORDS: &[&str] = &[
    "break", "else", "if", "in", "let", "match", "return", "while",
];

/// True when `function` never awaits (see the module docs).
pub(crate) fn never_awaits(function: &ItemFn) -> bool {
    let inert = |attribute: &syn::Attribute| {
        INERT_ATTRIBUTES
            .iter()
            .any(|name| attribute.path().is_ident(name))
    };
    function.attrs.iter().all(inert) && tokens_never_await(function.block.to_token_stream())
}

fn tokens_never_await(tokens: TokenStream) -> bool {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Ident(ident) if ident == "await" => return false,
            TokenTree::Group(group) if !tokens_never_await(group.stream()) => return false,
            TokenTree::Punct(bang) if bang.as_char() == '!' && bang.spacing() == Spacing::Alone => {
                let called = match (i.checked_sub(1).map(|p| &tokens[p]), tokens.get(i + 1)) {
                    (Some(TokenTree::Ident(name)), Some(TokenTree::Group(group))) => {
                        group.delimiter() != Delimiter::None
                            && !KEYWORDS.iter().any(|keyword| name == keyword)
                            && !NEVER_AWAIT.iter().any(|known| name == known)
                    }
                    _ => false,
                };
                if called {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn never(function: TokenStream) -> bool {
        never_awaits(&syn::parse2(function).expect("a function"))
    }

    #[test]
    fn a_body_without_await_or_macros_never_awaits() {
        assert!(never(quote! {
            async fn plaintext() -> &'static str { "Hello, World!" }
        }));
        assert!(never(quote! {
            async fn read(id: i64, q: Option<String>) -> Json<Value> {
                if !(id > 0) { return Json(json!({"id": id})); }
                let same = id != 0 && !q.is_some();
                Json(json!({"id": id, "q": q, "same": same, "text": format!("{id}")}))
            }
        }));
    }

    #[test]
    fn await_anywhere_in_the_body_means_it_may_wait() {
        assert!(!never(quote! {
            async fn f() -> String { other().await }
        }));
        // Inside a closure, a block and a listed macro's arguments too.
        assert!(!never(quote! {
            async fn f() -> String { let g = || async { x.await }; String::new() }
        }));
        assert!(!never(quote! {
            async fn f() -> Json<Value> { Json(json!({"a": { a().await }})) }
        }));
    }

    #[test]
    fn an_unlisted_macro_may_hide_an_await() {
        assert!(!never(quote! {
            async fn f() -> String { tokio::join!(a(), b()); String::new() }
        }));
        assert!(!never(quote! {
            async fn f() -> String { my_macro![x]; String::new() }
        }));
        assert!(!never(quote! {
            async fn f() -> String { select! { _ = a => {} }; String::new() }
        }));
    }

    #[test]
    fn an_attribute_that_may_rewrite_the_function_means_it_may_wait() {
        assert!(!never(quote! {
            #[tracing::instrument]
            async fn f() -> String { String::new() }
        }));
        assert!(never(quote! {
            #[allow(clippy::needless_return)]
            async fn f() -> String { return String::new(); }
        }));
    }
}
