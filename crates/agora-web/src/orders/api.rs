//! `/api/v1/orders…` (customers and guests) and `/api/v1/admin/orders…` (staff).

use agora_app::auth::Permission;
use agora_app::orders::{self, OrderDetail, OrderSummary, StaffOrderQuery, Viewer};
use agora_app::{App, AppError};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{CustomerAuth, ManageOrders, MaybeCustomer, Staff, ViewOrders, bearer_token};
use crate::input::{Json, Path, Query};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(place, my_orders))
        .routes(routes!(get_order))
        .routes(routes!(cancel))
        .routes(routes!(confirm_receipt))
        .routes(routes!(staff_list))
        .routes(routes!(staff_get))
        .routes(routes!(staff_cancel))
}

/// Header with which guests read and act on their order.
pub const ORDER_TOKEN_HEADER: &str = "x-order-token";

/// Who is asking about an order: a logged-in customer (bearer token) or a guest with the
/// order's access token in `X-Order-Token`.
pub struct OrderViewer(pub Viewer);

impl FromRequestParts<AppState> for OrderViewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if bearer_token(parts).is_some() {
            let c = CustomerAuth::from_request_parts(parts, state).await?;
            return Ok(OrderViewer(Viewer::Customer(c.customer_id)));
        }
        match parts.headers.get(ORDER_TOKEN_HEADER).and_then(|v| v.to_str().ok()) {
            Some(token) if !token.is_empty() => Ok(OrderViewer(Viewer::Guest(token.to_string()))),
            _ => Err(AppError::Unauthenticated.into()),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceOrderRequest {
    /// Token of the cart to order.
    pub cart_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceOrderResponse {
    /// One order per merchant in the cart.
    pub orders: Vec<OrderDetail>,
    /// Guest access token for `X-Order-Token` (shown once; null when replayed).
    pub access_token: Option<String>,
    /// True when an earlier request with the same Idempotency-Key was answered again.
    pub replayed: bool,
}

async fn details(app: &App, list: Vec<orders::OrderRow>) -> ApiResult<Vec<OrderDetail>> {
    let mut out = Vec::with_capacity(list.len());
    for o in list {
        out.push(orders::detail(app, o).await?);
    }
    Ok(out)
}

/// Place an order from a cart. Requires an `Idempotency-Key` header: the same key and body
/// return the same order(s) (200); the same key with a different body is refused (409).
#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = PlaceOrderRequest,
    params(("Idempotency-Key" = String, Header, description = "Unique per intended order, e.g. a UUID")),
    responses((status = 201, body = PlaceOrderResponse), (status = 200, body = PlaceOrderResponse, description = "Replay"),
        (status = 409, body = Problem, description = "insufficient_stock, idempotency_key_reused, cart_closed"),
        (status = 422, body = Problem), (status = 404, body = Problem)))]
async fn place(
    State(state): State<AppState>,
    customer: MaybeCustomer,
    headers: HeaderMap,
    Json(body): Json<PlaceOrderRequest>,
) -> ApiResult<(StatusCode, axum::Json<PlaceOrderResponse>)> {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let customer_id = customer.0.map(|c| c.customer_id);
    let placed = orders::place(&state.app, &body.cart_token, key, customer_id).await?;
    let status = if placed.replayed { StatusCode::OK } else { StatusCode::CREATED };
    let orders = details(&state.app, placed.orders).await?;
    Ok((
        status,
        axum::Json(PlaceOrderResponse { orders, access_token: placed.access_token, replayed: placed.replayed }),
    ))
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderPage {
    pub items: Vec<OrderSummary>,
    pub next_cursor: Option<String>,
}

/// The logged-in customer's orders, newest first.
#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", params(PageParams),
    responses((status = 200, body = OrderPage), (status = 401, body = Problem)))]
async fn my_orders(
    State(state): State<AppState>,
    c: CustomerAuth,
    Query(p): Query<PageParams>,
) -> ApiResult<axum::Json<OrderPage>> {
    let page = orders::customer_orders(&state.app, c.customer_id, p.cursor.as_deref(), p.limit).await?;
    Ok(axum::Json(OrderPage { items: page.items, next_cursor: page.next_cursor }))
}

