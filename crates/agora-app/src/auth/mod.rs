//! Identity and access: customers and staff, password login with lockout and rate
//! limits, opaque session tokens stored hashed, roles and permissions.

mod customers;
mod limiter;
mod password;
mod sessions;
mod staff;

pub use customers::{Customer, Registration, get_customer, login_customer, register_customer};
pub use limiter::RateLimiter;
pub use password::change_password;
pub use sessions::{SessionInfo, list_sessions, revoke_session, revoke_token};
pub use staff::{NewStaff, StaffMember, create_staff, list_staff, login_staff};

use serde::Serialize;

use crate::crypto;
use crate::error::{AppError, AppResult};
use crate::{App, Tx};

/// Staff roles. Each grants a fixed set of [`Permission`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Operator,
    Support,
    Finance,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Operator => "operator",
            Role::Support => "support",
            Role::Finance => "finance",
        }
    }

    pub fn parse(text: &str) -> AppResult<Role> {
        match text {
            "admin" => Ok(Role::Admin),
            "operator" => Ok(Role::Operator),
            "support" => Ok(Role::Support),
            "finance" => Ok(Role::Finance),
            _ => Err(AppError::invalid("role", "must be one of admin, operator, support, finance")),
        }
    }

    /// Least privilege: what each role may do.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Operator => matches!(permission, ManageCatalog | ManageInventory | ViewOrders | ManageOrders),
            Role::Support => matches!(permission, ViewOrders | ManageOrders | ViewCustomers),
            Role::Finance => matches!(permission, ViewOrders | Refund | ViewCustomers),
        }
    }
}

/// Something a staff member may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    ManageCatalog,
    ManageInventory,
    ViewOrders,
    ManageOrders,
    Refund,
    ViewCustomers,
    ManageStaff,
    ViewAudit,
}

/// Who a session token belongs to.
#[derive(Debug, Clone)]
pub enum Principal {
    Customer { customer_id: i64, session_id: i64 },
    Staff { staff_id: i64, role: Role, session_id: i64 },
}

/// A freshly issued session: the token is shown to the client once and never stored.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedSession {
    pub token: String,
    pub session_id: i64,
    pub expires_at: i64,
}

pub(crate) const CUSTOMER: &str = "customer";
pub(crate) const STAFF: &str = "staff";

/// Creates a session row for a subject inside `tx`.
pub(crate) async fn issue_session(
    app: &App,
    tx: &mut Tx,
    kind: &str,
    subject_id: i64,
    user_agent: &str,
) -> AppResult<IssuedSession> {
    let token = crypto::new_token();
    let now = app.now();
    let expires_at = now + app.settings.session_ttl_ms;
    let agent: String = user_agent.chars().take(200).collect();
    let session_id: i64 = sqlx::query_scalar(
        "INSERT INTO sessions (token_hash, subject_kind, subject_id, user_agent, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
    )
    .bind(crypto::sha256_hex(token.as_bytes()))
    .bind(kind)
    .bind(subject_id)
    .bind(agent)
    .bind(now)
    .bind(expires_at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(IssuedSession { token, session_id, expires_at })
}

/// Resolves a bearer token to its principal, extending the session's expiry while in use.
pub async fn authenticate(app: &App, token: &str) -> AppResult<Principal> {
    sessions::resolve(app, token).await
}

/// The stored credentials of an account, as read for a login.
#[derive(sqlx::FromRow)]
pub(crate) struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub status: String,
    pub locked_until: Option<i64>,
}

/// Counts one login attempt from a client against the per-client rate limit.
pub(crate) fn check_rate(app: &App, table: &'static str, client_key: &str) -> AppResult<()> {
    app.login_limiter.check(&format!("{table}:{client_key}"), app.now())
}

/// The password check shared by customers and staff: unknown accounts cost the same time
/// as known ones, locked accounts are refused like wrong passwords, failures count towards
/// the lockout.
/// Returns the account id on success.
pub(crate) async fn check_password(
    app: &App,
    table: &'static str,
    account: Option<Credentials>,
    password: &str,
) -> AppResult<i64> {
    let Some(account) = account else {
        let _ = hash_password_blocking(password.to_string()).await;
        return Err(AppError::InvalidCredentials);
    };
    // A locked account answers exactly like a wrong password (same error, same time):
    // a distinct answer would tell anyone which e-mails and phones have accounts.
    if account.locked_until.is_some_and(|until| until > app.now()) {
        let _ = hash_password_blocking(password.to_string()).await;
        return Err(AppError::InvalidCredentials);
    }
    let ok = verify_password_blocking(password.to_string(), account.password_hash).await;
    record_login_outcome(app, table, account.id, ok).await?;
    if !ok || account.status != "active" {
        return Err(AppError::InvalidCredentials);
    }
    Ok(account.id)
}

/// Verifies a password on a blocking thread (argon2 is deliberately slow).
async fn verify_password_blocking(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || crypto::verify_password(&password, &hash)).await.unwrap_or(false)
}

/// Hashes a password on a blocking thread.
pub async fn hash_password_blocking(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || crypto::hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)
}

/// Records the outcome of a password check against an account row in `table`
/// (`customers` or `staff`): resets the counter on success, counts failures and locks the
/// account once `login_max_failures` is reached.
async fn record_login_outcome(app: &App, table: &'static str, id: i64, ok: bool) -> AppResult<()> {
    let now = app.now();
    let sql_ok = match table {
        "staff" => "UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE id = $1",
        _ => "UPDATE customers SET failed_logins = 0, locked_until = NULL WHERE id = $1",
    };
    let sql_fail = match table {
        "staff" => {
            "UPDATE staff SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END, \
             locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END WHERE id = $1"
        }
        _ => {
            "UPDATE customers SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END, \
             locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END WHERE id = $1"
        }
    };
    if ok {
        sqlx::query(sql_ok).bind(id).execute(app.db.writer()).await?;
    } else {
        sqlx::query(sql_fail)
            .bind(id)
            .bind(app.settings.login_max_failures)
            .bind(now + app.settings.lockout_ms)
            .execute(app.db.writer())
            .await?;
    }
    Ok(())
}
