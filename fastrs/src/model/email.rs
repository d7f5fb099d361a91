//! [`Email`]: a string that must be an email address (Pydantic's
//! `EmailStr`), with the reasons the `email-validator` package gives.
//!
//! The checks cover the syntax rules that package reports most often (the
//! @-sign, periods, hyphens, characters on either side); the domain part is
//! lower-cased, as the package normalizes it. No DNS lookup is made, as
//! FastAPI makes none by default.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::constraints::Constraints;
use super::errors::ErrorKind;
use super::fast::FastDeserialize;
use super::validate::{string_type, Validate, ValidateCx};
use super::ParamValue;

/// An email address, validated and with its domain lower-cased.
///
/// ```
/// use fastrs::model::Email;
///
/// assert_eq!(Email::parse("A@Example.COM").unwrap().as_str(), "A@example.com");
/// assert!(Email::parse("a@b").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    /// Validates `text` as an email address; the error is the reason.
    pub fn parse(text: &str) -> Result<Email, String> {
        let Some((local, domain)) = text.split_once('@') else {
            return Err("An email address must have an @-sign.".into());
        };
        if local.is_empty() {
            return Err("There must be something before the @-sign.".into());
        }
        if domain.is_empty() {
            return Err("There must be something after the @-sign.".into());
        }
        if text.starts_with('.') {
            return Err("An email address cannot start with a period.".into());
        }
        if text.ends_with('.') {
            return Err("An email address cannot end with a period.".into());
        }
        if text.contains("..") {
            return Err("An email address cannot have two periods in a row.".into());
        }
        if local.ends_with('.') {
            return Err(
                "An email address cannot have a period immediately before the @-sign.".into(),
            );
        }
        let bad_local: Vec<char> = local.chars().filter(|c| !is_local_char(*c)).collect();
        if !bad_local.is_empty() {
            return Err(format!(
                "The email address contains invalid characters before the @-sign: {}.",
                char_list(&bad_local)
            ));
        }
        if domain.starts_with('.') {
            return Err(
                "An email address cannot have a period immediately after the @-sign.".into(),
            );
        }
        if domain.starts_with('-') {
            return Err(
                "An email address cannot have a hyphen immediately after the @-sign.".into(),
            );
        }
        let bad_domain: Vec<char> = domain
            .chars()
            .filter(|c| !(c.is_alphanumeric() || *c == '-' || *c == '.'))
            .collect();
        if !bad_domain.is_empty() {
            return Err(format!(
                "The part after the @-sign contains invalid characters: {}.",
                char_list(&bad_domain)
            ));
        }
        // The lengths email-validator enforces: a label of the domain, the
        // domain, then the whole address (RFC 5321's limits).
        let too_many =
            |n: usize| format!("({n} character{} too many)", if n == 1 { "" } else { "s" });
        if let Some(label) = domain
            .split('.')
            .map(|l| l.chars().count())
            .find(|n| *n > 63)
        {
            return Err(format!(
                "After the @-sign, periods cannot be separated by so many characters {}.",
                too_many(label - 63)
            ));
        }
        let domain_length = domain.chars().count();
        if domain_length > 253 {
            return Err(format!(
                "The email address is too long after the @-sign {}.",
                too_many(domain_length - 253)
            ));
        }
        let length = text.chars().count();
        if length > 254 {
            return Err(format!(
                "The email address is too long {}.",
                too_many(length - 254)
            ));
        }
        if !domain.contains('.') {
            return Err("The part after the @-sign is not valid. It should have a period.".into());
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

fn is_local_char(c: char) -> bool {
    c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c) || !c.is_ascii() && !c.is_whitespace()
}

/// The package's list of characters: each quoted, or named when invisible.
fn char_list(chars: &[char]) -> String {
    let mut seen: Vec<char> = Vec::new();
    for c in chars {
        if !seen.contains(c) {
            seen.push(*c);
        }
    }
    seen.iter()
        .map(|c| match c {
            ' ' => "SPACE".to_owned(),
            '\t' => "TAB".to_owned(),
            c => format!("'{c}'"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn invalid(reason: String) -> ErrorKind {
    ErrorKind::Other {
        kind: "value_error".into(),
        msg: format!("value is not a valid email address: {reason}").into(),
        ctx: Some(serde_json::json!({"reason": reason})),
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Email {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Email::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl FastDeserialize for Email {
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize_fast(d)?;
        Email::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Validate for Email {
    fn validate(value: &Value, _: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
        let Value::String(text) = value else {
            cx.error(string_type(), value);
            return None;
        };
        Email::parse(text)
            .map_err(|reason| cx.error(invalid(reason), value))
            .ok()
    }
}

impl ParamValue for Email {
    fn parse_param(raw: &str, _: &Constraints) -> Result<Self, ErrorKind> {
        Email::parse(raw).map_err(invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expectations from pydantic 2's EmailStr (email-validator 2).
    #[test]
    fn lengths_are_limited_as_email_validator_limits_them() {
        // email-validator 2 (through Pydantic 2.14) for the same addresses.
        let reason = |s: &str| Email::parse(s).unwrap_err();
        assert!(Email::parse(&format!("{}@example.com", "x".repeat(65))).is_ok());
        assert_eq!(
            reason(&format!("{}@example.com", "x".repeat(1000))),
            "The email address is too long (758 characters too many)."
        );
        assert_eq!(
            reason(&format!(
                "a@{}com",
                format!("{}.", "b".repeat(63)).repeat(4)
            )),
            "The email address is too long after the @-sign (6 characters too many)."
        );
        assert_eq!(
            reason(&format!("a@{}.com", "b".repeat(64))),
            "After the @-sign, periods cannot be separated by so many characters (1 character too many)."
        );
        let long_but_fine = format!(
            "a@{}.{}.{}.{}.com",
            "b".repeat(60),
            "c".repeat(60),
            "d".repeat(60),
            "e".repeat(60)
        );
        assert_eq!(long_but_fine.len(), 249);
        assert!(Email::parse(&long_but_fine).is_ok());
    }

    #[test]
    fn reasons_match_email_validator() {
        let reason = |s: &str| Email::parse(s).unwrap_err();
        assert_eq!(reason("bad"), "An email address must have an @-sign.");
        assert_eq!(
            reason("a@b"),
            "The part after the @-sign is not valid. It should have a period."
        );
        assert_eq!(
            reason("@x.com"),
            "There must be something before the @-sign."
        );
        assert_eq!(reason("a@"), "There must be something after the @-sign.");
        assert_eq!(
            reason("a@@b.com"),
            "The part after the @-sign contains invalid characters: '@'."
        );
        assert_eq!(
            reason("a b@x.com"),
            "The email address contains invalid characters before the @-sign: SPACE."
        );
        assert_eq!(
            reason("a..b@x.com"),
            "An email address cannot have two periods in a row."
        );
        assert_eq!(
            reason(".a@x.com"),
            "An email address cannot start with a period."
        );
        assert_eq!(
            reason("a@x.com."),
            "An email address cannot end with a period."
        );
        assert_eq!(
            reason("a@-x.com"),
            "An email address cannot have a hyphen immediately after the @-sign."
        );
        assert_eq!(
            reason("a@x_y.com"),
            "The part after the @-sign contains invalid characters: '_'."
        );
    }

    #[test]
    fn valid_addresses_keep_the_local_part_and_lower_case_the_domain() {
        assert_eq!(
            Email::parse("A@Example.COM").unwrap().as_str(),
            "A@example.com"
        );
        assert_eq!(Email::parse("é@x.com").unwrap().as_str(), "é@x.com");
        assert_eq!(Email::parse("a@x.c").unwrap().as_str(), "a@x.c");
    }
}
