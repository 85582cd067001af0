//! RFC 9457 problem+json responses. Every error a client sees has a stable `code`;
//! unexpected failures are logged with detail and answered with a bare 500.

use agora_app::{AppError, FieldError};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type: `/problems/{code}`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code, e.g. `validation_failed`, `insufficient_stock`.
    pub code: String,
    /// Per-field messages for invalid input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<FieldError>,
}

/// An error leaving a handler.
#[derive(Debug)]
pub struct ApiError(pub AppError);

pub type ApiResult<T> = Result<T, ApiError>;

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

fn status_of(err: &AppError) -> StatusCode {
    match err {
        AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound { .. } => StatusCode::NOT_FOUND,
        AppError::Conflict { .. } | AppError::IllegalTransition(_) | AppError::InsufficientStock { .. } => {
            StatusCode::CONFLICT
        }
        AppError::Unauthenticated | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Provider(_) => StatusCode::BAD_GATEWAY,
        AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Builds a problem response from parts (also used for errors raised outside handlers).
pub fn problem(status: StatusCode, code: &str, detail: String, errors: Vec<FieldError>) -> Response {
    let body = Problem {
        kind: format!("/problems/{code}"),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail,
        code: code.to_string(),
        errors,
    };
    let mut response = (status, axum::Json(body)).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let err = self.0;
        let status = status_of(&err);
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %err, "request failed");
            return problem(status, "internal", "an unexpected error occurred".into(), Vec::new());
        }
        let detail = err.to_string();
        let retry_after = match &err {
            AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        let code = err.code();
        let errors = match err {
            AppError::Validation(errors) => errors,
            _ => Vec::new(),
        };
        let mut response = problem(status, code, detail, errors);
        if let Some(secs) = retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}
