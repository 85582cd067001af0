//! `/api/v1/orders/{id}/payments`, `/api/v1/payments/webhooks/sandbox`,
//! `/api/v1/admin/orders/{id}/refunds|payments` and the sandbox wallet's pages.

use agora_app::payments::{
    self, NotificationError, Payment, PaymentProvider, PaymentsOverview, SignatureError, SignedHeaders,
};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::sandbox_page;
use crate::error::{ApiResult, Problem, problem};
use crate::extract::{Refund, Staff, ViewOrders};
use crate::input::{Json, Path};
use crate::orders::api::OrderViewer;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_payment))
        .routes(routes!(sandbox_webhook))
        .routes(routes!(refund))
        .routes(routes!(overview))
        .routes(routes!(sandbox_page::page))
        .routes(routes!(sandbox_page::succeed))
        .routes(routes!(sandbox_page::fail))
}

/// Start paying an order: creates a payment at the provider for what is still owed and
/// returns the provider's pay URL and QR payload.
#[utoipa::path(post, path = "/api/v1/orders/{id}/payments", tag = "payments", params(("id" = i64, Path)),
    responses((status = 201, body = Payment), (status = 409, body = Problem, description = "order_not_payable"), (status = 404, body = Problem)))]
async fn create_payment(
    State(state): State<AppState>,
    OrderViewer(viewer): OrderViewer,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, axum::Json<Payment>)> {
    let payment = payments::create_payment(&state.app, id, &viewer).await?;
    Ok((StatusCode::CREATED, axum::Json(payment)))
}

/// Signature headers of a Standard-Webhooks delivery.
pub fn signed_headers(headers: &HeaderMap) -> SignedHeaders {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    SignedHeaders { id: get("webhook-id"), timestamp: get("webhook-timestamp"), signature: get("webhook-signature") }
}

/// The problem answered for a refused signature: 401 bad signature, 400 stale timestamp.
pub fn signature_problem(e: SignatureError) -> Response {
    match e {
        SignatureError::BadSignature => {
            problem(StatusCode::UNAUTHORIZED, "invalid_signature", e.to_string(), Vec::new())
        }
        SignatureError::StaleTimestamp => {
            problem(StatusCode::BAD_REQUEST, "stale_timestamp", e.to_string(), Vec::new())
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookAck {
    pub received: bool,
    /// True when this delivery id was seen before (nothing applied again).
    pub duplicate: bool,
}

/// The sandbox provider's notification webhook (signed, Standard Webhooks style). Applies
/// each delivery id once; out-of-order events are resolved (a success always wins).
#[utoipa::path(post, path = "/api/v1/payments/webhooks/sandbox", tag = "payments",
    params(("webhook-id" = String, Header), ("webhook-timestamp" = String, Header), ("webhook-signature" = String, Header)),
    request_body(content = String, content_type = "application/json",
        description = r#"{"id": "msg_…", "type": "payment.succeeded" | "payment.failed", "data": {"payment_id": "sbx_…", "amount": 1234, "currency": "CNY"}}"#),
    responses((status = 200, body = WebhookAck), (status = 401, body = Problem), (status = 400, body = Problem)))]
async fn sandbox_webhook(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let signed = signed_headers(&headers);
    let notification = match payments::provider().parse_notification(&state.app, &signed, &body) {
        Ok(n) => n,
        Err(NotificationError::Signature(e)) => return signature_problem(e),
        Err(e @ NotificationError::Malformed(_)) => {
            return problem(StatusCode::BAD_REQUEST, "malformed_notification", e.to_string(), Vec::new());
        }
    };
    match payments::apply_notification(&state.app, &notification).await {
        Ok(applied) => axum::Json(WebhookAck { received: true, duplicate: !applied }).into_response(),
        Err(e) => crate::error::ApiError(e).into_response(),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    /// Minor units, 1 ..= paid − refunded.
    pub amount: i64,
    #[serde(default)]
    pub reason: String,
}

/// Staff: refund part or all of what was paid, through the provider. A full refund moves
/// the order to refunded and releases stock not yet shipped. Audited.
#[utoipa::path(post, path = "/api/v1/admin/orders/{id}/refunds", tag = "payments", params(("id" = i64, Path)),
    request_body = RefundRequest,
    responses((status = 201, body = PaymentsOverview), (status = 422, body = Problem), (status = 404, body = Problem)))]
async fn refund(
    State(state): State<AppState>,
    s: Staff<Refund>,
    Path(id): Path<i64>,
    Json(body): Json<RefundRequest>,
) -> ApiResult<(StatusCode, axum::Json<PaymentsOverview>)> {
    payments::refund(&state.app, id, body.amount, &body.reason, &s.actor).await?;
    Ok((StatusCode::CREATED, axum::Json(payments::overview(&state.app, id).await?)))
}

/// Staff: payments, refunds and the ledger of an order, with the reconciliation check
/// (ledger sum == paid_total − refunded_total).
#[utoipa::path(get, path = "/api/v1/admin/orders/{id}/payments", tag = "payments", params(("id" = i64, Path)),
    responses((status = 200, body = PaymentsOverview), (status = 404, body = Problem)))]
async fn overview(
    State(state): State<AppState>,
    _s: Staff<ViewOrders>,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<PaymentsOverview>> {
    Ok(axum::Json(payments::overview(&state.app, id).await?))
}
