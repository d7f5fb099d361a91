//! Items, always on behalf of their owner: another user's item is not
//! found, so its id tells nothing.

use crate::core::errors::{Fails, Internal, ItemNotFound};
use crate::models::item::{ItemCreate, ItemOut, ItemUpdate};
use crate::repositories::{self, items::ItemRow, Db};

fn item_out(row: ItemRow) -> ItemOut {
    ItemOut {
        id: row.id,
        title: row.title,
        description: row.description,
        owner_id: row.owner_id,
        created_at: repositories::parse_time(&row.created_at),
    }
}

/// Creates an item of `owner_id`.
pub async fn create(db: &Db, owner_id: i64, new: ItemCreate) -> Result<ItemOut, Internal> {
    let row =
        repositories::items::insert(db, owner_id, &new.title, new.description.as_deref()).await?;
    Ok(item_out(row))
}

/// `owner_id`'s items.
pub async fn list(
    db: &Db,
    owner_id: i64,
    q: Option<&str>,
    skip: i64,
    limit: i64,
) -> Result<Vec<ItemOut>, Internal> {
    let rows = repositories::items::list(db, owner_id, q, skip, limit).await?;
    Ok(rows.into_iter().map(item_out).collect())
}

/// `owner_id`'s item `id`.
pub async fn get(db: &Db, owner_id: i64, id: i64) -> Result<ItemOut, Fails<ItemNotFound>> {
    match repositories::items::get(db, owner_id, id).await? {
        Some(row) => Ok(item_out(row)),
        None => Err(ItemNotFound.into()),
    }
}

/// Applies the fields `update` sets; the others keep their values.
pub async fn update(
    db: &Db,
    owner_id: i64,
    id: i64,
    update: ItemUpdate,
) -> Result<ItemOut, Fails<ItemNotFound>> {
    let Some(mut item) = repositories::items::get(db, owner_id, id).await? else {
        return Err(ItemNotFound.into());
    };
    update.title.apply_to(&mut item.title);
    update.description.apply_to(&mut item.description);
    match repositories::items::update(db, owner_id, id, &item.title, item.description.as_deref())
        .await?
    {
        Some(row) => Ok(item_out(row)),
        None => Err(ItemNotFound.into()),
    }
}

/// Deletes `owner_id`'s item `id`.
pub async fn delete(db: &Db, owner_id: i64, id: i64) -> Result<(), Fails<ItemNotFound>> {
    if repositories::items::delete(db, owner_id, id).await? {
        Ok(())
    } else {
        Err(ItemNotFound.into())
    }
}
