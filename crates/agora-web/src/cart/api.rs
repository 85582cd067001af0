//! `/api/v1/carts/*` and `/api/v1/me/cart`: guest carts by token, the customer's cart by
//! bearer token, lines, e-mail, address, shipping choice and shipping options.

use agora_app::AppError;
use agora_app::cart::{self, AddressChoice, CartView, ShippingOption};
use agora_domain::Locale;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::{CustomerAuth, MaybeCustomer};
use crate::input::{Json, Path};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_cart))
        .routes(routes!(my_cart))
        .routes(routes!(get_cart))
        .routes(routes!(add_line))
        .routes(routes!(set_line, remove_line))
        .routes(routes!(set_email))
        .routes(routes!(set_address))
        .routes(routes!(choose_shipping))
        .routes(routes!(shipping_options))
        .merge(super::addresses::routes())
        .merge(super::shipping::routes())
}

fn caller(c: &MaybeCustomer) -> Option<i64> {
    c.0.as_ref().map(|c| c.customer_id)
}

type CartResponse = ApiResult<axum::Json<CartView>>;

/// The shopper's language for line titles: `?locale=` (en, zh-CN, zh-TW), else the
/// `Accept-Language` header, else English — the same rule as the catalog.
pub struct ShopperLocale(pub Locale);

impl<S: Send + Sync> FromRequestParts<S> for ShopperLocale {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let param = form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "locale").map(|(_, v)| v.into_owned());
        match param {
            Some(raw) => Locale::parse(&raw)
                .map(ShopperLocale)
                .map_err(|_| AppError::invalid("locale", "must be one of en, zh-CN, zh-TW").into()),
            None => {
                let header = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
                Ok(ShopperLocale(header.map(Locale::from_accept_language).unwrap_or_default()))
            }
        }
    }
}

async fn localized(state: &AppState, mut view: CartView, locale: ShopperLocale) -> CartResponse {
    cart::localize(&state.app, &mut view, locale.0).await?;
    Ok(axum::Json(view))
}

/// Start a cart. A guest gets a new cart (keep its `token`); a logged-in customer gets
/// their open cart, created if needed.
#[utoipa::path(post, path = "/api/v1/carts", tag = "cart", params(("locale" = Option<String>, Query, description = "Language of line titles: en, zh-CN or zh-TW (default: Accept-Language, else en)")),
    responses((status = 201, description = "New guest cart", body = CartView), (status = 200, description = "The customer's cart", body = CartView)))]
async fn create_cart(
    State(state): State<AppState>,
    c: MaybeCustomer,
    lang: ShopperLocale,
) -> ApiResult<(StatusCode, axum::Json<CartView>)> {
    let status = if c.0.is_some() { StatusCode::OK } else { StatusCode::CREATED };
    let view = cart::create_cart(&state.app, caller(&c)).await?;
    Ok((status, localized(&state, view, lang).await?))
}

/// The logged-in customer's open cart.
#[utoipa::path(get, path = "/api/v1/me/cart", tag = "cart", params(("locale" = Option<String>, Query, description = "Language of line titles: en, zh-CN or zh-TW (default: Accept-Language, else en)")),
    responses((status = 200, body = CartView), (status = 404, description = "No open cart yet", body = crate::error::Problem)))]
async fn my_cart(State(state): State<AppState>, c: CustomerAuth, lang: ShopperLocale) -> CartResponse {
    let view = cart::customer_cart(&state.app, c.customer_id).await?;
    localized(&state, view.ok_or(ApiError(AppError::not_found("cart")))?, lang).await
}

/// A cart with current prices, availability and totals. A customer's cart is visible
/// only with that customer's bearer token.
#[utoipa::path(get, path = "/api/v1/carts/{token}", tag = "cart", params(("locale" = Option<String>, Query, description = "Language of line titles: en, zh-CN or zh-TW (default: Accept-Language, else en)"), ("token" = String, Path)),
    responses((status = 200, body = CartView), (status = 404, body = crate::error::Problem)))]
