//! Shipping methods and pickup locations: public lists, and staff management under
//! `/api/v1/admin/*` (ManageCatalog; every write audited).

use agora_app::cart::{self, NewPickupLocation, NewShippingMethod, PickupLocation, ShippingMethod};
use agora_domain::ShippingRule;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiResult;
use crate::extract::{ManageCatalog, Staff};
use crate::input::{Json, Path};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(public_methods))
        .routes(routes!(public_pickups))
        .routes(routes!(admin_methods, create_method))
        .routes(routes!(update_method, delete_method))
        .routes(routes!(admin_pickups, create_pickup))
        .routes(routes!(update_pickup, delete_pickup))
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingMethodBody {
    /// Unique machine code: a-z, 0-9, `_`, `-` (≤ 40).
    pub code: String,
    pub name: String,
    /// `{"kind": "flat", "fee": 800}`, `{"kind": "free_over", "fee": 800, "threshold": 9900}`,
    /// `{"kind": "by_weight", "first_grams": 1000, "first_fee": 800, "step_grams": 500, "step_fee": 200}`
    /// or `{"kind": "pickup"}`; amounts in minor units of the shop currency.
    #[schema(value_type = Object)]
    pub rule: ShippingRule,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub position: i64,
}

impl From<ShippingMethodBody> for NewShippingMethod {
    fn from(b: ShippingMethodBody) -> Self {
        NewShippingMethod { code: b.code, name: b.name, rule: b.rule, active: b.active, position: b.position }
    }
}

/// Active shipping methods.
#[utoipa::path(get, path = "/api/v1/shipping-methods", tag = "cart", responses((status = 200, body = Vec<ShippingMethod>)))]
async fn public_methods(State(state): State<AppState>) -> ApiResult<axum::Json<Vec<ShippingMethod>>> {
    Ok(axum::Json(cart::list_shipping_methods(&state.app, false).await?))
}

/// Every shipping method, including retired ones.
#[utoipa::path(get, path = "/api/v1/admin/shipping-methods", tag = "cart", responses((status = 200, body = Vec<ShippingMethod>)))]
async fn admin_methods(
    State(state): State<AppState>,
    _s: Staff<ManageCatalog>,
) -> ApiResult<axum::Json<Vec<ShippingMethod>>> {
    Ok(axum::Json(cart::list_shipping_methods(&state.app, true).await?))
}

/// Create a shipping method (audited).
#[utoipa::path(post, path = "/api/v1/admin/shipping-methods", tag = "cart", request_body = ShippingMethodBody,
    responses((status = 201, body = ShippingMethod), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn create_method(
    State(state): State<AppState>,
    s: Staff<ManageCatalog>,
    Json(body): Json<ShippingMethodBody>,
) -> ApiResult<(StatusCode, axum::Json<ShippingMethod>)> {
    let method = cart::create_shipping_method(&state.app, &body.into(), Some(&s.actor)).await?;
    Ok((StatusCode::CREATED, axum::Json(method)))
}

/// Replace a shipping method (audited).
#[utoipa::path(put, path = "/api/v1/admin/shipping-methods/{id}", tag = "cart", params(("id" = i64, Path)), request_body = ShippingMethodBody,
    responses((status = 200, body = ShippingMethod), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn update_method(
    State(state): State<AppState>,
    s: Staff<ManageCatalog>,
    Path(id): Path<i64>,
    Json(body): Json<ShippingMethodBody>,
) -> ApiResult<axum::Json<ShippingMethod>> {
    Ok(axum::Json(cart::update_shipping_method(&state.app, id, &body.into(), Some(&s.actor)).await?))
}

/// Retire a shipping method: no longer offered; carts that chose it must choose again.
#[utoipa::path(delete, path = "/api/v1/admin/shipping-methods/{id}", tag = "cart", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem)))]
async fn delete_method(
    State(state): State<AppState>,
    s: Staff<ManageCatalog>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    cart::deactivate_shipping_method(&state.app, id, Some(&s.actor)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PickupLocationBody {
    pub name: String,
    pub address: String,
    #[serde(default)]
    pub hours: String,
    pub warehouse_id: Option<i64>,
    #[serde(default = "yes")]
    pub active: bool,
}

impl From<PickupLocationBody> for NewPickupLocation {
    fn from(b: PickupLocationBody) -> Self {
        NewPickupLocation {
            name: b.name,
            address: b.address,
            hours: b.hours,
            warehouse_id: b.warehouse_id,
            active: b.active,
        }
    }
}

/// Active pickup locations.
#[utoipa::path(get, path = "/api/v1/pickup-locations", tag = "cart", responses((status = 200, body = Vec<PickupLocation>)))]
async fn public_pickups(State(state): State<AppState>) -> ApiResult<axum::Json<Vec<PickupLocation>>> {
    Ok(axum::Json(cart::list_pickup_locations(&state.app, false).await?))
}

/// Every pickup location, including retired ones.
#[utoipa::path(get, path = "/api/v1/admin/pickup-locations", tag = "cart", responses((status = 200, body = Vec<PickupLocation>)))]
async fn admin_pickups(
    State(state): State<AppState>,
    _s: Staff<ManageCatalog>,
) -> ApiResult<axum::Json<Vec<PickupLocation>>> {
    Ok(axum::Json(cart::list_pickup_locations(&state.app, true).await?))
}

/// Create a pickup location (audited).
#[utoipa::path(post, path = "/api/v1/admin/pickup-locations", tag = "cart", request_body = PickupLocationBody,
    responses((status = 201, body = PickupLocation), (status = 422, body = crate::error::Problem)))]
async fn create_pickup(
    State(state): State<AppState>,
    s: Staff<ManageCatalog>,
    Json(body): Json<PickupLocationBody>,
) -> ApiResult<(StatusCode, axum::Json<PickupLocation>)> {
    let loc = cart::create_pickup_location(&state.app, &body.into(), Some(&s.actor)).await?;
    Ok((StatusCode::CREATED, axum::Json(loc)))
}

/// Replace a pickup location (audited).
#[utoipa::path(put, path = "/api/v1/admin/pickup-locations/{id}", tag = "cart", params(("id" = i64, Path)), request_body = PickupLocationBody,
    responses((status = 200, body = PickupLocation), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn update_pickup(
    State(state): State<AppState>,
    s: Staff<ManageCatalog>,
    Path(id): Path<i64>,
    Json(body): Json<PickupLocationBody>,
) -> ApiResult<axum::Json<PickupLocation>> {
    Ok(axum::Json(cart::update_pickup_location(&state.app, id, &body.into(), Some(&s.actor)).await?))
}

/// Retire a pickup location.
#[utoipa::path(delete, path = "/api/v1/admin/pickup-locations/{id}", tag = "cart", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem)))]
async fn delete_pickup(
    State(state): State<AppState>,
    s: Staff<ManageCatalog>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    cart::deactivate_pickup_location(&state.app, id, Some(&s.actor)).await?;
    Ok(StatusCode::NO_CONTENT)
}
