//! Form and file arguments: form fields, form models, `JsonOrForm`, and
//! the file parts [`UploadFile`] and [`File`], all read from the request's
//! form ([`super::form_data`]).
//!
//! - [`Form<T>`] with a scalar, `Option` or `Vec` `T` is one field, named
//!   by the argument (or its `alias`); with a `#[model]` `T`, the whole form
//!   (FastAPI's `Annotated[Model, Form()]`).
//! - [`UploadFile`] and [`File`] are file parts: the type itself takes
//!   the last part of the argument's name, `Option<_>` allows none, `Vec<_>`
//!   takes them all and needs one. A text value where an `UploadFile` is
//!   wanted is FastAPI's `value_error` ("Expected UploadFile, received:
//!   <class 'str'>"); `File` takes either.
//!
//! As in FastAPI: the last of repeated keys is a scalar's value and a `Vec`
//! takes them all; an empty text value counts as absent (so a field with a
//! default takes it); a body of another content type is an empty form, so
//! every required field is `missing` at `["body", name]`.

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use serde_json::{json, Value};

use super::form_data::{load_form, FormValue, MULTIPART, URLENCODED};
use super::param::{param_default, read, ParamShape};
use super::upload::{File, UploadFile};
use super::{Arg, ArgKind, FromRequest, RequestContext};
use crate::decl::{OperationDoc, ParamSpec};
use crate::error::HttpError;
use crate::model::{
    Constraints, ErrorKind, JsonSchema, LocItem, Location, Model, ValidateCx, ValidationError,
    ValidationErrors,
};
use crate::response::Rejection;

/// A form field, or a whole `#[model]` form.
///
/// ```
/// use fastrs::prelude::*;
///
/// #[endpoint(POST "/login")]
/// async fn login(username: Form<String>, password: Form<String>) -> Json<String> {
///     let _ = password;
///     Json(username.0)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form<T>(pub T);

impl<T> std::ops::Deref for Form<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The value of one form field (scalar, `Option` or `Vec`), as FastAPI's
/// `Form()` reads it.
pub struct ViaField;

/// A whole `#[model]` form.
pub struct ViaModel;

impl<T: ParamShape> FromRequest<ViaField> for Form<T> {
    type Value = T;

    const KIND: ArgKind = ArgKind::Body;

    fn describe(arg: &Arg<T>, doc: &mut OperationDoc<'_>) {
        describe_form_field::<T>(arg.spec, arg.default, URLENCODED, doc);
    }

    async fn from_request(
        cx: &mut RequestContext,
        arg: &Arg<T>,
        errors: &mut ValidationErrors,
    ) -> Result<Option<Self>, Rejection> {
        let form = load_form(cx).await?;
        let values = form.texts(arg.spec.alias);
        Ok(read(values, Location::Body, arg.spec, arg.default, errors).map(Form))
    }
}

impl<M: Model + Send + 'static> FromRequest<ViaModel> for Form<M> {
    type Value = M;

    const KIND: ArgKind = ArgKind::Body;

    fn describe(arg: &Arg<M>, doc: &mut OperationDoc<'_>) {
        doc.body::<M>(arg.spec, false, true, None);
        doc.form_media(URLENCODED);
    }

    async fn from_request(
        cx: &mut RequestContext,
        _: &Arg<M>,
        errors: &mut ValidationErrors,
    ) -> Result<Option<Self>, Rejection> {
        Ok(read_form_model(cx, errors).await?.map(Form))
    }
}

/// The form as a `#[model]`: its text fields gathered as the query's are
/// (a list field takes every value), validated at `["body", ...]`.
async fn read_form_model<M: Model>(
    cx: &mut RequestContext,
    errors: &mut ValidationErrors,
) -> Result<Option<M>, HttpError> {
    let form = load_form(cx).await?;
    let object = super::param_model::gather::<M>(form.text_pairs(), false);
    let mut cx = ValidateCx::new(Location::Body, Vec::new(), errors);
    Ok(M::validate(
        &Value::Object(object),
        &Constraints::NONE,
        &mut cx,
    ))
}

