//! Reading stock levels: per SKU and warehouse, per SKU across warehouses, the low-stock
//! alert list, shopper availability; and setting low-stock thresholds.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;

use super::{checks, ledger};
use crate::App;
use crate::audit::{self, Actor, Change};
use crate::db::Tx;
use crate::error::{AppError, AppResult, FieldError};
use crate::page::{self, Page};

/// Stock of one SKU in one warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, utoipa::ToSchema)]
pub struct StockLevel {
    pub sku_id: i64,
    pub product_id: i64,
    pub warehouse_id: i64,
    pub warehouse_code: String,
    /// 1 when the warehouse is active (its stock is sellable).
    pub warehouse_active: i64,
    pub on_hand: i64,
    pub reserved: i64,
    /// on_hand - reserved.
    pub available: i64,
    /// Alert when available falls to this level or below; 0 = no alert.
    pub low_threshold: i64,
    pub updated_at: i64,
}

const LEVEL_COLUMNS: &str = "s.sku_id, k.product_id, s.warehouse_id, w.code AS warehouse_code, w.active AS warehouse_active, \
     s.on_hand, s.reserved, s.on_hand - s.reserved AS available, s.low_threshold, s.updated_at";
const LEVEL_FROM: &str = "FROM stock s JOIN skus k ON k.id = s.sku_id JOIN warehouses w ON w.id = s.warehouse_id";
/// The level of one (SKU, warehouse) inside a transaction.
pub(crate) async fn level(tx: &mut Tx, sku_id: i64, warehouse_id: i64) -> AppResult<Option<StockLevel>> {
    let sql = format!("SELECT {LEVEL_COLUMNS} {LEVEL_FROM} WHERE s.sku_id = $1 AND s.warehouse_id = $2");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(sku_id).bind(warehouse_id).fetch_optional(&mut **tx).await?)
}

/// Filters for the stock list.
#[derive(Debug, Clone, Default)]
pub struct StockQuery {
    pub warehouse_id: Option<i64>,
    pub sku_id: Option<i64>,
    pub product_id: Option<i64>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Stock rows ordered by SKU then warehouse.
pub async fn list(app: &App, q: &StockQuery) -> AppResult<Page<StockLevel>> {
    let limit = page::limit(q.limit)?;
    let (after_sku, after_wh) = match &q.cursor {
        Some(c) => {
            let parts = page::decode_cursor(c, 2)?;
            (parts[0], parts[1])
        }
        None => (i64::MIN, i64::MIN),
    };
    let sql = format!(
        "SELECT {LEVEL_COLUMNS} {LEVEL_FROM} WHERE ($1 IS NULL OR s.warehouse_id = $1) AND ($2 IS NULL OR s.sku_id = $2) \
         AND ($3 IS NULL OR k.product_id = $3) AND (s.sku_id > $4 OR (s.sku_id = $4 AND s.warehouse_id > $5)) \
         ORDER BY s.sku_id, s.warehouse_id LIMIT $6"
    );
    let rows: Vec<StockLevel> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(q.warehouse_id)
        .bind(q.sku_id)
        .bind(q.product_id)
        .bind(after_sku)
        .bind(after_wh)
        .bind(limit + 1)
        .fetch_all(app.db.reader())
        .await?;
    Ok(page::paginate(rows, limit, |r| vec![r.sku_id, r.warehouse_id]))
}

/// One SKU's stock across every warehouse.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SkuStock {
    pub sku_id: i64,
    pub product_id: i64,
    pub on_hand: i64,
    pub reserved: i64,
    /// Sellable units: available in active warehouses.
    pub available: i64,
    pub warehouses: Vec<StockLevel>,
}

/// The per-SKU summary; NotFound when the SKU does not exist.
pub async fn sku_summary(app: &App, sku_id: i64) -> AppResult<SkuStock> {
    let product_id: Option<i64> = sqlx::query_scalar("SELECT product_id FROM skus WHERE id = $1")
        .bind(sku_id)
        .fetch_optional(app.db.reader())
        .await?;
    let product_id = product_id.ok_or(AppError::not_found("sku"))?;
    let sql = format!("SELECT {LEVEL_COLUMNS} {LEVEL_FROM} WHERE s.sku_id = $1 ORDER BY w.priority DESC, w.id");
    let rows: Vec<StockLevel> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(sku_id).fetch_all(app.db.reader()).await?;
    Ok(SkuStock {
        sku_id,
        product_id,
        on_hand: rows.iter().map(|r| r.on_hand).sum(),
        reserved: rows.iter().map(|r| r.reserved).sum(),
        available: rows.iter().filter(|r| r.warehouse_active == 1).map(|r| r.available).sum(),
        warehouses: rows,
    })
}

/// A stock row at or below its low-stock threshold.
#[derive(Debug, Clone, Serialize, FromRow, utoipa::ToSchema)]
pub struct StockAlert {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub level: StockLevel,
    /// low_threshold - available (0 when exactly at the threshold).
    pub shortfall: i64,
}

