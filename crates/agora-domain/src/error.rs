//! The single error type returned by fallible domain operations.

use thiserror::Error;

/// Errors produced by the pure domain rules.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// Two amounts in different currencies were combined.
    #[error("currency mismatch")]
    CurrencyMismatch,
    /// An arithmetic operation overflowed the 64-bit amount range.
    #[error("amount overflow")]
    Overflow,
    /// An input value failed validation.
    #[error("invalid {field}: {message}")]
    Invalid {
        /// Name of the offending field (e.g. `"email"`, `"quantity"`).
        field: &'static str,
        /// Human-readable reason.
        message: String,
    },
}

impl DomainError {
    /// Builds an [`DomainError::Invalid`] for `field` with the given message.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { field, message: message.into() }
    }

    /// Field name associated with the error, when there is one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            Self::CurrencyMismatch | Self::Overflow => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_is_reported_for_invalid_only() {
        let e = DomainError::invalid("email", "missing '@'");
        assert_eq!(e.field(), Some("email"));
        assert_eq!(e.to_string(), "invalid email: missing '@'");
        assert_eq!(DomainError::Overflow.field(), None);
        assert_eq!(DomainError::CurrencyMismatch.field(), None);
        assert_eq!(DomainError::CurrencyMismatch.to_string(), "currency mismatch");
    }
}
