//! Currencies and money amounts held in integer minor units.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::serde_str::string_serde;

/// An ISO-4217 currency code, always three upper-case ASCII letters.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Chinese yuan renminbi.
    pub const CNY: Currency = Currency(*b"CNY");
    /// United States dollar.
    pub const USD: Currency = Currency(*b"USD");

    /// Parses exactly three ASCII letters, normalising them to upper case.
    pub fn parse(raw: &str) -> Result<Currency, DomainError> {
        let bytes = raw.as_bytes();
        match bytes {
            [a, b, c] if bytes.iter().all(u8::is_ascii_alphabetic) => {
                Ok(Currency([a.to_ascii_uppercase(), b.to_ascii_uppercase(), c.to_ascii_uppercase()]))
            }
            _ => Err(DomainError::invalid("currency", "must be a three-letter ISO-4217 code")),
        }
    }

    /// The upper-case code, e.g. `"CNY"`.
    pub fn as_str(&self) -> &str {
        // Construction guarantees ASCII, so this never falls back.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// Number of decimal digits in the currency's minor unit.
    pub fn minor_units(&self) -> u32 {
        match &self.0 {
            b"JPY" | b"KRW" | b"VND" => 0,
            b"BHD" | b"KWD" | b"JOD" | b"OMR" | b"TND" => 3,
            _ => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.as_str())
    }
}

string_serde!(Currency);

/// An amount of money in integer minor units (e.g. fen, cents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Amount in minor units; may be negative (e.g. adjustments).
    pub amount: i64,
    /// Currency of the amount.
    pub currency: Currency,
}

