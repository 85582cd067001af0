//! Customer accounts: registration and login by e-mail or phone.

use agora_domain::{Email, Password, Phone};
use serde::Serialize;
use sqlx::FromRow;

use super::{CUSTOMER, Credentials, IssuedSession, check_password, check_rate, issue_session};
use crate::App;
use crate::error::{AppError, AppResult, FieldError, unique_violation};

/// A customer as shown to themselves and to staff.
#[derive(Debug, Clone, Serialize, FromRow, utoipa::ToSchema)]
pub struct Customer {
    pub id: i64,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub display_name: String,
    pub status: String,
    pub created_at: i64,
}

/// Input of [`register_customer`], unparsed.
#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub password: String,
    pub display_name: Option<String>,
}

struct ParsedRegistration {
    email: Option<Email>,
    phone: Option<Phone>,
    password: Password,
    display_name: String,
}

fn parse_registration(input: &Registration) -> AppResult<ParsedRegistration> {
    let mut errors = Vec::new();
    let mut push = |field: &str, message: String| errors.push(FieldError { field: field.into(), message });
    let email = match input.email.as_deref() {
        Some(e) => Email::parse(e).map_err(|e| push("email", e.to_string())).ok(),
        None => None,
    };
    let phone = match input.phone.as_deref() {
        Some(p) => Phone::parse(p).map_err(|e| push("phone", e.to_string())).ok(),
        None => None,
    };
    if input.email.is_none() && input.phone.is_none() {
        push("email", "an e-mail address or a phone number is required".into());
    }
    let password = Password::parse(&input.password).map_err(|e| push("password", e.to_string())).ok();
    let display_name = input.display_name.clone().unwrap_or_default().trim().to_string();
    if display_name.chars().count() > 100 {
        push("display_name", "must be at most 100 characters".into());
    }
    match password {
        Some(password) if errors.is_empty() => Ok(ParsedRegistration { email, phone, password, display_name }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Registers a customer and logs them in.
pub async fn register_customer(
    app: &App,
    input: &Registration,
    user_agent: &str,
) -> AppResult<(Customer, IssuedSession)> {
    let parsed = parse_registration(input)?;
    let hash = super::hash_password_blocking(parsed.password.as_str().to_string()).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let customer: Customer = sqlx::query_as(
        "INSERT INTO customers (email, phone, password_hash, display_name, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id, email, phone, display_name, status, created_at",
    )
    .bind(parsed.email.as_ref().map(|e| e.as_str().to_string()))
    .bind(parsed.phone.as_ref().map(|p| p.as_str().to_string()))
    .bind(hash)
    .bind(parsed.display_name)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| unique_violation(e, "account_exists", "an account with this e-mail or phone already exists"))?;
    let session = issue_session(app, &mut tx, CUSTOMER, customer.id, user_agent).await?;
    crate::events::record(
        &mut tx,
        now,
        "customer.registered",
        &format!("customer:{}", customer.id),
        &serde_json::json!({"customer_id": customer.id}),
    )
    .await?;
    tx.commit().await?;
    Ok((customer, session))
}

/// Logs a customer in by e-mail or phone.
pub async fn login_customer(
    app: &App,
    identifier: &str,
    password: &str,
    client_key: &str,
    user_agent: &str,
) -> AppResult<(Customer, IssuedSession)> {
    check_rate(app, "customers", client_key)?;
    let identifier = identifier.trim();
    let (sql, value) = if identifier.contains('@') {
        let email = Email::parse(identifier).map_err(|_| AppError::InvalidCredentials)?;
        ("SELECT id, password_hash, status, locked_until FROM customers WHERE email = $1", email.as_str().to_string())
    } else {
        let phone = Phone::parse(identifier).map_err(|_| AppError::InvalidCredentials)?;
        ("SELECT id, password_hash, status, locked_until FROM customers WHERE phone = $1", phone.as_str().to_string())
    };
    let account: Option<Credentials> = sqlx::query_as(sql).bind(value).fetch_optional(app.db.reader()).await?;
    let id = check_password(app, "customers", account, password).await?;
    let mut tx = app.db.begin().await?;
    let session = issue_session(app, &mut tx, CUSTOMER, id, user_agent).await?;
    tx.commit().await?;
    let customer = get_customer(app, id).await?;
    Ok((customer, session))
}

/// One customer by id.
pub async fn get_customer(app: &App, id: i64) -> AppResult<Customer> {
    sqlx::query_as("SELECT id, email, phone, display_name, status, created_at FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(app.db.reader())
        .await?
        .ok_or(AppError::not_found("customer"))
}
