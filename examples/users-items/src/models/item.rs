//! Items as clients send and see them.

use fastrs::model::Maybe;
use fastrs::prelude::*;

// ANCHOR: item_models
/// A new item.
#[model]
#[derive(Debug, Clone, PartialEq)]
pub struct ItemCreate {
    /// The title, searched by `q`.
    #[field(min_length = 1, max_length = 200)]
    pub title: String,
    /// A longer text.
    #[field(max_length = 2000)]
    pub description: Option<String>,
}

/// A partial update: what is absent stays as it is; `"description": null`
/// clears the description.
#[model(extra = "forbid")]
#[derive(Debug, Clone, PartialEq)]
pub struct ItemUpdate {
    /// A new title.
    #[field(min_length = 1, max_length = 200)]
    pub title: Maybe<String>,
    /// A new description, or `null` to clear it.
    #[field(max_length = 2000)]
    pub description: Maybe<Option<String>>,
}

/// An item as the API shows it.
#[model]
#[derive(Debug, Clone, PartialEq)]
pub struct ItemOut {
    /// The item's id.
    pub id: i64,
    /// The title.
    pub title: String,
    /// The description.
    pub description: Option<String>,
    /// Who owns it.
    pub owner_id: i64,
    /// When it was created.
    pub created_at: chrono::DateTime<chrono::Utc>,
}
// ANCHOR_END: item_models
