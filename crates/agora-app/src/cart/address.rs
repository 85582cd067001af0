//! A postal address: its shape, normalisation and validation. Used inline on carts (and
//! copied onto orders) and in the customer's address book.

use agora_domain::Phone;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult, FieldError};

/// A shipping address. Required: recipient, phone, country, city, line1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Person receiving the parcel (≤ 100 characters).
    pub recipient: String,
    /// Phone number, `+<country code>…` or an 11-digit Chinese mobile number.
    pub phone: String,
    /// Country name or ISO code (≤ 60).
    pub country: String,
    #[serde(default)]
    pub province: String,
    pub city: String,
    #[serde(default)]
    pub district: String,
    /// Street and number (≤ 200).
    pub line1: String,
    #[serde(default)]
    pub line2: String,
    #[serde(default)]
    pub postal_code: String,
}

/// (field, required, max characters)
const RULES: [(&str, bool, usize); 9] = [
    ("recipient", true, 100),
    ("phone", true, 32),
    ("country", true, 60),
    ("province", false, 100),
    ("city", true, 100),
    ("district", false, 100),
    ("line1", true, 200),
    ("line2", false, 200),
    ("postal_code", false, 20),
];

impl Address {
    fn fields_mut(&mut self) -> [&mut String; 9] {
        [
            &mut self.recipient,
            &mut self.phone,
            &mut self.country,
            &mut self.province,
            &mut self.city,
            &mut self.district,
            &mut self.line1,
            &mut self.line2,
            &mut self.postal_code,
        ]
    }

    /// Trims every field, checks required fields and lengths, normalises the phone.
    /// Field errors are named `{prefix}{field}` (e.g. `address.city`); all are reported.
    pub fn validated(mut self, prefix: &str) -> AppResult<Address> {
        let mut errors = Vec::new();
        for (value, (name, required, max)) in self.fields_mut().into_iter().zip(RULES) {
            let trimmed = value.trim().to_string();
            let field = format!("{prefix}{name}");
            if required && trimmed.is_empty() {
                errors.push(FieldError { field, message: "is required".into() });
            } else if trimmed.chars().count() > max {
                errors.push(FieldError { field, message: format!("must be at most {max} characters") });
            } else if trimmed.chars().any(char::is_control) {
                errors.push(FieldError { field, message: "must not contain control characters".into() });
            }
            *value = trimmed;
        }
        if !self.phone.is_empty() && !errors.iter().any(|e| e.field.ends_with("phone")) {
            match Phone::parse(&self.phone) {
                Ok(p) => self.phone = p.as_str().to_string(),
                Err(e) => errors.push(FieldError { field: format!("{prefix}phone"), message: e.to_string() }),
            }
        }
        if errors.is_empty() { Ok(self) } else { Err(AppError::Validation(errors)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Address {
        Address {
            recipient: " Li Lei ".into(),
            phone: "138 0013 8000".into(),
            country: "CN".into(),
            province: "".into(),
            city: "Shanghai".into(),
            district: "".into(),
            line1: "1 Nanjing Rd".into(),
            line2: "".into(),
            postal_code: "".into(),
        }
    }

    #[test]
    fn normalises_and_trims() {
        let a = sample().validated("address.").unwrap();
        assert_eq!(a.recipient, "Li Lei");
        assert_eq!(a.phone, "+8613800138000");
    }

    #[test]
    fn reports_every_bad_field() {
        let mut a = sample();
        a.city = "  ".into();
        a.line1 = "x".repeat(201);
        a.phone = "12".into();
        let Err(AppError::Validation(errors)) = a.validated("address.") else { panic!("expected validation") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["address.city", "address.line1", "address.phone"]);
    }
}
