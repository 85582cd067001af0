//! Staff stock movements: inbound receipts, stocktake adjustments, returns and transfers.
//! Each is validated first, then applied through [`ledger::apply`] in one transaction with
//! its audit row; a failure writes nothing.

use serde::{Deserialize, Serialize};

use super::checks::{self, MAX_QUANTITY};
use super::ledger::{self, Movement, MovementKind};
use super::levels::{self, StockLevel};
use crate::App;
use crate::audit::{self, Actor, Change};
use crate::db::Tx;
use crate::error::{AppError, AppResult, FieldError};

const MAX_REFERENCE: usize = 100;
const MAX_REASON: usize = 500;

/// Units arriving in a warehouse: a purchase receipt (inbound) or a customer return.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockIn {
    pub sku_id: i64,
    pub warehouse_id: i64,
    /// 1 to 1,000,000.
    pub quantity: i64,
    /// External document, e.g. a purchase order or return number.
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub reason: String,
}

/// A stocktake: the counted units replace on-hand; the difference is recorded as `adjust`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Stocktake {
    pub sku_id: i64,
    pub warehouse_id: i64,
    /// Units physically counted, 0 to 1,000,000.
    pub counted: i64,
    /// Required: why the count differs.
    pub reason: String,
    #[serde(default)]
    pub reference: String,
}

/// Moving units of one SKU from one warehouse to another.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    pub sku_id: i64,
    pub from_warehouse_id: i64,
    pub to_warehouse_id: i64,
    /// 1 to 1,000,000.
    pub quantity: i64,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub reason: String,
}

/// Stock levels after a movement.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Moved {
    pub stock: Vec<StockLevel>,
}

fn key(sku_id: i64, warehouse_id: i64) -> String {
    format!("{sku_id}:{warehouse_id}")
}

