//! Lax coercion of raw strings (path, query, header and cookie values) into
//! typed values, as Pydantic's lax mode does it.
//!
//! Integers accept surrounding whitespace, a sign, `_` between digits and a
//! `.0` tail (`" 42 "`, `"1_000"`, `"42.0"`), and reject `"42.5"`, `"1e3"`
//! and hex. Floats accept what Python's `float()` accepts, `inf` and `nan`
//! included. Booleans accept `true/false/t/f/yes/no/y/n/on/off/1/0` in any
//! case and nothing else.

use super::constraints::{Constraints, Number};
use super::errors::ErrorKind;

/// A type that a single raw string value can be parsed into: the scalar
/// types of path, query, header and cookie parameters.
///
/// Implemented for the integer types, `f32`, `f64`, `bool`, `String` and
/// `serde_json::Value` (untyped: the text as sent); `#[model]` implements
/// it for fieldless enums.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a path, query, header or cookie value",
    label = "not a parameter type",
    note = "parameters can be integers, floats, bool, String, serde_json::Value (untyped), a `#[model]` fieldless enum, or Option/Vec of those",
    note = "a type of another crate with serde's traits and schemars' JsonSchema can be a parameter as `fastrs::model::Serde<T>` (feature `schemars`)",
    note = "a request body is `Json<T>`; a header is `Header<T>`; a cookie is `Cookie<T>`",
    note = "an optional body is `Json<Option<T>>`, not `Option<Json<T>>`: no body gives `None`"
)]
pub trait ParamValue: crate::model::Validate + Send + 'static {
    /// Parses one raw value and checks it against `constraints`.
    fn parse_param(raw: &str, constraints: &Constraints) -> Result<Self, ErrorKind>;
}

impl ParamValue for String {
    fn parse_param(raw: &str, constraints: &Constraints) -> Result<Self, ErrorKind> {
        constraints.check_str(raw)?;
        Ok(raw.to_owned())
    }
}

/// An untyped parameter (FastAPI's `q = Query()` without a type, or the
/// items of `list`): the text as sent, documented as any value (`{}`).
impl ParamValue for serde_json::Value {
    fn parse_param(raw: &str, constraints: &Constraints) -> Result<Self, ErrorKind> {
        constraints.check_str(raw)?;
        Ok(serde_json::Value::String(raw.to_owned()))
    }
}

impl ParamValue for bool {
    fn parse_param(raw: &str, _: &Constraints) -> Result<Self, ErrorKind> {
        parse_bool(raw)
    }
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn parse_param(raw: &str, constraints: &Constraints) -> Result<Self, ErrorKind> {
                let wide = parse_int(raw)?;
                constraints.check_int(wide)?;
                <$t>::try_from(wide).map_err(|_| out_of_range(wide, <$t>::MIN as i128, <$t>::MAX as i128))
            }
        }
    )*};
}
int_param!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// The error for an integer that does not fit the Rust type: the bound it
/// crossed, worded as a `ge`/`le` constraint would be.
pub(crate) fn out_of_range(value: i128, min: i128, max: i128) -> ErrorKind {
    let clamp = |v: i128| Number::Int(v.clamp(i64::MIN as i128, i64::MAX as i128) as i64);
    if value < min {
        ErrorKind::GreaterThanEqual(clamp(min))
    } else {
        ErrorKind::LessThanEqual(clamp(max))
    }
}

impl ParamValue for f64 {
    fn parse_param(raw: &str, constraints: &Constraints) -> Result<Self, ErrorKind> {
        let v = parse_float(raw)?;
        constraints.check_float(v)?;
        Ok(v)
    }
}

impl ParamValue for f32 {
    fn parse_param(raw: &str, constraints: &Constraints) -> Result<Self, ErrorKind> {
        let v = parse_float(raw)?;
        constraints.check_float(v)?;
        Ok(v as f32)
    }
}

/// Parses an integer the way Pydantic's lax mode parses a string.
pub fn parse_int(raw: &str) -> Result<i128, ErrorKind> {
    let s = raw.trim();
    // A `.0`, `.00`, ... tail is allowed: "42.0" is 42, "42.5" is not an integer.
    let s = match s.split_once('.') {
        Some((int, frac)) if !frac.is_empty() && frac.bytes().all(|b| b == b'0') => int,
        Some(_) => return Err(ErrorKind::IntParsing),
        None => s,
    };
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let digits = strip_digit_underscores(digits).ok_or(ErrorKind::IntParsing)?;
    let magnitude: i128 = digits.parse().map_err(|_| ErrorKind::Other {
        kind: "int_parsing_size".into(),
        msg: "Unable to parse input string as an integer, exceeded maximum size".into(),
        ctx: None,
    })?;
    Ok(if negative { -magnitude } else { magnitude })
}

