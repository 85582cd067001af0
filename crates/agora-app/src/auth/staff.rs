//! Staff accounts: created by an administrator (or the CLI), logged in with e-mail.

use agora_domain::{Email, Password};
use serde::Serialize;
use sqlx::FromRow;

use super::{Credentials, IssuedSession, Role, STAFF, check_password, check_rate, issue_session};
use crate::App;
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult, FieldError, unique_violation};
use crate::page::{self, Page};

/// A staff member as listed to administrators.
#[derive(Debug, Clone, Serialize, FromRow, utoipa::ToSchema)]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub status: String,
    pub created_at: i64,
}

/// Input for a new staff account, unparsed.
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub role: String,
}

/// Creates a staff account. `actor` is None only for the command line.
pub async fn create_staff(app: &App, input: &NewStaff, actor: Option<&Actor>) -> AppResult<StaffMember> {
    let mut errors = Vec::new();
    let email = Email::parse(&input.email)
        .map_err(|e| errors.push(FieldError { field: "email".into(), message: e.to_string() }))
        .ok();
    let password = Password::parse(&input.password)
        .map_err(|e| errors.push(FieldError { field: "password".into(), message: e.to_string() }))
        .ok();
    let role = Role::parse(&input.role)
        .map_err(|_| {
            errors.push(FieldError {
                field: "role".into(),
                message: "must be one of admin, operator, support, finance".into(),
            })
        })
        .ok();
    if input.display_name.chars().count() > 100 {
        errors.push(FieldError { field: "display_name".into(), message: "must be at most 100 characters".into() });
    }
    let (Some(email), Some(password), Some(role), true) = (email, password, role, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let hash = super::hash_password_blocking(password.as_str().to_string()).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let member: StaffMember = sqlx::query_as(
        "INSERT INTO staff (email, password_hash, display_name, role, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) \
         RETURNING id, email, display_name, role, status, created_at",
    )
    .bind(email.as_str())
    .bind(hash)
    .bind(input.display_name.trim())
    .bind(role.as_str())
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| unique_violation(e, "account_exists", "a staff account with this e-mail already exists"))?;
    if let Some(actor) = actor {
        let change = Change {
            action: "staff.create",
            entity: "staff",
            entity_id: member.id.to_string(),
            before: None,
            after: audit::snapshot(&member),
        };
        audit::record(&mut tx, now, actor, change).await?;
    }
    tx.commit().await?;
    Ok(member)
}

/// Staff accounts, oldest first, a page at a time.
pub async fn list_staff(app: &App, cursor: Option<&str>, limit: Option<i64>) -> AppResult<Page<StaffMember>> {
    let limit = page::limit(limit)?;
    let after = match cursor {
        Some(c) => page::decode_cursor(c, 1)?[0],
        None => 0,
    };
    let rows: Vec<StaffMember> = sqlx::query_as(
        "SELECT id, email, display_name, role, status, created_at FROM staff WHERE id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after)
    .bind(limit + 1)
    .fetch_all(app.db.reader())
    .await?;
    Ok(page::paginate(rows, limit, |s| vec![s.id]))
}

/// Logs a staff member in.
pub async fn login_staff(
    app: &App,
    email: &str,
    password: &str,
    client_key: &str,
    user_agent: &str,
) -> AppResult<(StaffMember, IssuedSession)> {
    check_rate(app, "staff", client_key)?;
    let email = Email::parse(email).map_err(|_| AppError::InvalidCredentials)?;
    let account: Option<Credentials> =
        sqlx::query_as("SELECT id, password_hash, status, locked_until FROM staff WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(app.db.reader())
            .await?;
    let id = check_password(app, "staff", account, password).await?;
    let mut tx = app.db.begin().await?;
    let session = issue_session(app, &mut tx, STAFF, id, user_agent).await?;
    tx.commit().await?;
    let member = sqlx::query_as("SELECT id, email, display_name, role, status, created_at FROM staff WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.reader())
        .await?;
    Ok((member, session))
}
