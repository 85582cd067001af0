//! Payments: a provider trait, the built-in sandbox wallet, signed notifications applied
//! exactly once and in any order, refunds through the provider, and a ledger per order
//! that reconciles with the order's totals.

pub mod sandbox;
pub mod signature;
pub mod store;

use std::future::Future;

use agora_domain::{OrderEvent, OrderStatus};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

pub use sandbox::Sandbox;
pub use signature::{SignatureError, SignedHeaders};
pub use store::{LedgerEntry, Payment, Refund};

use crate::App;
use crate::audit::{self, Actor};
use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::orders::{self, OrderRow, Viewer};
use crate::{crypto, events};

/// What the shop asks a provider to collect.
#[derive(Debug, Clone)]
pub struct PaymentRequest {
    pub order_number: String,
    pub amount: i64,
    pub currency: String,
}

/// A payment created at the provider.
#[derive(Debug, Clone)]
pub struct ProviderPayment {
    pub provider_ref: String,
    pub pay_url: String,
    pub qr_payload: String,
}

/// A verified notification from a provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The provider's delivery id (`webhook-id`), used to drop duplicates.
    pub event_id: String,
    pub provider_ref: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    Failed,
}

/// Why a notification was refused before anything was applied.
#[derive(Debug, thiserror::Error)]
pub enum NotificationError {
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error("malformed notification: {0}")]
    Malformed(String),
}

/// A payment service provider (wallet, card acquirer…).
pub trait PaymentProvider: Send + Sync {
    /// Name stored in `payments.provider`.
    fn name(&self) -> &'static str;
    /// Creates a payment the buyer completes at the provider. Called outside any transaction.
    fn create(&self, app: &App, req: &PaymentRequest) -> impl Future<Output = AppResult<ProviderPayment>> + Send;
    /// Refunds `amount` of a captured payment and returns the provider's refund reference.
    fn refund(
        &self,
        tx: &mut Tx,
        now: i64,
        provider_ref: &str,
        amount: i64,
    ) -> impl Future<Output = AppResult<String>> + Send;
    /// Verifies the signature of a notification and parses it.
    fn parse_notification(
        &self,
        app: &App,
        headers: &SignedHeaders,
        body: &[u8],
    ) -> Result<Notification, NotificationError>;
}

/// The provider in use. Only the sandbox is built in.
pub fn provider() -> Sandbox {
    Sandbox
}

/// Creates a payment for what is still owed on an order the viewer may see, or returns the
/// one still pending for that amount (pressing "pay" twice must not open two payments).
pub async fn create_payment(app: &App, order_id: i64, viewer: &Viewer) -> AppResult<Payment> {
    let order = orders::find_for(app, order_id, viewer).await?;
    let owed = order.grand_total - order.paid_total;
    if order.status()? != OrderStatus::PendingPayment || owed <= 0 {
        return Err(AppError::conflict("order_not_payable", "the order is not waiting for payment"));
    }
    if let Some(pending) = store::pending_for(app.db.reader(), order_id, owed).await? {
        return Ok(pending);
    }
    let p = provider();
    let req = PaymentRequest { order_number: order.number.clone(), amount: owed, currency: order.currency.clone() };
    let created = p.create(app, &req).await?;
    let now = app.now();
    let mut payment = Payment {
        id: 0,
        order_id,
        provider: p.name().to_string(),
        provider_ref: created.provider_ref,
        amount: owed,
        currency: order.currency,
        status: "pending".into(),
        pay_url: created.pay_url,
        qr_payload: created.qr_payload,
        created_at: now,
        updated_at: now,
    };
    let mut tx = app.db.begin().await?;
    payment.id = store::insert_payment(&mut tx, now, &payment).await?;
    events::record(
        &mut tx,
        now,
        "payment.created",
        &format!("order:{order_id}"),
        &json!({"payment_id": payment.id, "amount": owed}),
    )
    .await?;
    tx.commit().await?;
    Ok(payment)
}

