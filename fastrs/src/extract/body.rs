//! Request bodies: [`Json<T>`](crate::response::Json) arguments and scalar body fields.
//!
//! One body argument is the whole body. Several body arguments, or one
//! marked `#[param(embed)]`, make an object keyed by argument name, and a
//! scalar marked `#[param(body)]` joins that object, as FastAPI's `Body()`.
//!
//! The body is read as JSON when the `Content-Type` is `application/json` or
//! `application/*+json`, up to the app's body limit (413 beyond). Anything
//! else is validated as the raw text (so a model gets
//! `model_attributes_type`, as in FastAPI). An empty body is `missing`;
//! invalid JSON is `json_invalid` at Python's character position; bytes that
//! are not UTF-8 are a 400.
//!
//! A whole-body model takes the fast path first (serde, one pass, see
//! [`crate::model::fast`]); only an invalid body is parsed into a
//! `serde_json::Value` and validated completely.

use std::future::Future;
use std::task::Poll;

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::StatusCode;
use http_body_util::{BodyExt, Limited};
use serde_json::Value;

use super::json_error::{python_json_error, PythonVerdict};
use super::{Arg, ArgKind, BodyState, FromRequest, RequestContext};
use crate::decl::{OperationDoc, ParamSpec};
use crate::error::HttpError;
use crate::model::fast;
use crate::model::{
    Constraints, ErrorKind, LocItem, Location, Validate, ValidateCx, ValidationError,
    ValidationErrors,
};
use crate::response::{Json, Rejection};

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

/// The body without a leading UTF-8 byte-order mark, which Python's
/// `json.loads` skips in bytes (so FastAPI accepts such a body).
fn without_bom(bytes: Bytes) -> Bytes {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if bytes.starts_with(BOM) {
        bytes.slice(BOM.len()..)
    } else {
        bytes
    }
}

/// The 408 for a body that did not arrive in time (uvicorn has no such
/// timeout; a stalled body would hold the connection and a task forever).
pub(crate) fn body_timed_out() -> HttpError {
    HttpError::new(
        StatusCode::REQUEST_TIMEOUT,
        "The request body was not received in time",
    )
    .with_header("connection", "close")
}

/// FastAPI's 400 for a body it cannot decode.
fn unparsable() -> HttpError {
    HttpError::new(
        StatusCode::BAD_REQUEST,
        "There was an error parsing the body",
    )
}

/// Takes the body, limited to the app's body limit (its reader fails with
/// `LengthLimitError` past it); a body whose declared length is over the
/// limit is a 413 at once. `None` when the body was taken already.
pub(crate) fn take_limited_body(
    cx: &mut RequestContext,
) -> Result<Option<Limited<crate::body::Body>>, HttpError> {
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
    Ok(cx.take_body().map(|body| Limited::new(body, limit)))
}

/// Reads the whole body, enforcing the limit, without a leading UTF-8
/// byte-order mark (as Python's JSON decoding skips it).
pub(crate) async fn read_body(cx: &mut RequestContext) -> Result<Bytes, HttpError> {
    read_raw_body(cx).await.map(without_bom)
}

