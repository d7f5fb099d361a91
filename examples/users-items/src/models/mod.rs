//! The request and response models.

pub mod item;
pub mod user;
