//! Warehouses: where stock is kept. Reservations prefer higher `priority`; an inactive
//! warehouse keeps its stock rows but sells nothing and receives nothing.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;

use crate::App;
use crate::audit::{self, Actor, Change};
use crate::db::Tx;
use crate::error::{AppError, AppResult, FieldError, unique_violation};
use crate::page::{self, Page};

/// A warehouse as shown to staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, utoipa::ToSchema)]
pub struct Warehouse {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub address: String,
    /// Higher is preferred when reserving stock.
    pub priority: i64,
    /// 1 = active, 0 = deactivated.
    pub active: i64,
    pub created_at: i64,
}

/// Input for a new warehouse.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWarehouse {
    /// Unique short code: 1-32 letters, digits, `-` or `_`.
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub priority: i64,
}

/// Changes to a warehouse; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarehouseUpdate {
    pub code: Option<String>,
    pub name: Option<String>,
    pub address: Option<String>,
    pub priority: Option<i64>,
}

const MAX_PRIORITY: i64 = 1_000_000;
const COLUMNS: &str = "id, code, name, address, priority, active, created_at";

fn check_code(code: &str, errors: &mut Vec<FieldError>) {
    let ok = (1..=32).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        errors.push(FieldError { field: "code".into(), message: "must be 1-32 letters, digits, '-' or '_'".into() });
    }
}

fn check_name(name: &str, errors: &mut Vec<FieldError>) {
    if name.trim().is_empty() || name.chars().count() > 100 {
        errors.push(FieldError { field: "name".into(), message: "must be 1-100 characters".into() });
    }
}

fn check_address(address: &str, errors: &mut Vec<FieldError>) {
    if address.chars().count() > 500 {
        errors.push(FieldError { field: "address".into(), message: "must be at most 500 characters".into() });
    }
}

fn check_priority(priority: i64, errors: &mut Vec<FieldError>) {
    if !(-MAX_PRIORITY..=MAX_PRIORITY).contains(&priority) {
        errors.push(FieldError {
            field: "priority".into(),
            message: format!("must be between -{MAX_PRIORITY} and {MAX_PRIORITY}"),
        });
    }
}

fn done(errors: Vec<FieldError>) -> AppResult<()> {
    if errors.is_empty() { Ok(()) } else { Err(AppError::Validation(errors)) }
}

const DUPLICATE: &str = "a warehouse with this code already exists";

/// Creates a warehouse (audited).
pub async fn create(app: &App, actor: &Actor, input: &NewWarehouse) -> AppResult<Warehouse> {
    let mut errors = Vec::new();
    check_code(&input.code, &mut errors);
    check_name(&input.name, &mut errors);
    check_address(&input.address, &mut errors);
    check_priority(input.priority, &mut errors);
    done(errors)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let sql = format!(
        "INSERT INTO warehouses (code, name, address, priority, active, created_at) VALUES ($1, $2, $3, $4, 1, $5) RETURNING {COLUMNS}"
    );
    let created: Warehouse = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(&input.code)
        .bind(input.name.trim())
        .bind(&input.address)
        .bind(input.priority)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| unique_violation(e, "warehouse_code_taken", DUPLICATE))?;
    let change = Change {
        action: "warehouse.create",
        entity: "warehouse",
        entity_id: created.id.to_string(),
        before: None,
        after: audit::snapshot(&created),
    };
    audit::record(&mut tx, now, actor, change).await?;
    tx.commit().await?;
    Ok(created)
}

