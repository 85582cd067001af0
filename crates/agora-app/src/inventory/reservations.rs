//! Holding stock for orders: reserve when placed, release on cancel or timeout, fulfil
//! (deduct from on-hand) on shipment. Reservations are rows in `stock_reservations`, so
//! release and fulfilment need only the document reference and are idempotent.

use std::collections::HashMap;

use sqlx::{AnyPool, FromRow};

use super::ledger::{self, Movement, MovementKind};
use crate::db::Tx;
use crate::error::{AppError, AppResult};

/// Stock held for a document in one warehouse.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Reservation {
    pub sku_id: i64,
    pub warehouse_id: i64,
    pub quantity: i64,
}

#[derive(FromRow)]
struct Candidate {
    warehouse_id: i64,
    available: i64,
}

async fn candidates(tx: &mut Tx, sku_id: i64) -> AppResult<Vec<Candidate>> {
    let rows = sqlx::query_as(
        "SELECT s.warehouse_id, s.on_hand - s.reserved AS available FROM stock s \
         JOIN warehouses w ON w.id = s.warehouse_id \
         WHERE s.sku_id = $1 AND w.active = 1 AND s.on_hand - s.reserved > 0 \
         ORDER BY w.priority DESC, w.id",
    )
    .bind(sku_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows)
}

fn hold<'a>(ref_type: &'a str, ref_id: i64, sku_id: i64, warehouse_id: i64, quantity: i64) -> Movement<'a> {
    Movement {
        sku_id,
        warehouse_id,
        kind: MovementKind::Reserve,
        on_hand_delta: 0,
        reserved_delta: quantity,
        ref_type,
        ref_id: ref_id.to_string(),
        reason: "",
        staff_id: None,
    }
}

/// Reserves `quantity` of one SKU, preferring a single warehouse (by priority) that can
/// serve it all, else splitting across warehouses.
async fn reserve_one(
    tx: &mut Tx,
    now: i64,
    ref_type: &str,
    ref_id: i64,
    sku_id: i64,
    quantity: i64,
) -> AppResult<Vec<Reservation>> {
    let list = candidates(tx, sku_id).await?;
    for c in list.iter().filter(|c| c.available >= quantity) {
        if ledger::apply(tx, now, &hold(ref_type, ref_id, sku_id, c.warehouse_id, quantity)).await? {
            return Ok(vec![Reservation { sku_id, warehouse_id: c.warehouse_id, quantity }]);
        }
    }
    let mut remaining = quantity;
    let mut taken = Vec::new();
    for c in &list {
        if remaining == 0 {
            break;
        }
        let take = c.available.min(remaining);
        if ledger::apply(tx, now, &hold(ref_type, ref_id, sku_id, c.warehouse_id, take)).await? {
            remaining -= take;
            taken.push(Reservation { sku_id, warehouse_id: c.warehouse_id, quantity: take });
        }
    }
    if remaining > 0 {
        // The caller's transaction rolls back, undoing any partial holds.
        return Err(AppError::InsufficientStock { sku_id });
    }
    Ok(taken)
}

/// Reserves every wanted (SKU, quantity) for document `ref_type:ref_id` in the caller's
/// transaction. Fails with `InsufficientStock` naming the first SKU that cannot be served;
/// the caller must then roll back.
pub async fn reserve(
    tx: &mut Tx,
    now: i64,
    ref_type: &str,
    ref_id: i64,
    wanted: &[(i64, i64)],
) -> AppResult<Vec<Reservation>> {
    let mut all = Vec::new();
    // Lock stock rows in one global order (by SKU) so concurrent orders cannot deadlock.
    let mut ordered = wanted.to_vec();
    ordered.sort_unstable();
    for &(sku_id, quantity) in &ordered {
        if quantity <= 0 {
            return Err(AppError::invalid("quantity", "must be positive"));
        }
        for r in reserve_one(tx, now, ref_type, ref_id, sku_id, quantity).await? {
            sqlx::query(
                "INSERT INTO stock_reservations (ref_type, ref_id, sku_id, warehouse_id, quantity, status, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 'held', $6, $6) \
                 ON CONFLICT (ref_type, ref_id, sku_id, warehouse_id) DO UPDATE SET quantity = stock_reservations.quantity + excluded.quantity",
            )
            .bind(ref_type)
            .bind(ref_id)
            .bind(r.sku_id)
            .bind(r.warehouse_id)
            .bind(r.quantity)
            .bind(now)
            .execute(&mut **tx)
            .await?;
            all.push(r);
        }
    }
    Ok(all)
}

async fn held(tx: &mut Tx, ref_type: &str, ref_id: i64) -> AppResult<Vec<Reservation>> {
    let rows = sqlx::query_as(
        "SELECT sku_id, warehouse_id, quantity FROM stock_reservations WHERE ref_type = $1 AND ref_id = $2 AND status = 'held' \
         ORDER BY sku_id, warehouse_id",
    )
    .bind(ref_type)
    .bind(ref_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows)
}

