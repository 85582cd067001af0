//! The built-in sandbox provider: a simulated third-party wallet living in the shop's own
//! database (`sandbox_payments`, `sandbox_notifications`). The buyer pays on the sandbox
//! page; the sandbox then notifies the shop ASYNCHRONOUSLY with a signed POST to the shop's
//! webhook from the `payments.sandbox_notify` job, retried with backoff until a 2xx answer.
//! Refunds are synchronous (the sandbox answers at once, inside the shop's transaction).

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::FromRow;

use super::signature::{self, SignedHeaders};
use super::{Notification, NotificationError, Outcome, PaymentProvider, PaymentRequest, ProviderPayment};
use crate::App;
use crate::crypto;
use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::jobs::{self, Job, NewJob};

pub const NOTIFY_JOB: &str = "payments.sandbox_notify";
/// Path of the shop's webhook for this provider.
pub const WEBHOOK_PATH: &str = "/api/v1/payments/webhooks/sandbox";

/// The sandbox wallet.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sandbox;

impl PaymentProvider for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    async fn create(&self, app: &App, req: &PaymentRequest) -> AppResult<ProviderPayment> {
        let id = format!("sbx_{}", crypto::random_code(20));
        let now = app.now();
        let base = &app.settings.public_url;
        sqlx::query(
            "INSERT INTO sandbox_payments (id, merchant_ref, amount, currency, subject, notify_url, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7)",
        )
        .bind(&id)
        .bind(&req.order_number)
        .bind(req.amount)
        .bind(&req.currency)
        .bind(format!("Order {}", req.order_number))
        .bind(format!("{base}{WEBHOOK_PATH}"))
        .bind(now)
        .execute(app.db.writer())
        .await?;
        Ok(ProviderPayment {
            pay_url: format!("{base}/sandbox/pay/{id}"),
            qr_payload: qr_payload(&id, req.amount, &req.currency),
            provider_ref: id,
        })
    }

    async fn refund(&self, tx: &mut Tx, now: i64, provider_ref: &str, amount: i64) -> AppResult<String> {
        let done = sqlx::query(
            "UPDATE sandbox_payments SET refunded = refunded + $1, updated_at = $2 \
             WHERE id = $3 AND status = 'succeeded' AND refunded + $1 <= amount",
        )
        .bind(amount)
        .bind(now)
        .bind(provider_ref)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::Provider(format!("sandbox refused refund of {amount} on {provider_ref}")));
        }
        Ok(format!("sbxrf_{}", crypto::random_code(20)))
    }

    fn parse_notification(
        &self,
        app: &App,
        headers: &SignedHeaders,
        body: &[u8],
    ) -> Result<Notification, NotificationError> {
        let secret = &app.settings.secrets.payment_webhook;
        signature::verify(secret, headers, body, app.now(), app.settings.webhook_tolerance_ms)?;
        let msg: Message = serde_json::from_slice(body).map_err(|e| NotificationError::Malformed(e.to_string()))?;
        let outcome = match msg.kind.as_str() {
            "payment.succeeded" => Outcome::Succeeded,
            "payment.failed" => Outcome::Failed,
            other => return Err(NotificationError::Malformed(format!("unknown type {other}"))),
        };
        Ok(Notification { event_id: headers.id.clone(), provider_ref: msg.data.payment_id, outcome })
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Message {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: MessageData,
}

#[derive(Debug, Serialize, Deserialize)]
struct MessageData {
    payment_id: String,
    amount: i64,
    currency: String,
}

/// A sandbox payment as shown on the sandbox page.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct SandboxPayment {
    pub id: String,
    pub merchant_ref: String,
    pub amount: i64,
    pub refunded: i64,
    pub currency: String,
    pub subject: String,
    pub notify_url: String,
    pub status: String,
}

