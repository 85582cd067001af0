//! `/api/v1/admin/stock/{inbound,adjustments,returns,transfers}`: staff stock movements.

use agora_app::inventory::movements::{self, Moved, StockIn, Stocktake, Transfer};
use axum::extract::State;

use crate::error::ApiResult;
use crate::extract::{ManageInventory, Staff};
use crate::input::Json;
use crate::state::AppState;

/// Receive units into a warehouse (ledger kind `inbound`; audited).
#[utoipa::path(post, path = "/api/v1/admin/stock/inbound", tag = "inventory", request_body = StockIn,
    responses((status = 200, body = Moved), (status = 422, body = crate::error::Problem)))]
pub(super) async fn inbound(
    State(state): State<AppState>,
    s: Staff<ManageInventory>,
    Json(body): Json<StockIn>,
) -> ApiResult<axum::Json<Moved>> {
    Ok(axum::Json(movements::inbound(&state.app, &s.actor, &body).await?))
}

/// Record a stocktake: on-hand becomes the counted quantity (ledger kind `adjust`; audited).
/// 409 `below_reserved` when fewer units were counted than are reserved.
#[utoipa::path(post, path = "/api/v1/admin/stock/adjustments", tag = "inventory", request_body = Stocktake,
    responses((status = 200, body = Moved), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub(super) async fn stocktake(
    State(state): State<AppState>,
    s: Staff<ManageInventory>,
    Json(body): Json<Stocktake>,
) -> ApiResult<axum::Json<Moved>> {
    Ok(axum::Json(movements::stocktake(&state.app, &s.actor, &body).await?))
}

/// Restock returned units (ledger kind `return`; audited).
#[utoipa::path(post, path = "/api/v1/admin/stock/returns", tag = "inventory", request_body = StockIn,
    responses((status = 200, body = Moved), (status = 422, body = crate::error::Problem)))]
pub(super) async fn restock(
    State(state): State<AppState>,
    s: Staff<ManageInventory>,
    Json(body): Json<StockIn>,
) -> ApiResult<axum::Json<Moved>> {
    Ok(axum::Json(movements::restock(&state.app, &s.actor, &body).await?))
}

/// Move available units between warehouses: two `transfer` ledger rows, all or nothing (audited).
#[utoipa::path(post, path = "/api/v1/admin/stock/transfers", tag = "inventory", request_body = Transfer,
    responses((status = 200, body = Moved), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub(super) async fn transfer(
    State(state): State<AppState>,
    s: Staff<ManageInventory>,
    Json(body): Json<Transfer>,
) -> ApiResult<axum::Json<Moved>> {
    Ok(axum::Json(movements::transfer(&state.app, &s.actor, &body).await?))
}
