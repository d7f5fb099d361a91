//! Logging that is never lost: through `tracing` when the program installed
//! a subscriber, else on stderr, so that a plain app still shows its 500s
//! and panics (as uvicorn shows tracebacks) without any setup.

/// Logs an error.
macro_rules! error {
    ($($arg:tt)*) => {
        if ::tracing::dispatcher::has_been_set() {
            ::tracing::error!($($arg)*);
        } else {
            // A closed stderr must not take the server down: ignore write errors.
            let _ = ::std::io::Write::write_fmt(
                &mut ::std::io::stderr(),
                ::std::format_args!("ERROR fastrs: {}\n", ::std::format!($($arg)*)),
            );
        }
    };
}

/// Logs something worth knowing that is not an error.
macro_rules! info {
    ($($arg:tt)*) => {
        if ::tracing::dispatcher::has_been_set() {
            ::tracing::info!($($arg)*);
        } else {
            let _ = ::std::io::Write::write_fmt(
                &mut ::std::io::stderr(),
                ::std::format_args!("fastrs: {}\n", ::std::format!($($arg)*)),
            );
        }
    };
}

/// Logs something that went wrong and was recovered from (a lost
/// connection that is being made again).
macro_rules! warning {
    ($($arg:tt)*) => {
        if ::tracing::dispatcher::has_been_set() {
            ::tracing::warn!($($arg)*);
        } else {
            let _ = ::std::io::Write::write_fmt(
                &mut ::std::io::stderr(),
                ::std::format_args!("WARN fastrs: {}\n", ::std::format!($($arg)*)),
            );
        }
    };
}

pub(crate) use {error, info, warning};
