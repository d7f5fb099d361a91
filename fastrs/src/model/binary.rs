//! [`Binary`]: bytes sent as base64 text in JSON, as Pydantic sends a
//! `bytes` field of a model configured with `ser_json_bytes="base64"` and
//! `val_json_bytes="base64"`.
//!
//! Read as pydantic-core reads it: the URL-safe alphabet first, the
//! standard one when the text has `+` or `/`, padding optional; written in
//! the URL-safe alphabet with padding. A text that is not base64 is
//! `bytes_invalid_encoding` with the decoder's reason.

use std::fmt;
use std::ops::Deref;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE};
use base64::engine::DecodePaddingMode;
use base64::{DecodeError, Engine};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::constraints::Constraints;
use super::errors::ErrorKind;
use super::fast::FastDeserialize;
use super::validate::{Validate, ValidateCx};

const URL_SAFE_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const STANDARD_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Binary data, base64 in JSON (Python's `bytes` in a model whose JSON
/// bytes are base64); documented as a string with `contentEncoding:
/// base64`, as Pydantic documents it.
///
/// ```
/// use fastrs::model::Binary;
///
/// let data = Binary::from_base64("aGVsbG8").unwrap();
/// assert_eq!(&*data, b"hello");
/// assert_eq!(data.to_base64(), "aGVsbG8=");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Binary(pub Vec<u8>);

impl Binary {
    /// Decodes base64 text (either alphabet, padding optional); the error
    /// is the decoder's reason.
    pub fn from_base64(text: &str) -> Result<Binary, String> {
        URL_SAFE_ANY_PADDING
            .decode(text)
            .or_else(|e| match e {
                DecodeError::InvalidByte(_, b'+' | b'/') => STANDARD_ANY_PADDING.decode(text),
                e => Err(e),
            })
            .map(Binary)
            .map_err(|e| e.to_string())
    }

    /// The bytes as Pydantic writes them: URL-safe base64 with padding.
    pub fn to_base64(&self) -> String {
        URL_SAFE.encode(&self.0)
    }

    /// The bytes, owned.
    pub fn into_vec(self) -> Vec<u8> {
        self.0
    }
}

impl Deref for Binary {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Binary {
        Binary(bytes)
    }
}

impl From<&[u8]> for Binary {
    fn from(bytes: &[u8]) -> Binary {
        Binary(bytes.to_vec())
    }
}

impl fmt::Display for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

fn invalid(reason: String) -> ErrorKind {
    ErrorKind::Other {
        kind: "bytes_invalid_encoding".into(),
        msg: format!("Data should be valid base64: {reason}").into(),
        ctx: Some(serde_json::json!({"encoding": "base64", "encoding_error": reason})),
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Binary::from_base64(&text).map_err(serde::de::Error::custom)
    }
}

impl FastDeserialize for Binary {
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Binary::deserialize(d)
    }
}

impl Validate for Binary {
    fn validate(value: &Value, _: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
        let Value::String(text) = value else {
            cx.error(
                ErrorKind::Other {
                    kind: "bytes_type".into(),
                    msg: "Input should be a valid bytes".into(),
                    ctx: None,
                },
                value,
            );
            return None;
        };
        Binary::from_base64(text)
            .map_err(|reason| cx.error(invalid(reason), value))
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // pydantic-core 2.14 with val_json_bytes="base64" and
    // ser_json_bytes="base64", for the same texts.
    #[test]
    fn reads_and_writes_as_pydantic_core() {
        let round = |text: &str| Binary::from_base64(text).map(|b| b.to_base64());
        assert_eq!(round("aGVsbG8=").unwrap(), "aGVsbG8=");
        assert_eq!(round("aGVsbG8").unwrap(), "aGVsbG8=");
        assert_eq!(round("aGVsbG8_").unwrap(), "aGVsbG8_");
        assert_eq!(round("a-b_").unwrap(), "a-b_");
        assert_eq!(round("+/+/").unwrap(), "-_-_");
        assert_eq!(round("/w==").unwrap(), "_w==");
        assert_eq!(round("_w").unwrap(), "_w==");
        assert_eq!(round("").unwrap(), "");
        assert_eq!(round("!!").unwrap_err(), "Invalid symbol 33, offset 0.");
        assert_eq!(round("+/-_").unwrap_err(), "Invalid symbol 45, offset 2.");
        assert_eq!(
            round("aGVsbG8==").unwrap_err(),
            "Invalid symbol 61, offset 7."
        );
        assert_eq!(round("a").unwrap_err(), "Invalid input length: 1");
        assert_eq!(
            round("aGVsbG8=\n").unwrap_err(),
            "Invalid symbol 10, offset 8."
        );
        assert_eq!(
            round("aGVs bG8=").unwrap_err(),
            "Invalid symbol 32, offset 4."
        );
    }
}