/// Documents one field of a form body: a key of `Body_<operationId>`,
/// sent as `media`.
pub fn describe_form_field<T: crate::model::JsonSchema + serde::Serialize>(
    spec: &'static ParamSpec,
    default: Option<fn() -> T>,
    media: &'static str,
    doc: &mut OperationDoc<'_>,
) {
    let (required, default) = param_default::<T>(default);
    doc.body::<T>(spec, true, required, default);
    doc.form_media(media);
}

/// The body as JSON or as a form, by its `Content-Type` (beyond FastAPI:
/// one endpoint for a JSON client and an HTML form). A `#[model]` `T` is
/// validated the same way from either; both media types are documented.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::extract::JsonOrForm;
///
/// #[model]
/// struct Note {
///     text: String,
/// }
///
/// #[endpoint(POST "/notes")]
/// async fn add(note: JsonOrForm<Note>) -> Json<String> {
///     Json(note.0.text)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonOrForm<T>(pub T);

impl<M> FromRequest for JsonOrForm<M>
where
    M: Model + Send + 'static,
{
    type Value = M;

    const KIND: ArgKind = ArgKind::Body;

    fn describe(arg: &Arg<M>, doc: &mut OperationDoc<'_>) {
        doc.body::<M>(arg.spec, false, true, None);
        doc.body_media("application/json");
        doc.body_media(URLENCODED);
        doc.body_media(MULTIPART);
    }

    async fn from_request(
        cx: &mut RequestContext,
        arg: &Arg<M>,
        errors: &mut ValidationErrors,
    ) -> Result<Option<Self>, Rejection> {
        let is_form = cx
            .head()
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                let mime = v.split(';').next().unwrap_or("").trim();
                mime.eq_ignore_ascii_case(URLENCODED) || mime.eq_ignore_ascii_case(MULTIPART)
            });
        if is_form {
            return Ok(read_form_model(cx, errors).await?.map(JsonOrForm));
        }
        let json = <crate::response::Json<M> as FromRequest>::from_request(cx, arg, errors).await?;
        Ok(json.map(|json| JsonOrForm(json.0)))
    }
}

/// How a form part becomes a file argument.
trait FilePart: Sized {
    /// The part as `Self`, or the error to record.
    async fn from_part(value: FormValue) -> Result<Self, (ErrorKind, Value)>;
}

impl FilePart for UploadFile {
    async fn from_part(value: FormValue) -> Result<Self, (ErrorKind, Value)> {
        match value {
            FormValue::File(file) => Ok(*file),
            FormValue::Text(text) => Err((
                ErrorKind::Other {
                    kind: "value_error".into(),
                    msg: "Value error, Expected UploadFile, received: <class 'str'>".into(),
                    ctx: Some(json!({"error": {}})),
                },
                Value::String(text),
            )),
        }
    }
}

impl FilePart for File {
    async fn from_part(value: FormValue) -> Result<Self, (ErrorKind, Value)> {
        match value {
            FormValue::Text(text) => Ok(File(Bytes::from(text))),
            FormValue::File(mut file) => file.bytes().await.map(File).map_err(|error| {
                crate::log::error!("an uploaded file could not be read back: {error}");
                (
                    ErrorKind::Other {
                        kind: "value_error".into(),
                        msg: "Value error, the uploaded file could not be read".into(),
                        ctx: Some(json!({"error": {}})),
                    },
                    Value::Null,
                )
            }),
        }
    }
}

