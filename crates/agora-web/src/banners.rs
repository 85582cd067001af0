//! Home-page banners: `/api/v1/admin/banners` (ManageCatalog, every write audited) and the
//! public `/api/v1/banners` (what the home page shows now).

use agora_app::banners::{self, Banner, BannerInput, BannerOrder};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiResult;
use crate::extract::{ManageCatalog, Staff};
use crate::input::{Json, Path, Query};
use crate::state::AppState;

type Admin = Staff<ManageCatalog>;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(shown))
        .routes(routes!(list, create))
        .routes(routes!(reorder))
        .routes(routes!(get, update, delete))
}

/// The banners the home page shows now: active, inside their window, in order.
#[utoipa::path(get, path = "/api/v1/banners", tag = "banners", responses((status = 200, body = Vec<Banner>)))]
async fn shown(State(state): State<AppState>) -> ApiResult<axum::Json<Vec<Banner>>> {
    Ok(axum::Json(banners::shown(&state.app).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct BannerListParams {
    pub cursor: Option<String>,
    /// 1-100, default 20.
    pub limit: Option<i64>,
}

/// A page of banners.
#[derive(Debug, Serialize, ToSchema)]
pub struct BannerPage {
    pub items: Vec<Banner>,
    pub next_cursor: Option<String>,
}

/// Every banner in display order (shown or not).
#[utoipa::path(get, path = "/api/v1/admin/banners", tag = "banners", params(BannerListParams),
    responses((status = 200, body = BannerPage), (status = 403, body = crate::error::Problem)))]
async fn list(
    State(state): State<AppState>,
    _s: Admin,
    Query(p): Query<BannerListParams>,
) -> ApiResult<axum::Json<BannerPage>> {
    let page = banners::list(&state.app, p.cursor.as_deref(), p.limit).await?;
    Ok(axum::Json(BannerPage { items: page.items, next_cursor: page.next_cursor }))
}

/// Create a banner (audited). The image must be an uploaded file under `/media/`, the link same-site.
#[utoipa::path(post, path = "/api/v1/admin/banners", tag = "banners", request_body = BannerInput,
    responses((status = 201, body = Banner), (status = 422, body = crate::error::Problem)))]
async fn create(
    State(state): State<AppState>,
    s: Admin,
    Json(body): Json<BannerInput>,
) -> ApiResult<(StatusCode, axum::Json<Banner>)> {
    Ok((StatusCode::CREATED, axum::Json(banners::create(&state.app, &s.actor, &body).await?)))
}

/// One banner.
#[utoipa::path(get, path = "/api/v1/admin/banners/{id}", tag = "banners", params(("id" = i64, Path)),
    responses((status = 200, body = Banner), (status = 404, body = crate::error::Problem)))]
async fn get(State(state): State<AppState>, _s: Admin, Path(id): Path<i64>) -> ApiResult<axum::Json<Banner>> {
    Ok(axum::Json(banners::get(&state.app, id).await?))
}

/// Replace a banner's fields (audited).
#[utoipa::path(put, path = "/api/v1/admin/banners/{id}", tag = "banners", params(("id" = i64, Path)),
    request_body = BannerInput,
    responses((status = 200, body = Banner), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn update(
    State(state): State<AppState>,
    s: Admin,
    Path(id): Path<i64>,
    Json(body): Json<BannerInput>,
) -> ApiResult<axum::Json<Banner>> {
    Ok(axum::Json(banners::update(&state.app, &s.actor, id, &body).await?))
}

/// Delete a banner (audited).
#[utoipa::path(delete, path = "/api/v1/admin/banners/{id}", tag = "banners", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem)))]
async fn delete(State(state): State<AppState>, s: Admin, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    banners::delete(&state.app, &s.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Set the display order; `ids` names every banner exactly once (audited).
#[utoipa::path(put, path = "/api/v1/admin/banners/order", tag = "banners", request_body = BannerOrder,
    responses((status = 200, body = Vec<Banner>), (status = 422, body = crate::error::Problem)))]
async fn reorder(
    State(state): State<AppState>,
    s: Admin,
    Json(body): Json<BannerOrder>,
) -> ApiResult<axum::Json<Vec<Banner>>> {
    Ok(axum::Json(banners::reorder(&state.app, &s.actor, &body.ids).await?))
}
