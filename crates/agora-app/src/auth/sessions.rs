//! Session tokens: resolution, listing and revocation.

use serde::Serialize;
use sqlx::FromRow;

use super::{CUSTOMER, Principal, Role, STAFF};
use crate::App;
use crate::crypto;
use crate::error::{AppError, AppResult};

/// Sessions are touched (expiry extended) at most this often, to keep reads cheap.
const TOUCH_EVERY_MS: i64 = 60_000;

#[derive(FromRow)]
struct SessionRow {
    id: i64,
    subject_kind: String,
    subject_id: i64,
    last_seen_at: i64,
    expires_at: i64,
    staff_role: Option<String>,
    active: i64,
}

pub(super) async fn resolve(app: &App, token: &str) -> AppResult<Principal> {
    let now = app.now();
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT s.id, s.subject_kind, s.subject_id, s.last_seen_at, s.expires_at, st.role AS staff_role, \
           CASE WHEN s.subject_kind = 'staff' THEN (CASE WHEN st.status = 'active' THEN 1 ELSE 0 END) \
                ELSE (CASE WHEN c.status = 'active' THEN 1 ELSE 0 END) END AS active \
         FROM sessions s \
         LEFT JOIN staff st ON s.subject_kind = 'staff' AND st.id = s.subject_id \
         LEFT JOIN customers c ON s.subject_kind = 'customer' AND c.id = s.subject_id \
         WHERE s.token_hash = $1 AND s.revoked_at IS NULL",
    )
    .bind(crypto::sha256_hex(token.as_bytes()))
    .fetch_optional(app.db.reader())
    .await?;
    let row = row.ok_or(AppError::Unauthenticated)?;
    if row.expires_at <= now || row.active != 1 {
        return Err(AppError::Unauthenticated);
    }
    if now - row.last_seen_at > TOUCH_EVERY_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3")
            .bind(now)
            .bind(now + app.settings.session_ttl_ms)
            .bind(row.id)
            .execute(app.db.writer())
            .await?;
    }
    match row.subject_kind.as_str() {
        CUSTOMER => Ok(Principal::Customer { customer_id: row.subject_id, session_id: row.id }),
        STAFF => {
            let role =
                Role::parse(row.staff_role.as_deref().unwrap_or_default()).map_err(|_| AppError::Unauthenticated)?;
            Ok(Principal::Staff { staff_id: row.subject_id, role, session_id: row.id })
        }
        _ => Err(AppError::Unauthenticated),
    }
}

/// A session as listed to its owner.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct SessionInfo {
    pub id: i64,
    pub user_agent: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

fn kind_of(principal: &Principal) -> (&'static str, i64) {
    match principal {
        Principal::Customer { customer_id, .. } => (CUSTOMER, *customer_id),
        Principal::Staff { staff_id, .. } => (STAFF, *staff_id),
    }
}

/// Active sessions of the principal, newest first.
pub async fn list_sessions(app: &App, principal: &Principal) -> AppResult<Vec<SessionInfo>> {
    let (kind, id) = kind_of(principal);
    let rows = sqlx::query_as(
        "SELECT id, user_agent, created_at, last_seen_at, expires_at FROM sessions \
         WHERE subject_kind = $1 AND subject_id = $2 AND revoked_at IS NULL AND expires_at > $3 ORDER BY id DESC",
    )
    .bind(kind)
    .bind(id)
    .bind(app.now())
    .fetch_all(app.db.reader())
    .await?;
    Ok(rows)
}

/// Revokes one of the principal's own sessions; another subject's session is "not found".
pub async fn revoke_session(app: &App, principal: &Principal, session_id: i64) -> AppResult<()> {
    let (kind, id) = kind_of(principal);
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND subject_kind = $3 AND subject_id = $4 AND revoked_at IS NULL",
    )
    .bind(app.now())
    .bind(session_id)
    .bind(kind)
    .bind(id)
    .execute(app.db.writer())
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("session"));
    }
    Ok(())
}

/// Revokes the session a token belongs to (logout).
pub async fn revoke_token(app: &App, token: &str) -> AppResult<()> {
    sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL")
        .bind(app.now())
        .bind(crypto::sha256_hex(token.as_bytes()))
        .execute(app.db.writer())
        .await?;
    Ok(())
}
