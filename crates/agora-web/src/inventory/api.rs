//! `/api/v1/admin/warehouses` and the inventory route table.

use agora_app::inventory::warehouses::{self, NewWarehouse, Warehouse, WarehouseUpdate};
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{movements, stock};
use crate::error::ApiResult;
use crate::extract::{ManageInventory, Staff};
use crate::input::{Json, Path, Query};
use crate::orders::api::PageParams;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update))
        .routes(routes!(deactivate))
        .routes(routes!(activate))
        .routes(routes!(stock::list))
        .routes(routes!(stock::sku_summary))
        .routes(routes!(stock::set_threshold))
        .routes(routes!(stock::alerts))
        .routes(routes!(stock::ledger))
        .routes(routes!(stock::availability))
        .routes(routes!(movements::inbound))
        .routes(routes!(movements::stocktake))
        .routes(routes!(movements::restock))
        .routes(routes!(movements::transfer))
}

/// A page of warehouses.
#[derive(Debug, Serialize, ToSchema)]
struct WarehousePage {
    items: Vec<Warehouse>,
    next_cursor: Option<String>,
}

/// Warehouses, preferred (highest priority) first, a page at a time.
#[utoipa::path(get, path = "/api/v1/admin/warehouses", tag = "inventory", params(PageParams),
    responses((status = 200, body = WarehousePage), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn list(
    State(state): State<AppState>,
    _s: Staff<ManageInventory>,
    Query(p): Query<PageParams>,
) -> ApiResult<axum::Json<WarehousePage>> {
    let page = warehouses::page(&state.app, p.cursor.as_deref(), p.limit).await?;
    Ok(axum::Json(WarehousePage { items: page.items, next_cursor: page.next_cursor }))
}

/// Create a warehouse (audited). The code is unique.
#[utoipa::path(post, path = "/api/v1/admin/warehouses", tag = "inventory", request_body = NewWarehouse,
    responses((status = 201, body = Warehouse), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn create(
    State(state): State<AppState>,
    s: Staff<ManageInventory>,
    Json(body): Json<NewWarehouse>,
) -> ApiResult<(StatusCode, axum::Json<Warehouse>)> {
    let created = warehouses::create(&state.app, &s.actor, &body).await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

/// Change a warehouse's code, name, address or priority (audited).
#[utoipa::path(patch, path = "/api/v1/admin/warehouses/{id}", tag = "inventory", params(("id" = i64, Path)),
    request_body = WarehouseUpdate,
    responses((status = 200, body = Warehouse), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn update(
    State(state): State<AppState>,
    s: Staff<ManageInventory>,
    Path(id): Path<i64>,
    Json(body): Json<WarehouseUpdate>,
) -> ApiResult<axum::Json<Warehouse>> {
    Ok(axum::Json(warehouses::update(&state.app, &s.actor, id, &body).await?))
}

/// Deactivate a warehouse: its stock is no longer sold or reserved (audited, idempotent).
#[utoipa::path(post, path = "/api/v1/admin/warehouses/{id}/deactivate", tag = "inventory", params(("id" = i64, Path)),
    responses((status = 200, body = Warehouse), (status = 404, body = crate::error::Problem)))]
async fn deactivate(
    State(state): State<AppState>,
    s: Staff<ManageInventory>,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Warehouse>> {
    Ok(axum::Json(warehouses::set_active(&state.app, &s.actor, id, false).await?))
}

/// Reactivate a warehouse (audited, idempotent).
#[utoipa::path(post, path = "/api/v1/admin/warehouses/{id}/activate", tag = "inventory", params(("id" = i64, Path)),
    responses((status = 200, body = Warehouse), (status = 404, body = crate::error::Problem)))]
async fn activate(
    State(state): State<AppState>,
    s: Staff<ManageInventory>,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Warehouse>> {
    Ok(axum::Json(warehouses::set_active(&state.app, &s.actor, id, true).await?))
}
