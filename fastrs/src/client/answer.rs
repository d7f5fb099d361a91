//! What a typed call returns on success: each return type's
//! [`ClientAnswer`], the model the server writes, read back and validated
//! as the server validates a body of that type.

use http::StatusCode;
use serde_json::Value;

use super::ClientError;
use crate::model::{Constraints, Location, Validate, ValidateCx, ValidationErrors};
use crate::response::Json;

/// An endpoint's return type, as the typed client reads a 2xx answer.
#[diagnostic::on_unimplemented(
    message = "the typed client cannot read `{Self}` from an answer",
    label = "the client reads JSON models, Json<T>, () and Result<T, E> of those",
    note = "streams, files, HTML and `Response` are not read by the typed client: call this endpoint with reqwest directly",
    note = "or implement `fastrs::client::ClientAnswer` for `{Self}`"
)]
pub trait ClientAnswer {
    /// What a call returns on success.
    type Success;
    /// Reads a 2xx answer's body.
    fn decode(status: StatusCode, body: &[u8]) -> Result<Self::Success, ClientError>;
}

/// The answer of an endpoint with `response_model = M`: the model `M`,
/// whatever the function returns.
#[derive(Debug)]
pub struct Modelled<M>(std::marker::PhantomData<M>);

/// Reads `body` as `T`: JSON (an empty body is `null`), validated.
fn validated<T: Validate>(status: StatusCode, body: &[u8]) -> Result<T, ClientError> {
    let value: Value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(body).map_err(|e| ClientError::Decode {
            status,
            reason: format!("no JSON: {e}"),
        })?
    };
    let mut errors = ValidationErrors::new();
    let mut cx = ValidateCx::new(Location::Body, Vec::new(), &mut errors);
    match T::validate(&value, &Constraints::NONE, &mut cx) {
        Some(value) => Ok(value),
        None => Err(ClientError::Decode {
            status,
            reason: serde_json::to_string(&errors).unwrap_or_default(),
        }),
    }
}

impl<T: Validate> ClientAnswer for T {
    type Success = T;
    fn decode(status: StatusCode, body: &[u8]) -> Result<T, ClientError> {
        validated(status, body)
    }
}

impl<T: Validate> ClientAnswer for Json<T> {
    type Success = T;
    fn decode(status: StatusCode, body: &[u8]) -> Result<T, ClientError> {
        validated(status, body)
    }
}

impl<M: Validate> ClientAnswer for Modelled<M> {
    type Success = M;
    fn decode(status: StatusCode, body: &[u8]) -> Result<M, ClientError> {
        validated(status, body)
    }
}

/// The `Ok` type's answer: the `Err` type is what the server answered with
/// an error status, read as [`ClientError`].
impl<T: ClientAnswer, E> ClientAnswer for Result<T, E> {
    type Success = T::Success;
    fn decode(status: StatusCode, body: &[u8]) -> Result<T::Success, ClientError> {
        T::decode(status, body)
    }
}

/// No content (a `204`), or a body the caller does not need.
impl ClientAnswer for () {
    type Success = ();
    fn decode(_: StatusCode, _: &[u8]) -> Result<(), ClientError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_validated_as_its_type() {
        let ok = <Json<Vec<i64>> as ClientAnswer>::decode(StatusCode::OK, b"[1, 2]");
        assert_eq!(ok.unwrap(), vec![1, 2]);
        let wrong = <Result<Vec<i64>, ()> as ClientAnswer>::decode(StatusCode::OK, b"[\"x\"]");
        let Err(ClientError::Decode { reason, .. }) = wrong else {
            panic!("a list of strings is no list of integers");
        };
        assert!(reason.contains("int_parsing"), "{reason}");
        let text = <i64 as ClientAnswer>::decode(StatusCode::OK, b"<html>");
        assert!(matches!(text, Err(ClientError::Decode { .. })));
        assert_eq!(
            <Option<i64> as ClientAnswer>::decode(StatusCode::OK, b"").unwrap(),
            None
        );
    }
}
