//! The request and response models of the servers written with serde
//! (axum, actix-web, raw hyper): the same shapes and checks for each, as
//! their users write them, with serde for the shape and the `validator`
//! crate for the checks. fastrs and poem-openapi declare theirs with their
//! own derives, in their servers.

use serde::{Deserialize, Serialize};

/// The item of `POST /items`, answered as it came.
#[derive(Serialize, Deserialize)]
pub struct Item {
    pub name: String,
    pub description: Option<String>,
    pub price: f64,
    pub tax: f64,
    pub quantity: i64,
    pub sku: String,
    pub in_stock: bool,
    pub tags: Vec<String>,
    pub rating: f64,
    pub country: String,
}

/// The validated order of `POST /orders`.
#[derive(Deserialize, validator::Validate)]
pub struct Order {
    #[validate(length(min = 3, max = 20), custom(function = "alphanumeric"))]
    pub customer: String,
    #[validate(length(min = 1, max = 20))]
    pub sku: String,
    #[validate(range(min = 1, max = 99))]
    pub qty: i64,
    #[validate(range(exclusive_min = 0.0))]
    pub unit_price: f64,
}

fn alphanumeric(customer: &str) -> Result<(), validator::ValidationError> {
    if customer.chars().all(char::is_alphanumeric) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("alphanumeric"))
    }
}

/// The answer to an order: the customer lower-cased, the total computed.
#[derive(Serialize)]
pub struct OrderOut {
    pub customer: String,
    pub sku: String,
    pub qty: i64,
    pub unit_price: f64,
    pub total: f64,
}

impl Order {
    /// The order checked and answered, or `None` when a check fails (the
    /// caller's 422).
    pub fn answer(self) -> Option<OrderOut> {
        validator::Validate::validate(&self).ok()?;
        let total = self.qty as f64 * self.unit_price;
        Some(OrderOut {
            customer: self.customer.to_lowercase(),
            sku: self.sku,
            qty: self.qty,
            unit_price: self.unit_price,
            total,
        })
    }
}
