//! Customer accounts as staff see them: a searchable list and one account. Reading only;
//! the caller checks the ViewCustomers permission.

use serde::Serialize;
use sqlx::FromRow;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::page::{self, Page};

/// A customer account (never the password hash).
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct CustomerRow {
    pub id: i64,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub display_name: String,
    pub status: String,
    pub created_at: i64,
}

/// Filters of the customer list.
#[derive(Debug, Clone, Default)]
pub struct CustomerQuery {
    /// Part of the e-mail address or phone number (case-insensitive).
    pub search: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

const COLS: &str = "id, email, phone, display_name, status, created_at";

/// Customers, newest first.
pub async fn list(app: &App, q: &CustomerQuery) -> AppResult<Page<CustomerRow>> {
    let limit = page::limit(q.limit)?;
    let before = match &q.cursor {
        Some(c) => page::decode_cursor(c, 1)?[0],
        None => i64::MAX,
    };
    let pattern = q.search.as_deref().map(|s| {
        let escaped = s.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%{escaped}%")
    });
    let sql = format!(
        "SELECT {COLS} FROM customers WHERE id < $1 AND ($2 IS NULL OR LOWER(COALESCE(email, '')) LIKE $2 ESCAPE '\\' \
         OR COALESCE(phone, '') LIKE $2 ESCAPE '\\') ORDER BY id DESC LIMIT $3"
    );
    let rows: Vec<CustomerRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(before)
        .bind(pattern.as_deref())
        .bind(limit + 1)
        .fetch_all(app.db.reader())
        .await?;
    Ok(page::paginate(rows, limit, |c| vec![c.id]))
}

/// One customer account.
pub async fn get(app: &App, id: i64) -> AppResult<CustomerRow> {
    let sql = format!("SELECT {COLS} FROM customers WHERE id = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(app.db.reader())
        .await?
        .ok_or_else(|| AppError::not_found("customer"))
}
