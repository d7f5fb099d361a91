//! The users/items service: the FastAPI project layout, written in fastrs.
//!
//! - `main.rs`: reads the settings and serves;
//! - [`api`]: shared dependencies ([`api::deps`]) and a router per domain
//!   ([`api::routes`]);
//! - [`core`]: settings, passwords and tokens, domain errors;
//! - [`models`]: request and response models;
//! - [`services`]: the business rules;
//! - [`repositories`]: SQL, on SQLite or PostgreSQL;
//! - [`worker`]: the durable jobs and who runs them.

pub mod api;
pub mod core;
pub mod models;
pub mod repositories;
pub mod services;
pub mod worker;

use crate::core::config::LogFormat;
use fastrs::prelude::*;

/// The app. Its settings come from the environment unless `settings` is
/// given (the tests give a temporary directory).
pub fn app(settings: Option<core::config::Settings>) -> App {
    let app = App::new()
        .title("users-items")
        .description("Users register and log in; each keeps a list of items.")
        // 400, 401 and 413 documented where fastrs answers them itself, so
        // that a client generated from the document can read them.
        .document_framework_answers()
        // ANCHOR: unique_ids
        // Operation ids (and form bodies' schema names) from the function
        // names: generated clients read `users.register`, not
        // `register_users_post`.
        .generate_unique_id_function(function_name)
        // ANCHOR_END: unique_ids
        // Observability: an id per request (X-Request-ID, in the access
        // line and around each log event), Prometheus metrics.
        .request_ids()
        .metrics("/metrics")
        .include(api::routes::users::router())
        .include(api::routes::items::router())
        .startup(api::deps::database)
        .startup(api::deps::tokens)
        .startup(api::deps::jobs)
        .startup(api::deps::worker);
    // ANCHOR: given
    let app = match settings {
        Some(settings) => {
            let log = match settings.log_format {
                LogFormat::Json => fastrs::app::AccessLog::json(),
                LogFormat::Off => fastrs::app::AccessLog::off(),
                LogFormat::Plain => fastrs::app::AccessLog::plain(),
            };
            app.access_log(log)
                .dependency_override(api::deps::settings, move || {
                    fastrs::di::Given::new(settings)
                })
        }
        None => app,
    };
    // ANCHOR_END: given
    core::errors::handlers(app)
}

// ANCHOR: function_name
/// An operation's id: its function's name, unique in this app.
fn function_name(info: &fastrs::EndpointInfo) -> String {
    info.name.to_owned()
}
// ANCHOR_END: function_name
