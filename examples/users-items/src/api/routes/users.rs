//! `/users` and `/token`.

use fastrs::prelude::*;
use fastrs::security::OAuth2PasswordRequestForm;

use crate::api::deps::{transaction, CurrentUser};
use crate::core::errors::{BadCredentials, EmailTaken, Fails};
use crate::core::security::Tokens;
use crate::models::user::{Token, UserCreate, UserOut};
use crate::repositories::{Db, Tx};
use crate::services;

// ANCHOR: register
/// Registers a user and queues their welcome email, in one transaction.
#[endpoint(
    POST "/users",
    status = 201,
    tags = ["users"]
)]
pub async fn register(
    user: Json<UserCreate>,
    #[depends(transaction)] tx: &mut Tx,
) -> Result<UserOut, Fails<EmailTaken>> {
    services::users::register(tx, user.0).await
}
// ANCHOR_END: register

/// Logs in with the OAuth2 password form (`username` is the email).
#[endpoint(POST "/token", tags = ["users"])]
pub async fn login(
    form: OAuth2PasswordRequestForm,
    db: Depends<Db>,
    tokens: Depends<Tokens>,
) -> Result<Token, Fails<BadCredentials>> {
    let user = services::users::authenticate(&db, &form.username, form.password.clone()).await?;
    Ok(Token {
        access_token: tokens.issue(user.id),
        token_type: "bearer".to_owned(),
    })
}

/// The current user.
#[endpoint(GET "/users/me", tags = ["users"])]
pub async fn read_users_me(user: CurrentUser) -> UserOut {
    services::users::user_out(&user)
}

/// The users routes.
pub fn router() -> Router {
    Router::new()
        .route(register)
        .route(login)
        .route(read_users_me)
}
