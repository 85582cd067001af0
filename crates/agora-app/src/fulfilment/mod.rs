//! Fulfilment: shipments (one or more per order, stock deducted per shipped line), tracking
//! events from staff or a signed carrier webhook, delivery, and store pickup with a code.

pub mod store;

use agora_domain::{IllegalTransition, OrderEvent, OrderStatus};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

pub use store::{ShipmentLine, ShipmentView, TrackingEvent, shipments_of};

use crate::App;
use crate::audit::{self, Actor};
use crate::db::Tx;
use crate::error::{AppError, AppResult, FieldError, unique_violation};
use crate::orders::{self, OrderRow, STOCK_REF};
use crate::payments::signature::{self, SignatureError, SignedHeaders};
use crate::{crypto, events, inventory};

/// Tracking statuses accepted from staff and carriers.
pub const TRACKING_STATUSES: [&str; 5] = ["shipped", "in_transit", "out_for_delivery", "delivered", "exception"];

/// What to ship; `lines` defaults to everything not yet shipped.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewShipment {
    pub carrier: String,
    pub tracking_number: String,
    pub lines: Option<Vec<ShipmentLine>>,
}

fn check_text(errors: &mut Vec<FieldError>, field: &str, value: &str, min: usize, max: usize) {
    let n = value.trim().chars().count();
    if n < min || n > max {
        errors.push(FieldError { field: field.into(), message: format!("must be {min} to {max} characters") });
    }
}

fn illegal(from: OrderStatus, event: OrderEvent) -> AppError {
    AppError::IllegalTransition(IllegalTransition { from, event })
}

/// Chooses the units to ship: the requested ones (validated) or everything remaining.
async fn plan(tx: &mut Tx, order_id: i64, wanted: Option<&[ShipmentLine]>) -> AppResult<(Vec<(i64, i64, i64)>, bool)> {
    let shipped = store::shipped_per_line(tx, order_id).await?;
    let remaining: Vec<(i64, i64, i64)> = store::order_lines(tx, order_id)
        .await?
        .into_iter()
        .map(|(id, sku, qty)| (id, sku, qty - shipped.get(&id).copied().unwrap_or(0)))
        .collect();
    let picked: Vec<(i64, i64, i64)> = match wanted {
        None => remaining.iter().copied().filter(|l| l.2 > 0).collect(),
        Some(list) => {
            let mut errors = Vec::new();
            let mut picked = Vec::new();
            for (i, w) in list.iter().enumerate() {
                match remaining.iter().find(|l| l.0 == w.order_line_id) {
                    None => errors.push(FieldError {
                        field: format!("lines[{i}].order_line_id"),
                        message: "not a line of this order".into(),
                    }),
                    Some(l)
                        if w.quantity < 1
                            || w.quantity > l.2
                            || picked.iter().any(|p: &(i64, i64, i64)| p.0 == l.0) =>
                    {
                        errors.push(FieldError {
                            field: format!("lines[{i}].quantity"),
                            message: format!("must be between 1 and {} (each line once)", l.2),
                        })
                    }
                    Some(l) => picked.push((l.0, l.1, w.quantity)),
                }
            }
            if !errors.is_empty() {
                return Err(AppError::Validation(errors));
            }
            picked
        }
    };
    if picked.is_empty() {
        return Err(AppError::conflict("nothing_to_ship", "every line of the order has been shipped"));
    }
    let complete = remaining.iter().all(|l| l.2 == picked.iter().find(|p| p.0 == l.0).map_or(0, |p| p.2));
    Ok((picked, complete))
}