async fn close(
    tx: &mut Tx,
    now: i64,
    ref_type: &str,
    ref_id: i64,
    kind: MovementKind,
    status: &str,
) -> AppResult<Vec<Reservation>> {
    let list = held(tx, ref_type, ref_id).await?;
    for r in &list {
        let on_hand_delta = if kind == MovementKind::Outbound { -r.quantity } else { 0 };
        let movement = Movement {
            sku_id: r.sku_id,
            warehouse_id: r.warehouse_id,
            kind,
            on_hand_delta,
            reserved_delta: -r.quantity,
            ref_type,
            ref_id: ref_id.to_string(),
            reason: "",
            staff_id: None,
        };
        ledger::apply_or_fail(tx, now, &movement).await?;
    }
    sqlx::query("UPDATE stock_reservations SET status = $1, updated_at = $2 WHERE ref_type = $3 AND ref_id = $4 AND status = 'held'")
        .bind(status)
        .bind(now)
        .bind(ref_type)
        .bind(ref_id)
        .execute(&mut **tx)
        .await?;
    Ok(list)
}

/// Releases every held reservation of the document (cancel, timeout). Idempotent.
pub async fn release(tx: &mut Tx, now: i64, ref_type: &str, ref_id: i64) -> AppResult<Vec<Reservation>> {
    close(tx, now, ref_type, ref_id, MovementKind::Release, "released").await
}

/// Turns every held reservation of the document into an outbound movement (shipment):
/// on-hand and reserved both drop. Idempotent.
pub async fn fulfil(tx: &mut Tx, now: i64, ref_type: &str, ref_id: i64) -> AppResult<Vec<Reservation>> {
    close(tx, now, ref_type, ref_id, MovementKind::Outbound, "fulfilled").await
}

/// Units available to sell (on-hand minus reserved, active warehouses) per SKU.
pub async fn available(pool: &AnyPool, sku_ids: &[i64]) -> AppResult<HashMap<i64, i64>> {
    let mut out: HashMap<i64, i64> = sku_ids.iter().map(|id| (*id, 0)).collect();
    for chunk in sku_ids.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT s.sku_id, CAST(SUM(s.on_hand - s.reserved) AS BIGINT) FROM stock s JOIN warehouses w ON w.id = s.warehouse_id \
             WHERE w.active = 1 AND s.sku_id IN ({}) GROUP BY s.sku_id",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            query = query.bind(*id);
        }
        for (sku, n) in query.fetch_all(pool).await? {
            out.insert(sku, n);
        }
    }
    Ok(out)
}

/// Fulfils `quantity` units of one SKU from the document's held reservations (a partial
/// shipment), warehouse by warehouse: an outbound movement each. A reservation fully used
/// becomes `fulfilled`; a partly used one keeps holding the rest. Fails with
/// `InsufficientStock` when less is held (the caller rolls back).
pub async fn fulfil_partial(
    tx: &mut Tx,
    now: i64,
    ref_type: &str,
    ref_id: i64,
    sku_id: i64,
    quantity: i64,
) -> AppResult<Vec<Reservation>> {
    let mut left = quantity;
    let mut taken = Vec::new();
    for r in held(tx, ref_type, ref_id).await?.into_iter().filter(|r| r.sku_id == sku_id) {
        if left == 0 {
            break;
        }
        let take = r.quantity.min(left);
        let movement = Movement {
            sku_id,
            warehouse_id: r.warehouse_id,
            kind: MovementKind::Outbound,
            on_hand_delta: -take,
            reserved_delta: -take,
            ref_type,
            ref_id: ref_id.to_string(),
            reason: "",
            staff_id: None,
        };
        ledger::apply_or_fail(tx, now, &movement).await?;
        sqlx::query(
            "UPDATE stock_reservations SET status = CASE WHEN quantity = $1 THEN 'fulfilled' ELSE status END, \
             quantity = CASE WHEN quantity = $1 THEN quantity ELSE quantity - $1 END, updated_at = $2 \
             WHERE ref_type = $3 AND ref_id = $4 AND sku_id = $5 AND warehouse_id = $6 AND status = 'held'",
        )
        .bind(take)
        .bind(now)
        .bind(ref_type)
        .bind(ref_id)
        .bind(sku_id)
        .bind(r.warehouse_id)
        .execute(&mut **tx)
        .await?;
        left -= take;
        taken.push(Reservation { sku_id, warehouse_id: r.warehouse_id, quantity: take });
    }
    if left > 0 {
        return Err(AppError::InsufficientStock { sku_id });
    }
    Ok(taken)
}