/// Takes the row lock of a stock row so a read-then-write sees no concurrent change
/// (PostgreSQL; SQLite's single writer already serialises write transactions).
async fn lock_row(tx: &mut Tx, sku_id: i64, warehouse_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE stock SET updated_at = updated_at WHERE sku_id = $1 AND warehouse_id = $2")
        .bind(sku_id)
        .bind(warehouse_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn current(tx: &mut Tx, sku_id: i64, warehouse_id: i64) -> AppResult<StockLevel> {
    levels::level(tx, sku_id, warehouse_id).await?.ok_or(AppError::not_found("stock"))
}

struct Audited<'a> {
    action: &'a str,
    entity_id: String,
    before: serde_json::Value,
    after: serde_json::Value,
}

async fn audit_movement(tx: &mut Tx, now: i64, actor: &Actor, a: Audited<'_>) -> AppResult<()> {
    let change = Change {
        action: a.action,
        entity: "stock",
        entity_id: a.entity_id,
        before: Some(a.before),
        after: Some(a.after),
    };
    audit::record(tx, now, actor, change).await
}

/// Receives purchased units into a warehouse (ledger kind `inbound`, audited as
/// `stock.inbound`). Creates the stock row when absent.
pub async fn inbound(app: &App, actor: &Actor, input: &StockIn) -> AppResult<Moved> {
    receive(app, actor, MovementKind::Inbound, "stock.inbound", "purchase", input).await
}

/// Restocks returned units (ledger kind `return`, audited as `stock.return`).
pub async fn restock(app: &App, actor: &Actor, input: &StockIn) -> AppResult<Moved> {
    receive(app, actor, MovementKind::Return, "stock.return", "return", input).await
}

async fn receive(
    app: &App,
    actor: &Actor,
    kind: MovementKind,
    action: &str,
    ref_type: &str,
    input: &StockIn,
) -> AppResult<Moved> {
    let mut errors = Vec::new();
    checks::quantity("quantity", input.quantity, &mut errors);
    checks::text("reference", &input.reference, MAX_REFERENCE, false, &mut errors);
    checks::text("reason", &input.reason, MAX_REASON, false, &mut errors);
    checks::done(errors)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut errors = Vec::new();
    checks::sku(&mut tx, input.sku_id, &mut errors).await?;
    checks::warehouse(&mut tx, "warehouse_id", input.warehouse_id, true, &mut errors).await?;
    checks::done(errors)?;
    ledger::ensure_row(&mut tx, now, input.sku_id, input.warehouse_id).await?;
    let before = current(&mut tx, input.sku_id, input.warehouse_id).await?;
    let movement = Movement {
        sku_id: input.sku_id,
        warehouse_id: input.warehouse_id,
        kind,
        on_hand_delta: input.quantity,
        reserved_delta: 0,
        ref_type,
        ref_id: input.reference.clone(),
        reason: &input.reason,
        staff_id: Some(actor.staff_id),
    };
    ledger::apply_or_fail(&mut tx, now, &movement).await?;
    let after = current(&mut tx, input.sku_id, input.warehouse_id).await?;
    let audited = Audited {
        action,
        entity_id: key(input.sku_id, input.warehouse_id),
        before: serde_json::json!({ "stock": before }),
        after: serde_json::json!({
            "stock": after, "quantity": input.quantity, "reference": input.reference, "reason": input.reason
        }),
    };
    audit_movement(&mut tx, now, actor, audited).await?;
    tx.commit().await?;
    Ok(Moved { stock: vec![after] })
}

/// Records a stocktake: on-hand becomes `counted`. Refused (409 `below_reserved`) when
/// fewer units were counted than are reserved for orders.
pub async fn stocktake(app: &App, actor: &Actor, input: &Stocktake) -> AppResult<Moved> {
    let mut errors = Vec::new();
    if !(0..=MAX_QUANTITY).contains(&input.counted) {
        errors.push(FieldError { field: "counted".into(), message: format!("must be between 0 and {MAX_QUANTITY}") });
    }
    checks::text("reason", &input.reason, MAX_REASON, true, &mut errors);
    checks::text("reference", &input.reference, MAX_REFERENCE, false, &mut errors);
    checks::done(errors)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut errors = Vec::new();
    checks::sku(&mut tx, input.sku_id, &mut errors).await?;
    checks::warehouse(&mut tx, "warehouse_id", input.warehouse_id, false, &mut errors).await?;
    checks::done(errors)?;
    ledger::ensure_row(&mut tx, now, input.sku_id, input.warehouse_id).await?;
    lock_row(&mut tx, input.sku_id, input.warehouse_id).await?;
    let before = current(&mut tx, input.sku_id, input.warehouse_id).await?;
    if input.counted < before.reserved {
        return Err(AppError::conflict(
            "below_reserved",
            format!("counted {} is less than the {} units reserved for orders", input.counted, before.reserved),
        ));
    }
    let movement = Movement {
        sku_id: input.sku_id,
        warehouse_id: input.warehouse_id,
        kind: MovementKind::Adjust,
        on_hand_delta: input.counted - before.on_hand,
        reserved_delta: 0,
        ref_type: "stocktake",
        ref_id: input.reference.clone(),
        reason: &input.reason,
        staff_id: Some(actor.staff_id),
    };
    ledger::apply_or_fail(&mut tx, now, &movement).await?;
    let after = current(&mut tx, input.sku_id, input.warehouse_id).await?;
    let audited = Audited {
        action: "stock.adjust",
        entity_id: key(input.sku_id, input.warehouse_id),
        before: serde_json::json!({ "stock": before }),
        after: serde_json::json!({
            "stock": after, "counted": input.counted, "delta": movement.on_hand_delta, "reason": input.reason
        }),
    };
    audit_movement(&mut tx, now, actor, audited).await?;
    tx.commit().await?;
    Ok(Moved { stock: vec![after] })
}

/// Moves units between two warehouses: two `transfer` ledger rows, all or nothing.
/// Only available (unreserved) units can leave; 409 `insufficient_stock` otherwise.
pub async fn transfer(app: &App, actor: &Actor, input: &Transfer) -> AppResult<Moved> {
    let mut errors = Vec::new();
    checks::quantity("quantity", input.quantity, &mut errors);
    if input.from_warehouse_id == input.to_warehouse_id {
        errors
            .push(FieldError { field: "to_warehouse_id".into(), message: "must differ from from_warehouse_id".into() });
    }
    checks::text("reference", &input.reference, MAX_REFERENCE, false, &mut errors);
    checks::text("reason", &input.reason, MAX_REASON, false, &mut errors);
    checks::done(errors)?;
    let (sku, from, to) = (input.sku_id, input.from_warehouse_id, input.to_warehouse_id);
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut errors = Vec::new();
    checks::sku(&mut tx, sku, &mut errors).await?;
    checks::warehouse(&mut tx, "from_warehouse_id", from, false, &mut errors).await?;
    checks::warehouse(&mut tx, "to_warehouse_id", to, true, &mut errors).await?;
    checks::done(errors)?;
    ledger::ensure_row(&mut tx, now, sku, to).await?;
    // Lock both rows in a fixed order so opposite transfers cannot deadlock.
    lock_row(&mut tx, sku, from.min(to)).await?;
    lock_row(&mut tx, sku, from.max(to)).await?;
    let Some(from_before) = levels::level(&mut tx, sku, from).await? else {
        return Err(AppError::InsufficientStock { sku_id: sku });
    };
    let to_before = current(&mut tx, sku, to).await?;
    let reference = if input.reference.is_empty() {
        format!("T{}", crate::crypto::random_code(10))
    } else {
        input.reference.clone()
    };
    let leg = |warehouse_id: i64, delta: i64| Movement {
        sku_id: sku,
        warehouse_id,
        kind: MovementKind::Transfer,
        on_hand_delta: delta,
        reserved_delta: 0,
        ref_type: "transfer",
        ref_id: reference.clone(),
        reason: &input.reason,
        staff_id: Some(actor.staff_id),
    };
    ledger::apply_or_fail(&mut tx, now, &leg(from, -input.quantity)).await?;
    ledger::apply_or_fail(&mut tx, now, &leg(to, input.quantity)).await?;
    let from_after = current(&mut tx, sku, from).await?;
    let to_after = current(&mut tx, sku, to).await?;
    let audited = Audited {
        action: "stock.transfer",
        entity_id: format!("{sku}:{from}>{to}"),
        before: serde_json::json!({ "from": from_before, "to": to_before }),
        after: serde_json::json!({
            "from": from_after, "to": to_after, "quantity": input.quantity, "reference": reference, "reason": input.reason
        }),
    };
    audit_movement(&mut tx, now, actor, audited).await?;
    tx.commit().await?;
    Ok(Moved { stock: vec![from_after, to_after] })
}