/// Creates a shipment, deducts its stock and marks the order shipped once everything is.
pub async fn create_shipment(app: &App, order_id: i64, input: &NewShipment, actor: &Actor) -> AppResult<ShipmentView> {
    let mut errors = Vec::new();
    check_text(&mut errors, "carrier", &input.carrier, 1, 50);
    check_text(&mut errors, "tracking_number", &input.tracking_number, 1, 100);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut order = orders::store::lock(&mut tx, order_id).await?;
    let status = order.status()?;
    if status != OrderStatus::Paid {
        return Err(illegal(status, OrderEvent::Ship));
    }
    if order.is_pickup() {
        return Err(AppError::conflict("pickup_order", "pickup orders are completed with the pickup code"));
    }
    let (picked, complete) = plan(&mut tx, order_id, input.lines.as_deref()).await?;
    let carrier = input.carrier.trim();
    let shipment_id: i64 = sqlx::query_scalar(
        "INSERT INTO shipments (order_id, carrier, tracking_number, status, created_at) VALUES ($1, $2, $3, 'shipped', $4) RETURNING id",
    )
    .bind(order_id)
    .bind(carrier)
    .bind(input.tracking_number.trim())
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| unique_violation(e, "duplicate_tracking_number", "this carrier's tracking number is already used"))?;
    for &(line_id, sku_id, quantity) in &picked {
        sqlx::query("INSERT INTO shipment_lines (shipment_id, order_line_id, quantity) VALUES ($1, $2, $3)")
            .bind(shipment_id)
            .bind(line_id)
            .bind(quantity)
            .execute(&mut *tx)
            .await?;
        inventory::fulfil_partial(&mut tx, now, STOCK_REF, order_id, sku_id, quantity).await?;
    }
    let first = store::NewEvent {
        shipment_id,
        status: "shipped",
        description: "handed to the carrier",
        location: "",
        source: "staff",
        external_id: None,
        occurred_at: now,
    };
    store::insert_event(&mut tx, now, &first).await?;
    let staff = format!("staff:{}", actor.staff_id);
    if complete {
        orders::transition(app, &mut tx, &mut order, OrderEvent::Ship, &staff, "all lines shipped").await?;
    }
    let after = json!({"shipment_id": shipment_id, "carrier": carrier, "lines": picked.iter().map(|p| json!([p.0, p.2])).collect::<Vec<_>>()});
    events::record(&mut tx, now, "shipment.created", &format!("order:{order_id}"), &after).await?;
    let change = audit::Change {
        action: "shipment.create",
        entity: "order",
        entity_id: order_id.to_string(),
        before: None,
        after: Some(after),
    };
    audit::record(&mut tx, now, actor, change).await?;
    tx.commit().await?;
    shipments_of(app.db.reader(), order_id)
        .await?
        .into_iter()
        .find(|s| s.id == shipment_id)
        .ok_or(AppError::not_found("shipment"))
}

/// A tracking event from staff or a carrier.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTrackingEvent {
    /// One of shipped, in_transit, out_for_delivery, delivered, exception.
    pub status: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub location: String,
    /// Epoch milliseconds; defaults to now.
    pub occurred_at: Option<i64>,
}

fn validate_event(e: &NewTrackingEvent) -> AppResult<()> {
    let mut errors = Vec::new();
    if !TRACKING_STATUSES.contains(&e.status.as_str()) {
        errors.push(FieldError { field: "status".into(), message: format!("one of {}", TRACKING_STATUSES.join(", ")) });
    }
    check_text(&mut errors, "description", &e.description, 0, 500);
    check_text(&mut errors, "location", &e.location, 0, 200);
    if e.occurred_at.is_some_and(|t| t <= 0) {
        errors.push(FieldError { field: "occurred_at".into(), message: "must be epoch milliseconds".into() });
    }
    if errors.is_empty() { Ok(()) } else { Err(AppError::Validation(errors)) }
}

/// Records a tracking event (once per external id); a `delivered` event marks the shipment
/// delivered, and the order delivered when every shipment is. Returns false for a duplicate.
async fn record_event(
    app: &App,
    tx: &mut Tx,
    shipment_id: i64,
    e: &NewTrackingEvent,
    source: &str,
    external_id: Option<&str>,
) -> AppResult<bool> {
    let now = app.now();
    let shipment = store::lock_shipment(tx, shipment_id).await?.ok_or(AppError::not_found("shipment"))?;
    let new = store::NewEvent {
        shipment_id,
        status: &e.status,
        description: e.description.trim(),
        location: e.location.trim(),
        source,
        external_id,
        occurred_at: e.occurred_at.unwrap_or(now),
    };
    if !store::insert_event(tx, now, &new).await? {
        return Ok(false);
    }
    if shipment.status == "delivered" {
        return Ok(true);
    }
    let delivered_at = (e.status == "delivered").then_some(now);
    sqlx::query("UPDATE shipments SET status = $1, delivered_at = $2 WHERE id = $3")
        .bind(&e.status)
        .bind(delivered_at)
        .bind(shipment_id)
        .execute(&mut **tx)
        .await?;
    if e.status == "delivered" {
        let mut order: OrderRow = orders::store::lock(tx, shipment.order_id).await?;
        if order.status()? == OrderStatus::Shipped && store::undelivered(tx, order.id).await? == 0 {
            orders::transition(app, tx, &mut order, OrderEvent::Deliver, source, "all shipments delivered").await?;
        }
    }
    Ok(true)
}

