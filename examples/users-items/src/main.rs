//! `cargo run --release -p users-items`: migrates the database (a SQLite
//! file in `./data` unless `DATABASE_URL` says otherwise) and serves on
//! `HOST`:`PORT` (127.0.0.1:8000), with the docs at `/docs`.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let settings = match users_items::core::config::Settings::from_env() {
        Ok(settings) => settings,
        Err(errors) => {
            eprintln!("users-items: invalid settings:\n{errors}");
            std::process::exit(2);
        }
    };
    users_items::app(Some(settings)).serve().await
}
