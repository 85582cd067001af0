//! Plain-text passwords on their way to the hasher.

use std::fmt;

use crate::error::DomainError;

/// A candidate password: 8–128 characters, not all whitespace.
///
/// Deliberately has no `Display` or `Serialize`, and its `Debug` output is
/// redacted, so it cannot leak into logs or responses by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

const FIELD: &str = "password";

impl Password {
    /// Validates a password; the text is kept exactly as given.
    pub fn parse(raw: &str) -> Result<Password, DomainError> {
        let len = raw.chars().count();
        if !(8..=128).contains(&len) {
            return Err(DomainError::invalid(FIELD, "must be 8 to 128 characters"));
        }
        if raw.chars().all(char::is_whitespace) {
            return Err(DomainError::invalid(FIELD, "must not be only whitespace"));
        }
        Ok(Password(raw.to_owned()))
    }

    /// The secret text, for hashing or verification only.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

impl<'de> serde::Deserialize<'de> for Password {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <String as serde::Deserialize>::deserialize(deserializer)?;
        Password::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{from_value, to_value};

    #[test]
    fn length_and_whitespace() {
        assert!(Password::parse("12345678").is_ok());
        assert!(Password::parse("密码密码密码密码").is_ok());
        assert!(Password::parse(&"x".repeat(128)).is_ok());
        assert_eq!(Password::parse(" pass word ").unwrap().as_str(), " pass word ");
        for bad in ["", "1234567", "        ", "\t\t\t\t\n\n\n\n"] {
            let err = Password::parse(bad).unwrap_err();
            assert_eq!(err.field(), Some("password"), "{bad:?}");
        }
        assert!(Password::parse(&"x".repeat(129)).is_err());
    }

    #[test]
    fn debug_is_redacted() {
        let p = Password::parse("hunter22-secret").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
        let err = Password::parse("short").unwrap_err();
        assert!(!err.to_string().contains("short"));
    }

    #[test]
    fn deserializes_with_validation() {
        let p: Password = from_value(to_value("correct horse")).unwrap();
        assert_eq!(p.as_str(), "correct horse");
        assert!(from_value::<Password>(to_value("short")).is_err());
    }
}
