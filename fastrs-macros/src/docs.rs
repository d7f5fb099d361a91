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

/// An endpoint's description from its doc comment: cut where FastAPI cuts
/// a docstring, at a form feed (`\f`): what follows is for other readers
/// (`:param item:` notes). In a doc comment, a line `\f` (backslash, f)
/// marks the cut, as the Python source writes it.
pub(crate) fn route_description(attrs: &[Attribute]) -> Option<String> {
    let text = doc_text(attrs)?;
    let cut = text
        .split('\u{c}')
        .next()
        .unwrap_or_default()
        .split('\n')
        .take_while(|line| line.trim() != "\\f")
        .collect::<Vec<_>>()
        .join("\n");
    let cut = cut.trim();
    (!cut.is_empty()).then(|| cut.to_owned())
}

#[cfg(test)]
mod tests {
    use super::route_description;

    #[test]
    fn a_description_is_cut_at_a_form_feed_line() {
        let function: syn::ItemFn = syn::parse_quote! {
            /// Create an item with all the information:
            ///
            /// - **name**: each item must have a name
            /// \f
            /// :param item: User input.
            fn create_item() {}
        };
        assert_eq!(
            route_description(&function.attrs).as_deref(),
            Some("Create an item with all the information:\n\n- **name**: each item must have a name")
        );
        let plain: syn::ItemFn = syn::parse_quote! {
            /// A path like C:\files stays whole.
            fn read() {}
        };
        assert_eq!(
            route_description(&plain.attrs).as_deref(),
            Some("A path like C:\\files stays whole.")
        );
    }
}
