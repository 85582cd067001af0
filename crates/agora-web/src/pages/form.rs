//! HTML forms: an urlencoded body extractor, and the state a form is re-rendered with
//! (entered values and per-field messages).

use std::collections::HashMap;

use agora_app::{AppError, FieldError};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use super::ctx::PageError;

/// An `application/x-www-form-urlencoded` body. The CSRF check already happened in the
/// page middleware; a body that does not fit `T` is a 400 page.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|_| PageError::bad_request())?;
        serde_urlencoded::from_bytes(&bytes).map(Form).map_err(|_| PageError::bad_request())
    }
}

/// A form that may carry a file as its part `file`: posted as `multipart/form-data` (the
/// other parts are read as text into `T`; no file chosen = empty bytes) or urlencoded (no
/// file). The CSRF check already happened in the page middleware.
pub struct FormWithFile<T> {
    pub form: T,
    pub file: Vec<u8>,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for FormWithFile<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req.headers().get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        if !content_type.is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("multipart/form-data")) {
            let Form(form) = Form::from_request(req, state).await?;
            return Ok(FormWithFile { form, file: Vec::new() });
        }
        let bad = |_| PageError::bad_request();
        let mut parts =
            axum::extract::Multipart::from_request(req, state).await.map_err(|_| PageError::bad_request())?;
        let (mut fields, mut file) = (Vec::new(), Vec::new());
        while let Some(part) = parts.next_field().await.map_err(bad)? {
            match part.name().map(str::to_string) {
                Some(name) if name == "file" => {
                    file = part.bytes().await.map_err(|_| PageError::too_large())?.to_vec();
                }
                Some(name) => fields.push((name, part.text().await.map_err(bad)?)),
                None => {}
            }
        }
        let encoded = serde_urlencoded::to_string(&fields).map_err(|_| PageError::bad_request())?;
        let form = serde_urlencoded::from_str(&encoded).map_err(|_| PageError::bad_request())?;
        Ok(FormWithFile { form, file })
    }
}

/// A form being shown again: what was typed (never passwords) and what is wrong with it.
#[derive(Debug, Default, Clone)]
pub struct FormState {
    values: HashMap<String, String>,
    errors: Vec<FieldError>,
    /// A message about the whole form (catalog key), e.g. wrong credentials.
    pub notice: Option<&'static str>,
}

impl FormState {
    /// Keeps an entered value to show again.
    pub fn keep(mut self, field: &str, value: &str) -> Self {
        self.values.insert(field.to_string(), value.to_string());
        self
    }

    /// Keeps `value` for `field` unless a typed value is already kept (pre-filled forms).
    pub fn keep_unless_typed(mut self, field: &str, value: &str) -> Self {
        self.values.entry(field.to_string()).or_insert_with(|| value.to_string());
        self
    }

    /// The value to put back into `field` (empty when none).
    pub fn value(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }

    /// The first message about `field`, if any.
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.notice.is_some()
    }

    /// Adds a per-field message.
    pub fn field_error(mut self, field: &str, message: &str) -> Self {
        self.errors.push(FieldError { field: field.to_string(), message: message.to_string() });
        self
    }

    pub fn with_notice(mut self, key: &'static str) -> Self {
        self.notice = Some(key);
        self
    }

    /// Takes the field messages of a validation error; `rename` maps use-case field names
    /// to input names. Any other error is handed back.
    pub fn absorb(mut self, err: AppError, rename: &[(&str, &str)]) -> Result<Self, AppError> {
        let AppError::Validation(errors) = err else {
            return Err(err);
        };
        for mut e in errors {
            if let Some((_, input)) = rename.iter().find(|(from, _)| *from == e.field) {
                e.field = (*input).to_string();
            }
            self.errors.push(e);
        }
        if self.notice.is_none() {
            self.notice = Some("account.form_invalid");
        }
        Ok(self)
    }
}

/// Empty or blank form text is "not given".
pub fn given(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}
