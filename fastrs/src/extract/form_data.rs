//! Reading a body as a form, once per request: `application/x-www-form-urlencoded`
//! (lossy UTF-8, as Starlette decodes it) and `multipart/form-data`
//! (streamed through multer, files collected by [`Spooler`]), into a
//! [`FormData`] that the form and file arguments ([`super::form`]) take
//! their parts from. A body of another content type is an empty form.
//!
//! Limits: the app's body limit for the whole body, counted as it arrives
//! (413), its body read timeout (408), and at most
//! [`App::max_form_parts`](crate::App::max_form_parts) fields and files
//! (400). A multipart body without a boundary, or one that is not
//! multipart, is FastAPI's 400; a truncated one keeps the parts that
//! arrived whole, as python-multipart does.

use std::borrow::Cow;

use http::header::CONTENT_TYPE;
use http::StatusCode;
use http_body_util::BodyExt;

use super::upload::{Spooler, UploadFile};
use super::{BodyState, RequestContext};
use crate::error::HttpError;

/// The media type FastAPI documents for a form without files.
pub const URLENCODED: &str = "application/x-www-form-urlencoded";
/// The media type FastAPI documents for a form with files.
pub const MULTIPART: &str = "multipart/form-data";

/// One part of a form: a text value, or a file (taken by the argument
/// that reads it).
pub(crate) enum FormValue {
    Text(String),
    File(Box<UploadFile>),
}

/// A form as read from the body: its parts in the order sent.
#[derive(Default)]
pub(crate) struct FormData {
    parts: Vec<(String, Option<FormValue>)>,
}

impl FormData {
    /// The text values of `name`, empty ones left out (FastAPI reads an
    /// empty form value as absent).
    pub(crate) fn texts<'a>(&'a self, name: &'a str) -> impl Iterator<Item = Cow<'a, str>> + 'a {
        self.parts
            .iter()
            .filter_map(move |(key, value)| match value {
                Some(FormValue::Text(text)) if key == name && !text.is_empty() => {
                    Some(Cow::Borrowed(text.as_str()))
                }
                _ => None,
            })
    }

    /// The last non-empty text value of `name`.
    pub(crate) fn last_text(&self, name: &str) -> Option<&str> {
        self.parts
            .iter()
            .rev()
            .find_map(|(key, value)| match value {
                Some(FormValue::Text(text)) if key == name && !text.is_empty() => {
                    Some(text.as_str())
                }
                _ => None,
            })
    }

    /// Takes every part of `name`, in order.
    pub(crate) fn take(&mut self, name: &str) -> Vec<FormValue> {
        self.parts
            .iter_mut()
            .filter(|(key, _)| key == name)
            .filter_map(|(_, value)| value.take())
            .collect()
    }

    /// Every non-empty text part as a `(key, value)` pair.
    pub(crate) fn text_pairs(&self) -> Vec<(String, String)> {
        self.parts
            .iter()
            .filter_map(|(key, value)| match value {
                Some(FormValue::Text(text)) if !text.is_empty() => {
                    Some((key.clone(), text.clone()))
                }
                _ => None,
            })
            .collect()
    }
}

/// The 400 for a form with more parts than the app allows.
fn too_many_parts(limit: usize) -> HttpError {
    HttpError::new(
        StatusCode::BAD_REQUEST,
        format!("Too many form fields: at most {limit} are accepted"),
    )
}

fn invalid_multipart() -> HttpError {
    HttpError::new(StatusCode::BAD_REQUEST, "Invalid multipart data.")
}

/// Reads the body as a form, once per request; later calls find it in
/// the request's body state.
pub(crate) async fn load_form(cx: &mut RequestContext) -> Result<&mut FormData, HttpError> {
    if !matches!(cx.body_state, BodyState::Form(_)) {
        let form = read_form(cx).await?;
        cx.body_state = BodyState::Form(form);
    }
    match &mut cx.body_state {
        BodyState::Form(form) => Ok(form),
        _ => unreachable!("the form was stored just above"),
    }
}

async fn read_form(cx: &mut RequestContext) -> Result<FormData, HttpError> {
    let content_type = cx
        .head()
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let limit = cx.app().max_form_parts;
    match mime.as_str() {
        URLENCODED => {
            let bytes = super::body::read_body(cx).await?;
            parse_urlencoded(&bytes, limit)
        }
        MULTIPART => {
            let boundary = multer::parse_boundary(&content_type).map_err(|_| {
                HttpError::new(StatusCode::BAD_REQUEST, "Missing boundary in multipart.")
            })?;
            let timeout = cx.app().body_read_timeout;
            let reading = read_multipart(cx, boundary, limit);
            match timeout {
                Some(timeout) => tokio::time::timeout(timeout, reading)
                    .await
                    .unwrap_or_else(|_| Err(super::body::body_timed_out())),
                None => reading.await,
            }
        }
        // Another content type is an empty form, as Starlette reads it.
        _ => Ok(FormData::default()),
    }
}

