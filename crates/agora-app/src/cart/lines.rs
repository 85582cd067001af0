//! Adding, changing and removing cart lines.

use super::store::{self, CartRow, LineRow};
use super::{CartView, available_units, get_cart, open_for_change};
use crate::App;
use crate::db::Tx;
use crate::error::{AppError, AppResult};

/// Most units of one SKU a cart line may hold.
pub const MAX_QUANTITY: i64 = 999;
/// Most lines a cart may hold.
pub const MAX_LINES: i64 = 100;

/// Adds `quantity` (1..=999) units of a SKU, on top of any already in the cart.
pub async fn add_line(
    app: &App,
    token: &str,
    customer_id: Option<i64>,
    sku_id: i64,
    quantity: i64,
) -> AppResult<CartView> {
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        return Err(AppError::invalid("quantity", format!("must be 1 to {MAX_QUANTITY}")));
    }
    change(app, token, customer_id, sku_id, |existing| existing + quantity).await
}

/// Sets a line's quantity (0..=999; 0 removes the line), creating the line if needed.
pub async fn set_line(
    app: &App,
    token: &str,
    customer_id: Option<i64>,
    sku_id: i64,
    quantity: i64,
) -> AppResult<CartView> {
    if !(0..=MAX_QUANTITY).contains(&quantity) {
        return Err(AppError::invalid("quantity", format!("must be 0 to {MAX_QUANTITY}")));
    }
    if quantity == 0 {
        return remove_line(app, token, customer_id, sku_id).await;
    }
    change(app, token, customer_id, sku_id, |_| quantity).await
}

/// Removes a line (nothing happens when the SKU is not in the cart).
pub async fn remove_line(app: &App, token: &str, customer_id: Option<i64>, sku_id: i64) -> AppResult<CartView> {
    let mut tx = app.db.begin().await?;
    let cart = open_for_change(&mut tx, app.now(), token, customer_id).await?;
    store::delete_line(&mut tx, cart.id, sku_id).await?;
    tx.commit().await?;
    get_cart(app, token, customer_id).await
}

async fn change(
    app: &App,
    token: &str,
    customer_id: Option<i64>,
    sku_id: i64,
    new_quantity: impl FnOnce(i64) -> i64,
) -> AppResult<CartView> {
    let now = app.now();
    // Read before the transaction: on PostgreSQL reads share the writers' pool, and a
    // transaction waiting for a second connection could starve it under load.
    let available = available_units(app, sku_id).await?;
    let mut tx = app.db.begin().await?;
    let cart = open_for_change(&mut tx, now, token, customer_id).await?;
    sellable_sku(&mut tx, &cart, sku_id).await?;
    let existing = store::line_quantity(&mut tx, cart.id, sku_id).await?;
    let wanted = new_quantity(existing.unwrap_or(0));
    if wanted > MAX_QUANTITY {
        return Err(AppError::invalid("quantity", format!("a line holds at most {MAX_QUANTITY} units")));
    }
    if existing.is_none() && store::line_count(&mut tx, cart.id).await? >= MAX_LINES {
        return Err(AppError::conflict("cart_full", format!("a cart holds at most {MAX_LINES} lines")));
    }
    // Only growth is checked: lowering a quantity is always allowed.
    if wanted > existing.unwrap_or(0) && wanted > available {
        return Err(AppError::InsufficientStock { sku_id });
    }
    store::upsert_line(&mut tx, now, cart.id, sku_id, wanted).await?;
    tx.commit().await?;
    get_cart(app, token, customer_id).await
}

/// The SKU exists, is active, its product is listed, and it is priced in the cart's currency.
pub(crate) async fn sellable_sku(tx: &mut Tx, cart: &CartRow, sku_id: i64) -> AppResult<LineRow> {
    let sku = store::sku_in(tx, sku_id).await?.ok_or_else(|| AppError::invalid("sku_id", "no such SKU"))?;
    if sku.currency != cart.currency {
        return Err(AppError::invalid("sku_id", "this SKU is priced in another currency"));
    }
    if !sku.purchasable(&cart.currency) {
        return Err(AppError::invalid("sku_id", "this SKU is not for sale"));
    }
    Ok(sku)
}
