//! Constraints on a value (`min_length`, `pattern`, `gt`, ...) and the checks
//! that enforce them.
//!
//! The same [`Constraints`] value is read by validation and by the OpenAPI
//! generator, so a documented constraint is always an enforced one. Checks
//! follow Pydantic: one error per value, strings checked for length before
//! pattern, numbers in the order `multiple_of`, `le`, `lt`, `ge`, `gt`.

#[cfg(feature = "patterns")]
use std::sync::OnceLock;

#[cfg(feature = "patterns")]
use regex::Regex;

use super::errors::ErrorKind;
pub use super::number::Number;

/// A regular expression compiled on first use and kept for the life of the
/// program. Declared as a `static` by the macros.
///
/// The regex engine is reached only through the function pointers a
/// `Pattern` holds (set by [`Pattern::new`]), never called directly by the
/// code that checks constraints: so an app that declares no pattern does
/// not link the engine and its Unicode tables (about 260 KiB of code and
/// 5,000 relocations the loader would apply at every start).
#[cfg(feature = "patterns")]
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Result<Regex, String>>,
    engine: &'static Engine,
}

/// Without the cargo feature `patterns` there is no regex engine and no
/// `Pattern` can be made (the macros refuse a `pattern` option and say
/// which feature to turn on): the type has no value.
#[cfg(not(feature = "patterns"))]
#[derive(Debug)]
pub struct Pattern {
    never: std::convert::Infallible,
}

/// The regex engine's two entry points.
#[cfg(feature = "patterns")]
#[derive(Debug)]
struct Engine {
    compile: fn(&'static str) -> Result<Regex, String>,
    is_match: fn(&Regex, &str) -> bool,
}

/// The `regex` crate as the engine.
#[cfg(feature = "patterns")]
static REGEX: Engine = Engine {
    compile: |source| Regex::new(source).map_err(|e| e.to_string()),
    is_match: Regex::is_match,
};

#[cfg(feature = "patterns")]
impl Pattern {
    /// A pattern from its source text; compiled lazily.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
            engine: &REGEX,
        }
    }

    /// The source text, as shown in errors and in the schema.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Compiles the pattern, or says why it does not compile. Called when a
    /// route is registered, so a bad pattern fails at startup.
    pub fn check(&self) -> Result<(), String> {
        self.regex().map(|_| ())
    }

    fn regex(&self) -> Result<&Regex, String> {
        self.compiled
            .get_or_init(|| (self.engine.compile)(self.source))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// True when the pattern matches somewhere in `text` (Pydantic searches,
    /// it does not anchor).
    pub fn is_match(&self, text: &str) -> bool {
        // `check` ran at registration, so a compile error cannot reach here;
        // if it somehow did, rejecting the value is the safe answer.
        self.regex()
            .is_ok_and(|re| (self.engine.is_match)(re, text))
    }
}

#[cfg(not(feature = "patterns"))]
impl Pattern {
    /// The source text, as shown in errors and in the schema.
    pub fn source(&self) -> &'static str {
        match self.never {}
    }

    /// Compiles the pattern, or says why it does not compile.
    pub fn check(&self) -> Result<(), String> {
        match self.never {}
    }

    /// True when the pattern matches somewhere in `text`.
    pub fn is_match(&self, _: &str) -> bool {
        match self.never {}
    }
}

impl Pattern {
    /// `text` checked against the pattern: the error names the pattern.
    #[inline(never)]
    fn check_text(&self, text: &str) -> Result<(), ErrorKind> {
        if self.is_match(text) {
            Ok(())
        } else {
            Err(ErrorKind::PatternMismatch(self.source()))
        }
    }
}

/// The constraints declared on one parameter or field. All optional.
#[derive(Debug, Clone, Copy, Default)]
pub struct Constraints {
    /// `min_length`: fewest characters (strings) or items (lists).
    pub min_length: Option<usize>,
    /// `max_length`: most characters (strings) or items (lists).
    pub max_length: Option<usize>,
    /// `pattern`: a regular expression the string must contain a match of.
    pub pattern: Option<&'static Pattern>,
    /// `gt`: exclusive lower bound.
    pub gt: Option<Number>,
    /// `ge`: inclusive lower bound.
    pub ge: Option<Number>,
    /// `lt`: exclusive upper bound.
    pub lt: Option<Number>,
    /// `le`: inclusive upper bound.
    pub le: Option<Number>,
    /// `multiple_of`: the value must be a multiple of this.
    pub multiple_of: Option<Number>,
    /// `allow_inf_nan`: a float may be NaN or infinite. Off by default, so
    /// that `"nan"` or `"inf"` is a 422 `finite_number` (Pydantic's answer
    /// with `allow_inf_nan=False`), never a value no response could carry.
    pub allow_inf_nan: bool,
}

