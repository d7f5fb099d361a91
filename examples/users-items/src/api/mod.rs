//! The HTTP surface: shared dependencies and a router per domain.

pub mod deps;
pub mod routes;
