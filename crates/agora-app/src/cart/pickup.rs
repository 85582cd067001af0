//! Pickup locations for store pickup. Staff manage them (audited); shoppers see the
//! active ones and choose one together with a pickup shipping method.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::App;
use crate::audit::{self, Actor, Change};
use crate::db::Tx;
use crate::error::{AppError, AppResult, FieldError};

/// A place where buyers collect their orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PickupLocation {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub hours: String,
    /// Warehouse the goods are collected from, if any.
    pub warehouse_id: Option<i64>,
    pub active: bool,
}

/// What staff send to create or replace a pickup location.
#[derive(Debug, Clone, Deserialize)]
pub struct NewPickupLocation {
    pub name: String,
    pub address: String,
    pub hours: String,
    pub warehouse_id: Option<i64>,
    pub active: bool,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    name: String,
    address: String,
    hours: String,
    warehouse_id: Option<i64>,
    active: i64,
}

impl From<Row> for PickupLocation {
    fn from(r: Row) -> PickupLocation {
        PickupLocation {
            id: r.id,
            name: r.name,
            address: r.address,
            hours: r.hours,
            warehouse_id: r.warehouse_id,
            active: r.active == 1,
        }
    }
}

async fn validate(tx: &mut Tx, input: &NewPickupLocation) -> AppResult<()> {
    let mut errors = Vec::new();
    for (field, value, max) in
        [("name", &input.name, 100), ("address", &input.address, 300), ("hours", &input.hours, 100)]
    {
        let len = value.trim().chars().count();
        if (field != "hours" && len == 0) || len > max {
            let min = if field == "hours" { 0 } else { 1 };
            errors.push(FieldError { field: field.into(), message: format!("must be {min} to {max} characters") });
        }
    }
    if let Some(id) = input.warehouse_id {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM warehouses WHERE id = $1").bind(id).fetch_one(&mut **tx).await?;
        if n == 0 {
            errors.push(FieldError { field: "warehouse_id".into(), message: "no such warehouse".into() });
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(AppError::Validation(errors)) }
}

async fn get_in(tx: &mut Tx, id: i64) -> AppResult<Option<PickupLocation>> {
    let row: Option<Row> =
        sqlx::query_as("SELECT id, name, address, hours, warehouse_id, active FROM pickup_locations WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(Into::into))
}

/// Creates a pickup location. `actor` is None only for the CLI, demo loader and tests.
pub async fn create_pickup_location(
    app: &App,
    input: &NewPickupLocation,
    actor: Option<&Actor>,
) -> AppResult<PickupLocation> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    validate(&mut tx, input).await?;
    let row: Row = sqlx::query_as(
        "INSERT INTO pickup_locations (name, address, hours, warehouse_id, active) VALUES ($1, $2, $3, $4, $5) \
         RETURNING id, name, address, hours, warehouse_id, active",
    )
    .bind(input.name.trim())
    .bind(input.address.trim())
    .bind(input.hours.trim())
    .bind(input.warehouse_id)
    .bind(i64::from(input.active))
    .fetch_one(&mut *tx)
    .await?;
    let loc = PickupLocation::from(row);
    audit::record_if_staff(
        &mut tx,
        now,
        actor,
        Change::of("pickup_location.create", "pickup_location", loc.id, None, Some(&loc)),
    )
    .await?;
    tx.commit().await?;
    Ok(loc)
}

/// Replaces a pickup location's fields.
pub async fn update_pickup_location(
    app: &App,
    id: i64,
    input: &NewPickupLocation,
    actor: Option<&Actor>,
) -> AppResult<PickupLocation> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = get_in(&mut tx, id).await?.ok_or(AppError::not_found("pickup location"))?;
    validate(&mut tx, input).await?;
    let row: Row = sqlx::query_as(
        "UPDATE pickup_locations SET name = $1, address = $2, hours = $3, warehouse_id = $4, active = $5 \
         WHERE id = $6 RETURNING id, name, address, hours, warehouse_id, active",
    )
    .bind(input.name.trim())
    .bind(input.address.trim())
    .bind(input.hours.trim())
    .bind(input.warehouse_id)
    .bind(i64::from(input.active))
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let loc = PickupLocation::from(row);
    audit::record_if_staff(
        &mut tx,
        now,
        actor,
        Change::of("pickup_location.update", "pickup_location", id, Some(&before), Some(&loc)),
    )
    .await?;
    tx.commit().await?;
    Ok(loc)
}

/// Retires a pickup location (kept for carts and orders that name it).
pub async fn deactivate_pickup_location(app: &App, id: i64, actor: Option<&Actor>) -> AppResult<()> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = get_in(&mut tx, id).await?.ok_or(AppError::not_found("pickup location"))?;
    sqlx::query("UPDATE pickup_locations SET active = 0 WHERE id = $1").bind(id).execute(&mut *tx).await?;
    let after = PickupLocation { active: false, ..before.clone() };
    audit::record_if_staff(
        &mut tx,
        now,
        actor,
        Change::of("pickup_location.deactivate", "pickup_location", id, Some(&before), Some(&after)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Pickup locations by id; only active ones unless `include_inactive`.
pub async fn list_pickup_locations(app: &App, include_inactive: bool) -> AppResult<Vec<PickupLocation>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, address, hours, warehouse_id, active FROM pickup_locations \
         WHERE active = 1 OR $1 = 1 ORDER BY id",
    )
    .bind(i64::from(include_inactive))
    .fetch_all(app.db.reader())
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}