impl Constraints {
    /// No constraints.
    pub const NONE: Constraints = Constraints {
        min_length: None,
        max_length: None,
        pattern: None,
        gt: None,
        ge: None,
        lt: None,
        le: None,
        multiple_of: None,
        allow_inf_nan: false,
    };

    /// Checks a string: length in characters, then pattern. Inlined into
    /// every string field's check, where most strings have neither; the
    /// pattern's search is a call of its own.
    #[inline]
    pub fn check_str(&self, s: &str) -> Result<(), ErrorKind> {
        if self.min_length.is_some() || self.max_length.is_some() {
            let len = s.chars().count();
            if let Some(min) = self.min_length.filter(|min| len < *min) {
                return Err(ErrorKind::StringTooShort(min));
            }
            if let Some(max) = self.max_length.filter(|max| len > *max) {
                return Err(ErrorKind::StringTooLong(max));
            }
        }
        match self.pattern {
            Some(pattern) => pattern.check_text(s),
            None => Ok(()),
        }
    }

    /// Checks an integer against the numeric bounds.
    pub fn check_int(&self, v: i128) -> Result<(), ErrorKind> {
        self.check_number(
            |bound| match bound {
                Number::Int(b) => v.cmp(&(b as i128)),
                Number::Float(b) => (v as f64).total_cmp(&b),
            },
            |m| match m {
                Number::Int(0) => true,
                Number::Int(m) => v % (m as i128) == 0,
                Number::Float(m) => is_multiple(v as f64, m),
            },
        )
    }

    /// Checks a float against the numeric bounds. Bounds are reported as
    /// floats, as Pydantic reports them for a float field.
    pub fn check_float(&self, v: f64) -> Result<(), ErrorKind> {
        if !v.is_finite() && !self.allow_inf_nan {
            return Err(ErrorKind::FiniteNumber);
        }
        let as_float = Constraints {
            gt: self.gt.map(Number::to_float),
            ge: self.ge.map(Number::to_float),
            lt: self.lt.map(Number::to_float),
            le: self.le.map(Number::to_float),
            multiple_of: self.multiple_of.map(Number::to_float),
            ..*self
        };
        as_float.check_number(
            |bound| v.total_cmp(&bound.as_f64()),
            |m| is_multiple(v, m.as_f64()),
        )
    }

    fn check_number(
        &self,
        cmp: impl Fn(Number) -> std::cmp::Ordering,
        multiple: impl Fn(Number) -> bool,
    ) -> Result<(), ErrorKind> {
        use std::cmp::Ordering::*;
        if let Some(m) = self.multiple_of.filter(|m| !multiple(*m)) {
            return Err(ErrorKind::MultipleOf(m));
        }
        if let Some(b) = self.le.filter(|b| cmp(*b) == Greater) {
            return Err(ErrorKind::LessThanEqual(b));
        }
        if let Some(b) = self.lt.filter(|b| cmp(*b) != Less) {
            return Err(ErrorKind::LessThan(b));
        }
        if let Some(b) = self.ge.filter(|b| cmp(*b) == Less) {
            return Err(ErrorKind::GreaterThanEqual(b));
        }
        if let Some(b) = self.gt.filter(|b| cmp(*b) != Greater) {
            return Err(ErrorKind::GreaterThan(b));
        }
        Ok(())
    }

    /// Checks the number of items in a list.
    pub fn check_len(&self, len: usize) -> Result<(), ErrorKind> {
        self.check_count(Counted::List, len)
    }

