//! The error type of every use case. The web layer maps it to problem+json.

use agora_domain::DomainError;

/// One invalid input field and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// What went wrong in a use case, with a stable machine-readable `code()`.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("authentication required")]
    Unauthenticated,
    /// Wrong identifier or password, or an account locked after repeated failures (the
    /// same answer, so it does not reveal which accounts exist).
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("not allowed")]
    Forbidden,
    #[error("too many requests")]
    RateLimited { retry_after_secs: u64 },
    #[error("not enough stock for SKU {sku_id}")]
    InsufficientStock { sku_id: i64 },
    #[error("{0}")]
    IllegalTransition(#[from] agora_domain::IllegalTransition),
    #[error("upstream provider failed: {0}")]
    Provider(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A single invalid field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError { field: field.into(), message: message.into() }])
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Conflict { code, message: message.into() }
    }

    pub fn not_found(entity: &'static str) -> Self {
        AppError::NotFound { entity }
    }

    /// Stable code for clients; never changes once published.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation_failed",
            AppError::NotFound { .. } => "not_found",
            AppError::Conflict { code, .. } => code,
            AppError::Unauthenticated => "unauthenticated",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::Forbidden => "forbidden",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::InsufficientStock { .. } => "insufficient_stock",
            AppError::IllegalTransition(_) => "illegal_transition",
            AppError::Provider(_) => "provider_error",
            AppError::Database(_) | AppError::Internal(_) => "internal",
        }
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        let field = e.field().unwrap_or("body");
        AppError::invalid(field, e.to_string())
    }
}

/// Maps a database error into a conflict when it is a unique-constraint violation.
pub fn unique_violation(e: sqlx::Error, code: &'static str, message: &str) -> AppError {
    if let sqlx::Error::Database(db) = &e
        && db.is_unique_violation()
    {
        return AppError::conflict(code, message);
    }
    AppError::Database(e)
}
