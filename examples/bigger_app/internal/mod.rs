//! Code shared with other projects (FastAPI's `app/internal/`).

pub mod admin;
