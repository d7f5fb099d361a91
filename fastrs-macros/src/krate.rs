//! The name under which the calling crate knows fastrs.
//!
//! Generated code names `::fastrs::...` only. A crate that renames the
//! dependency (`web = { package = "fastrs", ... }` in its Cargo.toml) has
//! no `::fastrs`, so every macro's output goes through [`rename`], which
//! rewrites the leading `::fastrs` of each path to the name the crate
//! chose. The name is read from the crate's manifest, once per crate: a
//! `[*dependencies]` entry whose `package` is `"fastrs"`, written as an
//! inline table on one line or as a `[dependencies.name]` table. (A rename
//! inherited from `[workspace.dependencies]` is not seen: rename it in the
//! member's own manifest.)

use std::sync::Mutex;

use proc_macro2::{Group, Ident, TokenStream, TokenTree};

/// The manifest last read and the name found there (`None`: `fastrs`).
static FOUND: Mutex<Option<(String, Option<String>)>> = Mutex::new(None);

/// The calling crate's name for fastrs when it renamed it.
fn renamed() -> Option<String> {
    let dir = std::env::var("CARGO_MANIFEST_DIR").ok()?;
    let mut found = FOUND.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((seen, name)) = found.as_ref() {
        if *seen == dir {
            return name.clone();
        }
    }
    let manifest = std::fs::read_to_string(std::path::Path::new(&dir).join("Cargo.toml"));
    let name = manifest.ok().and_then(|text| renamed_in(&text));
    *found = Some((dir, name.clone()));
    name
}

/// The key of the dependency on the `fastrs` package when it is not
/// `fastrs`, in the text of a Cargo.toml.
fn renamed_in(manifest: &str) -> Option<String> {
    let mut table = String::new();
    for line in manifest.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            table = header.trim().to_owned();
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let (key, value) = (key.trim().trim_matches('"'), value.trim());
        // `[dependencies.web]` with `package = "fastrs"`.
        if let Some((deps, name)) = table.rsplit_once('.') {
            if deps.ends_with("dependencies") && key == "package" && is_fastrs(value) {
                return Some(name.trim().trim_matches('"').replace('-', "_"));
            }
        }
        // `web = { package = "fastrs", ... }` in a dependencies table.
        if table.ends_with("dependencies") && value.starts_with('{') {
            let names_fastrs = value
                .trim_matches(['{', '}'])
                .split(',')
                .filter_map(|pair| pair.split_once('='))
                .any(|(k, v)| k.trim() == "package" && is_fastrs(v.trim()));
            if names_fastrs && key != "fastrs" {
                return Some(key.replace('-', "_"));
            }
        }
    }
    None
}

fn is_fastrs(value: &str) -> bool {
    value.trim_matches(['"', '\'']) == "fastrs"
}

/// `tokens` with each path's leading `::fastrs` renamed as the calling
/// crate renamed the dependency.
pub(crate) fn rename(tokens: TokenStream) -> TokenStream {
    match renamed() {
        Some(name) => rewrite(tokens, &name),
        None => tokens,
    }
}

fn rewrite(tokens: TokenStream, name: &str) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    for token in tokens {
        let token = match token {
            TokenTree::Group(group) => {
                let mut new = Group::new(group.delimiter(), rewrite(group.stream(), name));
                new.set_span(group.span());
                TokenTree::Group(new)
            }
            TokenTree::Ident(ident) if ident == "fastrs" && after_path_start(&out) => {
                TokenTree::Ident(Ident::new(name, ident.span()))
            }
            // `#[serde(crate = "::fastrs::serde")]`: a path in a string.
            TokenTree::Literal(literal) if literal.to_string() == "\"::fastrs::serde\"" => {
                let mut new = proc_macro2::Literal::string(&format!("::{name}::serde"));
                new.set_span(literal.span());
                TokenTree::Literal(new)
            }
            other => other,
        };
        out.push(token);
    }
    out.into_iter().collect()
}

/// True when the tokens so far end with a `::` that starts a path (not
/// `a::fastrs`, which is some other item named fastrs; a keyword before
/// the `::`, as in `use ::fastrs`, still starts one).
fn after_path_start(out: &[TokenTree]) -> bool {
    const KEYWORDS: &[&str] = &[
        "use", "pub", "as", "in", "impl", "for", "dyn", "where", "return", "let", "mut", "ref",
        "const", "static", "type", "fn", "struct", "enum", "match", "if", "else", "move", "await",
        "break", "yield", "unsafe", "async",
    ];
    let n = out.len();
    let colons = n >= 2
        && matches!(&out[n - 1], TokenTree::Punct(p) if p.as_char() == ':')
        && matches!(&out[n - 2], TokenTree::Punct(p) if p.as_char() == ':');
    let lifetime = n >= 4 && matches!(&out[n - 4], TokenTree::Punct(p) if p.as_char() == '\'');
    let after_a_name = n >= 3
        && !lifetime
        && matches!(&out[n - 3], TokenTree::Ident(i) if !KEYWORDS.contains(&i.to_string().as_str()));
    colons && !after_a_name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rename_is_found_in_either_spelling_and_nothing_else_counts() {
        let inline = "[package]\nname = \"app\"\n\n[dependencies]\nserde = \"1\"\nweb = { package = \"fastrs\", path = \"../fastrs\" } # renamed\n";
        assert_eq!(renamed_in(inline).as_deref(), Some("web"));
        let table = "[dev-dependencies.my-web]\npackage = \"fastrs\"\nversion = \"0.1\"\n";
        assert_eq!(renamed_in(table).as_deref(), Some("my_web"));
        let plain = "[dependencies]\nfastrs = { path = \"../fastrs\", features = [\"uuid\"] }\n";
        assert_eq!(renamed_in(plain), None);
        let other =
            "[dependencies]\nweb = { package = \"fastrs-extra\" }\n[package]\nname = \"fastrs\"\n";
        assert_eq!(renamed_in(other), None);
    }

    #[test]
    fn only_paths_that_start_with_fastrs_are_renamed() {
        let tokens: TokenStream =
            "use ::fastrs::App; x::fastrs::y; &'a ::fastrs::Arg; ::fastrs::f(::fastrs::g); #[serde(crate = \"::fastrs::serde\")]"
                .parse()
                .unwrap();
        assert_eq!(
            rewrite(tokens, "web").to_string(),
            "use :: web :: App ; x :: fastrs :: y ; &'a :: web :: Arg ; :: web :: f (:: web :: g) ; # [serde (crate = \"::web::serde\")]"
        );
    }
}