/// Parses a float the way Python's `float()` does (Pydantic's lax mode).
pub fn parse_float(raw: &str) -> Result<f64, ErrorKind> {
    let s = raw.trim();
    let cleaned;
    let s = if s.contains('_') {
        cleaned = strip_number_underscores(s).ok_or(ErrorKind::FloatParsing)?;
        cleaned.as_str()
    } else {
        s
    };
    // Rust's parser accepts what Python's does (`inf`, `nan`, `1e3`, `.5`),
    // except that it also takes nothing Python rejects; an empty string fails.
    s.parse::<f64>().map_err(|_| ErrorKind::FloatParsing)
}

/// Parses a boolean: `true/false/t/f/yes/no/y/n/on/off/1/0`, any case.
pub fn parse_bool(raw: &str) -> Result<bool, ErrorKind> {
    const TRUE: [&str; 6] = ["true", "t", "yes", "y", "on", "1"];
    const FALSE: [&str; 6] = ["false", "f", "no", "n", "off", "0"];
    if TRUE.iter().any(|t| t.eq_ignore_ascii_case(raw)) {
        Ok(true)
    } else if FALSE.iter().any(|f| f.eq_ignore_ascii_case(raw)) {
        Ok(false)
    } else {
        Err(ErrorKind::BoolParsing)
    }
}

/// Removes `_` that stand between two ASCII digits; `None` if the string is
/// not all digits or an underscore stands elsewhere.
fn strip_digit_underscores(digits: &str) -> Option<std::borrow::Cow<'_, str>> {
    let bytes = digits.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(|b| b.is_ascii_digit() || *b == b'_') {
        return None;
    }
    if !digits.contains('_') {
        return Some(digits.into());
    }
    strip_number_underscores(digits).map(Into::into)
}

fn strip_number_underscores(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let before = i.checked_sub(1).and_then(|j| bytes.get(j));
            let after = bytes.get(i + 1);
            if !(before.is_some_and(u8::is_ascii_digit) && after.is_some_and(u8::is_ascii_digit)) {
                return None;
            }
        } else {
            out.push(b as char);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expectations from pydantic 2's TypeAdapter(int / float / bool).validate_python(str).
    #[test]
    fn ints_parse_like_pydantic_lax_mode() {
        for (raw, want) in [
            (" 42 ", 42),
            ("+5", 5),
            ("1_000", 1000),
            ("42.0", 42),
            ("-0", 0),
            ("007", 7),
        ] {
            assert_eq!(parse_int(raw), Ok(want), "{raw:?}");
        }
        for raw in [
            "42.5", "0x1A", "", "1e3", "inf", "4 2", "_1", "1__0", "1_", ".",
        ] {
            assert_eq!(parse_int(raw), Err(ErrorKind::IntParsing), "{raw:?}");
        }
    }

    #[test]
    fn floats_parse_like_python_float() {
        assert_eq!(parse_float(" 1.5 "), Ok(1.5));
        assert_eq!(parse_float("1_0.5"), Ok(10.5));
        assert_eq!(parse_float("1e3"), Ok(1000.0));
        assert_eq!(parse_float("-Infinity"), Ok(f64::NEG_INFINITY));
        assert!(parse_float("nan").unwrap().is_nan());
        for raw in ["", "0x1A", "4 2", "abc"] {
            assert_eq!(parse_float(raw), Err(ErrorKind::FloatParsing), "{raw:?}");
        }
    }

    #[test]
    fn bools_accept_the_pydantic_words_in_any_case() {
        for raw in ["True", "tRuE", "1", "yes", "y", "on", "T"] {
            assert_eq!(parse_bool(raw), Ok(true), "{raw:?}");
        }
        for raw in ["false", "0", "Off", "n", "NO", "f"] {
            assert_eq!(parse_bool(raw), Ok(false), "{raw:?}");
        }
        for raw in ["2", "", " true", "maybe"] {
            assert_eq!(parse_bool(raw), Err(ErrorKind::BoolParsing), "{raw:?}");
        }
    }

    #[test]
    fn integers_outside_the_rust_type_are_range_errors() {
        assert_eq!(
            u8::parse_param("256", &Constraints::NONE),
            Err(ErrorKind::LessThanEqual(Number::Int(255)))
        );
        assert_eq!(
            u32::parse_param("-1", &Constraints::NONE),
            Err(ErrorKind::GreaterThanEqual(Number::Int(0)))
        );
        assert_eq!(
            i64::parse_param(
                "99999999999999999999999999999999999999999",
                &Constraints::NONE
            )
            .unwrap_err()
            .type_name(),
            "int_parsing_size"
        );
    }
}
