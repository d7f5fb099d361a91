//! The form a client logs in with in the OAuth2 password flow
//! ([`OAuth2PasswordRequestForm`]), read from a form body (the cargo
//! feature `forms`).

use serde_json::{json, Value};

use crate::decl::OperationDoc;
use crate::extract::{Arg, ArgKind, FromRequest, RequestContext, URLENCODED};
use crate::model::{ErrorKind, Location, ValidationError, ValidationErrors};
use crate::response::Rejection;

/// The form a client logs in with in the OAuth2 password flow (FastAPI's
/// `OAuth2PasswordRequestForm`): `username`, `password`, an optional
/// `grant_type` that must be `password` when sent, `scope` (the requested
/// scopes, separated by spaces), and optional `client_id` and
/// `client_secret`, form-encoded. Missing fields are 422 at
/// `["body", name]`, all reported at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuth2PasswordRequestForm {
    /// `password` when sent.
    pub grant_type: Option<String>,
    /// The user's name (often an email).
    pub username: String,
    /// The password.
    pub password: String,
    /// The scopes asked for (`scope` split at spaces).
    pub scopes: Vec<String>,
    /// The client's id, if sent.
    pub client_id: Option<String>,
    /// The client's secret, if sent.
    pub client_secret: Option<String>,
}

impl FromRequest for OAuth2PasswordRequestForm {
    type Value = ();

    const KIND: ArgKind = ArgKind::Body;

    async fn from_request(
        cx: &mut RequestContext,
        _: &Arg<()>,
        errors: &mut ValidationErrors,
    ) -> Result<Option<Self>, Rejection> {
        let form = crate::extract::load_form(cx).await?;
        let field = |name: &str| form.last_text(name).map(str::to_owned);
        let (grant_type, username, password) =
            (field("grant_type"), field("username"), field("password"));
        let (scope, client_id, client_secret) =
            (field("scope"), field("client_id"), field("client_secret"));
        let mut invalid = false;
        if let Some(grant_type) = grant_type.as_deref().filter(|g| *g != "password") {
            invalid = true;
            errors.push(ValidationError::new(
                ErrorKind::PatternMismatch("^password$"),
                Location::Body,
                "grant_type",
                Value::String(grant_type.to_owned()),
            ));
        }
        for (name, value) in [("username", &username), ("password", &password)] {
            if value.is_none() {
                invalid = true;
                errors.push(ValidationError::new(
                    ErrorKind::Missing,
                    Location::Body,
                    name,
                    Value::Null,
                ));
            }
        }
        let (Some(username), Some(password), false) = (username, password, invalid) else {
            return Ok(None);
        };
        Ok(Some(OAuth2PasswordRequestForm {
            grant_type,
            username,
            password,
            scopes: scope
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            client_id,
            client_secret,
        }))
    }

    fn describe(_: &Arg<()>, doc: &mut OperationDoc<'_>) {
        let optional = |extra: Value| {
            let mut schema = json!({"anyOf": [{"type": "string"}, {"type": "null"}]});
            if let (Value::Object(schema), Value::Object(extra)) = (&mut schema, extra) {
                schema.extend(extra);
            }
            schema
        };
        let fields = [
            (
                "grant_type",
                json!({"anyOf": [{"type": "string", "pattern": "^password$"}, {"type": "null"}], "title": "Grant Type"}),
                false,
            ),
            (
                "username",
                json!({"type": "string", "title": "Username"}),
                true,
            ),
            (
                "password",
                json!({"type": "string", "format": "password", "title": "Password"}),
                true,
            ),
            (
                "scope",
                json!({"type": "string", "title": "Scope", "default": ""}),
                false,
            ),
            ("client_id", optional(json!({"title": "Client Id"})), false),
            (
                "client_secret",
                optional(json!({"format": "password", "title": "Client Secret"})),
                false,
            ),
        ];
        for (name, schema, required) in fields {
            doc.body_field(name, schema, required);
        }
        doc.form_media(URLENCODED);
    }
}