/// Loads a warehouse inside a transaction.
pub(crate) async fn load(tx: &mut Tx, id: i64) -> AppResult<Option<Warehouse>> {
    let sql = format!("SELECT {COLUMNS} FROM warehouses WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?)
}

/// Updates a warehouse's code, name, address or priority (audited).
pub async fn update(app: &App, actor: &Actor, id: i64, input: &WarehouseUpdate) -> AppResult<Warehouse> {
    let mut errors = Vec::new();
    if let Some(code) = &input.code {
        check_code(code, &mut errors);
    }
    if let Some(name) = &input.name {
        check_name(name, &mut errors);
    }
    if let Some(address) = &input.address {
        check_address(address, &mut errors);
    }
    if let Some(priority) = input.priority {
        check_priority(priority, &mut errors);
    }
    done(errors)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = load(&mut tx, id).await?.ok_or(AppError::not_found("warehouse"))?;
    let after = Warehouse {
        code: input.code.clone().unwrap_or_else(|| before.code.clone()),
        name: input.name.as_deref().map_or_else(|| before.name.clone(), |n| n.trim().to_string()),
        address: input.address.clone().unwrap_or_else(|| before.address.clone()),
        priority: input.priority.unwrap_or(before.priority),
        ..before.clone()
    };
    sqlx::query("UPDATE warehouses SET code = $1, name = $2, address = $3, priority = $4 WHERE id = $5")
        .bind(&after.code)
        .bind(&after.name)
        .bind(&after.address)
        .bind(after.priority)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| unique_violation(e, "warehouse_code_taken", DUPLICATE))?;
    record_change(&mut tx, now, actor, "warehouse.update", &before, &after).await?;
    tx.commit().await?;
    Ok(after)
}

/// Sets a warehouse active or inactive (audited). Idempotent.
pub async fn set_active(app: &App, actor: &Actor, id: i64, active: bool) -> AppResult<Warehouse> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = load(&mut tx, id).await?.ok_or(AppError::not_found("warehouse"))?;
    let after = Warehouse { active: i64::from(active), ..before.clone() };
    if before.active != after.active {
        sqlx::query("UPDATE warehouses SET active = $1 WHERE id = $2")
            .bind(after.active)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let action = if active { "warehouse.activate" } else { "warehouse.deactivate" };
        record_change(&mut tx, now, actor, action, &before, &after).await?;
    }
    tx.commit().await?;
    Ok(after)
}

async fn record_change(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    action: &str,
    before: &Warehouse,
    after: &Warehouse,
) -> AppResult<()> {
    let change = Change {
        action,
        entity: "warehouse",
        entity_id: after.id.to_string(),
        before: audit::snapshot(before),
        after: audit::snapshot(after),
    };
    audit::record(tx, now, actor, change).await
}

/// Every warehouse, preferred first (for pickers; lists use [`page`]).
pub async fn list(app: &App) -> AppResult<Vec<Warehouse>> {
    let sql = format!("SELECT {COLUMNS} FROM warehouses ORDER BY priority DESC, id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(app.db.reader()).await?)
}

/// Warehouses a page at a time, preferred first (the cursor is the last row's priority and id).
pub async fn page(app: &App, cursor: Option<&str>, limit: Option<i64>) -> AppResult<Page<Warehouse>> {
    let limit = page::limit(limit)?;
    // No cursor: start above the highest priority a warehouse may have.
    let (priority, id) = match cursor {
        Some(c) => match page::decode_cursor(c, 2)?[..] {
            [p, i] => (p, i),
            _ => return Err(AppError::invalid("cursor", "malformed cursor")),
        },
        None => (MAX_PRIORITY + 1, 0),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM warehouses WHERE priority < $1 OR (priority = $1 AND id > $2) \
         ORDER BY priority DESC, id LIMIT $3"
    );
    let rows: Vec<Warehouse> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(priority)
        .bind(id)
        .bind(limit + 1)
        .fetch_all(app.db.reader())
        .await?;
    Ok(page::paginate(rows, limit, |w| vec![w.priority, w.id]))
}

/// One warehouse.
pub async fn get(app: &App, id: i64) -> AppResult<Warehouse> {
    let sql = format!("SELECT {COLUMNS} FROM warehouses WHERE id = $1");
    let found: Option<Warehouse> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(app.db.reader()).await?;
    found.ok_or(AppError::not_found("warehouse"))
}
