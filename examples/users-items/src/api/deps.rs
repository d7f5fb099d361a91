//! The dependencies routes share: the settings, the database, the job
//! queue and the server's worker, the token signer, the request's
//! transaction and the current user.

use fastrs::prelude::*;
use fastrs::security::{OAuth2PasswordBearer, OAuth2Token};

use crate::core::config::Settings;
use crate::core::errors::Internal;
use crate::core::security::Tokens;
use crate::repositories::users::UserRow;
use crate::repositories::{self, Db, Tx};
use fastrs::di::Yield;
use fastrs::jobs::{Queue, WorkerHandle};

/// The settings, read once from the environment (replaced by the tests
/// with `fastrs::di::Given`).
#[dependency(scope = "app")]
pub async fn settings() -> Result<Settings, Internal> {
    Settings::from_env().map_err(|e| Internal(e.to_string()))
}

/// The database, connected and migrated at startup.
#[dependency(scope = "app")]
pub async fn database(settings: Depends<Settings>) -> Result<Db, Internal> {
    repositories::open(&settings).await
}

// ANCHOR: worker
/// The job queue, in the service's database: jobs are written in the
/// request's transaction.
#[dependency(scope = "app")]
pub async fn jobs(db: Depends<Db>) -> Result<Queue, Internal> {
    crate::worker::queue(&db).await
}

/// The server's own job worker, started with the server unless
/// `WORKER=off`, and stopped at shutdown once its running jobs are done.
#[dependency(scope = "app")]
pub async fn worker(
    settings: Depends<Settings>,
    queue: Depends<Queue>,
    db: Depends<Db>,
) -> Yield<Option<WorkerHandle>> {
    let running = settings
        .worker
        .then(|| crate::worker::worker(&queue, &db).spawn());
    let stop = running.clone();
    Yield::new(running, |_| async move {
        if let Some(worker) = stop {
            worker.stop().await;
        }
        Ok(())
    })
}
// ANCHOR_END: worker

// ANCHOR: transaction
/// The request's transaction (FastAPI's session dependency with `yield`):
/// lent to the handler as `&mut Tx`, then committed when the handler
/// succeeded and rolled back when it failed. Before the response, so that
/// a client told "created" finds it created: a commit that fails answers
/// 500 instead.
#[dependency]
pub async fn transaction(db: Depends<Db>) -> Yield<Tx> {
    Yield::lend(Tx::new(&db), |tx, outcome| {
        let failed = outcome.failed();
        async move {
            let ended = if failed {
                tx.rollback().await
            } else {
                tx.commit().await
            };
            ended.map_err(|error| {
                eprintln!("users-items: the transaction did not end: {error}");
                HttpError::from_status(StatusCode::INTERNAL_SERVER_ERROR)
            })
        }
    })
    .before_response()
}
// ANCHOR_END: transaction

/// The token signer, with the secret from the settings or the data
/// directory.
#[dependency(scope = "app")]
pub async fn tokens(settings: Depends<Settings>) -> Result<Tokens, Internal> {
    let secret = settings
        .jwt_secret()
        .map_err(|e| Internal(format!("JWT secret: {e}")))?;
    Ok(Tokens::new(&secret, settings.access_token_expire_minutes))
}

// ANCHOR: current_user
/// OAuth2's password flow: clients get a token from `POST /token`.
pub struct OAuth2;

impl OAuth2PasswordBearer for OAuth2 {
    const TOKEN_URL: &'static str = "token";
}

/// The user the bearer token names, as an argument's type (FastAPI's
/// `CurrentUser = Annotated[User, Depends(get_current_user)]`).
pub type CurrentUser = Depends<UserRow, current_user>;

/// The user the bearer token names. A missing token is FastAPI's 401
/// `Not authenticated`; a malformed, expired or foreign token, or one for a
/// user that no longer exists, is 401 `Could not validate credentials`.
#[dependency]
pub async fn current_user(
    token: OAuth2Token<OAuth2>,
    tokens: Depends<Tokens>,
    db: Depends<Db>,
) -> Result<UserRow, HttpError> {
    let invalid = || {
        HttpError::new(StatusCode::UNAUTHORIZED, "Could not validate credentials")
            .with_header("www-authenticate", "Bearer")
    };
    let id = tokens.user_id(token.token()).ok_or_else(invalid)?;
    let user = repositories::users::by_id(&db, id)
        .await
        .map_err(|_| HttpError::from_status(StatusCode::INTERNAL_SERVER_ERROR))?
        .ok_or_else(invalid)?;
    Ok(user)
}
// ANCHOR_END: current_user