/// Applies a verified notification exactly once. Returns false for a duplicate delivery.
/// Order-independent: a success always captures (even after a failure); a failure after a
/// success changes nothing; a capture on an order that is no longer payable is refunded.
pub async fn apply_notification(app: &App, n: &Notification) -> AppResult<bool> {
    let p = provider();
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let fresh = sqlx::query(
        "INSERT INTO webhook_receipts (source, event_id, received_at) VALUES ($1, $2, $3) ON CONFLICT (source, event_id) DO NOTHING",
    )
    .bind(p.name())
    .bind(&n.event_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if fresh.rows_affected() == 0 {
        return Ok(false);
    }
    let payment =
        store::lock_by_ref(&mut tx, p.name(), &n.provider_ref).await?.ok_or(AppError::not_found("payment"))?;
    match n.outcome {
        Outcome::Failed if payment.status == "pending" => store::set_status(&mut tx, now, payment.id, "failed").await?,
        Outcome::Failed => {}
        Outcome::Succeeded if payment.status != "succeeded" => capture(app, &mut tx, &payment, &n.event_id).await?,
        Outcome::Succeeded => {}
    }
    tx.commit().await?;
    Ok(true)
}

async fn capture(app: &App, tx: &mut Tx, payment: &Payment, event_id: &str) -> AppResult<()> {
    let now = app.now();
    let mut order = orders::store::lock(tx, payment.order_id).await?;
    store::set_status(tx, now, payment.id, "succeeded").await?;
    store::ledger(tx, now, payment, "capture", payment.amount, event_id).await?;
    sqlx::query("UPDATE orders SET paid_total = paid_total + $1 WHERE id = $2")
        .bind(payment.amount)
        .bind(order.id)
        .execute(&mut **tx)
        .await?;
    order.paid_total += payment.amount;
    let subject = format!("order:{}", order.id);
    let payload = json!({"payment_id": payment.id, "amount": payment.amount, "currency": payment.currency});
    events::record(tx, now, "payment.captured", &subject, &payload).await?;
    let payable = order.status()? == OrderStatus::PendingPayment;
    if payable && order.paid_total >= order.grand_total {
        orders::transition(app, tx, &mut order, OrderEvent::Pay, "provider", "payment captured").await?;
        if order.is_pickup() {
            sqlx::query("UPDATE orders SET pickup_code = $1 WHERE id = $2")
                .bind(crypto::random_digits(6))
                .bind(order.id)
                .execute(&mut **tx)
                .await?;
        }
    } else if !payable {
        // Paid after a timeout or cancellation (or paid twice): give the money back.
        refund_in_tx(app, tx, &mut order, payment.amount, "order no longer payable", None).await?;
    }
    Ok(())
}

/// Refunds `amount` of an order (locked by the caller) across its captured payments,
/// through the provider. A refund of everything collected moves the order to refunded when
/// its status allows (which releases stock not yet shipped).
pub async fn refund_in_tx(
    app: &App,
    tx: &mut Tx,
    order: &mut OrderRow,
    amount: i64,
    reason: &str,
    staff_id: Option<i64>,
) -> AppResult<()> {
    let refundable = order.paid_total - order.refunded_total;
    if amount <= 0 || amount > refundable {
        return Err(AppError::invalid("amount", format!("must be between 1 and {refundable}")));
    }
    let now = app.now();
    let p = provider();
    let mut left = amount;
    for (payment, available) in store::refundable(tx, order.id).await? {
        if left == 0 {
            break;
        }
        let take = available.min(left);
        let refund_ref = p.refund(tx, now, &payment.provider_ref, take).await?;
        let refund = store::NewRefund { payment: &payment, amount: take, reason, provider_ref: &refund_ref, staff_id };
        store::insert_refund(tx, now, &refund).await?;
        store::ledger(tx, now, &payment, "refund", -take, &refund_ref).await?;
        left -= take;
    }
    if left > 0 {
        return Err(AppError::Internal(format!("order {} ledger cannot cover refund", order.id)));
    }
    sqlx::query("UPDATE orders SET refunded_total = refunded_total + $1, updated_at = $2 WHERE id = $3")
        .bind(amount)
        .bind(now)
        .bind(order.id)
        .execute(&mut **tx)
        .await?;
    order.refunded_total += amount;
    let subject = format!("order:{}", order.id);
    events::record(tx, now, "payment.refunded", &subject, &json!({"amount": amount, "reason": reason})).await?;
    if order.refunded_total >= order.paid_total && order.status()?.can(OrderEvent::RefundFull) {
        let actor = staff_id.map_or_else(|| "system".to_string(), |id| format!("staff:{id}"));
        orders::transition(app, tx, order, OrderEvent::RefundFull, &actor, reason).await?;
    }
    Ok(())
}

/// Staff refund (full or partial), audited.
pub async fn refund(app: &App, order_id: i64, amount: i64, reason: &str, actor: &Actor) -> AppResult<OrderRow> {
    if reason.chars().count() > 500 {
        return Err(AppError::invalid("reason", "at most 500 characters"));
    }
    if amount <= 0 {
        return Err(AppError::invalid("amount", "must be positive"));
    }
    let mut tx = app.db.begin().await?;
    let mut order = orders::store::lock(&mut tx, order_id).await?;
    let before = json!({"status": order.status, "refunded_total": order.refunded_total});
    refund_in_tx(app, &mut tx, &mut order, amount, reason, Some(actor.staff_id)).await?;
    let after =
        json!({"status": order.status, "refunded_total": order.refunded_total, "amount": amount, "reason": reason});
    let change = audit::Change {
        action: "order.refund",
        entity: "order",
        entity_id: order_id.to_string(),
        before: Some(before),
        after: Some(after),
    };
    audit::record(&mut tx, app.now(), actor, change).await?;
    tx.commit().await?;
    Ok(order)
}

/// Payments, refunds and ledger of an order, with the reconciliation check.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PaymentsOverview {
    pub order_id: i64,
    pub grand_total: i64,
    pub paid_total: i64,
    pub refunded_total: i64,
    pub payments: Vec<Payment>,
    pub refunds: Vec<Refund>,
    pub ledger: Vec<LedgerEntry>,
    /// Sum of the ledger.
    pub ledger_total: i64,
    /// True when the ledger sums to paid_total − refunded_total.
    pub reconciled: bool,
}

pub async fn overview(app: &App, order_id: i64) -> AppResult<PaymentsOverview> {
    let order = orders::find_for(app, order_id, &Viewer::Staff).await?;
    let pool = app.db.reader();
    let ledger = store::ledger_of(pool, order_id).await?;
    let ledger_total: i64 = ledger.iter().map(|e| e.amount).sum();
    Ok(PaymentsOverview {
        order_id,
        grand_total: order.grand_total,
        paid_total: order.paid_total,
        refunded_total: order.refunded_total,
        payments: store::payments_of(pool, order_id).await?,
        refunds: store::refunds_of(pool, order_id).await?,
        reconciled: ledger_total == order.paid_total - order.refunded_total,
        ledger,
        ledger_total,
    })
}
