//! Order placement: one short write transaction from a checked-out cart to one order per
//! merchant, with stock reserved, the payment timeout scheduled and the idempotency key
//! recorded. Same key + same body replays the same orders; a different body is refused.

use agora_domain::{OrderStatus, Totals};
use serde_json::json;
use sqlx::AnyPool;

use super::{jobs, store};
use crate::App;
use crate::cart::{self, CheckoutCart, CheckoutLine};
use crate::clock::rfc3339;
use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::{crypto, events, inventory};

/// The result of a placement.
#[derive(Debug, Clone)]
pub struct Placed {
    /// One order per merchant in the cart (usually one).
    pub orders: Vec<store::OrderRow>,
    /// The guest access token (shown once; only its hash is stored). None on a replay.
    pub access_token: Option<String>,
    /// True when an earlier placement with the same key was returned.
    pub replayed: bool,
}

fn scope_of(customer_id: Option<i64>, cart_token: &str) -> String {
    match customer_id {
        Some(id) => format!("customer:{id}"),
        None => format!("cart:{}", crypto::sha256_hex(cart_token.as_bytes())),
    }
}

fn validate(key: &str, cart_token: &str) -> AppResult<()> {
    if key.is_empty() || key.len() > 200 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::invalid("Idempotency-Key", "required: 1 to 200 visible ASCII characters"));
    }
    if cart_token.is_empty() || cart_token.len() > 200 {
        return Err(AppError::invalid("cart_token", "required, at most 200 characters"));
    }
    Ok(())
}

/// Looks up an earlier placement with this key: Some(orders) to replay, an error when the
/// key was used for a different body.
async fn earlier(pool: &AnyPool, scope: &str, key: &str, hash: &str) -> AppResult<Option<Vec<store::OrderRow>>> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT request_hash, order_id FROM idempotency_keys WHERE scope = $1 AND key = $2")
            .bind(scope)
            .bind(key)
            .fetch_optional(pool)
            .await?;
    let Some((stored, order_id)) = row else { return Ok(None) };
    if stored != hash {
        return Err(AppError::conflict(
            "idempotency_key_reused",
            "this Idempotency-Key was used for a different request",
        ));
    }
    let sql = format!(
        "SELECT {} FROM orders WHERE id = $1 OR (cart_id IS NOT NULL AND cart_id = (SELECT cart_id FROM orders WHERE id = $1)) ORDER BY id",
        store::ORDER_COLS
    );
    let orders = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(order_id).fetch_all(pool).await?;
    Ok(Some(orders))
}

/// Places the order(s) for a cart.
pub async fn place(app: &App, cart_token: &str, key: &str, customer_id: Option<i64>) -> AppResult<Placed> {
    validate(key, cart_token)?;
    let scope = scope_of(customer_id, cart_token);
    let hash = crypto::sha256_hex(cart_token.as_bytes());
    if let Some(orders) = earlier(app.db.reader(), &scope, key, &hash).await? {
        return Ok(Placed { orders, access_token: None, replayed: true });
    }
    let token = crypto::new_token();
    let token_hash = crypto::sha256_hex(token.as_bytes());
    match write(app, cart_token, customer_id, &scope, key, &hash, &token_hash).await {
        Ok(ids) => {
            let mut orders = Vec::new();
            for id in ids {
                orders.push(store::find(app.db.reader(), id).await?.ok_or(AppError::not_found("order"))?);
            }
            Ok(Placed { orders, access_token: Some(token), replayed: false })
        }
        // A concurrent request with the same key may have won (our cart is then closed, or
        // our key insert conflicted): answer like a replay when it did.
        Err(err) => match earlier(app.db.writer(), &scope, key, &hash).await? {
            Some(orders) => Ok(Placed { orders, access_token: None, replayed: true }),
            None => Err(err),
        },
    }
}

/// The placement transaction; returns the new order ids.
async fn write(
    app: &App,
    cart_token: &str,
    customer_id: Option<i64>,
    scope: &str,
    key: &str,
    hash: &str,
    token_hash: &str,
) -> AppResult<Vec<i64>> {
    let mut tx = app.db.begin().await?;
    let checkout = cart::load_for_checkout(app, &mut tx, cart_token, customer_id).await?;
    let mut ids = Vec::new();
    for group in by_merchant(&checkout.lines) {
        // The first order carries the shipping; amounts come from the cart's pricing.
        let totals = checkout.totals.part(&group, ids.is_empty(), app.settings.tax.mode)?;
        ids.push(insert_order(app, &mut tx, &checkout, &group, &totals, token_hash).await?);
    }
    let now = app.now();
    cart::mark_ordered(&mut tx, now, checkout.cart_id).await?;
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (scope, key, request_hash, order_id, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (scope, key) DO NOTHING",
    )
    .bind(scope)
    .bind(key)
    .bind(hash)
    .bind(ids[0])
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(AppError::conflict("idempotency_key_reused", "this Idempotency-Key is already in use"));
    }
    tx.commit().await?;
    Ok(ids)
}

