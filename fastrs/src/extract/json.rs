//! JSON request bodies: [`Json<T>`](crate::Json) as an argument.
//!
//! The body is read only when the `Content-Type` is `application/json` or
//! `application/*+json`, up to the app's body limit (413 beyond). An empty
//! body is `missing` at `["body"]`; a body that is not JSON is
//! `json_invalid` with the character offset of the error.

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::StatusCode;
use http_body_util::{BodyExt, Limited};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{FromRequest, ParamSpec, RequestContext};
use crate::error::HttpError;
use crate::model::{ErrorKind, LocItem, Location, ValidationError, ValidationErrors};
use crate::response::Json;

/// True for `application/json` and `application/*+json`, parameters ignored.
pub(crate) fn is_json_content_type(value: &str) -> bool {
    let mime = value.split(';').next().unwrap_or("").trim();
    let Some((kind, subtype)) = mime.split_once('/') else {
        return false;
    };
    kind.eq_ignore_ascii_case("application")
        && (subtype.eq_ignore_ascii_case("json")
            || subtype.len() > 5 && subtype[subtype.len() - 5..].eq_ignore_ascii_case("+json"))
}

/// The 413 answer for a body over the limit.
pub(crate) fn payload_too_large(limit: usize) -> HttpError {
    HttpError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("Request body is larger than the limit of {limit} bytes"),
    )
}

/// Reads the whole body, enforcing the limit.
pub(crate) async fn read_body(cx: &mut RequestContext) -> Result<Bytes, HttpError> {
    let limit = cx.body_limit();
    let declared = cx
        .head()
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(payload_too_large(limit));
    }
    let Some(body) = cx.take_body() else {
        return Ok(Bytes::new());
    };
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => {
            Err(payload_too_large(limit))
        }
        Err(_) => Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "The request body could not be read",
        )),
    }
}

impl<T: DeserializeOwned + Send> FromRequest for Json<T> {
    type Value = T;

    async fn from_request(
        cx: &mut RequestContext,
        _spec: &'static ParamSpec,
        default: Option<fn() -> T>,
        errors: &mut ValidationErrors,
    ) -> Result<Option<Self>, HttpError> {
        let is_json = cx
            .head()
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(is_json_content_type);
        let bytes = read_body(cx).await?;
        if bytes.is_empty() {
            if let Some(default) = default {
                return Ok(Some(Json(default())));
            }
            errors.push(body_error(ErrorKind::Missing, vec![], Value::Null));
            return Ok(None);
        }
        if !is_json {
            let input = Value::String(String::from_utf8_lossy(&bytes).into_owned());
            errors.push(body_error(ErrorKind::ModelAttributesType, vec![], input));
            return Ok(None);
        }
        let value: Value = match serde_json::from_slice(&bytes) {
            Ok(value) => value,
            Err(error) => {
                let offset = char_offset(&bytes, error.line(), error.column());
                let kind = ErrorKind::JsonInvalid(json_error_message(&error));
                errors.push(body_error(
                    kind,
                    vec![LocItem::Index(offset)],
                    Value::Object(Default::default()),
                ));
                return Ok(None);
            }
        };
        match serde_json::from_value::<T>(value.clone()) {
            Ok(parsed) => Ok(Some(Json(parsed))),
            Err(error) => {
                errors.push(body_error(
                    ErrorKind::Other {
                        kind: "value_error".into(),
                        msg: format!("Value error, {error}").into(),
                        ctx: Some(serde_json::json!({"error": error.to_string()})),
                    },
                    vec![],
                    value,
                ));
                Ok(None)
            }
        }
    }
}

fn body_error(kind: ErrorKind, loc: Vec<LocItem>, input: Value) -> ValidationError {
    ValidationError {
        kind,
        location: Location::Body,
        loc,
        input,
    }
}

/// serde_json's message without its " at line L column C" tail.
fn json_error_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// The character offset of a 1-based (line, column) position, as Python's
/// `json` module reports it.
fn char_offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let text = String::from_utf8_lossy(bytes);
    let before: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(|l| l.chars().count())
        .sum();
    before + column.saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_content_types_are_recognised() {
        for ok in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
            "application/vnd.api+json",
        ] {
            assert!(is_json_content_type(ok), "{ok}");
        }
        for bad in [
            "text/plain",
            "application/jsonx",
            "application/+json",
            "json",
            "",
        ] {
            assert!(!is_json_content_type(bad), "{bad}");
        }
    }

    #[test]
    fn offsets_count_characters_across_lines() {
        assert_eq!(char_offset(b"{\n  \"a\": x}", 2, 8), 9);
    }
}