async fn get_cart(
    State(state): State<AppState>,
    c: MaybeCustomer,
    lang: ShopperLocale,
    Path(token): Path<String>,
) -> CartResponse {
    localized(&state, cart::get_cart(&state.app, &token, caller(&c)).await?, lang).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddLineRequest {
    pub sku_id: i64,
    /// Units to add, 1..=999 (added to any already in the cart).
    pub quantity: i64,
}

/// Add units of a SKU. Refused when the SKU is not for sale (422), the line would exceed
/// 999 units (422), the cart has 100 lines (409 `cart_full`) or stock is short (409
/// `insufficient_stock`).
#[utoipa::path(post, path = "/api/v1/carts/{token}/lines", tag = "cart", params(("locale" = Option<String>, Query, description = "Language of line titles: en, zh-CN or zh-TW (default: Accept-Language, else en)"), ("token" = String, Path)), request_body = AddLineRequest,
    responses((status = 200, body = CartView), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn add_line(
    State(state): State<AppState>,
    c: MaybeCustomer,
    lang: ShopperLocale,
    Path(token): Path<String>,
    Json(body): Json<AddLineRequest>,
) -> CartResponse {
    localized(&state, cart::add_line(&state.app, &token, caller(&c), body.sku_id, body.quantity).await?, lang).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetLineRequest {
    /// New quantity, 0..=999; 0 removes the line.
    pub quantity: i64,
}

/// Set the quantity of a SKU's line (creating it if needed).
#[utoipa::path(put, path = "/api/v1/carts/{token}/lines/{sku_id}", tag = "cart",
    params(("locale" = Option<String>, Query, description = "Language of line titles: en, zh-CN or zh-TW (default: Accept-Language, else en)"), ("token" = String, Path), ("sku_id" = i64, Path)), request_body = SetLineRequest,
    responses((status = 200, body = CartView), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn set_line(
    State(state): State<AppState>,
    c: MaybeCustomer,
    lang: ShopperLocale,
    Path((token, sku_id)): Path<(String, i64)>,
    Json(body): Json<SetLineRequest>,
) -> CartResponse {
    localized(&state, cart::set_line(&state.app, &token, caller(&c), sku_id, body.quantity).await?, lang).await
}

/// Remove a SKU's line.
#[utoipa::path(delete, path = "/api/v1/carts/{token}/lines/{sku_id}", tag = "cart",
    params(("locale" = Option<String>, Query, description = "Language of line titles: en, zh-CN or zh-TW (default: Accept-Language, else en)"), ("token" = String, Path), ("sku_id" = i64, Path)),
    responses((status = 200, body = CartView), (status = 404, body = crate::error::Problem)))]
async fn remove_line(
    State(state): State<AppState>,
    c: MaybeCustomer,
    lang: ShopperLocale,
    Path((token, sku_id)): Path<(String, i64)>,
) -> CartResponse {
    localized(&state, cart::remove_line(&state.app, &token, caller(&c), sku_id).await?, lang).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailRequest {
    pub email: String,
}

/// Set the cart's contact e-mail (needed by guests to order).
#[utoipa::path(put, path = "/api/v1/carts/{token}/email", tag = "cart", params(("locale" = Option<String>, Query, description = "Language of line titles: en, zh-CN or zh-TW (default: Accept-Language, else en)"), ("token" = String, Path)), request_body = EmailRequest,
    responses((status = 200, body = CartView), (status = 422, body = crate::error::Problem)))]
async fn set_email(
    State(state): State<AppState>,
    c: MaybeCustomer,
    lang: ShopperLocale,
    Path(token): Path<String>,
    Json(body): Json<EmailRequest>,
) -> CartResponse {
    localized(&state, cart::set_email(&state.app, &token, caller(&c), &body.email).await?, lang).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressRequest {
    /// An address typed in (exactly one of `address` and `address_id`).
    pub address: Option<cart::Address>,
    /// An address from the logged-in customer's address book.
    pub address_id: Option<i64>,
}

/// Set the shipping address: inline, or a saved address of the customer.
#[utoipa::path(put, path = "/api/v1/carts/{token}/address", tag = "cart", params(("locale" = Option<String>, Query, description = "Language of line titles: en, zh-CN or zh-TW (default: Accept-Language, else en)"), ("token" = String, Path)), request_body = AddressRequest,
    responses((status = 200, body = CartView), (status = 422, body = crate::error::Problem)))]
async fn set_address(
    State(state): State<AppState>,
    c: MaybeCustomer,
    lang: ShopperLocale,
    Path(token): Path<String>,
    Json(body): Json<AddressRequest>,
) -> CartResponse {
    let choice = match (body.address, body.address_id) {
        (Some(a), None) => AddressChoice::Inline(Box::new(a)),
        (None, Some(id)) => AddressChoice::Saved(id),
        _ => return Err(AppError::invalid("address", "give exactly one of address and address_id").into()),
    };
    localized(&state, cart::set_address(&state.app, &token, caller(&c), choice).await?, lang).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingChoiceRequest {
    pub method_id: i64,
    /// Required for pickup methods, refused for delivery methods.
    pub pickup_location_id: Option<i64>,
}

/// Choose the shipping method (and pickup location for store pickup).
#[utoipa::path(put, path = "/api/v1/carts/{token}/shipping", tag = "cart", params(("locale" = Option<String>, Query, description = "Language of line titles: en, zh-CN or zh-TW (default: Accept-Language, else en)"), ("token" = String, Path)), request_body = ShippingChoiceRequest,
    responses((status = 200, body = CartView), (status = 422, body = crate::error::Problem)))]
async fn choose_shipping(
    State(state): State<AppState>,
    c: MaybeCustomer,
    lang: ShopperLocale,
    Path(token): Path<String>,
    Json(body): Json<ShippingChoiceRequest>,
) -> CartResponse {
    let view = cart::choose_shipping(&state.app, &token, caller(&c), body.method_id, body.pickup_location_id).await?;
    localized(&state, view, lang).await
}

/// Every active shipping method with its fee for this cart.
#[utoipa::path(get, path = "/api/v1/carts/{token}/shipping-options", tag = "cart", params(("token" = String, Path)),
    responses((status = 200, body = Vec<ShippingOption>), (status = 404, body = crate::error::Problem)))]
async fn shipping_options(
    State(state): State<AppState>,
    c: MaybeCustomer,
    Path(token): Path<String>,
) -> ApiResult<axum::Json<Vec<ShippingOption>>> {
    Ok(axum::Json(cart::shipping_options(&state.app, &token, caller(&c)).await?))
}
