//! What customers and staff see of an order.

use agora_domain::{OrderStatus, PaymentState, payment_state};
use serde::Serialize;
use utoipa::ToSchema;

use super::store::{self, HistoryEntry, ORDER_COLS, OrderLine, OrderRow};
use crate::App;
use crate::error::AppResult;
use crate::fulfilment::{self, ShipmentView};
use crate::page::{self, Page};

/// An order in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrderSummary {
    pub id: i64,
    pub number: String,
    pub merchant_id: i64,
    pub customer_id: Option<i64>,
    #[schema(value_type = String)]
    pub status: OrderStatus,
    #[schema(value_type = String)]
    pub payment_state: PaymentState,
    pub currency: String,
    pub grand_total: i64,
    pub paid_total: i64,
    pub refunded_total: i64,
    pub created_at: i64,
}

impl OrderSummary {
    pub fn of(o: &OrderRow) -> AppResult<OrderSummary> {
        Ok(OrderSummary {
            id: o.id,
            number: o.number.clone(),
            merchant_id: o.merchant_id,
            customer_id: o.customer_id,
            status: o.status()?,
            payment_state: payment_state(o.grand_total, o.paid_total, o.refunded_total),
            currency: o.currency.clone(),
            grand_total: o.grand_total,
            paid_total: o.paid_total,
            refunded_total: o.refunded_total,
            created_at: o.created_at,
        })
    }
}

/// Everything about one order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrderDetail {
    #[serde(flatten)]
    pub summary: OrderSummary,
    pub email: String,
    pub subtotal: i64,
    pub discount_total: i64,
    pub shipping_total: i64,
    pub tax_total: i64,
    pub shipping_method: String,
    #[schema(value_type = Object)]
    pub shipping_address: Option<serde_json::Value>,
    pub pickup_location_id: Option<i64>,
    /// Shown to the buyer once a pickup order is paid.
    pub pickup_code: Option<String>,
    pub paid_at: Option<i64>,
    pub shipped_at: Option<i64>,
    pub delivered_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    pub cancel_reason: Option<String>,
    pub lines: Vec<OrderLine>,
    pub history: Vec<HistoryEntry>,
    /// Shipments with their tracking timeline.
    pub shipments: Vec<ShipmentView>,
}

/// JSON snapshot of an order for the audit log.
pub fn snapshot(o: &OrderRow) -> Option<serde_json::Value> {
    Some(serde_json::json!({
        "status": o.status, "paid_total": o.paid_total, "refunded_total": o.refunded_total,
        "grand_total": o.grand_total, "cancel_reason": o.cancel_reason,
    }))
}

/// Builds the full view of an order the caller may see.
pub async fn detail(app: &App, o: OrderRow) -> AppResult<OrderDetail> {
    let pool = app.db.reader();
    let lines = store::lines(pool, o.id).await?;
    let history = store::history_of(pool, o.id).await?;
    let shipments = fulfilment::shipments_of(pool, o.id).await?;
    let summary = OrderSummary::of(&o)?;
    let paid = o.paid_at.is_some();
    Ok(OrderDetail {
        summary,
        email: o.email,
        subtotal: o.subtotal,
        discount_total: o.discount_total,
        shipping_total: o.shipping_total,
        tax_total: o.tax_total,
        shipping_method: o.shipping_method,
        shipping_address: o.shipping_address.and_then(|a| serde_json::from_str(&a).ok()),
        pickup_location_id: o.pickup_location_id,
        pickup_code: if paid { o.pickup_code } else { None },
        paid_at: o.paid_at,
        shipped_at: o.shipped_at,
        delivered_at: o.delivered_at,
        completed_at: o.completed_at,
        cancelled_at: o.cancelled_at,
        cancel_reason: o.cancel_reason,
        lines,
        history,
        shipments,
    })
}

fn summaries(rows: Vec<OrderRow>, limit: i64) -> AppResult<Page<OrderSummary>> {
    let page = page::paginate(rows, limit, |o| vec![o.id]);
    let items = page.items.iter().map(OrderSummary::of).collect::<AppResult<Vec<_>>>()?;
    Ok(Page { items, next_cursor: page.next_cursor })
}

fn before_cursor(cursor: Option<&str>) -> AppResult<i64> {
    match cursor {
        Some(c) => Ok(page::decode_cursor(c, 1)?[0]),
        None => Ok(i64::MAX),
    }
}

/// A customer's own orders, newest first.
pub async fn customer_orders(
    app: &App,
    customer_id: i64,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> AppResult<Page<OrderSummary>> {
    let limit = page::limit(limit)?;
    let sql = format!("SELECT {ORDER_COLS} FROM orders WHERE customer_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3");
    let rows: Vec<OrderRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(customer_id)
        .bind(before_cursor(cursor)?)
        .bind(limit + 1)
        .fetch_all(app.db.reader())
        .await?;
    summaries(rows, limit)
}

/// Staff list filters.
#[derive(Debug, Clone, Default)]
pub struct StaffOrderQuery {
    pub status: Option<String>,
    pub customer_id: Option<i64>,
    /// Created at or after (epoch ms).
    pub from: Option<i64>,
    /// Created before (epoch ms).
    pub to: Option<i64>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Every order matching the filters, newest first.
pub async fn staff_orders(app: &App, q: &StaffOrderQuery) -> AppResult<Page<OrderSummary>> {
    let limit = page::limit(q.limit)?;
    if let Some(s) = &q.status {
        OrderStatus::parse(s)?;
    }
    let sql = format!(
        "SELECT {ORDER_COLS} FROM orders WHERE id < $1 AND ($2 IS NULL OR status = $2) AND ($3 IS NULL OR customer_id = $3) \
         AND ($4 IS NULL OR created_at >= $4) AND ($5 IS NULL OR created_at < $5) ORDER BY id DESC LIMIT $6"
    );
    let rows: Vec<OrderRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(before_cursor(q.cursor.as_deref())?)
        .bind(q.status.as_deref())
        .bind(q.customer_id)
        .bind(q.from)
        .bind(q.to)
        .bind(limit + 1)
        .fetch_all(app.db.reader())
        .await?;
    summaries(rows, limit)
}
