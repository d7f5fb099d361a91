//! `#[param(...)]` on endpoint arguments and `#[field(...)]` on model
//! fields: one parser, since FastAPI gives both the same options.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, ExprUnary, Ident, Lit, LitBool, LitInt, LitStr, Token, UnOp};

/// The options of `#[param(...)]`.
#[derive(Default)]
pub(crate) struct ParamAttr {
    pub alias: Option<LitStr>,
    pub title: Option<LitStr>,
    pub description: Option<LitStr>,
    pub deprecated: bool,
    pub include_in_schema: Option<bool>,
    pub default: Option<Expr>,
    /// `default_factory = EXPR` (on a `#[field]`): a default made by `EXPR`
    /// for each value and not written in the schema, as Pydantic leaves a
    /// `default_factory` out.
    pub default_factory: bool,
    /// `required` (on an `Option` `#[field]`): the key must be sent, and
    /// may be `null` (Pydantic's `x: str | None` without a default).
    pub required: bool,
    pub min_length: Option<LitInt>,
    pub max_length: Option<LitInt>,
    pub pattern: Option<LitStr>,
    pub gt: Option<TokenStream>,
    pub ge: Option<TokenStream>,
    pub lt: Option<TokenStream>,
    pub le: Option<TokenStream>,
    pub multiple_of: Option<TokenStream>,
    pub convert_underscores: Option<bool>,
    /// `examples = [...]`, written as JSON (or an expression).
    pub examples: Option<TokenStream>,
    /// `openapi_examples = {"name": {"summary": ..., "value": ...}}`
    /// (on a `#[param]`): the parameter's or body's named examples.
    pub openapi_examples: Option<TokenStream>,
    /// `body`: a scalar argument read from the JSON body.
    pub body: bool,
    /// `embed`: a single body argument nested under its name.
    pub embed: bool,
    /// `use_cache = false` on a `Depends` argument: run the provider again.
    pub use_cache: Option<bool>,
    /// `scopes = ["me", ...]` on a `Depends` argument: the OAuth2 scopes
    /// its security schemes require (FastAPI's `Security(dep, scopes=...)`).
    pub scopes: Vec<LitStr>,
    /// `allow_inf_nan`: a float may be NaN or infinite (Pydantic's
    /// `allow_inf_nan=True`); refused with `finite_number` by default.
    pub allow_inf_nan: bool,
    /// `validate = path::to::fn` on a model field: a function
    /// `fn(T) -> Result<T, E>` run after the type and constraint checks
    /// (Pydantic's `@field_validator`); `E`'s text is the `value_error`.
    pub validate: Option<Expr>,
}

/// Which attribute the options are written in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttrKind {
    /// `#[param(...)]` on an endpoint or dependency argument.
    Param,
    /// `#[field(...)]` on a model field.
    Field,
}

impl AttrKind {
    fn name(self) -> &'static str {
        match self {
            AttrKind::Param => "#[param]",
            AttrKind::Field => "#[field]",
        }
    }

    /// The options this attribute takes: those both take, then its own.
    fn options(self) -> Vec<&'static str> {
        const BOTH: &[&str] = &[
            "alias",
            "title",
            "description",
            "deprecated",
            "include_in_schema",
            "default",
            "min_length",
            "max_length",
            "pattern",
            "gt",
            "ge",
            "lt",
            "le",
            "multiple_of",
            "examples",
            "allow_inf_nan",
        ];
        let own: &[&str] = match self {
            AttrKind::Param => &[
                "openapi_examples",
                "required",
                "convert_underscores",
                "body",
                "embed",
                "use_cache",
                "scopes",
            ],
            AttrKind::Field => &["validate", "default_factory", "required"],
        };
        BOTH.iter().chain(own).copied().collect()
    }
}

/// A `pattern` is a literal: a mistake in it is a compile error here, with
/// the regex crate's own explanation.
#[cfg(feature = "patterns")]
fn check_pattern(_: &syn::Ident, pattern: &LitStr) -> syn::Result<()> {
    regex_syntax::Parser::new()
        .parse(&pattern.value())
        .map(|_| ())
        .map_err(|error| {
            syn::Error::new(
                pattern.span(),
                format!("this pattern is not a valid regular expression (Rust's `regex` syntax, which has no look-around or backreferences):\n{error}"),
            )
        })
}

/// Without the regex engine (fastrs's feature `patterns`), a `pattern`
/// is a compile error that says which feature to turn on.
#[cfg(not(feature = "patterns"))]
fn check_pattern(key: &syn::Ident, _: &LitStr) -> syn::Result<()> {
    Err(syn::Error::new(
        key.span(),
        "`pattern` needs fastrs's cargo feature `patterns` (the regex engine), which is off: \
         in Cargo.toml, fastrs = { version = \"...\", features = [\"patterns\"] }",
    ))
}