impl Money {
    /// Creates an amount of `amount` minor units of `currency`.
    pub const fn new(amount: i64, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// Zero in the given currency.
    pub const fn zero(currency: Currency) -> Money {
        Money::new(0, currency)
    }

    /// Adds two amounts of the same currency.
    pub fn checked_add(self, other: Money) -> Result<Money, DomainError> {
        self.same_currency(other)?;
        let amount = self.amount.checked_add(other.amount).ok_or(DomainError::Overflow)?;
        Ok(Money::new(amount, self.currency))
    }

    /// Subtracts `other` from `self` (same currency required).
    pub fn checked_sub(self, other: Money) -> Result<Money, DomainError> {
        self.same_currency(other)?;
        let amount = self.amount.checked_sub(other.amount).ok_or(DomainError::Overflow)?;
        Ok(Money::new(amount, self.currency))
    }

    /// Multiplies the amount by a quantity.
    pub fn checked_mul(self, qty: i64) -> Result<Money, DomainError> {
        let amount = self.amount.checked_mul(qty).ok_or(DomainError::Overflow)?;
        Ok(Money::new(amount, self.currency))
    }

    /// Formats as a decimal string with the currency code, e.g. `"19.99 CNY"`.
    pub fn display(&self) -> String {
        format_minor(self.amount, self.currency.minor_units()) + " " + self.currency.as_str()
    }

    fn same_currency(self, other: Money) -> Result<(), DomainError> {
        if self.currency == other.currency { Ok(()) } else { Err(DomainError::CurrencyMismatch) }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// Renders `amount` minor units as a decimal with `digits` fraction digits.
fn format_minor(amount: i64, digits: u32) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    let abs = amount.unsigned_abs();
    if digits == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10u64.pow(digits);
    let width = digits as usize;
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale)
}

/// Divides `numerator` by a positive `denominator`, rounding half away from zero.
pub(crate) fn div_round_half_up(numerator: i128, denominator: i128) -> i128 {
    debug_assert!(denominator > 0);
    let quotient = (numerator.abs() + denominator / 2) / denominator;
    if numerator < 0 { -quotient } else { quotient }
}

/// Saturating conversion of an `i128` into the `i64` range.
pub(crate) fn saturate_i64(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

/// `amount × basis_points / 10000`, rounded half away from zero.
///
/// Computed in `i128` so it never overflows internally; a result outside the
/// `i64` range (only possible with rates above 100 %) saturates.
pub fn percent_of(amount: i64, basis_points: u32) -> i64 {
    let product = i128::from(amount) * i128::from(basis_points);
    saturate_i64(div_round_half_up(product, 10_000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{from_value, to_json, to_value};

    #[test]
    fn currency_parse_normalises_and_rejects() {
        assert_eq!(Currency::parse("cny"), Ok(Currency::CNY));
        assert_eq!(Currency::parse("UsD"), Ok(Currency::USD));
        for bad in ["", "CN", "CNYY", "C1Y", " CN", "元元元", "CN-"] {
            let err = Currency::parse(bad).unwrap_err();
            assert_eq!(err.field(), Some("currency"), "{bad:?}");
        }
    }

    #[test]
    fn currency_minor_units() {
        let units = |c: &str| Currency::parse(c).unwrap().minor_units();
        assert_eq!(units("JPY"), 0);
        assert_eq!(units("krw"), 0);
        assert_eq!(units("VND"), 0);
        assert_eq!(units("KWD"), 3);
        assert_eq!(units("BHD"), 3);
        assert_eq!(units("JOD"), 3);
        assert_eq!(units("OMR"), 3);
        assert_eq!(units("TND"), 3);
        assert_eq!(units("CNY"), 2);
        assert_eq!(units("EUR"), 2);
    }

    #[test]
    fn currency_display_and_serde() {
        assert_eq!(Currency::CNY.to_string(), "CNY");
        assert_eq!(format!("{:?}", Currency::USD), "Currency(USD)");
        assert_eq!(to_json(&Currency::CNY), "\"CNY\"");
        let back: Currency = from_value(to_value(&"usd")).unwrap();
        assert_eq!(back, Currency::USD);
        assert!(from_value::<Currency>(to_value(&"dollars")).is_err());
    }

    #[test]
    fn money_arithmetic() {
        let a = Money::new(1999, Currency::CNY);
        let b = Money::new(1, Currency::CNY);
        assert_eq!(a.checked_add(b), Ok(Money::new(2000, Currency::CNY)));
        assert_eq!(a.checked_sub(b), Ok(Money::new(1998, Currency::CNY)));
        assert_eq!(a.checked_mul(3), Ok(Money::new(5997, Currency::CNY)));
        assert_eq!(Money::zero(Currency::USD).amount, 0);
        let usd = Money::new(1, Currency::USD);
        assert_eq!(a.checked_add(usd), Err(DomainError::CurrencyMismatch));
        assert_eq!(a.checked_sub(usd), Err(DomainError::CurrencyMismatch));
        let max = Money::new(i64::MAX, Currency::CNY);
        assert_eq!(max.checked_add(b), Err(DomainError::Overflow));
        assert_eq!(Money::new(i64::MIN, Currency::CNY).checked_sub(b), Err(DomainError::Overflow));
        assert_eq!(max.checked_mul(2), Err(DomainError::Overflow));
    }

    #[test]
    fn money_display() {
        assert_eq!(Money::new(1999, Currency::CNY).display(), "19.99 CNY");
        assert_eq!(Money::new(5, Currency::USD).display(), "0.05 USD");
        assert_eq!(Money::new(-5, Currency::USD).display(), "-0.05 USD");
        assert_eq!(Money::new(0, Currency::CNY).to_string(), "0.00 CNY");
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(Money::new(1999, jpy).display(), "1999 JPY");
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(Money::new(1999, kwd).display(), "1.999 KWD");
        assert_eq!(Money::new(i64::MIN, Currency::CNY).display(), "-92233720368547758.08 CNY");
    }

    #[test]
    fn money_serde_shape() {
        let m = Money::new(1999, Currency::CNY);
        assert_eq!(to_json(&m), r#"{"amount":1999,"currency":"CNY"}"#);
        let back: Money = from_value(to_value(&m)).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn percent_of_rounds_half_away_from_zero() {
        assert_eq!(percent_of(1000, 1500), 150);
        assert_eq!(percent_of(5, 5000), 3); // 2.5 -> 3
        assert_eq!(percent_of(-5, 5000), -3); // -2.5 -> -3
        assert_eq!(percent_of(4, 5000), 2);
        assert_eq!(percent_of(1, 4999), 0); // 0.4999 -> 0
        assert_eq!(percent_of(1, 5000), 1); // 0.5 -> 1
        assert_eq!(percent_of(0, 10_000), 0);
        assert_eq!(percent_of(i64::MAX, 10_000), i64::MAX);
        assert_eq!(percent_of(i64::MIN, 10_000), i64::MIN);
        assert_eq!(percent_of(i64::MAX, u32::MAX), i64::MAX);
        assert_eq!(percent_of(i64::MIN, u32::MAX), i64::MIN);
    }

    #[test]
    fn div_round_half_up_cases() {
        assert_eq!(div_round_half_up(7, 2), 4);
        assert_eq!(div_round_half_up(-7, 2), -4);
        assert_eq!(div_round_half_up(10, 3), 3);
        assert_eq!(div_round_half_up(11, 3), 4);
    }
}
