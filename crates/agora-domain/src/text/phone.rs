//! Telephone numbers in E.164-like form.

use crate::error::DomainError;

/// A phone number normalised to `+<digits>` (6–15 digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(String);

const FIELD: &str = "phone";

impl Phone {
    /// Parses a phone number.
    ///
    /// Spaces and `-` separators are stripped. The number must start with
    /// `+` and a country code, except that a bare 11-digit number starting
    /// with `1` is taken as a Chinese mobile number and gets `+86` prepended.
    pub fn parse(raw: &str) -> Result<Phone, DomainError> {
        let compact: String = raw.trim().chars().filter(|c| *c != ' ' && *c != '-').collect();
        let (plus, digits) = match compact.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, compact.as_str()),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid(
                FIELD,
                "may contain only digits, an optional leading '+', spaces and '-'",
            ));
        }
        let normalised = if plus {
            format!("+{digits}")
        } else if digits.len() == 11 && digits.starts_with('1') {
            format!("+86{digits}")
        } else {
            return Err(DomainError::invalid(FIELD, "must start with '+' and a country code"));
        };
        let count = normalised.len() - 1;
        if !(6..=15).contains(&count) {
            return Err(DomainError::invalid(FIELD, "must have 6 to 15 digits"));
        }
        Ok(Phone(normalised))
    }
}

super::string_newtype!(Phone);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{from_value, to_json, to_value};

    #[test]
    fn normalises() {
        let p = |s: &str| Phone::parse(s).unwrap().as_str().to_owned();
        assert_eq!(p("13800138000"), "+8613800138000");
        assert_eq!(p(" 138-0013-8000 "), "+8613800138000");
        assert_eq!(p("+86 138 0013 8000"), "+8613800138000");
        assert_eq!(p("+1 415-555-0100"), "+14155550100");
        assert_eq!(p("+123456"), "+123456");
        assert_eq!(p("+123456789012345"), "+123456789012345");
    }

    #[test]
    fn rejects() {
        for bad in [
            "",
            "+",
            "abc",
            "+12345",
            "+1234567890123456",
            "4155550100",
            "23800138000",
            "1380013800",
            "+86(138)00138000",
            "+86+13800138000",
            "1380013800０",
        ] {
            let err = Phone::parse(bad).unwrap_err();
            assert_eq!(err.field(), Some("phone"), "{bad:?}");
        }
    }

    #[test]
    fn serde_as_string() {
        let p = Phone::parse("13800138000").unwrap();
        assert_eq!(p.to_string(), "+8613800138000");
        assert_eq!(to_json(&p), "\"+8613800138000\"");
        let back: Phone = from_value(to_value("138 0013 8000")).unwrap();
        assert_eq!(back, p);
    }
}