/// Indexes of the checkout lines grouped by merchant, in first-seen order.
fn by_merchant(lines: &[CheckoutLine]) -> Vec<Vec<usize>> {
    let mut groups: Vec<(i64, Vec<usize>)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        match groups.iter_mut().find(|g| g.0 == l.merchant_id) {
            Some(g) => g.1.push(i),
            None => groups.push((l.merchant_id, vec![i])),
        }
    }
    groups.into_iter().map(|g| g.1).collect()
}

fn order_number(now: i64) -> String {
    let date: String = rfc3339(now).chars().take(10).filter(char::is_ascii_digit).collect();
    format!("{date}-{}", crypto::random_code(8))
}

async fn insert_order(
    app: &App,
    tx: &mut Tx,
    c: &CheckoutCart,
    group: &[usize],
    totals: &Totals,
    token_hash: &str,
) -> AppResult<i64> {
    let now = app.now();
    let priced: Vec<_> = group.iter().map(|&i| &c.lines[i]).zip(&totals.lines).collect();
    let grand = totals.grand_total;
    let address = c
        .shipping_address
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let discounts = serde_json::to_string(&totals.applied).map_err(|e| AppError::Internal(e.to_string()))?;
    let order_id: i64 = sqlx::query_scalar(
        "INSERT INTO orders (number, merchant_id, customer_id, access_token_hash, email, status, currency, subtotal, discount_total, \
         shipping_total, tax_total, grand_total, discounts, shipping_method, shipping_address, pickup_location_id, cart_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending_payment', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id",
    )
    .bind(order_number(now))
    .bind(priced[0].0.merchant_id)
    .bind(c.customer_id)
    .bind(token_hash)
    .bind(&c.email)
    .bind(c.currency.as_str())
    .bind(totals.subtotal)
    .bind(totals.discount_total)
    .bind(totals.shipping_total)
    .bind(totals.tax_total)
    .bind(grand)
    .bind(discounts)
    .bind(&c.shipping.code)
    .bind(address)
    .bind(c.pickup_location_id)
    .bind(c.cart_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let wanted: Vec<(i64, i64)> = priced.iter().map(|(l, _)| (l.sku_id, l.quantity)).collect();
    let held = inventory::reserve(tx, now, super::STOCK_REF, order_id, &wanted).await?;
    for (line, total) in &priced {
        // Where the line ships from: the warehouse holding most of its units (a line split
        // over several warehouses keeps every hold in `stock_reservations`).
        let warehouse =
            held.iter().filter(|r| r.sku_id == line.sku_id).max_by_key(|r| r.quantity).map_or(0, |r| r.warehouse_id);
        sqlx::query(
            "INSERT INTO order_lines (order_id, sku_id, product_id, warehouse_id, title, sku_code, attrs, unit_price, quantity, \
             subtotal, discount, tax, total) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(order_id)
        .bind(line.sku_id)
        .bind(line.product_id)
        .bind(warehouse)
        .bind(&line.title)
        .bind(&line.sku_code)
        .bind(&line.attrs)
        .bind(line.unit_price)
        .bind(line.quantity)
        .bind(total.subtotal)
        .bind(total.discount)
        .bind(total.tax)
        .bind(total.total)
        .execute(&mut **tx)
        .await?;
    }
    let actor = c.customer_id.map_or_else(|| "guest".to_string(), |id| format!("customer:{id}"));
    store::history(tx, now, order_id, None, OrderStatus::PendingPayment, &actor, "order placed").await?;
    jobs::schedule_payment_timeout(tx, now, order_id, now + app.settings.payment_timeout_ms).await?;
    let payload = json!({"order_id": order_id, "customer_id": c.customer_id, "grand_total": grand, "currency": c.currency.as_str(), "lines": wanted});
    events::record(tx, now, "order.placed", &format!("order:{order_id}"), &payload).await?;
    Ok(order_id)
}
