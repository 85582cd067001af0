//! E-mail addresses.

use crate::error::DomainError;

/// A syntactically plausible e-mail address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

const FIELD: &str = "email";
const MAX_CHARS: usize = 254;

impl Email {
    /// Parses and normalises an address.
    ///
    /// Requires at most 254 characters, exactly one `@`, a non-empty local
    /// part, a dotted domain without empty labels, and no whitespace or
    /// control characters.
    pub fn parse(raw: &str) -> Result<Email, DomainError> {
        let email = raw.trim().to_lowercase();
        let fail = |message: &str| Err(DomainError::invalid(FIELD, message));
        if email.is_empty() {
            return fail("must not be empty");
        }
        if email.chars().count() > MAX_CHARS {
            return fail("must be at most 254 characters");
        }
        if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return fail("must not contain spaces or control characters");
        }
        let Some((local, domain)) = email.split_once('@') else {
            return fail("must contain '@'");
        };
        if domain.contains('@') {
            return fail("must contain exactly one '@'");
        }
        if local.is_empty() {
            return fail("is missing the part before '@'");
        }
        if !domain.contains('.') || domain.split('.').any(str::is_empty) {
            return fail("must have a domain like example.com");
        }
        Ok(Email(email))
    }

    /// The domain part (after `@`).
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

super::string_newtype!(Email);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{from_value, to_json, to_value};

    #[test]
    fn normalises() {
        let e = Email::parse("  Alice.Smith@Example.COM \n").unwrap();
        assert_eq!(e.as_str(), "alice.smith@example.com");
        assert_eq!(e.to_string(), "alice.smith@example.com");
        assert_eq!(e.domain(), "example.com");
        assert!(Email::parse("张三@例子.中国").is_ok());
    }

    #[test]
    fn rejects_bad_addresses() {
        let long = format!("{}@example.com", "a".repeat(243));
        assert_eq!(long.len(), 255);
        for bad in [
            "",
            "   ",
            "alice",
            "alice@",
            "@example.com",
            "a@@example.com",
            "a@b@example.com",
            "alice@localhost",
            "alice@example.",
            "alice@.com",
            "alice@exa..mple.com",
            "al ice@example.com",
            "alice@exam\tple.com",
            "alice\u{7}@example.com",
            long.as_str(),
        ] {
            let err = Email::parse(bad).unwrap_err();
            assert_eq!(err.field(), Some("email"), "{bad:?}");
        }
        let max = format!("{}@example.com", "a".repeat(242));
        assert!(Email::parse(&max).is_ok());
    }

    #[test]
    fn serde_as_string() {
        let e = Email::parse("a@b.co").unwrap();
        assert_eq!(to_json(&e), "\"a@b.co\"");
        let back: Email = from_value(to_value("A@B.CO")).unwrap();
        assert_eq!(back, e);
        assert!(from_value::<Email>(to_value("nope")).is_err());
    }
}
