//! The business rules: what registering, logging in and managing items
//! mean, in terms of the repositories, raising domain errors.

pub mod email;
pub mod items;
pub mod users;
