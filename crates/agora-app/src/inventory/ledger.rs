//! The stock ledger: the only way stock levels change.

use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::events;

/// Kinds of stock movement recorded in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MovementKind {
    Inbound,
    Outbound,
    Reserve,
    Release,
    Adjust,
    Return,
    Transfer,
}

impl MovementKind {
    pub const ALL: [MovementKind; 7] = [
        MovementKind::Inbound,
        MovementKind::Outbound,
        MovementKind::Reserve,
        MovementKind::Release,
        MovementKind::Adjust,
        MovementKind::Return,
        MovementKind::Transfer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Inbound => "inbound",
            MovementKind::Outbound => "outbound",
            MovementKind::Reserve => "reserve",
            MovementKind::Release => "release",
            MovementKind::Adjust => "adjust",
            MovementKind::Return => "return",
            MovementKind::Transfer => "transfer",
        }
    }
}

/// One movement of stock for a SKU in a warehouse.
#[derive(Debug, Clone)]
pub struct Movement<'a> {
    pub sku_id: i64,
    pub warehouse_id: i64,
    pub kind: MovementKind,
    pub on_hand_delta: i64,
    pub reserved_delta: i64,
    pub ref_type: &'a str,
    pub ref_id: String,
    pub reason: &'a str,
    pub staff_id: Option<i64>,
}

/// Applies a movement to `stock` and appends it to the ledger. The update is conditional:
/// it fails (returns `false`, changing nothing) when it would make `reserved` negative or
/// push `reserved` above `on_hand`, so concurrent reservations can never oversell.
/// A movement that makes `available` cross down to its low-stock threshold records a
/// `stock.low` domain event in the same transaction.
pub async fn apply(tx: &mut Tx, now: i64, m: &Movement<'_>) -> AppResult<bool> {
    let after: Option<(i64, i64, i64)> = sqlx::query_as(
        "UPDATE stock SET on_hand = on_hand + $1, reserved = reserved + $2, updated_at = $3 \
         WHERE sku_id = $4 AND warehouse_id = $5 \
           AND reserved + $2 >= 0 AND on_hand + $1 >= reserved + $2 \
         RETURNING on_hand, reserved, low_threshold",
    )
    .bind(m.on_hand_delta)
    .bind(m.reserved_delta)
    .bind(now)
    .bind(m.sku_id)
    .bind(m.warehouse_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((on_hand, reserved, threshold)) = after else {
        return Ok(false);
    };
    sqlx::query(
        "INSERT INTO stock_ledger (sku_id, warehouse_id, kind, on_hand_delta, reserved_delta, ref_type, ref_id, reason, staff_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(m.sku_id)
    .bind(m.warehouse_id)
    .bind(m.kind.as_str())
    .bind(m.on_hand_delta)
    .bind(m.reserved_delta)
    .bind(m.ref_type)
    .bind(&m.ref_id)
    .bind(m.reason)
    .bind(m.staff_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let available = on_hand - reserved;
    let before = available - (m.on_hand_delta - m.reserved_delta);
    if crossed_low(before, available, threshold) {
        let payload = LowStock { sku_id: m.sku_id, warehouse_id: m.warehouse_id, available, threshold };
        events::record(tx, now, "stock.low", &format!("sku:{}", m.sku_id), &payload).await?;
    }
    Ok(true)
}

/// Payload of the `stock.low` event.
#[derive(Debug, Clone, serde::Serialize)]
struct LowStock {
    sku_id: i64,
    warehouse_id: i64,
    available: i64,
    threshold: i64,
}

/// True when available units went from above a (positive) threshold to at or below it.
pub fn crossed_low(before: i64, after: i64, threshold: i64) -> bool {
    threshold > 0 && before > threshold && after <= threshold
}

/// Like [`apply`], but a refused movement is an error naming the SKU.
pub async fn apply_or_fail(tx: &mut Tx, now: i64, m: &Movement<'_>) -> AppResult<()> {
    if apply(tx, now, m).await? { Ok(()) } else { Err(AppError::InsufficientStock { sku_id: m.sku_id }) }
}

/// Makes sure a stock row exists for (SKU, warehouse) so movements can apply to it.
pub async fn ensure_row(tx: &mut Tx, now: i64, sku_id: i64, warehouse_id: i64) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO stock (sku_id, warehouse_id, on_hand, reserved, low_threshold, updated_at) VALUES ($1, $2, 0, 0, 0, $3) \
         ON CONFLICT (sku_id, warehouse_id) DO NOTHING",
    )
    .bind(sku_id)
    .bind(warehouse_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::crossed_low;

    #[test]
    fn low_stock_crossing() {
        assert!(crossed_low(6, 5, 5));
        assert!(crossed_low(10, 0, 5));
        assert!(!crossed_low(5, 4, 5), "already low: no new alert");
        assert!(!crossed_low(10, 6, 5));
        assert!(!crossed_low(10, 0, 0), "no threshold set");
        assert!(!crossed_low(3, 8, 5), "rising");
    }
}
