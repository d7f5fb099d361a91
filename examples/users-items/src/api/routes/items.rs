//! `/items`: each user's own items.

use fastrs::prelude::*;

use crate::api::deps::CurrentUser;
use crate::core::errors::{Fails, Internal, ItemNotFound};
use crate::models::item::{ItemCreate, ItemOut, ItemUpdate};
use crate::repositories::Db;
use crate::services;

/// Creates an item.
#[endpoint(POST "/items", status = 201, tags = ["items"])]
pub async fn create_item(
    item: Json<ItemCreate>,
    user: CurrentUser,
    db: Depends<Db>,
) -> Result<ItemOut, Internal> {
    services::items::create(&db, user.id, item.0).await
}

// ANCHOR: list
/// The current user's items, oldest first, filtered by `q` in the title.
#[endpoint(GET "/items", tags = ["items"])]
pub async fn list_items(
    #[param(ge = 0, default = 0)] skip: i64,
    #[param(ge = 1, le = 100, default = 20)] limit: i64,
    #[param(max_length = 200)] q: Option<String>,
    user: CurrentUser,
    db: Depends<Db>,
) -> Result<Vec<ItemOut>, Internal> {
    services::items::list(&db, user.id, q.as_deref(), skip, limit).await
}
// ANCHOR_END: list

/// One item.
#[endpoint(GET "/items/{item_id}", tags = ["items"])]
pub async fn read_item(
    item_id: i64,
    user: CurrentUser,
    db: Depends<Db>,
) -> Result<ItemOut, Fails<ItemNotFound>> {
    services::items::get(&db, user.id, item_id).await
}

/// Changes the fields sent; the others stay.
#[endpoint(PATCH "/items/{item_id}", tags = ["items"])]
pub async fn update_item(
    item_id: i64,
    update: Json<ItemUpdate>,
    user: CurrentUser,
    db: Depends<Db>,
) -> Result<ItemOut, Fails<ItemNotFound>> {
    services::items::update(&db, user.id, item_id, update.0).await
}

/// Deletes an item.
#[endpoint(DELETE "/items/{item_id}", status = 204, tags = ["items"])]
pub async fn delete_item(
    item_id: i64,
    user: CurrentUser,
    db: Depends<Db>,
) -> Result<(), Fails<ItemNotFound>> {
    services::items::delete(&db, user.id, item_id).await
}

/// The items routes.
pub fn router() -> Router {
    Router::new()
        .route(create_item)
        .route(list_items)
        .route(read_item)
        .route(update_item)
        .route(delete_item)
}
