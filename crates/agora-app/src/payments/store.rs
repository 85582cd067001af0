//! SQL for payments, refunds and the payment ledger.

use serde::Serialize;
use sqlx::{AnyPool, FromRow};
use utoipa::ToSchema;

use crate::db::Tx;
use crate::error::AppResult;

const PAYMENT_COLS: &str =
    "id, order_id, provider, provider_ref, amount, currency, status, pay_url, qr_payload, created_at, updated_at";

/// A payment attempt at a provider.
#[derive(Debug, Clone, FromRow, Serialize, ToSchema)]
pub struct Payment {
    pub id: i64,
    pub order_id: i64,
    pub provider: String,
    pub provider_ref: String,
    pub amount: i64,
    pub currency: String,
    /// pending, succeeded or failed.
    pub status: String,
    /// Where the buyer pays (the provider's page).
    pub pay_url: String,
    /// Payload to render as a QR code for wallet apps.
    pub qr_payload: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A refund of (part of) a payment.
#[derive(Debug, Clone, FromRow, Serialize, ToSchema)]
pub struct Refund {
    pub id: i64,
    pub order_id: i64,
    pub payment_id: i64,
    pub amount: i64,
    pub currency: String,
    pub reason: String,
    pub status: String,
    pub provider_ref: Option<String>,
    pub staff_id: Option<i64>,
    pub created_at: i64,
}

/// One money movement: captures positive, refunds negative.
#[derive(Debug, Clone, FromRow, Serialize, ToSchema)]
pub struct LedgerEntry {
    pub id: i64,
    pub payment_id: i64,
    pub kind: String,
    pub amount: i64,
    pub currency: String,
    pub provider_event_id: String,
    pub created_at: i64,
}

pub async fn insert_payment(tx: &mut Tx, now: i64, p: &Payment) -> AppResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO payments (order_id, provider, provider_ref, amount, currency, status, pay_url, qr_payload, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $8) RETURNING id",
    )
    .bind(p.order_id)
    .bind(&p.provider)
    .bind(&p.provider_ref)
    .bind(p.amount)
    .bind(&p.currency)
    .bind(&p.pay_url)
    .bind(&p.qr_payload)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Locks and returns the payment with this provider reference.
pub async fn lock_by_ref(tx: &mut Tx, provider: &str, provider_ref: &str) -> AppResult<Option<Payment>> {
    let sql = format!(
        "UPDATE payments SET updated_at = updated_at WHERE provider = $1 AND provider_ref = $2 RETURNING {PAYMENT_COLS}"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(provider).bind(provider_ref).fetch_optional(&mut **tx).await?)
}

pub async fn set_status(tx: &mut Tx, now: i64, id: i64, status: &str) -> AppResult<()> {
    sqlx::query("UPDATE payments SET status = $1, updated_at = $2, last_event_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn payments_of(pool: &AnyPool, order_id: i64) -> AppResult<Vec<Payment>> {
    let sql = format!("SELECT {PAYMENT_COLS} FROM payments WHERE order_id = $1 ORDER BY id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(order_id).fetch_all(pool).await?)
}

/// Captured payments of an order with the amount still refundable on each (one query).
pub async fn refundable(tx: &mut Tx, order_id: i64) -> AppResult<Vec<(Payment, i64)>> {
    use sqlx::Row;
    let sql = format!(
        "SELECT {PAYMENT_COLS}, CAST(COALESCE((SELECT SUM(r.amount) FROM refunds r \
         WHERE r.payment_id = payments.id AND r.status = 'succeeded'), 0) AS BIGINT) AS refunded \
         FROM payments WHERE order_id = $1 AND status = 'succeeded' ORDER BY id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(order_id).fetch_all(&mut **tx).await?;
    let mut out = Vec::new();
    for row in rows {
        let p = Payment::from_row(&row)?;
        let left = p.amount - row.try_get::<i64, _>("refunded")?;
        if left > 0 {
            out.push((p, left));
        }
    }
    Ok(out)
}

/// The newest payment of an order still waiting at the provider for exactly `amount`
/// (a buyer pressing "pay" again gets the same payment instead of a second one).
pub async fn pending_for(pool: &AnyPool, order_id: i64, amount: i64) -> AppResult<Option<Payment>> {
    let sql = format!(
        "SELECT {PAYMENT_COLS} FROM payments WHERE order_id = $1 AND status = 'pending' AND amount = $2 \
         ORDER BY id DESC LIMIT 1"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(order_id).bind(amount).fetch_optional(pool).await?)
}

pub struct NewRefund<'a> {
    pub payment: &'a Payment,
    pub amount: i64,
    pub reason: &'a str,
    pub provider_ref: &'a str,
    pub staff_id: Option<i64>,
}

pub async fn insert_refund(tx: &mut Tx, now: i64, r: &NewRefund<'_>) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO refunds (order_id, payment_id, amount, currency, reason, status, provider_ref, staff_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'succeeded', $6, $7, $8, $8)",
    )
    .bind(r.payment.order_id)
    .bind(r.payment.id)
    .bind(r.amount)
    .bind(&r.payment.currency)
    .bind(r.reason)
    .bind(r.provider_ref)
    .bind(r.staff_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn refunds_of(pool: &AnyPool, order_id: i64) -> AppResult<Vec<Refund>> {
    Ok(sqlx::query_as(
        "SELECT id, order_id, payment_id, amount, currency, reason, status, provider_ref, staff_id, created_at \
         FROM refunds WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(pool)
    .await?)
}

/// Appends a ledger movement (`amount` positive for captures, negative for refunds).
pub async fn ledger(tx: &mut Tx, now: i64, p: &Payment, kind: &str, amount: i64, event_id: &str) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO payment_ledger (order_id, payment_id, kind, amount, currency, provider_event_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(p.order_id)
    .bind(p.id)
    .bind(kind)
    .bind(amount)
    .bind(&p.currency)
    .bind(event_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn ledger_of(pool: &AnyPool, order_id: i64) -> AppResult<Vec<LedgerEntry>> {
    Ok(sqlx::query_as(
        "SELECT id, payment_id, kind, amount, currency, provider_event_id, created_at FROM payment_ledger \
         WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(pool)
    .await?)
}
