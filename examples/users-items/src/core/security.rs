//! Passwords (argon2 hashes) and access tokens (HS256 JWTs).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The argon2 hash of a password, in the PHC string format. CPU-bound: call
/// it from `spawn_blocking`.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|_| argon2::password_hash::Error::Crypto)?;
    let salt = SaltString::encode_b64(&salt)?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// True when `password` matches `hash`. CPU-bound, as [`hash_password`].
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// What an access token says: whose it is and until when.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: String,
    /// Expiry, seconds since the Unix epoch.
    pub exp: i64,
}

/// Signs and checks access tokens with one HS256 key.
#[derive(Clone)]
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    lifetime: chrono::Duration,
}

impl Tokens {
    /// Tokens signed with `secret`, valid for `minutes`.
    pub fn new(secret: &str, minutes: i64) -> Self {
        Tokens {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            lifetime: chrono::Duration::minutes(minutes),
        }
    }

    /// A token for user `user_id`.
    pub fn issue(&self, user_id: i64) -> String {
        let claims = Claims {
            sub: user_id.to_string(),
            exp: (chrono::Utc::now() + self.lifetime).timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HMAC signing does not fail")
    }

    /// The user a token names, when it is well formed, signed with this
    /// key by HS256 (never `alg: none` nor another algorithm), and not
    /// expired.
    pub fn user_id(&self, token: &str) -> Option<i64> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).ok()?;
        claims.claims.sub.parse().ok()
    }
}
