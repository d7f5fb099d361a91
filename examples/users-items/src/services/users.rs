//! Registration and login.

use crate::core::errors::{BadCredentials, EmailTaken, Fails, Internal};
use crate::core::security::{hash_password, verify_password};
use crate::models::user::{UserCreate, UserOut};
use crate::repositories::{self, users::UserRow, Db, Tx};
use crate::services::email;

/// A stored user as the API shows it.
pub fn user_out(row: &UserRow) -> UserOut {
    UserOut {
        id: row.id,
        email: row.email.clone(),
        created_at: repositories::parse_time(&row.created_at),
    }
}

/// Argon2 is slow on purpose: it runs on the blocking pool, not on the
/// server's threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Internal> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Internal(format!("password hashing: {e}")))
}

/// Registers a user: the email lower-cased (an email is unique whatever its
/// case), the password hashed, and their welcome email queued, all in the
/// request's transaction `tx` (begun after the hashing, so that it holds
/// no connection while the CPU works).
pub async fn register(tx: &mut Tx, new: UserCreate) -> Result<UserOut, Fails<EmailTaken>> {
    let email = new.email.to_string().to_lowercase();
    let password = new.password;
    let hash = blocking(move || hash_password(&password))
        .await?
        .map_err(|e| Internal(format!("password hashing: {e}")))?;
    let Some(row) = repositories::users::insert(tx.conn().await?, &email, &hash).await? else {
        return Err(EmailTaken.into());
    };
    email::queue_welcome(tx.conn().await?, &row.email).await?;
    Ok(user_out(&row))
}

/// The user with this email and password.
pub async fn authenticate(
    db: &Db,
    email: &str,
    password: String,
) -> Result<UserRow, Fails<BadCredentials>> {
    let Some(user) = repositories::users::by_email(db, &email.to_lowercase()).await? else {
        return Err(BadCredentials.into());
    };
    let hash = user.password_hash.clone();
    if blocking(move || verify_password(&password, &hash)).await? {
        Ok(user)
    } else {
        Err(BadCredentials.into())
    }
}
