//! `/api/v1/admin/stock…` views, thresholds, alerts and the ledger; `/api/v1/stock` for shoppers.

use agora_app::inventory::history::{self, LedgerEntry, LedgerQuery};
use agora_app::inventory::levels::{self, Availability, SkuStock, StockAlert, StockLevel, StockQuery, ThresholdInput};
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::extract::{ManageInventory, Staff};
use crate::input::{Json, Path, Query};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(super) struct StockParams {
    pub warehouse_id: Option<i64>,
    pub sku_id: Option<i64>,
    pub product_id: Option<i64>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct StockPage {
    pub items: Vec<StockLevel>,
    pub next_cursor: Option<String>,
}

/// Stock per SKU and warehouse, ordered by SKU then warehouse.
#[utoipa::path(get, path = "/api/v1/admin/stock", tag = "inventory", params(StockParams),
    responses((status = 200, body = StockPage), (status = 422, body = crate::error::Problem)))]
pub(super) async fn list(
    State(state): State<AppState>,
    _s: Staff<ManageInventory>,
    Query(p): Query<StockParams>,
) -> ApiResult<axum::Json<StockPage>> {
    let q = StockQuery {
        warehouse_id: p.warehouse_id,
        sku_id: p.sku_id,
        product_id: p.product_id,
        cursor: p.cursor,
        limit: p.limit,
    };
    let page = levels::list(&state.app, &q).await?;
    Ok(axum::Json(StockPage { items: page.items, next_cursor: page.next_cursor }))
}

/// One SKU's stock across all warehouses, with totals.
#[utoipa::path(get, path = "/api/v1/admin/stock/skus/{sku_id}", tag = "inventory", params(("sku_id" = i64, Path)),
    responses((status = 200, body = SkuStock), (status = 404, body = crate::error::Problem)))]
pub(super) async fn sku_summary(
    State(state): State<AppState>,
    _s: Staff<ManageInventory>,
    Path(sku_id): Path<i64>,
) -> ApiResult<axum::Json<SkuStock>> {
    Ok(axum::Json(levels::sku_summary(&state.app, sku_id).await?))
}

/// Set the low-stock threshold of a SKU in a warehouse (0 = off; audited).
#[utoipa::path(put, path = "/api/v1/admin/stock/thresholds", tag = "inventory", request_body = ThresholdInput,
    responses((status = 200, body = StockLevel), (status = 422, body = crate::error::Problem)))]
pub(super) async fn set_threshold(
    State(state): State<AppState>,
    s: Staff<ManageInventory>,
    Json(body): Json<ThresholdInput>,
) -> ApiResult<axum::Json<StockLevel>> {
    Ok(axum::Json(levels::set_threshold(&state.app, &s.actor, &body).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(super) struct PageParams {
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct AlertPage {
    pub items: Vec<StockAlert>,
    pub next_cursor: Option<String>,
}

/// Low-stock alerts: rows whose available units are at or below their threshold, largest
/// shortfall first (active warehouses only).
#[utoipa::path(get, path = "/api/v1/admin/stock/alerts", tag = "inventory", params(PageParams),
    responses((status = 200, body = AlertPage)))]
pub(super) async fn alerts(
    State(state): State<AppState>,
    _s: Staff<ManageInventory>,
    Query(p): Query<PageParams>,
) -> ApiResult<axum::Json<AlertPage>> {
    let page = levels::alerts(&state.app, p.cursor.as_deref(), p.limit).await?;
    Ok(axum::Json(AlertPage { items: page.items, next_cursor: page.next_cursor }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(super) struct LedgerParams {
    pub sku_id: Option<i64>,
    pub warehouse_id: Option<i64>,
    /// inbound, outbound, reserve, release, adjust, return or transfer.
    pub kind: Option<String>,
    /// Epoch ms, inclusive.
    pub from: Option<i64>,
    /// Epoch ms, exclusive.
    pub to: Option<i64>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct LedgerPage {
    pub items: Vec<LedgerEntry>,
    pub next_cursor: Option<String>,
}

/// The stock ledger, newest first.
#[utoipa::path(get, path = "/api/v1/admin/stock/ledger", tag = "inventory", params(LedgerParams),
    responses((status = 200, body = LedgerPage), (status = 422, body = crate::error::Problem)))]
pub(super) async fn ledger(
    State(state): State<AppState>,
    _s: Staff<ManageInventory>,
    Query(p): Query<LedgerParams>,
) -> ApiResult<axum::Json<LedgerPage>> {
    let q = LedgerQuery {
        sku_id: p.sku_id,
        warehouse_id: p.warehouse_id,
        kind: p.kind,
        from: p.from,
        to: p.to,
        cursor: p.cursor,
        limit: p.limit,
    };
    let page = history::list(&state.app, &q).await?;
    Ok(axum::Json(LedgerPage { items: page.items, next_cursor: page.next_cursor }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(super) struct AvailabilityParams {
    /// Comma-separated SKU ids, at most 100.
    pub sku_ids: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct AvailabilityList {
    pub items: Vec<Availability>,
}

/// Units available to buy per SKU (sum over active warehouses; 0 for unknown SKUs).
#[utoipa::path(get, path = "/api/v1/stock", tag = "inventory", params(AvailabilityParams),
    responses((status = 200, body = AvailabilityList), (status = 422, body = crate::error::Problem)))]
pub(super) async fn availability(
    State(state): State<AppState>,
    Query(p): Query<AvailabilityParams>,
) -> ApiResult<axum::Json<AvailabilityList>> {
    Ok(axum::Json(AvailabilityList { items: levels::availability(&state.app, &p.sku_ids).await? }))
}
