//! Business figures for `/metrics`, read from the database.

use crate::App;
use crate::error::AppResult;

/// Order and payment counts for monitoring.
#[derive(Debug, Default)]
pub struct BusinessCounts {
    pub orders_by_status: Vec<(String, i64)>,
    pub payments_by_status: Vec<(String, i64)>,
    pub captured_by_currency: Vec<(String, i64)>,
}

pub async fn business_counts(app: &App) -> AppResult<BusinessCounts> {
    let pool = app.db.reader();
    let orders_by_status =
        sqlx::query_as("SELECT status, COUNT(*) FROM orders GROUP BY status ORDER BY status").fetch_all(pool).await?;
    let payments_by_status =
        sqlx::query_as("SELECT status, COUNT(*) FROM payments GROUP BY status ORDER BY status").fetch_all(pool).await?;
    let captured_by_currency = sqlx::query_as(
        "SELECT currency, CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM payment_ledger WHERE kind = 'capture' GROUP BY currency ORDER BY currency",
    )
    .fetch_all(pool)
    .await?;
    Ok(BusinessCounts { orders_by_status, payments_by_status, captured_by_currency })
}
