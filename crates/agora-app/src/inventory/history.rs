//! Reading the stock ledger: every movement, newest first.

use serde::Serialize;
use sqlx::FromRow;

use super::ledger::MovementKind;
use crate::App;
use crate::error::{AppError, AppResult};
use crate::page::{self, Page};

/// One ledger row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, utoipa::ToSchema)]
pub struct LedgerEntry {
    pub id: i64,
    pub sku_id: i64,
    pub warehouse_id: i64,
    /// inbound, outbound, reserve, release, adjust, return or transfer.
    pub kind: String,
    pub on_hand_delta: i64,
    pub reserved_delta: i64,
    pub ref_type: String,
    pub ref_id: String,
    pub reason: String,
    pub staff_id: Option<i64>,
    pub created_at: i64,
}

/// Filters for the ledger list; `from` inclusive, `to` exclusive (epoch ms).
#[derive(Debug, Clone, Default)]
pub struct LedgerQuery {
    pub sku_id: Option<i64>,
    pub warehouse_id: Option<i64>,
    pub kind: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

fn check(q: &LedgerQuery) -> AppResult<()> {
    if let Some(kind) = &q.kind
        && !MovementKind::ALL.iter().any(|k| k.as_str() == kind)
    {
        let names: Vec<&str> = MovementKind::ALL.iter().map(|k| k.as_str()).collect();
        return Err(AppError::invalid("kind", format!("must be one of {}", names.join(", "))));
    }
    if let (Some(from), Some(to)) = (q.from, q.to)
        && from > to
    {
        return Err(AppError::invalid("to", "must not be before from"));
    }
    Ok(())
}

/// Ledger rows matching the filters, newest first.
pub async fn list(app: &App, q: &LedgerQuery) -> AppResult<Page<LedgerEntry>> {
    check(q)?;
    let limit = page::limit(q.limit)?;
    let before = match &q.cursor {
        Some(c) => page::decode_cursor(c, 1)?[0],
        None => i64::MAX,
    };
    let rows: Vec<LedgerEntry> = sqlx::query_as(
        "SELECT id, sku_id, warehouse_id, kind, on_hand_delta, reserved_delta, ref_type, ref_id, reason, staff_id, created_at \
         FROM stock_ledger WHERE id < $1 \
         AND ($2 IS NULL OR sku_id = $2) AND ($3 IS NULL OR warehouse_id = $3) AND ($4 IS NULL OR kind = $4) \
         AND ($5 IS NULL OR created_at >= $5) AND ($6 IS NULL OR created_at < $6) \
         ORDER BY id DESC LIMIT $7",
    )
    .bind(before)
    .bind(q.sku_id)
    .bind(q.warehouse_id)
    .bind(q.kind.as_deref())
    .bind(q.from)
    .bind(q.to)
    .bind(limit + 1)
    .fetch_all(app.db.reader())
    .await?;
    Ok(page::paginate(rows, limit, |e| vec![e.id]))
}
