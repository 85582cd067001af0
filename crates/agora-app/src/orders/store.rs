//! SQL for orders, their lines and history.

use agora_domain::OrderStatus;
use sqlx::{AnyPool, FromRow};

use crate::db::Tx;
use crate::error::{AppError, AppResult};

pub const ORDER_COLS: &str = "id, number, merchant_id, customer_id, access_token_hash, email, status, currency, subtotal, \
     discount_total, shipping_total, tax_total, grand_total, paid_total, refunded_total, shipping_method, shipping_address, \
     pickup_location_id, pickup_code, cart_id, created_at, updated_at, paid_at, shipped_at, delivered_at, completed_at, \
     cancelled_at, cancel_reason";

/// An order row.
#[derive(Debug, Clone, FromRow)]
pub struct OrderRow {
    pub id: i64,
    pub number: String,
    pub merchant_id: i64,
    pub customer_id: Option<i64>,
    pub access_token_hash: String,
    pub email: String,
    pub status: String,
    pub currency: String,
    pub subtotal: i64,
    pub discount_total: i64,
    pub shipping_total: i64,
    pub tax_total: i64,
    pub grand_total: i64,
    pub paid_total: i64,
    pub refunded_total: i64,
    pub shipping_method: String,
    pub shipping_address: Option<String>,
    pub pickup_location_id: Option<i64>,
    pub pickup_code: Option<String>,
    pub cart_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub paid_at: Option<i64>,
    pub shipped_at: Option<i64>,
    pub delivered_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    pub cancel_reason: Option<String>,
}

impl OrderRow {
    pub fn status(&self) -> AppResult<OrderStatus> {
        OrderStatus::parse(&self.status).map_err(|_| AppError::Internal(format!("order {} has bad status", self.id)))
    }

    pub fn is_pickup(&self) -> bool {
        self.pickup_location_id.is_some()
    }
}

/// Reads an order outside a transaction.
pub async fn find(pool: &AnyPool, id: i64) -> AppResult<Option<OrderRow>> {
    let sql = format!("SELECT {ORDER_COLS} FROM orders WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?)
}

/// Locks an order row for the rest of the transaction (a no-op update takes the row lock on
/// PostgreSQL; SQLite's single writer already serialises) and returns it.
pub async fn lock(tx: &mut Tx, id: i64) -> AppResult<OrderRow> {
    let sql = format!("UPDATE orders SET updated_at = updated_at WHERE id = $1 RETURNING {ORDER_COLS}");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::not_found("order"))
}

/// How many shipments an order has (inside the caller's transaction, after [`lock`]).
pub async fn shipment_count(tx: &mut Tx, order_id: i64) -> AppResult<i64> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM shipments WHERE order_id = $1")
        .bind(order_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n)
}

/// Appends a history row.
pub async fn history(
    tx: &mut Tx,
    now: i64,
    order_id: i64,
    from: Option<OrderStatus>,
    to: OrderStatus,
    actor: &str,
    note: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO order_history (order_id, from_status, to_status, actor, note, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(order_id)
    .bind(from.map(|s| s.as_str()))
    .bind(to.as_str())
    .bind(actor)
    .bind(note)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves the order from `from` to `to`, stamping the matching timestamp column. Fails when
/// the order is no longer in `from` (a concurrent change won).
pub async fn set_status(tx: &mut Tx, now: i64, id: i64, from: OrderStatus, to: OrderStatus) -> AppResult<()> {
    let sql = match to {
        OrderStatus::Paid => {
            "UPDATE orders SET status = $1, updated_at = $2, paid_at = $2 WHERE id = $3 AND status = $4"
        }
        OrderStatus::Shipped => {
            "UPDATE orders SET status = $1, updated_at = $2, shipped_at = $2 WHERE id = $3 AND status = $4"
        }
        OrderStatus::Delivered => {
            "UPDATE orders SET status = $1, updated_at = $2, delivered_at = $2 WHERE id = $3 AND status = $4"
        }
        OrderStatus::Completed => {
            "UPDATE orders SET status = $1, updated_at = $2, completed_at = $2 WHERE id = $3 AND status = $4"
        }
        OrderStatus::Cancelled => {
            "UPDATE orders SET status = $1, updated_at = $2, cancelled_at = $2 WHERE id = $3 AND status = $4"
        }
        OrderStatus::PendingPayment | OrderStatus::Refunded => {
            "UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4"
        }
    };
    let done = sqlx::query(sql).bind(to.as_str()).bind(now).bind(id).bind(from.as_str()).execute(&mut **tx).await?;
    if done.rows_affected() == 0 {
        return Err(AppError::conflict("concurrent_update", "the order changed meanwhile; retry"));
    }
    Ok(())
}

/// Adds (`sign` = 1) or subtracts (−1) each line's quantity to its product's `sales_count`
/// (never below zero). The catalog snapshot picks the new counts up within
/// `catalog::cache::SALES_REFRESH_MS` (see `Cache::snapshot`).
pub async fn add_sales(tx: &mut Tx, order_id: i64, sign: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE products SET sales_count = CASE WHEN sales_count + $1 * q.n < 0 THEN 0 ELSE sales_count + $1 * q.n END \
         FROM (SELECT product_id, CAST(SUM(quantity) AS BIGINT) AS n FROM order_lines WHERE order_id = $2 GROUP BY product_id) AS q \
         WHERE products.id = q.product_id",
    )
    .bind(sign)
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One order line.
#[derive(Debug, Clone, FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct OrderLine {
    pub id: i64,
    pub sku_id: i64,
    pub product_id: i64,
    pub warehouse_id: i64,
    pub title: String,
    pub sku_code: String,
    /// SKU attributes as a JSON object text, e.g. `{"colour":"red"}`.
    pub attrs: String,
    pub unit_price: i64,
    pub quantity: i64,
    pub subtotal: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
}

pub async fn lines(pool: &AnyPool, order_id: i64) -> AppResult<Vec<OrderLine>> {
    Ok(sqlx::query_as(
        "SELECT id, sku_id, product_id, warehouse_id, title, sku_code, attrs, unit_price, quantity, subtotal, discount, tax, total \
         FROM order_lines WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(pool)
    .await?)
}

/// One step of an order's history.
#[derive(Debug, Clone, FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor: String,
    pub note: String,
    pub created_at: i64,
}

pub async fn history_of(pool: &AnyPool, order_id: i64) -> AppResult<Vec<HistoryEntry>> {
    Ok(sqlx::query_as(
        "SELECT from_status, to_status, actor, note, created_at FROM order_history WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(pool)
    .await?)
}