    /// Checks the number of items of a list, a set or a dictionary, with
    /// Pydantic's words for each: a set or a dictionary that is too long is
    /// "not more" (Pydantic stops counting), a list says its length.
    pub fn check_count(&self, counted: Counted, len: usize) -> Result<(), ErrorKind> {
        let field_type = counted.name();
        let items = |n: usize| if n == 1 { "item" } else { "items" };
        if let Some(min) = self.min_length.filter(|min| len < *min) {
            return Err(ErrorKind::Other {
                kind: "too_short".into(),
                msg: format!(
                    "{field_type} should have at least {min} {} after validation, not {len}",
                    items(min)
                )
                .into(),
                ctx: Some(
                    serde_json::json!({"field_type": field_type, "min_length": min, "actual_length": len}),
                ),
            });
        }
        if let Some(max) = self.max_length.filter(|max| len > *max) {
            let (said, actual) = match counted {
                Counted::List => (len.to_string(), serde_json::json!(len)),
                Counted::Set | Counted::Dictionary => ("more".to_owned(), serde_json::Value::Null),
            };
            return Err(ErrorKind::Other {
                kind: "too_long".into(),
                msg: format!(
                    "{field_type} should have at most {max} {} after validation, not {said}",
                    items(max)
                )
                .into(),
                ctx: Some(
                    serde_json::json!({"field_type": field_type, "max_length": max, "actual_length": actual}),
                ),
            });
        }
        Ok(())
    }
}

/// What [`Constraints::check_count`] counts the items of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// A list (`Vec<T>`).
    List,
    /// A set (`HashSet<T>`, `BTreeSet<T>`).
    Set,
    /// A map (`HashMap<K, V>`, `BTreeMap<K, V>`).
    Dictionary,
}

impl Counted {
    fn name(self) -> &'static str {
        match self {
            Counted::List => "List",
            Counted::Set => "Set",
            Counted::Dictionary => "Dictionary",
        }
    }
}

fn is_multiple(v: f64, m: f64) -> bool {
    if m == 0.0 {
        return true;
    }
    let ratio = v / m;
    (ratio - ratio.round()).abs() < 1e-9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_display_like_pydantic_core() {
        assert_eq!(Number::Int(0).to_string(), "0");
        assert_eq!(Number::Float(10.5).to_string(), "10.5");
        assert_eq!(Number::Float(10.0).to_string(), "10");
        assert_eq!(Number::Float(10.0).to_json(), serde_json::json!(10.0));
        assert_eq!(Number::Float(-0.25).to_string(), "-0.25");
    }

    #[test]
    fn numeric_bounds_report_the_violated_bound() {
        let c = Constraints {
            ge: Some(Number::Int(1)),
            le: Some(Number::Int(1000)),
            ..Constraints::NONE
        };
        assert_eq!(c.check_int(1), Ok(()));
        assert_eq!(c.check_int(1000), Ok(()));
        assert_eq!(
            c.check_int(0),
            Err(ErrorKind::GreaterThanEqual(Number::Int(1)))
        );
        assert_eq!(
            c.check_int(1001),
            Err(ErrorKind::LessThanEqual(Number::Int(1000)))
        );
        let f = Constraints {
            gt: Some(Number::Int(0)),
            lt: Some(Number::Float(10.5)),
            ..Constraints::NONE
        };
        assert_eq!(
            f.check_float(0.0),
            Err(ErrorKind::GreaterThan(Number::Float(0.0)))
        );
        assert_eq!(
            f.check_float(10.5),
            Err(ErrorKind::LessThan(Number::Float(10.5)))
        );
        assert_eq!(f.check_float(10.4), Ok(()));
    }

    #[test]
    #[cfg(feature = "patterns")]
    fn strings_check_length_in_characters_before_pattern() {
        static P: Pattern = Pattern::new("^fixedquery$");
        let c = Constraints {
            min_length: Some(3),
            max_length: Some(50),
            pattern: Some(&P),
            ..Constraints::NONE
        };
        assert_eq!(c.check_str("ab"), Err(ErrorKind::StringTooShort(3)));
        assert_eq!(
            c.check_str("abc"),
            Err(ErrorKind::PatternMismatch("^fixedquery$"))
        );
        assert_eq!(c.check_str("fixedquery"), Ok(()));
        // Three characters, six bytes: long enough.
        assert_eq!(
            Constraints {
                min_length: Some(3),
                ..Constraints::NONE
            }
            .check_str("ééé"),
            Ok(())
        );
    }

    #[test]
    #[cfg(feature = "patterns")]
    fn a_pattern_that_does_not_compile_says_why() {
        static BAD: Pattern = Pattern::new("(unclosed");
        assert!(BAD.check().unwrap_err().contains("unclosed"));
        assert!(!BAD.is_match("anything"));
    }
}
