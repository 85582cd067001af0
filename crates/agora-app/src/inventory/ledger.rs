//! The stock ledger: the only way stock levels change.

use crate::db::Tx;
use crate::error::{AppError, AppResult};

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
pub async fn apply(tx: &mut Tx, now: i64, m: &Movement<'_>) -> AppResult<bool> {
    let updated = sqlx::query(
        "UPDATE stock SET on_hand = on_hand + $1, reserved = reserved + $2, updated_at = $3 \
         WHERE sku_id = $4 AND warehouse_id = $5 \
           AND reserved + $2 >= 0 AND on_hand + $1 >= reserved + $2",
    )
    .bind(m.on_hand_delta)
    .bind(m.reserved_delta)
    .bind(now)
    .bind(m.sku_id)
    .bind(m.warehouse_id)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(false);
    }
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
    Ok(true)
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