/// Staff adds a tracking event to a shipment (audited).
pub async fn add_event(app: &App, shipment_id: i64, e: &NewTrackingEvent, actor: &Actor) -> AppResult<ShipmentView> {
    validate_event(e)?;
    let mut tx = app.db.begin().await?;
    record_event(app, &mut tx, shipment_id, e, "staff", None).await?;
    let change = audit::Change {
        action: "shipment.event",
        entity: "shipment",
        entity_id: shipment_id.to_string(),
        before: None,
        after: audit::snapshot(&json!({"status": e.status, "description": e.description, "location": e.location})),
    };
    audit::record(&mut tx, app.now(), actor, change).await?;
    let order_id: i64 = sqlx::query_scalar("SELECT order_id FROM shipments WHERE id = $1")
        .bind(shipment_id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    shipments_of(app.db.reader(), order_id)
        .await?
        .into_iter()
        .find(|s| s.id == shipment_id)
        .ok_or(AppError::not_found("shipment"))
}

/// A carrier's tracking push.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CarrierPush {
    /// The carrier's event id; repeated pushes of the same id are ignored.
    pub id: String,
    pub tracking_number: String,
    pub status: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub location: String,
    pub occurred_at: Option<i64>,
}

/// Why a carrier push was refused.
#[derive(Debug, thiserror::Error)]
pub enum CarrierPushError {
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error(transparent)]
    App(#[from] AppError),
}

/// Verifies and applies a signed carrier push. Returns false for a duplicate event id.
pub async fn carrier_push(
    app: &App,
    carrier: &str,
    headers: &SignedHeaders,
    body: &[u8],
) -> Result<bool, CarrierPushError> {
    signature::verify(
        &app.settings.secrets.carrier_webhook,
        headers,
        body,
        app.now(),
        app.settings.webhook_tolerance_ms,
    )?;
    let push: CarrierPush =
        serde_json::from_slice(body).map_err(|e| AppError::invalid("body", format!("malformed push: {e}")))?;
    if push.id.is_empty() || push.id.len() > 200 {
        return Err(AppError::invalid("id", "1 to 200 characters").into());
    }
    let event = NewTrackingEvent {
        status: push.status,
        description: push.description,
        location: push.location,
        occurred_at: push.occurred_at,
    };
    validate_event(&event)?;
    let shipment_id = store::find_by_tracking(app.db.reader(), carrier, &push.tracking_number)
        .await?
        .ok_or(AppError::not_found("shipment"))?;
    let mut tx = app.db.begin().await.map_err(AppError::from)?;
    let applied =
        record_event(app, &mut tx, shipment_id, &event, &format!("carrier:{carrier}"), Some(&push.id)).await?;
    tx.commit().await.map_err(AppError::from)?;
    Ok(applied)
}

/// Staff hands a paid pickup order to the buyer who shows the right code: stock is
/// deducted and the order completes (shipped → delivered → completed in one step).
pub async fn pickup(app: &App, order_id: i64, code: &str, actor: &Actor) -> AppResult<OrderRow> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut order = orders::store::lock(&mut tx, order_id).await?;
    let status = order.status()?;
    if !order.is_pickup() {
        return Err(AppError::conflict("not_pickup_order", "this order is shipped, not picked up"));
    }
    if status != OrderStatus::Paid {
        return Err(illegal(status, OrderEvent::Ship));
    }
    let expected = order.pickup_code.clone().unwrap_or_default();
    let matches = !expected.is_empty()
        && crypto::hmac_sha256_verify(
            b"pickup",
            expected.as_bytes(),
            &crypto::hmac_sha256(b"pickup", code.trim().as_bytes()),
        );
    if !matches {
        return Err(AppError::invalid("code", "wrong pickup code"));
    }
    inventory::fulfil(&mut tx, now, STOCK_REF, order_id).await?;
    let staff = format!("staff:{}", actor.staff_id);
    for event in [OrderEvent::Ship, OrderEvent::Deliver, OrderEvent::Complete] {
        orders::transition(app, &mut tx, &mut order, event, &staff, "picked up in store").await?;
    }
    let change = audit::Change {
        action: "order.pickup",
        entity: "order",
        entity_id: order_id.to_string(),
        before: Some(json!({"status": status})),
        after: Some(json!({"status": order.status})),
    };
    audit::record(&mut tx, now, actor, change).await?;
    tx.commit().await?;
    Ok(order)
}