/// Low-stock alerts in active warehouses, largest shortfall first.
pub async fn alerts(app: &App, cursor: Option<&str>, limit: Option<i64>) -> AppResult<Page<StockAlert>> {
    let limit = page::limit(limit)?;
    let (short, sku, wh) = match cursor {
        Some(c) => {
            let p = page::decode_cursor(c, 3)?;
            (p[0], p[1], p[2])
        }
        None => (i64::MAX, i64::MIN, i64::MIN),
    };
    let sql = format!(
        "SELECT * FROM (SELECT {LEVEL_COLUMNS}, s.low_threshold - (s.on_hand - s.reserved) AS shortfall {LEVEL_FROM} \
           WHERE w.active = 1 AND s.low_threshold > 0 AND s.on_hand - s.reserved <= s.low_threshold) a \
         WHERE a.shortfall < $1 OR (a.shortfall = $1 AND (a.sku_id > $2 OR (a.sku_id = $2 AND a.warehouse_id > $3))) \
         ORDER BY a.shortfall DESC, a.sku_id, a.warehouse_id LIMIT $4"
    );
    let rows: Vec<StockAlert> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(short)
        .bind(sku)
        .bind(wh)
        .bind(limit + 1)
        .fetch_all(app.db.reader())
        .await?;
    Ok(page::paginate(rows, limit, |a| vec![a.shortfall, a.level.sku_id, a.level.warehouse_id]))
}

/// Input for setting a low-stock threshold.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThresholdInput {
    pub sku_id: i64,
    pub warehouse_id: i64,
    /// 0 switches the alert off; at most 1,000,000.
    pub low_threshold: i64,
}

/// Sets the low-stock threshold of one (SKU, warehouse) (audited). Creates the stock row
/// with zero units when absent.
pub async fn set_threshold(app: &App, actor: &Actor, input: &ThresholdInput) -> AppResult<StockLevel> {
    if !(0..=checks::MAX_QUANTITY).contains(&input.low_threshold) {
        return Err(AppError::invalid("low_threshold", format!("must be between 0 and {}", checks::MAX_QUANTITY)));
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut errors = Vec::new();
    checks::sku(&mut tx, input.sku_id, &mut errors).await?;
    checks::warehouse(&mut tx, "warehouse_id", input.warehouse_id, false, &mut errors).await?;
    checks::done(errors)?;
    ledger::ensure_row(&mut tx, now, input.sku_id, input.warehouse_id).await?;
    let before = level(&mut tx, input.sku_id, input.warehouse_id).await?;
    sqlx::query("UPDATE stock SET low_threshold = $1 WHERE sku_id = $2 AND warehouse_id = $3")
        .bind(input.low_threshold)
        .bind(input.sku_id)
        .bind(input.warehouse_id)
        .execute(&mut *tx)
        .await?;
    let after = level(&mut tx, input.sku_id, input.warehouse_id).await?.ok_or(AppError::not_found("stock"))?;
    let change = Change {
        action: "stock.threshold",
        entity: "stock",
        entity_id: format!("{}:{}", input.sku_id, input.warehouse_id),
        before: before.as_ref().and_then(audit::snapshot),
        after: audit::snapshot(&after),
    };
    audit::record(&mut tx, now, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Most SKUs one availability request may name.
pub const MAX_AVAILABILITY_SKUS: usize = 100;

/// Parses `1,2,3` into distinct positive SKU ids (in order), naming `sku_ids` on error.
pub fn parse_sku_ids(text: &str) -> AppResult<Vec<i64>> {
    let bad = |m: &str| AppError::Validation(vec![FieldError { field: "sku_ids".into(), message: m.into() }]);
    let mut ids: Vec<i64> = Vec::new();
    for part in text.split(',').map(str::trim) {
        let id: i64 = part.parse().map_err(|_| bad("must be a comma-separated list of SKU ids"))?;
        if id <= 0 {
            return Err(bad("SKU ids must be positive"));
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.len() > MAX_AVAILABILITY_SKUS {
        return Err(bad(&format!("at most {MAX_AVAILABILITY_SKUS} SKU ids")));
    }
    Ok(ids)
}

/// Sellable units of one SKU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Availability {
    pub sku_id: i64,
    pub available: i64,
}

/// Units available to shoppers for each named SKU (0 for unknown SKUs), in request order.
pub async fn availability(app: &App, sku_ids: &str) -> AppResult<Vec<Availability>> {
    let ids = parse_sku_ids(sku_ids)?;
    let map = super::reservations::available(app.db.reader(), &ids).await?;
    Ok(ids.iter().map(|id| Availability { sku_id: *id, available: map.get(id).copied().unwrap_or(0) }).collect())
}

#[cfg(test)]
mod tests {
    use super::parse_sku_ids;

    #[test]
    fn sku_id_lists() {
        assert_eq!(parse_sku_ids("1,2, 3,2").unwrap(), vec![1, 2, 3]);
        assert!(parse_sku_ids("").is_err());
        assert!(parse_sku_ids("1,,2").is_err());
        assert!(parse_sku_ids("1,-2").is_err());
        assert!(parse_sku_ids("0").is_err());
        assert!(parse_sku_ids("a").is_err());
        assert!(parse_sku_ids("99999999999999999999").is_err());
        let many = (1..=101).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
        assert!(parse_sku_ids(&many).is_err());
    }
}
