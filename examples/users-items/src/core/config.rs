//! Settings, from environment variables with defaults (the `core/config.py`
//! of a FastAPI project).

use std::path::{Path, PathBuf};

use fastrs::prelude::*;
use fastrs::settings::{EnvSource, Secret, SettingsError};

/// What the service reads from its environment.
#[model]
pub struct Settings {
    /// Where the SQLite database and the generated JWT secret live.
    #[field(default = "data")]
    pub data_dir: String,
    /// `sqlite://...` or `postgres://...`; a SQLite file in `data_dir` when
    /// unset.
    pub database_url: Option<String>,
    /// Read connections per process, and on PostgreSQL as many write
    /// connections (SQLite has one writer: it has one write connection).
    /// Few beat many: measured with PostgreSQL on the same two cores, 4
    /// served 9% more item lists than 10 and 25% more than 20
    /// (bench/service.sh).
    #[field(default = 4, ge = 1, le = 100)]
    pub database_pool_size: u32,
    /// The HS256 key; generated once and kept in `data_dir` when unset.
    pub jwt_secret: Option<Secret<String>>,
    /// How long an access token is valid.
    #[field(default = 30, ge = 1)]
    pub access_token_expire_minutes: i64,
    /// Whether the server runs a job worker too (`WORKER=off`: it does
    /// not, and `users-items worker` processes run the jobs).
    #[field(default = true)]
    pub worker: bool,
    /// The access log's form.
    #[field(default = LogFormat::Plain)]
    pub log_format: LogFormat,
}

/// The access log's form (`LOG_FORMAT`).
#[model]
#[serde(rename_all = "lowercase")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// uvicorn's line.
    Plain,
    /// One object per line, for a log collector.
    Json,
    /// None, as uvicorn's `--no-access-log`.
    Off,
}

impl Settings {
    /// The settings from the process environment and `.env`.
    pub fn from_env() -> Result<Settings, SettingsError> {
        EnvSource::new().env_file(".env").load()
    }

    /// The settings for a data directory, everything else by default (the
    /// tests' settings).
    pub fn in_dir(dir: &Path) -> Settings {
        Settings {
            data_dir: dir.display().to_string(),
            database_url: None,
            jwt_secret: None,
            database_pool_size: 4,
            access_token_expire_minutes: 30,
            worker: true,
            log_format: LogFormat::Plain,
        }
    }

    /// The database URL: the one given, or the SQLite file in `data_dir`,
    /// created on first start.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_path("users-items.db").display()
            ),
        }
    }

    /// A file in the data directory.
    pub fn data_path(&self, name: &str) -> PathBuf {
        Path::new(&self.data_dir).join(name)
    }

    /// The JWT secret: the one given, or the one kept in the data
    /// directory, generated on first start so that tokens survive a
    /// restart.
    pub fn jwt_secret(&self) -> std::io::Result<String> {
        if let Some(secret) = &self.jwt_secret {
            return Ok(secret.expose().clone());
        }
        let path = self.data_path("jwt-secret");
        match std::fs::read_to_string(&path) {
            Ok(secret) if !secret.trim().is_empty() => return Ok(secret.trim().to_owned()),
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error),
        }
        let mut bytes = [0u8; 32];
        getrandom::getrandom(&mut bytes).map_err(std::io::Error::other)?;
        let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        std::fs::create_dir_all(&self.data_dir)?;
        std::fs::write(&path, &secret)?;
        Ok(secret)
    }
}
