//! The dependencies the routers share (FastAPI's `app/dependencies.py`).

use fastrs::prelude::*;

/// Every `/items` route and the admin routes need this header.
#[dependency]
pub async fn get_token_header(x_token: Header<String>) -> Result<(), HttpError> {
    if x_token.0 != "fake-super-secret-token" {
        return Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "X-Token header invalid",
        ));
    }
    Ok(())
}

/// Every route of the app needs this query parameter.
#[dependency]
pub async fn get_query_token(token: String) -> Result<(), HttpError> {
    if token != "jessica" {
        return Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "No Jessica token provided",
        ));
    }
    Ok(())
}