/// The names FastAPI, Pydantic or older versions use for an option, and
/// the fastrs option that does the same.
const OTHER_SPELLINGS: &[(&str, &str)] = &[
    ("minimum", "ge"),
    ("maximum", "le"),
    ("exclusive_minimum", "gt"),
    ("exclusive_maximum", "lt"),
    ("min", "ge"),
    ("max", "le"),
    ("regex", "pattern"),
    ("min_items", "min_length"),
    ("max_items", "max_length"),
    ("example", "examples"),
    ("default_factory", "default"),
    ("validator", "validate"),
    ("validation_alias", "alias"),
    ("status_code", "status"),
];

/// The option `unknown` was probably meant to be: its FastAPI spelling, or
/// the closest name (at most two edits away).
pub(crate) fn suggest(unknown: &str, options: &[&'static str]) -> Option<&'static str> {
    if let Some((_, known)) = OTHER_SPELLINGS
        .iter()
        .find(|(other, known)| *other == unknown && options.contains(known))
    {
        return Some(known);
    }
    options
        .iter()
        .map(|option| (edit_distance(unknown, option), *option))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, option)| option)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

/// "unknown #[x] option `y`" with a suggestion and the list of options.
pub(crate) fn unknown_option(attr: &str, key: &Ident, options: &[&'static str]) -> syn::Error {
    let other = key.to_string();
    let hint = match suggest(&other, options) {
        Some(known) => format!(": did you mean `{known}`?"),
        None => ".".to_owned(),
    };
    syn::Error::new(
        key.span(),
        format!(
            "unknown {attr} option `{other}`{hint} The options are {}.",
            options.join(", ")
        ),
    )
}

impl ParamAttr {
    /// The options of `attr`, an attribute of the given kind: every
    /// mistake in it reported, each at its token.
    pub(crate) fn parse_attr(attr: &syn::Attribute, kind: AttrKind) -> syn::Result<Self> {
        attr.parse_args_with(|input: ParseStream| Self::parse_options(input, kind))
    }

    fn parse_options(input: ParseStream, kind: AttrKind) -> syn::Result<Self> {
        let mut attr = ParamAttr::default();
        let mut errors: Option<syn::Error> = None;
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            let options = kind.options();
            let known = options.contains(&key.to_string().as_str());
            let result = if known {
                attr.option(&key, input)
            } else if kind == AttrKind::Param && key == "validate" {
                let _: Token![=] = input.parse()?;
                let _: Expr = input.parse()?;
                Err(syn::Error::new(
                    key.span(),
                    "`validate` is an option of `#[field]`: declare a constrained type \
                     (`#[model] struct Name(#[field(validate = check_name)] String);`) \
                     and take it as the parameter",
                ))
            } else {
                // Skip the value so the next option still parses.
                if input.parse::<Token![=]>().is_ok() {
                    let _: Expr = input.parse()?;
                } else if input.peek(syn::token::Paren) {
                    let _: proc_macro2::Group = input.parse()?;
                }
                Err(unknown_option(kind.name(), &key, &options))
            };
            if let Err(e) = result {
                match &mut errors {
                    Some(all) => all.combine(e),
                    None => errors = Some(e),
                }
            }
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        match errors {
            Some(e) => Err(e),
            None => Ok(attr),
        }
    }

    /// The options after the provider in `#[depends(provider, ...)]`:
    /// FastAPI's `use_cache` and `Security`'s `scopes`.
    pub(crate) fn depends_options(&mut self, input: ParseStream) -> syn::Result<()> {
        const OPTIONS: &[&str] = &["use_cache", "scopes"];
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            if !OPTIONS.contains(&key.to_string().as_str()) {
                return Err(unknown_option("#[depends]", &key, OPTIONS));
            }
            self.option(&key, input)?;
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(())
    }

    fn option(&mut self, key: &Ident, input: ParseStream) -> syn::Result<()> {
        let eq = |input: ParseStream| input.parse::<Token![=]>().map(|_| ());
        match key.to_string().as_str() {
            "alias" => {
                eq(input)?;
                self.alias = Some(input.parse()?)
            }
            "title" => {
                eq(input)?;
                self.title = Some(input.parse()?)
            }
            "description" => {
                eq(input)?;
                self.description = Some(input.parse()?)
            }
            "pattern" => {
                eq(input)?;
                let pattern: LitStr = input.parse()?;
                check_pattern(key, &pattern)?;
                self.pattern = Some(pattern)
            }
            "min_length" => {
                eq(input)?;
                self.min_length = Some(input.parse()?)
            }
            "max_length" => {
                eq(input)?;
                self.max_length = Some(input.parse()?)
            }
            "default" => {
                eq(input)?;
                self.default = Some(input.parse()?)
            }
            "default_factory" => {
                eq(input)?;
                self.default = Some(input.parse()?);
                self.default_factory = true;
            }
            "examples" => {
                eq(input)?;
                self.examples = Some(json_tokens(input)?)
            }
            "openapi_examples" => {
                eq(input)?;
                self.openapi_examples = Some(json_tokens(input)?)
            }
            "validate" => {
                eq(input)?;
                self.validate = Some(input.parse()?)
            }
            "scopes" => {
                eq(input)?;
                let list: syn::ExprArray = input.parse()?;
                for item in list.elems {
                    match item {
                        Expr::Lit(ExprLit {
                            lit: Lit::Str(scope),
                            ..
                        }) => self.scopes.push(scope),
                        other => {
                            return Err(syn::Error::new(
                                other.span(),
                                "a scope is a string literal: `scopes = [\"me\", \"items\"]`",
                            ))
                        }
                    }
                }
            }
            "allow_inf_nan" => self.allow_inf_nan = flag(input)?,
            "body" => self.body = flag(input)?,
            "use_cache" => self.use_cache = Some(flag(input)?),
            "embed" => self.embed = flag(input)?,
            "deprecated" => self.deprecated = flag(input)?,
            "required" => self.required = flag(input)?,
            "include_in_schema" => self.include_in_schema = Some(flag(input)?),
            "convert_underscores" => self.convert_underscores = Some(flag(input)?),
            "gt" => {
                eq(input)?;
                self.gt = Some(number(input)?)
            }
            "ge" => {
                eq(input)?;
                self.ge = Some(number(input)?)
            }
            "lt" => {
                eq(input)?;
                self.lt = Some(number(input)?)
            }
            "le" => {
                eq(input)?;
                self.le = Some(number(input)?)
            }
            "multiple_of" => {
                eq(input)?;
                self.multiple_of = Some(number(input)?)
            }
            other => unreachable!("`{other}` is checked against the options first"),
        }
        Ok(())
    }

    /// `examples = [...]` as `Option<fn() -> serde_json::Value>`, for the schema.
    pub(crate) fn examples_fn(&self) -> TokenStream {
        json_fn(self.examples.as_ref())
    }

    /// `openapi_examples = {...}` as `Option<fn() -> serde_json::Value>`.
    pub(crate) fn openapi_examples_fn(&self) -> TokenStream {
        json_fn(self.openapi_examples.as_ref())
    }

    /// The `::fastrs::model::Constraints` value these options declare.
    /// Compile-time checks that the constraints given can apply to `ty`
    /// (`min_length` on a number is an error at `min_length`'s value).
    pub(crate) fn applicability(&self, ty: &syn::Type) -> TokenStream {
        let mut checks = TokenStream::new();
        let first = |values: &[Option<proc_macro2::Span>]| values.iter().flatten().next().copied();
        let length = first(&[
            self.min_length.as_ref().map(LitInt::span),
            self.max_length.as_ref().map(LitInt::span),
        ]);
        let span_of = |v: &Option<TokenStream>| {
            v.as_ref()
                .and_then(|t| t.clone().into_iter().next())
                .map(|t| t.span())
        };
        let comparison = first(&[
            span_of(&self.gt),
            span_of(&self.ge),
            span_of(&self.lt),
            span_of(&self.le),
            span_of(&self.multiple_of),
        ]);
        let pattern = self.pattern.as_ref().map(LitStr::span);
        for (span, check) in [
            (length, quote::format_ident!("has_length")),
            (comparison, quote::format_ident!("comparable")),
            (pattern, quote::format_ident!("matchable")),
        ] {
            if let Some(span) = span {
                let ty = respanned(ty, span);
                checks.extend(quote::quote_spanned! {span=>
                    const _: () = ::fastrs::model::#check::<#ty>();
                });
            }
        }
        checks
    }

    ///
    /// Only the constraints given are written, the rest taken from
    /// `Constraints::NONE`: most parameters and fields have none, and each
    /// line written is compiled in every app.
    pub(crate) fn constraints(&self) -> TokenStream {
        self.constraints_given()
            .unwrap_or_else(|| quote!(::fastrs::model::Constraints::NONE))
    }

    /// The `::fastrs::model::Constraints` value, when some constraint is
    /// given.
    pub(crate) fn constraints_given(&self) -> Option<TokenStream> {
        let some = |field: &str, value: Option<TokenStream>| {
            value.map(|value| {
                let field = format_ident!("{field}");
                quote!(#field: ::core::option::Option::Some(#value),)
            })
        };
        let pattern = self.pattern.as_ref().map(|p| {
            quote!({
                static PATTERN: ::fastrs::model::Pattern = ::fastrs::model::Pattern::new(#p);
                &PATTERN
            })
        });
        let given = [
            some("min_length", self.min_length.as_ref().map(|n| quote!(#n))),
            some("max_length", self.max_length.as_ref().map(|n| quote!(#n))),
            some("pattern", pattern),
            some("gt", self.gt.clone()),
            some("ge", self.ge.clone()),
            some("lt", self.lt.clone()),
            some("le", self.le.clone()),
            some("multiple_of", self.multiple_of.clone()),
            self.allow_inf_nan.then(|| quote!(allow_inf_nan: true,)),
        ];
        let given: Vec<TokenStream> = given.into_iter().flatten().collect();
        (!given.is_empty()).then(|| {
            quote! {
                ::fastrs::model::Constraints { #(#given)* ..::fastrs::model::Constraints::NONE }
            }
        })
    }
}

/// A numeric literal, possibly negative, as a `::fastrs::model::Number`.
fn number(input: ParseStream) -> syn::Result<TokenStream> {
    let expr: Expr = input.parse()?;
    let (negative, lit) = match &expr {
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => (true, &**expr),
        other => (false, other),
    };
    let sign = if negative { quote!(-) } else { quote!() };
    match lit {
        Expr::Lit(ExprLit {
            lit: Lit::Int(i), ..
        }) => {
            let v: i64 = i.base10_parse()?;
            Ok(quote_spanned!(expr.span()=> ::fastrs::model::Number::Int(#sign #v)))
        }
        Expr::Lit(ExprLit {
            lit: Lit::Float(f), ..
        }) => {
            let v: f64 = f.base10_parse()?;
            Ok(quote_spanned!(expr.span()=> ::fastrs::model::Number::Float(#sign #v)))
        }
        _ => Err(syn::Error::new(
            expr.span(),
            "expected a number literal, such as 0, 10 or 10.5",
        )),
    }
}

/// `flag` alone means true; `flag = false` is also accepted.
pub(crate) fn flag(input: ParseStream) -> syn::Result<bool> {
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        Ok(input.parse::<LitBool>()?.value)
    } else {
        Ok(true)
    }
}

/// `ty` with every token's span set to `span`, so that an error about the
/// type as a whole points at `span` (the option that needs it).
fn respanned(ty: &syn::Type, span: proc_macro2::Span) -> TokenStream {
    fn set(tokens: TokenStream, span: proc_macro2::Span) -> TokenStream {
        tokens
            .into_iter()
            .map(|mut token| {
                if let proc_macro2::TokenTree::Group(group) = &token {
                    let mut new =
                        proc_macro2::Group::new(group.delimiter(), set(group.stream(), span));
                    new.set_span(span);
                    token = proc_macro2::TokenTree::Group(new);
                } else {
                    token.set_span(span);
                }
                token
            })
            .collect()
    }
    set(quote::quote!(#ty), span)
}

/// A JSON value written as it is (`{"id": "bar"}`, `[1, 2]`, `"text"`), up
/// to the next `,` at its level: the tokens of `serde_json::json!`.
pub(crate) fn json_tokens(input: ParseStream) -> syn::Result<TokenStream> {
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        let tree: proc_macro2::TokenTree = input.parse()?;
        tokens.extend(std::iter::once(tree));
    }
    if tokens.is_empty() {
        return Err(input.error("expected a JSON value: `example = {\"id\": \"bar\"}`"));
    }
    Ok(tokens)
}

/// JSON written in an attribute (`examples = [...]`, `openapi_extra =
/// {...}`) as `Option<fn() -> serde_json::Value>`: the function builds the
/// value when the document is made.
pub(crate) fn json_fn(json: Option<&TokenStream>) -> TokenStream {
    match json {
        Some(json) => quote!(::core::option::Option::Some(
            (|| {
                // `json!` calls `.into()`: bring the trait in, for
                // crates without the prelude.
                #[allow(unused_imports)]
                use ::core::convert::Into as _;
                ::fastrs::serde_json::json!(#json)
            }) as fn() -> ::fastrs::serde_json::Value
        )),
        None => quote!(::core::option::Option::None),
    }
}
