//! `/api/v1/me/addresses`: the logged-in customer's address book. Another customer's
//! address id answers 404.

use agora_app::cart::{self, Address, SavedAddress};
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiResult;
use crate::extract::CustomerAuth;
use crate::input::{Json, Path};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get, update, delete))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressBody {
    pub recipient: String,
    pub phone: String,
    pub country: String,
    #[serde(default)]
    pub province: String,
    pub city: String,
    #[serde(default)]
    pub district: String,
    pub line1: String,
    #[serde(default)]
    pub line2: String,
    #[serde(default)]
    pub postal_code: String,
    /// Make this the default address (the first address always is).
    #[serde(default)]
    pub is_default: bool,
}

impl AddressBody {
    fn split(self) -> (Address, bool) {
        let address = Address {
            recipient: self.recipient,
            phone: self.phone,
            country: self.country,
            province: self.province,
            city: self.city,
            district: self.district,
            line1: self.line1,
            line2: self.line2,
            postal_code: self.postal_code,
        };
        (address, self.is_default)
    }
}

/// The customer's addresses, default first.
#[utoipa::path(get, path = "/api/v1/me/addresses", tag = "cart", responses((status = 200, body = Vec<SavedAddress>)))]
async fn list(State(state): State<AppState>, c: CustomerAuth) -> ApiResult<axum::Json<Vec<SavedAddress>>> {
    Ok(axum::Json(cart::list_addresses(&state.app, c.customer_id).await?))
}

/// Save an address (at most 50).
#[utoipa::path(post, path = "/api/v1/me/addresses", tag = "cart", request_body = AddressBody,
    responses((status = 201, body = SavedAddress), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn create(
    State(state): State<AppState>,
    c: CustomerAuth,
    Json(body): Json<AddressBody>,
) -> ApiResult<(StatusCode, axum::Json<SavedAddress>)> {
    let (address, make_default) = body.split();
    let saved = cart::create_address(&state.app, c.customer_id, address, make_default).await?;
    Ok((StatusCode::CREATED, axum::Json(saved)))
}

/// One of the customer's addresses.
#[utoipa::path(get, path = "/api/v1/me/addresses/{id}", tag = "cart", params(("id" = i64, Path)),
    responses((status = 200, body = SavedAddress), (status = 404, body = crate::error::Problem)))]
async fn get(
    State(state): State<AppState>,
    c: CustomerAuth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<SavedAddress>> {
    Ok(axum::Json(cart::get_address(&state.app, c.customer_id, id).await?))
}

/// Replace an address; `is_default: true` makes it the default.
#[utoipa::path(put, path = "/api/v1/me/addresses/{id}", tag = "cart", params(("id" = i64, Path)), request_body = AddressBody,
    responses((status = 200, body = SavedAddress), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn update(
    State(state): State<AppState>,
    c: CustomerAuth,
    Path(id): Path<i64>,
    Json(body): Json<AddressBody>,
) -> ApiResult<axum::Json<SavedAddress>> {
    let (address, make_default) = body.split();
    Ok(axum::Json(cart::update_address(&state.app, c.customer_id, id, address, make_default).await?))
}

/// Delete an address (the newest remaining one becomes default if needed).
#[utoipa::path(delete, path = "/api/v1/me/addresses/{id}", tag = "cart", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem)))]
async fn delete(State(state): State<AppState>, c: CustomerAuth, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    cart::delete_address(&state.app, c.customer_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
