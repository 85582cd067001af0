//! SQL for shipments, their lines and tracking events.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::{AnyPool, FromRow};
use utoipa::ToSchema;

use crate::db::Tx;
use crate::error::AppResult;

/// Units of one order line in a shipment.
#[derive(Debug, Clone, FromRow, Serialize, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentLine {
    pub order_line_id: i64,
    pub quantity: i64,
}

/// One tracking event.
#[derive(Debug, Clone, FromRow, Serialize, ToSchema)]
pub struct TrackingEvent {
    pub status: String,
    pub description: String,
    pub location: String,
    /// staff or carrier:<name>.
    pub source: String,
    pub occurred_at: i64,
}

/// A shipment with its lines and tracking timeline (oldest first).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShipmentView {
    pub id: i64,
    pub order_id: i64,
    pub carrier: String,
    pub tracking_number: String,
    pub status: String,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
    pub lines: Vec<ShipmentLine>,
    pub events: Vec<TrackingEvent>,
}

#[derive(Debug, Clone, FromRow)]
pub struct ShipmentRow {
    pub id: i64,
    pub order_id: i64,
    pub carrier: String,
    pub tracking_number: String,
    pub status: String,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
}

#[derive(FromRow)]
struct LineOf {
    shipment_id: i64,
    order_line_id: i64,
    quantity: i64,
}

#[derive(FromRow)]
struct EventOf {
    shipment_id: i64,
    status: String,
    description: String,
    location: String,
    source: String,
    occurred_at: i64,
}

/// Every shipment of an order in three queries (no N+1).
pub async fn shipments_of(pool: &AnyPool, order_id: i64) -> AppResult<Vec<ShipmentView>> {
    let rows: Vec<ShipmentRow> = sqlx::query_as(
        "SELECT id, order_id, carrier, tracking_number, status, created_at, delivered_at FROM shipments WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(pool)
    .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let lines: Vec<LineOf> = sqlx::query_as(
        "SELECT l.shipment_id, l.order_line_id, l.quantity FROM shipment_lines l JOIN shipments s ON s.id = l.shipment_id \
         WHERE s.order_id = $1 ORDER BY l.order_line_id",
    )
    .bind(order_id)
    .fetch_all(pool)
    .await?;
    let events: Vec<EventOf> = sqlx::query_as(
        "SELECT e.shipment_id, e.status, e.description, e.location, e.source, e.occurred_at FROM shipment_events e \
         JOIN shipments s ON s.id = e.shipment_id WHERE s.order_id = $1 ORDER BY e.occurred_at, e.id",
    )
    .bind(order_id)
    .fetch_all(pool)
    .await?;
    let mut by_line: HashMap<i64, Vec<ShipmentLine>> = HashMap::new();
    for l in lines {
        by_line
            .entry(l.shipment_id)
            .or_default()
            .push(ShipmentLine { order_line_id: l.order_line_id, quantity: l.quantity });
    }
    let mut by_event: HashMap<i64, Vec<TrackingEvent>> = HashMap::new();
    for e in events {
        by_event.entry(e.shipment_id).or_default().push(TrackingEvent {
            status: e.status,
            description: e.description,
            location: e.location,
            source: e.source,
            occurred_at: e.occurred_at,
        });
    }
    Ok(rows
        .into_iter()
        .map(|s| ShipmentView {
            lines: by_line.remove(&s.id).unwrap_or_default(),
            events: by_event.remove(&s.id).unwrap_or_default(),
            id: s.id,
            order_id: s.order_id,
            carrier: s.carrier,
            tracking_number: s.tracking_number,
            status: s.status,
            created_at: s.created_at,
            delivered_at: s.delivered_at,
        })
        .collect())
}

/// Units already shipped per order line.
pub async fn shipped_per_line(tx: &mut Tx, order_id: i64) -> AppResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT l.order_line_id, CAST(SUM(l.quantity) AS BIGINT) FROM shipment_lines l JOIN shipments s ON s.id = l.shipment_id \
         WHERE s.order_id = $1 GROUP BY l.order_line_id",
    )
    .bind(order_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Order lines as (id, sku_id, quantity).
pub async fn order_lines(tx: &mut Tx, order_id: i64) -> AppResult<Vec<(i64, i64, i64)>> {
    Ok(sqlx::query_as("SELECT id, sku_id, quantity FROM order_lines WHERE order_id = $1 ORDER BY id")
        .bind(order_id)
        .fetch_all(&mut **tx)
        .await?)
}

pub async fn lock_shipment(tx: &mut Tx, id: i64) -> AppResult<Option<ShipmentRow>> {
    Ok(sqlx::query_as(
        "UPDATE shipments SET status = status WHERE id = $1 \
         RETURNING id, order_id, carrier, tracking_number, status, created_at, delivered_at",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

pub async fn find_by_tracking(pool: &AnyPool, carrier: &str, tracking: &str) -> AppResult<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM shipments WHERE carrier = $1 AND tracking_number = $2")
        .bind(carrier)
        .bind(tracking)
        .fetch_optional(pool)
        .await?)
}

pub struct NewEvent<'a> {
    pub shipment_id: i64,
    pub status: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub source: &'a str,
    pub external_id: Option<&'a str>,
    pub occurred_at: i64,
}

/// Inserts a tracking event; false when its external id was already recorded.
pub async fn insert_event(tx: &mut Tx, now: i64, e: &NewEvent<'_>) -> AppResult<bool> {
    let done = sqlx::query(
        "INSERT INTO shipment_events (shipment_id, status, description, location, source, external_id, occurred_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (shipment_id, external_id) DO NOTHING",
    )
    .bind(e.shipment_id)
    .bind(e.status)
    .bind(e.description)
    .bind(e.location)
    .bind(e.source)
    .bind(e.external_id)
    .bind(e.occurred_at)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Shipments of the order not yet delivered.
pub async fn undelivered(tx: &mut Tx, order_id: i64) -> AppResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM shipments WHERE order_id = $1 AND status <> 'delivered'")
        .bind(order_id)
        .fetch_one(&mut **tx)
        .await?)
}
