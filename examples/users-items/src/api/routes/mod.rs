//! A router per domain.

pub mod items;
pub mod users;
