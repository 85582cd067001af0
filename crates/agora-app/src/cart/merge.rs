//! Merging a guest cart into a customer's cart when they log in.

use std::collections::HashMap;

use super::lines::{MAX_LINES, MAX_QUANTITY};
use super::store::{self, CartRow};
use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::{App, events, inventory};

/// Merges the open guest cart `guest_token` into the customer's open cart: quantities add,
/// capped at the per-line limit and at the units available (never lowering what the
/// customer already had); SKUs no longer for sale are dropped; at most [`MAX_LINES`] lines.
/// The guest cart is closed as `merged`. Without an open cart the customer simply adopts
/// the guest cart. An unknown, closed or foreign token is ignored (login must not fail).
pub async fn merge_guest_cart(app: &App, customer_id: i64, guest_token: &str) -> AppResult<()> {
    let now = app.now();
    // Stock is read before the transaction (never wait for a second connection inside it).
    let Some(peek) = store::cart_by_token(app.db.reader(), guest_token).await? else { return Ok(()) };
    let ids: Vec<i64> = store::lines(app.db.reader(), peek.id).await?.iter().map(|l| l.sku_id).collect();
    let stock = inventory::available(app.db.reader(), &ids).await?;

    let mut tx = app.db.begin().await?;
    let Some(guest) = store::cart_by_token_in(&mut tx, guest_token).await? else { return Ok(()) };
    if guest.customer_id.is_some() || guest.status != "open" {
        return Ok(());
    }
    let Some(target) = store::open_cart_of_customer_in(&mut tx, customer_id).await? else {
        return adopt(tx, now, customer_id, guest.id).await;
    };
    // Close the guest cart first: a concurrent merge of the same token then does nothing.
    let closed = sqlx::query(
        "UPDATE carts SET status = 'merged', updated_at = $1 WHERE id = $2 AND status = 'open' AND customer_id IS NULL",
    )
    .bind(now)
    .bind(guest.id)
    .execute(&mut *tx)
    .await?;
    if closed.rows_affected() == 0 {
        return Ok(());
    }
    match store::lock_open(&mut tx, now, target.id).await {
        Ok(()) => {}
        // The customer's cart was ordered meanwhile: leave the guest cart as it was.
        Err(AppError::Conflict { .. }) => return Ok(()),
        Err(e) => return Err(e),
    }
    add_lines(&mut tx, now, guest.id, &target, &stock).await?;
    take_details(&mut tx, &guest, target.id).await?;
    events::record(&mut tx, now, "cart.merged", &format!("cart:{}", target.id), &guest.id).await?;
    tx.commit().await?;
    Ok(())
}

/// The customer has no open cart: the guest cart becomes theirs.
async fn adopt(mut tx: Tx, now: i64, customer_id: i64, cart_id: i64) -> AppResult<()> {
    let adopted = sqlx::query(
        "UPDATE carts SET customer_id = $1, updated_at = $2 WHERE id = $3 AND status = 'open' AND customer_id IS NULL",
    )
    .bind(customer_id)
    .bind(now)
    .bind(cart_id)
    .execute(&mut *tx)
    .await;
    match adopted {
        Ok(done) if done.rows_affected() == 1 => {}
        // Taken or merged meanwhile, or the customer's own cart was just created.
        Ok(_) => return Ok(()),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(()),
        Err(e) => return Err(e.into()),
    }
    events::record(&mut tx, now, "cart.adopted", &format!("cart:{cart_id}"), &customer_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds the guest lines to the target cart within the limits.
async fn add_lines(tx: &mut Tx, now: i64, guest_id: i64, target: &CartRow, stock: &HashMap<i64, i64>) -> AppResult<()> {
    let guest_lines = store::lines_in(tx, guest_id).await?;
    let mut count = store::line_count(tx, target.id).await?;
    for line in guest_lines.iter().filter(|l| l.purchasable(&target.currency)) {
        let existing = store::line_quantity(tx, target.id, line.sku_id).await?;
        if existing.is_none() && count >= MAX_LINES {
            continue;
        }
        let have = existing.unwrap_or(0);
        let cap = MAX_QUANTITY.min(stock.get(&line.sku_id).copied().unwrap_or(0));
        let merged = have.max((have + line.quantity).min(cap));
        if merged == 0 || Some(merged) == existing {
            continue;
        }
        store::upsert_line(tx, now, target.id, line.sku_id, merged).await?;
        if existing.is_none() {
            count += 1;
        }
    }
    Ok(())
}

/// Keeps the guest's address and shipping choice where the customer's cart has none.
async fn take_details(tx: &mut Tx, guest: &CartRow, target_id: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE carts SET shipping_address = COALESCE(shipping_address, $1), \
         shipping_method_id = COALESCE(shipping_method_id, $2), \
         pickup_location_id = CASE WHEN shipping_method_id IS NULL THEN $3 ELSE pickup_location_id END \
         WHERE id = $4",
    )
    .bind(guest.shipping_address.as_deref())
    .bind(guest.shipping_method_id)
    .bind(guest.pickup_location_id)
    .bind(target_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
