//! Domain events written in the same transaction as the change they describe (an
//! outbox). Analytics, risk, notifications and outgoing webhooks consume this table.

use serde::Serialize;

use crate::db::Tx;
use crate::error::AppResult;

/// Appends an event, e.g. `order.placed` about subject `order:42`.
pub async fn record(tx: &mut Tx, now: i64, kind: &str, subject: &str, payload: &impl Serialize) -> AppResult<()> {
    let payload = serde_json::to_string(payload).map_err(|e| crate::AppError::Internal(e.to_string()))?;
    sqlx::query("INSERT INTO domain_events (kind, subject, payload, created_at) VALUES ($1, $2, $3, $4)")
        .bind(kind)
        .bind(subject)
        .bind(payload)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
