//! The domain errors, as types the services return, and their HTTP
//! answers, mapped once (`handlers`) and documented on every operation
//! whose handler can return them (`ErrorResponses`).

use fastrs::openapi::{Components, ErrorResponses, ResponseDoc};
use fastrs::prelude::*;
use fastrs::Response;

/// FastAPI's error body, `{"detail": "..."}`.
#[model]
pub struct ErrorDetail {
    /// What went wrong.
    pub detail: String,
}

/// Declares a domain error: a type, its status and its detail.
macro_rules! domain_error {
    ($(#[$doc:meta])* $name:ident, $status:expr, $detail:expr) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name;

        impl $name {
            /// The answer's status.
            pub const STATUS: StatusCode = $status;
            /// The answer's `detail`.
            pub const DETAIL: &'static str = $detail;
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($detail)
            }
        }

        impl std::error::Error for $name {}

        /// Raised to the app's handler for this type (see `handlers`).
        impl IntoResponse for $name {
            fn into_response(self) -> Response {
                fastrs::Error::new(self).into_response()
            }
        }

        impl ErrorResponses for $name {
            fn error_responses(components: &mut Components) -> Vec<ResponseDoc> {
                vec![ResponseDoc::json::<ErrorDetail>($status.as_u16(), $detail, components)]
            }
        }

        impl From<$name> for Fails<$name> {
            fn from(error: $name) -> Self {
                Fails::Domain(error)
            }
        }
    };
}

/// What a handler can fail with: the domain error `E`, documented on its
/// operation, or an internal failure (a logged 500).
#[derive(Debug)]
pub enum Fails<E> {
    /// A domain error, answered by its handler.
    Domain(E),
    /// The database or the hasher failed.
    Internal(Internal),
}

impl<E> From<Internal> for Fails<E> {
    fn from(error: Internal) -> Self {
        Fails::Internal(error)
    }
}

impl<E> From<sqlx::Error> for Fails<E> {
    fn from(error: sqlx::Error) -> Self {
        Fails::Internal(error.into())
    }
}

impl<E: IntoResponse> IntoResponse for Fails<E> {
    fn into_response(self) -> Response {
        match self {
            Fails::Domain(error) => error.into_response(),
            Fails::Internal(error) => error.into_response(),
        }
    }
}

impl<E: ErrorResponses> ErrorResponses for Fails<E> {
    fn error_responses(components: &mut Components) -> Vec<ResponseDoc> {
        E::error_responses(components)
    }
}

domain_error!(
    /// Registration with an email that has an account already.
    EmailTaken,
    StatusCode::CONFLICT,
    "Email already registered"
);
domain_error!(
    /// Login with an unknown email or a wrong password.
    BadCredentials,
    StatusCode::BAD_REQUEST,
    "Incorrect email or password"
);
domain_error!(
    /// An item that does not exist or belongs to someone else.
    ItemNotFound,
    StatusCode::NOT_FOUND,
    "Item not found"
);

/// The service's own failures (the database, the password hasher): a
/// logged 500, never a detail for the client.
#[derive(Debug)]
pub struct Internal(pub String);

impl std::fmt::Display for Internal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "internal error: {}", self.0)
    }
}

impl std::error::Error for Internal {}

/// A logged 500 (`Internal Server Error`, the cause only in the log).
impl IntoResponse for Internal {
    fn into_response(self) -> Response {
        fastrs::Error::new(self).into_response()
    }
}

impl From<sqlx::Error> for Internal {
    fn from(error: sqlx::Error) -> Self {
        Internal(error.to_string())
    }
}

impl From<fastrs::jobs::JobsError> for Internal {
    fn from(error: fastrs::jobs::JobsError) -> Self {
        Internal(error.to_string())
    }
}

/// FastAPI's 422 body (`{"detail": [...]}`), except that a password is
/// never echoed back: an error's `input` at a `password` field, or a
/// `password` key in it, reads `**********`.
#[model]
pub struct ValidationProblem {
    /// FastAPI's error list.
    pub detail: Vec<serde_json::Value>,
}

fn redacted(
    _: &fastrs::http::request::Parts,
    error: fastrs::error::RequestValidationError,
) -> ValidationProblem {
    const HIDDEN: &str = "**********";
    let mut detail = match error.detail() {
        serde_json::Value::Array(errors) => errors,
        _ => Vec::new(),
    };
    for error in &mut detail {
        let loc = error["loc"].as_array();
        if loc.and_then(|l| l.last()).and_then(|s| s.as_str()) == Some("password") {
            error["input"] = HIDDEN.into();
        }
        if let Some(input) = error.get_mut("input").and_then(|i| i.as_object_mut()) {
            if input.contains_key("password") {
                input.insert("password".to_owned(), HIDDEN.into());
            }
        }
    }
    ValidationProblem { detail }
}

/// Each domain error's answer, registered on the app once, and the
/// answer to invalid input.
pub fn handlers(app: App) -> App {
    fn answer(status: StatusCode, detail: &str) -> HttpError {
        HttpError::new(status, detail.to_owned())
    }
    app.error_handler(|_: EmailTaken| answer(EmailTaken::STATUS, EmailTaken::DETAIL))
        .error_handler(|_: BadCredentials| answer(BadCredentials::STATUS, BadCredentials::DETAIL))
        .error_handler(|_: ItemNotFound| answer(ItemNotFound::STATUS, ItemNotFound::DETAIL))
        .validation_error_handler(StatusCode::UNPROCESSABLE_ENTITY, redacted)
}
