//! Settings from the environment (pydantic-settings' `BaseSettings`). The
//! expectations are pydantic-settings 2.16's for the same class
//! (`env_prefix="APP_"`, `env_file=".env"`, `env_nested_delimiter="__"`)
//! and the same variables, copied here.

use fastrs::prelude::*;
use fastrs::settings::{EnvSource, Secret};
use serde_json::json;

#[model]
struct Db {
    host: String,
    #[field(default = 5432)]
    port: u16,
}

// ANCHOR: settings
/// The app's configuration.
#[model]
struct Settings {
    database_url: String,
    #[field(default = 8000)]
    port: u16,
    secret_key: Secret<String>,
    #[field(default = false)]
    debug: bool,
    db: Db,
    #[field(default = Vec::new())]
    tags: Vec<String>,
}

fn source() -> EnvSource {
    EnvSource::new().prefix("APP_").nested_delimiter("__")
}
// ANCHOR_END: settings

#[test]
fn every_missing_or_invalid_variable_is_reported_at_once() {
    let error = source()
        .vars([("APP_PORT", "abc"), ("APP_DB__PORT", "x")])
        .load::<Settings>()
        .err()
        .expect("invalid");
    let errors: Vec<(String, serde_json::Value, &str)> = error
        .errors()
        .map(|(variable, e)| {
            (
                variable.to_owned(),
                serde_json::to_value(&e.loc).unwrap(),
                e.kind.type_name(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (
                "APP_DATABASE_URL".to_owned(),
                json!(["database_url"]),
                "missing"
            ),
            ("APP_PORT".to_owned(), json!(["port"]), "int_parsing"),
            (
                "APP_SECRET_KEY".to_owned(),
                json!(["secret_key"]),
                "missing"
            ),
            ("APP_DB__HOST".to_owned(), json!(["db", "host"]), "missing"),
            (
                "APP_DB__PORT".to_owned(),
                json!(["db", "port"]),
                "int_parsing"
            ),
        ]
    );
    let text = error.to_string();
    assert!(
        text.starts_with("5 validation errors for Settings\n"),
        "{text}"
    );
    // The start of what docs/src/settings.md shows.
    assert!(
        text.starts_with("5 validation errors for Settings\ndatabase_url (from APP_DATABASE_URL)\n  Field required [type=missing]\nport (from APP_PORT)\n  Input should be a valid integer, unable to parse string as an integer [type=int_parsing]\n"),
        "{text}"
    );
    assert!(
        text.contains("db.host (from APP_DB__HOST)\n  Field required [type=missing]"),
        "{text}"
    );
}

#[test]
fn values_come_from_the_env_file_and_the_environment_wins() {
    let dir = std::env::temp_dir().join(format!("fastrs-settings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let env_file = dir.join(".env");
    std::fs::write(
        &env_file,
        "APP_DATABASE_URL=sqlite://x\napp_secret_key=\"s3cret\"\n# comment\nAPP_DB__HOST=h\nAPP_PORT=1\n",
    )
    .unwrap();
    let settings: Settings = source()
        .env_file(&env_file)
        .vars([
            ("APP_PORT", "9000"),
            ("APP_TAGS", r#"["a","b"]"#),
            ("APP_DEBUG", "yes"),
            ("OTHER", "x"),
        ])
        .load()
        .expect("valid");
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(settings.database_url, "sqlite://x");
    assert_eq!(settings.port, 9000);
    assert_eq!(settings.secret_key.expose(), "s3cret");
    assert!(settings.debug);
    assert_eq!((settings.db.host.as_str(), settings.db.port), ("h", 5432));
    assert_eq!(settings.tags, ["a", "b"]);
}

#[test]
fn a_nested_model_can_be_given_whole_as_json_and_a_missing_env_file_is_fine() {
    let settings: Settings = source()
        .env_file("/nonexistent/.env")
        .vars([
            ("APP_DB", r#"{"host":"j","port":"7"}"#),
            ("APP_DATABASE_URL", "env-wins"),
            ("APP_SECRET_KEY", "k"),
        ])
        .load()
        .expect("valid");
    assert_eq!((settings.db.host.as_str(), settings.db.port), ("j", 7));
    assert_eq!(settings.database_url, "env-wins");
}

#[test]
fn secrets_never_print() {
    let settings: Settings = source()
        .vars([
            ("APP_DATABASE_URL", "u"),
            ("APP_SECRET_KEY", "hunter2"),
            ("APP_DB__HOST", "h"),
        ])
        .load()
        .expect("valid");
    let shown = format!("{:?}", settings.secret_key);
    assert_eq!(shown, "Secret(\"**********\")");
    let json = serde_json::to_value(&settings).unwrap();
    assert_eq!(json["secret_key"], "**********");
    assert!(!json.to_string().contains("hunter2"));
}
