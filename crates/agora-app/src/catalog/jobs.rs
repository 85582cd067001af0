//! `catalog.publish`: lists a scheduled product when its time comes.

use serde::{Deserialize, Serialize};

use super::{Touched, commit};
use crate::error::AppResult;
use crate::jobs::{self, Job, NewJob};
use crate::{App, Tx, events};

pub const PUBLISH: &str = "catalog.publish";

#[derive(Debug, Serialize, Deserialize)]
pub struct PublishPayload {
    pub product_id: i64,
    pub publish_at: i64,
}

/// Enqueues the publish job of one schedule. The dedupe key names the product and the
/// time, so a reschedule gets its own job and the old one finds its schedule stale.
pub async fn schedule(tx: &mut Tx, now: i64, product_id: i64, publish_at: i64) -> AppResult<()> {
    let payload = PublishPayload { product_id, publish_at };
    let job = NewJob {
        kind: PUBLISH,
        dedupe_key: Some(format!("{PUBLISH}:{product_id}:{publish_at}")),
        payload: &payload,
        run_at: publish_at,
    };
    jobs::enqueue(tx, now, job).await
}

/// Lists the product if it is still scheduled for exactly this time; otherwise does nothing.
pub async fn publish(app: &App, job: &Job) -> AppResult<()> {
    let p: PublishPayload = job.payload()?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let done = sqlx::query(
        "UPDATE products SET status = 'listed', publish_at = NULL, listed_at = $1, updated_at = $1 \
         WHERE id = $2 AND status = 'scheduled' AND publish_at = $3",
    )
    .bind(now)
    .bind(p.product_id)
    .bind(p.publish_at)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        tracing::info!(product_id = p.product_id, "stale publish job skipped");
        return Ok(());
    }
    let payload = serde_json::json!({"product_id": p.product_id, "from": "scheduled", "to": "listed"});
    events::record(&mut tx, now, "product.listed", &format!("product:{}", p.product_id), &payload).await?;
    commit(app, tx, Touched::Products(&[p.product_id])).await
}
