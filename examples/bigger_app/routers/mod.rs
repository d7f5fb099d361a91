//! One router per domain (FastAPI's `app/routers/`).

pub mod items;
pub mod users;