/// Reads the whole body as sent, enforcing the limit.
async fn read_raw_body(cx: &mut RequestContext) -> Result<Bytes, HttpError> {
    let limit = cx.body_limit();
    let Some(body) = take_limited_body(cx)? else {
        return Ok(Bytes::new());
    };
    let mut collect = std::pin::pin!(body.collect());
    // A body that has arrived with the head (most do) is read without
    // arming a timer; only one still on its way gets the deadline.
    let first = std::future::poll_fn(|task| Poll::Ready(collect.as_mut().poll(task))).await;
    let collected = match (first, cx.app().body_read_timeout) {
        (Poll::Ready(collected), _) => collected,
        (Poll::Pending, Some(timeout)) => match tokio::time::timeout(timeout, collect).await {
            Ok(collected) => collected,
            Err(_) => return Err(body_timed_out()),
        },
        (Poll::Pending, None) => collect.await,
    };
    match collected {
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

/// Whether the body is read as JSON: its `Content-Type` says JSON, or it
/// has none and the endpoint (else the app) is not strict about it
/// (FastAPI's `strict_content_type=False`).
fn has_json_content_type(cx: &RequestContext) -> bool {
    match cx.head().headers.get(CONTENT_TYPE) {
        Some(value) => value.to_str().is_ok_and(is_json_content_type),
        None => !cx
            .strict_content_type
            .unwrap_or_else(|| cx.app().strict_content_type),
    }
}

/// Parses `bytes` (non-empty) as JSON, or records `json_invalid` at
/// Python's position, or answers 400 for bytes that are not UTF-8.
fn parse_json(bytes: &[u8], errors: &mut ValidationErrors) -> Result<Option<Value>, HttpError> {
    let text = std::str::from_utf8(bytes).map_err(|_| unparsable())?;
    match serde_json::from_str::<Value>(text) {
        Ok(value) => Ok(Some(value)),
        Err(_) => {
            // Python's words and position when Python also fails to decode;
            // FastAPI's 400 when Python gives up (nesting past its recursion
            // limit) or serde's limits are the stricter (nesting past 128
            // levels, numbers past f64), where no 422 could say more.
            let PythonVerdict::Invalid(message, position) = python_json_error(text) else {
                return Err(unparsable());
            };
            errors.push(ValidationError {
                kind: ErrorKind::JsonInvalid(message),
                location: Location::Body,
                loc: vec![LocItem::Index(position)],
                input: Value::Object(Default::default()),
            });
            Ok(None)
        }
    }
}

fn missing_body() -> ValidationError {
    ValidationError {
        kind: ErrorKind::Missing,
        location: Location::Body,
        loc: vec![],
        input: Value::Null,
    }
}

/// The whole body as `T`.
async fn whole_body<T: Validate>(
    cx: &mut RequestContext,
    constraints: &Constraints,
    default: Option<fn() -> T>,
    errors: &mut ValidationErrors,
) -> Result<Option<T>, HttpError> {
    let is_json = has_json_content_type(cx);
    let bytes = read_body(cx).await?;
    if bytes.is_empty() {
        // No body: the default, `None` for an optional body
        // (`Json<Option<T>>`, FastAPI's `item: Item | None = None`), else
        // FastAPI's "Field required".
        if let Some(value) = default.map(|d| d()).or_else(T::missing) {
            return Ok(Some(value));
        }
        errors.push(missing_body());
        return Ok(None);
    }
    let value = if is_json {
        if let Some(value) = fast::from_slice::<T>(&bytes).filter(|v| v.check(constraints)) {
            return Ok(Some(value));
        }
        match parse_json(&bytes, errors)? {
            Some(value) => value,
            None => {
                // FastAPI's `exc.body` for JSON it cannot decode: the text.
                let text = String::from_utf8_lossy(&bytes).into_owned();
                cx.body_state = BodyState::Parsed(Box::new(Value::String(text)));
                return Ok(None);
            }
        }
    } else {
        Value::String(String::from_utf8_lossy(&bytes).into_owned())
    };
    let mut vcx = ValidateCx::new(Location::Body, Vec::new(), errors);
    let valid = T::validate(&value, constraints, &mut vcx);
    if valid.is_none() {
        // Kept for the validation error's handler
        // (`RequestValidationError::body`, FastAPI's `exc.body`).
        cx.body_state = BodyState::Parsed(Box::new(value));
    }
    Ok(valid)
}

/// Reads and parses the body once for all embedded body fields.
async fn load_shared_body(
    cx: &mut RequestContext,
    errors: &mut ValidationErrors,
) -> Result<(), HttpError> {
    if !matches!(cx.body_state, BodyState::Unread) {
        return Ok(());
    }
    let is_json = has_json_content_type(cx);
    let bytes = read_body(cx).await?;
    cx.body_state = if bytes.is_empty() {
        BodyState::Empty
    } else if !is_json {
        // The raw text is no object: every field is missing, as in FastAPI.
        BodyState::Parsed(Box::new(Value::String(
            String::from_utf8_lossy(&bytes).into_owned(),
        )))
    } else {
        match parse_json(&bytes, errors)? {
            Some(value) => BodyState::Parsed(Box::new(value)),
            None => BodyState::Failed,
        }
    };
    Ok(())
}

/// Reports a body argument to the OpenAPI document: the whole body, or
/// the key `spec.alias` of an `embedded` body object.
pub fn describe_body_field<T: crate::model::JsonSchema + serde::Serialize>(
    spec: &'static ParamSpec,
    embedded: bool,
    default: Option<fn() -> T>,
    doc: &mut OperationDoc<'_>,
) {
    let (required, default) = super::param::param_default::<T>(default);
    doc.body::<T>(spec, embedded, required, default);
}

/// One field of an embedded body: the key `spec.alias` of the body object.
pub async fn body_field<T: Validate>(
    cx: &mut RequestContext,
    spec: &'static ParamSpec,
    default: Option<fn() -> T>,
    errors: &mut ValidationErrors,
) -> Result<Option<T>, HttpError> {
    load_shared_body(cx, errors).await?;
    let field = match &cx.body_state {
        BodyState::Parsed(parsed) => match &**parsed {
            Value::Object(map) => map.get(spec.alias),
            _ => None,
        },
        BodyState::Failed => return Ok(None),
        _ => None,
    };
    let mut vcx = ValidateCx::new(Location::Body, vec![LocItem::from(spec.alias)], errors);
    match field {
        Some(value) => Ok(T::validate(value, &spec.constraints, &mut vcx)),
        None => match default.map(|d| d()).or_else(T::missing) {
            Some(value) => Ok(Some(value)),
            None => {
                vcx.error(ErrorKind::Missing, &Value::Null);
                Ok(None)
            }
        },
    }
}

/// The body as JSON: the whole body, or the value of the key `alias` when
/// the body is an object of several parts.
impl<T: Validate + Send + 'static> FromRequest for Json<T> {
    type Value = T;

    const KIND: ArgKind = ArgKind::Body;

    fn describe(arg: &Arg<T>, doc: &mut OperationDoc<'_>) {
        describe_body_field(arg.spec, arg.embedded, arg.default, doc);
    }

    async fn from_request(
        cx: &mut RequestContext,
        arg: &Arg<T>,
        errors: &mut ValidationErrors,
    ) -> Result<Option<Self>, Rejection> {
        let value = if arg.embedded {
            body_field(cx, arg.spec, arg.default, errors).await
        } else {
            whole_body(cx, &arg.spec.constraints, arg.default, errors).await
        };
        value.map(|v| v.map(Json)).map_err(Rejection::from)
    }
}

/// The body as the client sent it, bytes for bytes (FastAPI's `await
/// request.body()`), up to the app's body limit (413 beyond). The request
/// has one body: an endpoint that takes it this way takes no other body
/// argument. Documented as nothing: say what it holds with the endpoint's
/// `responses` or in its description.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::extract::RawBody;
///
/// /// The size of what was sent.
/// #[endpoint(POST "/upload-size")]
/// async fn upload_size(body: RawBody) -> Json<usize> {
///     Json(body.0.len())
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawBody(pub Bytes);

impl FromRequest for RawBody {
    type Value = RawBody;

    async fn from_request(
        cx: &mut RequestContext,
        _: &Arg<RawBody>,
        _: &mut ValidationErrors,
    ) -> Result<Option<Self>, Rejection> {
        let bytes = read_raw_body(cx).await?;
        Ok(Some(RawBody(bytes)))
    }

    fn describe(_: &Arg<RawBody>, doc: &mut OperationDoc<'_>) {
        doc.reads_raw_body();
    }
}

impl std::ops::Deref for RawBody {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
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
}
