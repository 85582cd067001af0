//! The staff audit log: who changed what, when, with the state before and after.

use serde::Serialize;
use sqlx::FromRow;

use crate::App;
use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::page::{self, Page};

/// The staff member performing a write, as recorded in the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub staff_id: i64,
    pub request_id: String,
}

/// What a staff write changed: the entity and its JSON snapshots before and after.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> Change<'a> {
    /// A change of `entity` number `id`, described by optional snapshots before and after.
    pub fn of<T: Serialize>(action: &'a str, entity: &'a str, id: i64, before: Option<&T>, after: Option<&T>) -> Self {
        Change {
            action,
            entity,
            entity_id: id.to_string(),
            before: before.and_then(snapshot),
            after: after.and_then(snapshot),
        }
    }
}

/// Records `change` when a staff member made it; writes by the command line or a loader
/// (no actor) have no one to attribute them to and are not audited.
pub async fn record_if_staff(tx: &mut Tx, now: i64, actor: Option<&Actor>, change: Change<'_>) -> AppResult<()> {
    match actor {
        Some(actor) => record(tx, now, actor, change).await,
        None => Ok(()),
    }
}

/// Serialises a snapshot for [`Change`].
pub fn snapshot(value: &impl Serialize) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

/// Records one staff write in the same transaction as the write itself.
pub async fn record(tx: &mut Tx, now: i64, actor: &Actor, change: Change<'_>) -> AppResult<()> {
    let before = change.before.map(|v| v.to_string());
    let after = change.after.map(|v| v.to_string());
    sqlx::query(
        "INSERT INTO audit_log (staff_id, action, entity, entity_id, before_json, after_json, request_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(actor.staff_id)
    .bind(change.action)
    .bind(change.entity)
    .bind(change.entity_id)
    .bind(before)
    .bind(after)
    .bind(&actor.request_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One audit log row as shown to administrators.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub staff_id: i64,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub request_id: String,
    pub created_at: i64,
}

/// Filters for the audit log list.
#[derive(Debug, Default, Clone)]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub staff_id: Option<i64>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Lists audit entries newest first.
pub async fn list(app: &App, q: &AuditQuery) -> AppResult<Page<AuditEntry>> {
    let limit = page::limit(q.limit)?;
    let before = match &q.cursor {
        Some(c) => page::decode_cursor(c, 1)?[0],
        None => i64::MAX,
    };
    let rows: Vec<AuditEntry> = sqlx::query_as(
        "SELECT id, staff_id, action, entity, entity_id, before_json, after_json, request_id, created_at \
         FROM audit_log WHERE id < $1 \
         AND ($2 IS NULL OR entity = $2) AND ($3 IS NULL OR entity_id = $3) AND ($4 IS NULL OR staff_id = $4) \
         ORDER BY id DESC LIMIT $5",
    )
    .bind(before)
    .bind(q.entity.as_deref())
    .bind(q.entity_id.as_deref())
    .bind(q.staff_id)
    .bind(limit + 1)
    .fetch_all(app.db.reader())
    .await
    .map_err(AppError::from)?;
    Ok(page::paginate(rows, limit, |e| vec![e.id]))
}