pub async fn find(app: &App, id: &str) -> AppResult<SandboxPayment> {
    sqlx::query_as(
        "SELECT id, merchant_ref, amount, refunded, currency, subject, notify_url, status FROM sandbox_payments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(app.db.reader())
    .await?
    .ok_or(AppError::not_found("payment"))
}

/// The buyer pays (`succeed`) or the payment fails on the sandbox page. Queues a signed
/// notification to the shop. Paying an already paid payment does nothing.
pub async fn complete(app: &App, id: &str, succeed: bool) -> AppResult<SandboxPayment> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    // A failed payment may still be paid later; a paid one never changes again.
    let (to, allowed_from) = if succeed { ("succeeded", "failed") } else { ("failed", "pending") };
    let changed = sqlx::query(
        "UPDATE sandbox_payments SET status = $1, updated_at = $2 WHERE id = $3 AND (status = 'pending' OR status = $4)",
    )
    .bind(to)
    .bind(now)
    .bind(id)
    .bind(allowed_from)
    .execute(&mut *tx)
    .await?;
    let payment: SandboxPayment = sqlx::query_as(
        "SELECT id, merchant_ref, amount, refunded, currency, subject, notify_url, status FROM sandbox_payments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::not_found("payment"))?;
    if changed.rows_affected() == 1 {
        queue_notification(&mut tx, now, &payment, if succeed { "payment.succeeded" } else { "payment.failed" })
            .await?;
    }
    tx.commit().await?;
    Ok(payment)
}

async fn queue_notification(tx: &mut Tx, now: i64, p: &SandboxPayment, kind: &str) -> AppResult<()> {
    let id = format!("msg_{}", crypto::random_code(24));
    let msg = Message {
        id: id.clone(),
        kind: kind.to_string(),
        data: MessageData { payment_id: p.id.clone(), amount: p.amount, currency: p.currency.clone() },
    };
    let body = serde_json::to_string(&msg).map_err(|e| AppError::Internal(e.to_string()))?;
    sqlx::query(
        "INSERT INTO sandbox_notifications (id, payment_id, body, notify_url, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(&p.id)
    .bind(body)
    .bind(&p.notify_url)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let job = NewJob {
        kind: NOTIFY_JOB,
        dedupe_key: Some(format!("{NOTIFY_JOB}:{id}")),
        payload: &json!({"id": id}),
        run_at: now,
    };
    jobs::enqueue(tx, now, job).await
}

#[derive(Debug, FromRow)]
struct Pending {
    body: String,
    notify_url: String,
    delivered_at: Option<i64>,
}

#[derive(Deserialize)]
struct NotifyJob {
    id: String,
}

/// Delivers one notification: signed POST to the shop's webhook. A non-2xx answer or a
/// network error fails the job, which then retries with backoff until acknowledged.
pub async fn notify(app: &App, job: &Job) -> AppResult<()> {
    let NotifyJob { id } = job.payload()?;
    let pending: Option<Pending> =
        sqlx::query_as("SELECT body, notify_url, delivered_at FROM sandbox_notifications WHERE id = $1")
            .bind(&id)
            .fetch_optional(app.db.reader())
            .await?;
    let Some(n) = pending else { return Ok(()) };
    if n.delivered_at.is_some() {
        return Ok(());
    }
    let headers = signature::sign(&app.settings.secrets.payment_webhook, &id, app.now(), n.body.as_bytes());
    let result = app
        .http
        .post(&n.notify_url)
        .header("content-type", "application/json")
        .header("webhook-id", &headers.id)
        .header("webhook-timestamp", &headers.timestamp)
        .header("webhook-signature", &headers.signature)
        .body(n.body)
        .send()
        .await;
    let delivered = matches!(&result, Ok(r) if r.status().is_success());
    sqlx::query(
        "UPDATE sandbox_notifications SET attempts = attempts + 1, delivered_at = CASE WHEN $1 = 1 THEN $2 ELSE delivered_at END \
         WHERE id = $3",
    )
    .bind(i64::from(delivered))
    .bind(app.now())
    .bind(&id)
    .execute(app.db.writer())
    .await?;
    match result {
        Ok(_) if delivered => Ok(()),
        Ok(r) => Err(AppError::Provider(format!("webhook answered {}", r.status()))),
        Err(e) => Err(AppError::Provider(format!("webhook unreachable: {e}"))),
    }
}

/// What the sandbox wallet scans: the payment's id, amount and currency.
pub fn qr_payload(id: &str, amount: i64, currency: &str) -> String {
    format!("agora-sandbox://pay?id={id}&amount={amount}&currency={currency}")
}
