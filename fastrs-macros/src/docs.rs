//! Doc comments to text, as Python's `inspect.cleandoc` treats docstrings:
//! common indentation removed, leading and trailing blank lines dropped.

use syn::{Attribute, Expr, ExprLit, Lit, Meta};

/// The doc comment of `attrs`, cleaned; `None` when there is none.
pub(crate) fn doc_text(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        // `"".lines()` is empty, but a bare `///` is a blank line to keep.
        .flat_map(|s| s.split('\n').map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let cleaned: Vec<&str> = lines
        .iter()
        .map(|l| {
            if l.len() >= indent {
                l[indent..].trim_end()
            } else {
                l.trim()
            }
        })
        .collect();
    let start = cleaned.iter().position(|l| !l.is_empty())?;
    let end = cleaned.iter().rposition(|l| !l.is_empty())?;
    Some(cleaned[start..=end].join("\n"))
}
