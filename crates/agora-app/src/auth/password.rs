//! Password change for a logged-in customer.

use agora_domain::Password;

use super::{Credentials, check_password};
use crate::App;
use crate::error::{AppError, AppResult, FieldError};

/// Changes a customer's password: checks the current one, stores the new one and revokes
/// every other session of the customer (the session making the change stays valid).
/// A wrong current password counts towards the account lockout like a failed login.
pub async fn change_password(
    app: &App,
    customer_id: i64,
    current_session_id: i64,
    current: &str,
    new: &str,
) -> AppResult<()> {
    let mut errors = Vec::new();
    if current.is_empty() {
        errors.push(FieldError { field: "current_password".into(), message: "must not be empty".into() });
    }
    let new_password = Password::parse(new)
        .map_err(|e| errors.push(FieldError { field: "new_password".into(), message: e.to_string() }))
        .ok();
    let (Some(new_password), true) = (new_password, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let account: Option<Credentials> =
        sqlx::query_as("SELECT id, password_hash, status, locked_until FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(app.db.reader())
            .await?;
    match check_password(app, "customers", account, current).await {
        Ok(_) => {}
        Err(AppError::InvalidCredentials) => return Err(AppError::invalid("current_password", "is not correct")),
        Err(e) => return Err(e),
    }
    let hash = super::hash_password_blocking(new_password.as_str().to_string()).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    sqlx::query("UPDATE customers SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE sessions SET revoked_at = $1 \
         WHERE subject_kind = $2 AND subject_id = $3 AND id <> $4 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(super::CUSTOMER)
    .bind(customer_id)
    .bind(current_session_id)
    .execute(&mut *tx)
    .await?;
    crate::events::record(
        &mut tx,
        now,
        "customer.password_changed",
        &format!("customer:{customer_id}"),
        &serde_json::json!({"customer_id": customer_id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
