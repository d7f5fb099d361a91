//! Data access: SQL against SQLite or PostgreSQL through sqlx's `Any`
//! driver, one module per table. Placeholders are `$1`, `$2`, ... in
//! increasing order, which both databases read the same way.

pub mod items;
pub mod outbox;
pub mod users;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

/// The connection pool, shared by every request.
#[derive(Clone)]
pub struct Db(pub AnyPool);

// ANCHOR: connect
/// Connects to `url` (`sqlite://...` or `postgres://...`) and runs the
/// migrations of that database.
pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let postgres = url.starts_with("postgres:") || url.starts_with("postgresql:");
    // SQLite serializes writers; one connection avoids "database is locked".
    let max = if postgres { 10 } else { 1 };
    let pool = AnyPoolOptions::new()
        .max_connections(max)
        .connect(url)
        .await?;
    if postgres {
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
    } else {
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
    }
    Ok(Db(pool))
}
// ANCHOR_END: connect

/// Now, as stored: RFC 3339 text with microseconds, in UTC.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// A stored time, read back.
pub fn parse_time(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_default()
}
