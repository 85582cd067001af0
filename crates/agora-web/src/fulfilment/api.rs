//! `/api/v1/admin/orders/{id}/shipments|pickup`, `/api/v1/admin/shipments/{id}/events` and
//! the signed carrier webhook `/api/v1/shipping/webhooks/{carrier}`.

use agora_app::fulfilment::{self, CarrierPushError, NewShipment, NewTrackingEvent, ShipmentView};
use agora_app::orders::{self, OrderDetail};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ManageOrders, Staff};
use crate::input::{Json, Path};
use crate::payments::api::{WebhookAck, signature_problem, signed_headers};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_shipment))
        .routes(routes!(add_event))
        .routes(routes!(carrier_webhook))
        .routes(routes!(pickup))
}

/// Staff: ship some or all (default) of the lines not yet shipped. Stock is deducted; the
/// order becomes shipped once every unit is. Audited.
#[utoipa::path(post, path = "/api/v1/admin/orders/{id}/shipments", tag = "fulfilment", params(("id" = i64, Path)),
    request_body = NewShipment,
    responses((status = 201, body = ShipmentView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_shipment(
    State(state): State<AppState>,
    s: Staff<ManageOrders>,
    Path(id): Path<i64>,
    Json(body): Json<NewShipment>,
) -> ApiResult<(StatusCode, axum::Json<ShipmentView>)> {
    let shipment = fulfilment::create_shipment(&state.app, id, &body, &s.actor).await?;
    Ok((StatusCode::CREATED, axum::Json(shipment)))
}

/// Staff: add a tracking event; `delivered` marks the shipment (and, when all are, the
/// order) delivered. Audited.
#[utoipa::path(post, path = "/api/v1/admin/shipments/{id}/events", tag = "fulfilment", params(("id" = i64, Path)),
    request_body = NewTrackingEvent,
    responses((status = 201, body = ShipmentView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_event(
    State(state): State<AppState>,
    s: Staff<ManageOrders>,
    Path(id): Path<i64>,
    Json(body): Json<NewTrackingEvent>,
) -> ApiResult<(StatusCode, axum::Json<ShipmentView>)> {
    let shipment = fulfilment::add_event(&state.app, id, &body, &s.actor).await?;
    Ok((StatusCode::CREATED, axum::Json(shipment)))
}

/// A carrier's signed tracking push (`agora_app::fulfilment::CarrierPush` as JSON, signed
/// like the payment webhook with the carrier secret). Events are deduplicated by their id.
#[utoipa::path(post, path = "/api/v1/shipping/webhooks/{carrier}", tag = "fulfilment",
    params(("carrier" = String, Path), ("webhook-id" = String, Header), ("webhook-timestamp" = String, Header), ("webhook-signature" = String, Header)),
    request_body = fulfilment::CarrierPush,
    responses((status = 200, body = WebhookAck), (status = 401, body = Problem), (status = 400, body = Problem), (status = 404, body = Problem)))]
async fn carrier_webhook(
    State(state): State<AppState>,
    Path(carrier): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match fulfilment::carrier_push(&state.app, &carrier, &signed_headers(&headers), &body).await {
        Ok(applied) => axum::Json(WebhookAck { received: true, duplicate: !applied }).into_response(),
        Err(CarrierPushError::Signature(e)) => signature_problem(e),
        Err(CarrierPushError::App(e)) => ApiError(e).into_response(),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PickupRequest {
    /// The pickup code shown to the buyer.
    pub code: String,
}

/// Staff: hand a paid pickup order over against its pickup code; completes the order. Audited.
#[utoipa::path(post, path = "/api/v1/admin/orders/{id}/pickup", tag = "fulfilment", params(("id" = i64, Path)),
    request_body = PickupRequest,
    responses((status = 200, body = OrderDetail), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn pickup(
    State(state): State<AppState>,
    s: Staff<ManageOrders>,
    Path(id): Path<i64>,
    Json(body): Json<PickupRequest>,
) -> ApiResult<axum::Json<OrderDetail>> {
    let order = fulfilment::pickup(&state.app, id, &body.code, &s.actor).await?;
    Ok(axum::Json(orders::detail(&state.app, order).await?))
}
