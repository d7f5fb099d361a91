//! What the whole service shares: settings, security (passwords and
//! tokens) and the domain errors with their HTTP answers.

pub mod config;
pub mod errors;
pub mod security;