/// Parses `key=value&...` (lossy UTF-8, as Starlette decodes it).
fn parse_urlencoded(bytes: &[u8], limit: usize) -> Result<FormData, HttpError> {
    let mut form = FormData::default();
    for (key, value) in form_urlencoded::parse(bytes) {
        if form.parts.len() == limit {
            return Err(too_many_parts(limit));
        }
        form.parts
            .push((key.into_owned(), Some(FormValue::Text(value.into_owned()))));
    }
    Ok(form)
}

async fn read_multipart(
    cx: &mut RequestContext,
    boundary: String,
    limit: usize,
) -> Result<FormData, HttpError> {
    let body_limit = cx.body_limit();
    let Some(body) = super::body::take_limited_body(cx)? else {
        return Err(invalid_multipart());
    };
    let spool_size = cx.app().upload_spool_size;
    let stream = body.into_data_stream();
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut form = FormData::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // No boundary anywhere in the body: not multipart at all.
            Err(multer::Error::IncompleteStream) if form.parts.is_empty() => {
                return Err(invalid_multipart())
            }
            Err(error) => {
                multipart_error(error, body_limit)?;
                break;
            }
        };
        if form.parts.len() == limit {
            return Err(too_many_parts(limit));
        }
        let name = field.name().unwrap_or_default().to_owned();
        let value = match field.file_name() {
            Some(filename) => {
                let filename = filename.to_owned();
                let content_type = field.content_type().map(|m| m.to_string());
                let headers = field.headers().clone();
                let mut spooler = Spooler::new(spool_size);
                let mut field = field;
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => spooler
                            .write(chunk)
                            .await
                            .map_err(|error| spool_failed(&error))?,
                        Ok(None) => break,
                        Err(error) => {
                            multipart_error(error, body_limit)?;
                            return Ok(form);
                        }
                    }
                }
                let file = spooler.into_file(Some(filename), content_type, headers);
                FormValue::File(Box::new(file.await.map_err(|e| spool_failed(&e))?))
            }
            None => match field.bytes().await {
                Ok(bytes) => FormValue::Text(String::from_utf8_lossy(&bytes).into_owned()),
                Err(error) => {
                    multipart_error(error, body_limit)?;
                    break;
                }
            },
        };
        form.parts.push((name, Some(value)));
    }
    Ok(form)
}

/// What a multer error means for the client: 413 past the body limit and
/// 400 for bytes that are not multipart. `Ok` for a body that stopped
/// before its closing boundary: the parts that arrived whole are kept
/// (python-multipart's reading), the one cut short is dropped.
fn multipart_error(error: multer::Error, limit: usize) -> Result<(), HttpError> {
    match error {
        multer::Error::IncompleteStream | multer::Error::IncompleteFieldData { .. } => Ok(()),
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            Err(super::body::payload_too_large(limit))
        }
        multer::Error::StreamReadFailed(cause)
            if cause.is::<http_body_util::LengthLimitError>() =>
        {
            Err(super::body::payload_too_large(limit))
        }
        multer::Error::StreamReadFailed(_) => Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "The request body could not be read",
        )),
        _ => Err(invalid_multipart()),
    }
}

/// A temporary file could not be written: the server's trouble, logged.
fn spool_failed(error: &std::io::Error) -> HttpError {
    crate::log::error!("an uploaded file could not be spooled to disk: {error}");
    HttpError::from_status(StatusCode::INTERNAL_SERVER_ERROR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencoded_forms_keep_order_and_repeats_and_decode_lossily() {
        let form = parse_urlencoded(b"a=1&b=x+y&a=2&c=b%FFo&d=", 10)
            .ok()
            .unwrap();
        let a: Vec<_> = form.texts("a").collect();
        assert_eq!(a, ["1", "2"]);
        assert_eq!(form.texts("b").next().as_deref(), Some("x y"));
        assert_eq!(form.texts("c").next().as_deref(), Some("b\u{FFFD}o"));
        assert_eq!(form.texts("d").count(), 0, "an empty value is absent");
    }

    #[test]
    fn a_form_with_too_many_fields_is_refused() {
        let error = parse_urlencoded(b"a=1&b=2&c=3", 2).err().unwrap();
        assert_eq!(error.status(), StatusCode::BAD_REQUEST);
    }
}
