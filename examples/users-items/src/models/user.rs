//! Users as clients send and see them, and the login answer.

use fastrs::model::Email;
use fastrs::prelude::*;

// ANCHOR: user_models
/// A registration.
#[model]
#[derive(Debug, Clone, PartialEq)]
pub struct UserCreate {
    /// The login; unique, whatever its case.
    pub email: Email,
    /// At least 8 characters; stored as an argon2 hash only.
    #[field(min_length = 8, max_length = 128)]
    pub password: String,
}

/// A user as the API shows it: never the password or its hash.
#[model]
#[derive(Debug, Clone, PartialEq)]
pub struct UserOut {
    /// The user's id.
    pub id: i64,
    /// The login, lower-cased.
    pub email: String,
    /// When the user registered.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// What `POST /token` answers.
#[model]
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The bearer token.
    pub access_token: String,
    /// Always `bearer`.
    pub token_type: String,
}
// ANCHOR_END: user_models
