//! Input checks shared by the inventory use cases; each names the offending field.

use crate::db::Tx;
use crate::error::{AppError, AppResult, FieldError};

/// Largest quantity (or threshold) a single staff movement may carry.
pub const MAX_QUANTITY: i64 = 1_000_000;

fn push(errors: &mut Vec<FieldError>, field: &str, message: impl Into<String>) {
    errors.push(FieldError { field: field.into(), message: message.into() });
}

/// A movement quantity: a positive integer up to [`MAX_QUANTITY`].
pub fn quantity(field: &str, value: i64, errors: &mut Vec<FieldError>) {
    if !(1..=MAX_QUANTITY).contains(&value) {
        push(errors, field, format!("must be between 1 and {MAX_QUANTITY}"));
    }
}

/// Free text of at most `max` characters; `required` also refuses blank text.
pub fn text(field: &str, value: &str, max: usize, required: bool, errors: &mut Vec<FieldError>) {
    if required && value.trim().is_empty() {
        push(errors, field, "is required");
    } else if value.chars().count() > max {
        push(errors, field, format!("must be at most {max} characters"));
    }
}

/// Fails with every collected error, if any.
pub fn done(errors: Vec<FieldError>) -> AppResult<()> {
    if errors.is_empty() { Ok(()) } else { Err(AppError::Validation(errors)) }
}

/// The SKU must exist (field `sku_id`).
pub async fn sku(tx: &mut Tx, sku_id: i64, errors: &mut Vec<FieldError>) -> AppResult<()> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM skus WHERE id = $1").bind(sku_id).fetch_optional(&mut **tx).await?;
    if found.is_none() {
        push(errors, "sku_id", "no such SKU");
    }
    Ok(())
}

/// The warehouse must exist, and be active when `must_be_active`.
pub async fn warehouse(
    tx: &mut Tx,
    field: &str,
    warehouse_id: i64,
    must_be_active: bool,
    errors: &mut Vec<FieldError>,
) -> AppResult<()> {
    let active: Option<i64> = sqlx::query_scalar("SELECT active FROM warehouses WHERE id = $1")
        .bind(warehouse_id)
        .fetch_optional(&mut **tx)
        .await?;
    match active {
        None => push(errors, field, "no such warehouse"),
        Some(0) if must_be_active => push(errors, field, "warehouse is deactivated"),
        Some(_) => {}
    }
    Ok(())
}