/// One order with lines, payment state, history and shipment tracking. Customers see
/// their own orders; guests send `X-Order-Token`. Anyone else gets 404.
#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders", params(("id" = i64, Path)),
    responses((status = 200, body = OrderDetail), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn get_order(
    State(state): State<AppState>,
    OrderViewer(viewer): OrderViewer,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<OrderDetail>> {
    let order = orders::find_for(&state.app, id, &viewer).await?;
    Ok(axum::Json(orders::detail(&state.app, order).await?))
}

/// Cancel an order that is still waiting for payment (stock is released).
#[utoipa::path(post, path = "/api/v1/orders/{id}/cancel", tag = "orders", params(("id" = i64, Path)),
    responses((status = 200, body = OrderDetail), (status = 409, body = Problem), (status = 404, body = Problem)))]
async fn cancel(
    State(state): State<AppState>,
    OrderViewer(viewer): OrderViewer,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<OrderDetail>> {
    let order = orders::cancel_by_customer(&state.app, id, &viewer).await?;
    Ok(axum::Json(orders::detail(&state.app, order).await?))
}

/// Confirm receipt of a delivered order (delivered → completed).
#[utoipa::path(post, path = "/api/v1/orders/{id}/confirm-receipt", tag = "orders", params(("id" = i64, Path)),
    responses((status = 200, body = OrderDetail), (status = 409, body = Problem), (status = 404, body = Problem)))]
async fn confirm_receipt(
    State(state): State<AppState>,
    OrderViewer(viewer): OrderViewer,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<OrderDetail>> {
    let order = orders::confirm_receipt(&state.app, id, &viewer).await?;
    Ok(axum::Json(orders::detail(&state.app, order).await?))
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StaffOrderParams {
    /// pending_payment, paid, shipped, delivered, completed, cancelled or refunded.
    pub status: Option<String>,
    pub customer_id: Option<i64>,
    /// Created at or after (epoch ms).
    pub from: Option<i64>,
    /// Created before (epoch ms).
    pub to: Option<i64>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Staff: every order, filtered by status, customer and creation date, newest first.
#[utoipa::path(get, path = "/api/v1/admin/orders", tag = "orders", params(StaffOrderParams),
    responses((status = 200, body = OrderPage), (status = 403, body = Problem)))]
async fn staff_list(
    State(state): State<AppState>,
    _s: Staff<ViewOrders>,
    Query(p): Query<StaffOrderParams>,
) -> ApiResult<axum::Json<OrderPage>> {
    let q = StaffOrderQuery {
        status: p.status,
        customer_id: p.customer_id,
        from: p.from,
        to: p.to,
        cursor: p.cursor,
        limit: p.limit,
    };
    let page = orders::staff_orders(&state.app, &q).await?;
    Ok(axum::Json(OrderPage { items: page.items, next_cursor: page.next_cursor }))
}

/// Staff: one order in full.
#[utoipa::path(get, path = "/api/v1/admin/orders/{id}", tag = "orders", params(("id" = i64, Path)),
    responses((status = 200, body = OrderDetail), (status = 404, body = Problem)))]
async fn staff_get(
    State(state): State<AppState>,
    _s: Staff<ViewOrders>,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<OrderDetail>> {
    let order = orders::find_for(&state.app, id, &Viewer::Staff).await?;
    Ok(axum::Json(orders::detail(&state.app, order).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffCancelRequest {
    #[serde(default)]
    pub reason: String,
}

/// Staff: cancel an order (pending or paid; a paid order is refunded in full; refused with
/// 409 `order_has_shipments` once a parcel has shipped). Audited.
#[utoipa::path(post, path = "/api/v1/admin/orders/{id}/cancel", tag = "orders", params(("id" = i64, Path)),
    request_body = StaffCancelRequest,
    responses((status = 200, body = OrderDetail), (status = 409, body = Problem), (status = 404, body = Problem)))]
async fn staff_cancel(
    State(state): State<AppState>,
    s: Staff<ManageOrders>,
    Path(id): Path<i64>,
    Json(body): Json<StaffCancelRequest>,
) -> ApiResult<axum::Json<OrderDetail>> {
    let order =
        orders::cancel_by_staff(&state.app, id, &body.reason, &s.actor, s.role.allows(Permission::Refund)).await?;
    Ok(axum::Json(orders::detail(&state.app, order).await?))
}