/// Reads the parts named by `arg` as a list of `T`, recording errors at
/// `["body", name]` (with the index for a list). `Ok(None)`: invalid.
async fn parts<T: FilePart>(
    cx: &mut RequestContext,
    name: &'static str,
    list: bool,
    errors: &mut ValidationErrors,
) -> Result<Option<Vec<T>>, Rejection> {
    let form = load_form(cx).await?;
    let mut values = form.take(name);
    if !list && values.len() > 1 {
        values.drain(..values.len() - 1);
    }
    let mut items = Vec::with_capacity(values.len());
    let mut invalid = false;
    for (index, value) in values.into_iter().enumerate() {
        match T::from_part(value).await {
            Ok(item) => items.push(item),
            Err((kind, input)) => {
                let mut loc = vec![LocItem::from(name)];
                if list {
                    loc.push(LocItem::Index(index));
                }
                errors.push(ValidationError {
                    kind,
                    location: Location::Body,
                    loc,
                    input,
                });
                invalid = true;
            }
        }
    }
    Ok((!invalid).then_some(items))
}

fn missing(name: &'static str, errors: &mut ValidationErrors) {
    errors.push(ValidationError::new(
        ErrorKind::Missing,
        Location::Body,
        name,
        Value::Null,
    ));
}

fn describe_file<T: JsonSchema>(arg: &Arg<T>, doc: &mut OperationDoc<'_>) {
    doc.body::<T>(arg.spec, true, !T::OPTIONAL, None);
    doc.form_media(MULTIPART);
}

/// `T`, `Option<T>`, `Vec<T>` and `Option<Vec<T>>` of a file type.
macro_rules! file_argument {
    ($($t:ty),*) => {$(
        impl FromRequest for $t {
            type Value = $t;
            const KIND: ArgKind = ArgKind::Body;

            fn describe(arg: &Arg<$t>, doc: &mut OperationDoc<'_>) {
                describe_file(arg, doc);
            }

            async fn from_request(
                cx: &mut RequestContext,
                arg: &Arg<$t>,
                errors: &mut ValidationErrors,
            ) -> Result<Option<Self>, Rejection> {
                let name = arg.spec.alias;
                let Some(mut items) = parts::<$t>(cx, name, false, errors).await? else {
                    return Ok(None);
                };
                let item = items.pop();
                if item.is_none() {
                    missing(name, errors);
                }
                Ok(item)
            }
        }

        impl FromRequest for Option<$t> {
            type Value = Option<$t>;
            const KIND: ArgKind = ArgKind::Body;

            fn describe(arg: &Arg<Option<$t>>, doc: &mut OperationDoc<'_>) {
                describe_file(arg, doc);
            }

            async fn from_request(
                cx: &mut RequestContext,
                arg: &Arg<Option<$t>>,
                errors: &mut ValidationErrors,
            ) -> Result<Option<Self>, Rejection> {
                Ok(parts::<$t>(cx, arg.spec.alias, false, errors).await?.map(|mut v| v.pop()))
            }
        }

        impl FromRequest for Vec<$t> {
            type Value = Vec<$t>;
            const KIND: ArgKind = ArgKind::Body;

            fn describe(arg: &Arg<Vec<$t>>, doc: &mut OperationDoc<'_>) {
                describe_file(arg, doc);
            }

            async fn from_request(
                cx: &mut RequestContext,
                arg: &Arg<Vec<$t>>,
                errors: &mut ValidationErrors,
            ) -> Result<Option<Self>, Rejection> {
                let name = arg.spec.alias;
                match parts::<$t>(cx, name, true, errors).await? {
                    Some(items) if items.is_empty() => {
                        missing(name, errors);
                        Ok(None)
                    }
                    items => Ok(items),
                }
            }
        }

        impl FromRequest for Option<Vec<$t>> {
            type Value = Option<Vec<$t>>;
            const KIND: ArgKind = ArgKind::Body;

            fn describe(arg: &Arg<Option<Vec<$t>>>, doc: &mut OperationDoc<'_>) {
                describe_file(arg, doc);
            }

            async fn from_request(
                cx: &mut RequestContext,
                arg: &Arg<Option<Vec<$t>>>,
                errors: &mut ValidationErrors,
            ) -> Result<Option<Self>, Rejection> {
                let items = parts::<$t>(cx, arg.spec.alias, true, errors).await?;
                Ok(items.map(|items| (!items.is_empty()).then_some(items)))
            }
        }
    )*};
}

file_argument!(UploadFile, File);
