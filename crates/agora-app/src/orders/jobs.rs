//! Order jobs: cancel unpaid orders after the payment timeout, complete delivered orders
//! after the auto-complete delay. Both are rows in `jobs`, so they survive restarts.

use agora_domain::{OrderEvent, OrderStatus};
use serde::{Deserialize, Serialize};

use super::{store, transition};
use crate::App;
use crate::db::Tx;
use crate::error::AppResult;
use crate::jobs::{self, Job, NewJob};

pub const PAYMENT_TIMEOUT: &str = "orders.payment_timeout";
pub const AUTO_COMPLETE: &str = "orders.auto_complete";

#[derive(Debug, Serialize, Deserialize)]
pub struct OrderJob {
    pub order_id: i64,
}

pub async fn schedule_payment_timeout(tx: &mut Tx, now: i64, order_id: i64, run_at: i64) -> AppResult<()> {
    let job = NewJob {
        kind: PAYMENT_TIMEOUT,
        dedupe_key: Some(format!("{PAYMENT_TIMEOUT}:{order_id}")),
        payload: &OrderJob { order_id },
        run_at,
    };
    jobs::enqueue(tx, now, job).await
}

pub async fn schedule_auto_complete(tx: &mut Tx, now: i64, order_id: i64, run_at: i64) -> AppResult<()> {
    let job = NewJob {
        kind: AUTO_COMPLETE,
        dedupe_key: Some(format!("{AUTO_COMPLETE}:{order_id}")),
        payload: &OrderJob { order_id },
        run_at,
    };
    jobs::enqueue(tx, now, job).await
}

/// Cancels the order if it is still unpaid (releasing its stock); otherwise does nothing.
pub async fn payment_timeout(app: &App, job: &Job) -> AppResult<()> {
    let OrderJob { order_id } = job.payload()?;
    let mut tx = app.db.begin().await?;
    let mut order = store::lock(&mut tx, order_id).await?;
    if order.status()? == OrderStatus::PendingPayment && order.paid_total < order.grand_total {
        // A partial capture (if any) is given back.
        super::cancel_and_refund(app, &mut tx, &mut order, "system", "payment_timeout", None).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Completes the order if it is still delivered; otherwise does nothing.
pub async fn auto_complete(app: &App, job: &Job) -> AppResult<()> {
    let OrderJob { order_id } = job.payload()?;
    let mut tx = app.db.begin().await?;
    let mut order = store::lock(&mut tx, order_id).await?;
    if order.status()? == OrderStatus::Delivered {
        transition(app, &mut tx, &mut order, OrderEvent::Complete, "system", "auto_complete").await?;
    }
    tx.commit().await?;
    Ok(())
}
