//! Merging a guest cart into a customer's cart when they log in.

use super::lines::{MAX_LINES, MAX_QUANTITY};
use super::store;
use crate::error::AppResult;
use crate::{App, events, inventory};

/// Merges the open guest cart `guest_token` into the customer's open cart: quantities add,
/// capped at the per-line limit and at the units available (never lowering what the
/// customer already had); SKUs no longer for sale are dropped; at most [`MAX_LINES`] lines.
/// The guest cart is closed as `merged`. Without an open cart the customer simply adopts
/// the guest cart. An unknown, closed or foreign token is ignored (login must not fail).
pub async fn merge_guest_cart(app: &App, customer_id: i64, guest_token: &str) -> AppResult<()> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let Some(guest) = store::cart_by_token_in(&mut tx, guest_token).await? else { return Ok(()) };
    if guest.customer_id.is_some() || guest.status != "open" {
        return Ok(());
    }
    let Some(target) = store::open_cart_of_customer_in(&mut tx, customer_id).await? else {
        sqlx::query("UPDATE carts SET customer_id = $1, updated_at = $2 WHERE id = $3")
            .bind(customer_id)
            .bind(now)
            .bind(guest.id)
            .execute(&mut *tx)
            .await?;
        events::record(&mut tx, now, "cart.adopted", &format!("cart:{}", guest.id), &customer_id).await?;
        tx.commit().await?;
        return Ok(());
    };
    let guest_lines = store::lines_in(&mut tx, guest.id).await?;
    let ids: Vec<i64> = guest_lines.iter().map(|l| l.sku_id).collect();
    let stock = inventory::available(app.db.reader(), &ids).await?;
    let mut count = store::line_count(&mut tx, target.id).await?;
    for line in guest_lines.iter().filter(|l| l.purchasable(&target.currency)) {
        let existing = store::line_quantity(&mut tx, target.id, line.sku_id).await?;
        if existing.is_none() && count >= MAX_LINES {
            continue;
        }
        let have = existing.unwrap_or(0);
        let cap = MAX_QUANTITY.min(stock.get(&line.sku_id).copied().unwrap_or(0));
        let merged = have.max((have + line.quantity).min(cap));
        if merged == 0 || Some(merged) == existing {
            continue;
        }
        store::upsert_line(&mut tx, now, target.id, line.sku_id, merged).await?;
        if existing.is_none() {
            count += 1;
        }
    }
    sqlx::query(
        "UPDATE carts SET shipping_address = COALESCE(shipping_address, $1), \
         shipping_method_id = COALESCE(shipping_method_id, $2), \
         pickup_location_id = CASE WHEN shipping_method_id IS NULL THEN $3 ELSE pickup_location_id END, \
         updated_at = $4 WHERE id = $5",
    )
    .bind(guest.shipping_address.as_deref())
    .bind(guest.shipping_method_id)
    .bind(guest.pickup_location_id)
    .bind(now)
    .bind(target.id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE carts SET status = 'merged', updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(guest.id)
        .execute(&mut *tx)
        .await?;
    events::record(&mut tx, now, "cart.merged", &format!("cart:{}", target.id), &guest.id).await?;
    tx.commit().await?;
    Ok(())
}
