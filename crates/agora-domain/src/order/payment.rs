//! Payment state derived from amounts paid and refunded.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::DomainError;

/// How much of an order's money has been collected or returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// Less than the grand total has been collected.
    Unpaid,
    /// The grand total has been collected and nothing refunded.
    Paid,
    /// Some, but not all, of the collected money was refunded.
    PartiallyRefunded,
    /// Everything collected was refunded.
    Refunded,
}

impl PaymentState {
    /// Every state.
    pub const ALL: [PaymentState; 4] =
        [PaymentState::Unpaid, PaymentState::Paid, PaymentState::PartiallyRefunded, PaymentState::Refunded];

    /// The snake_case name, e.g. `"partially_refunded"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            PaymentState::Unpaid => "unpaid",
            PaymentState::Paid => "paid",
            PaymentState::PartiallyRefunded => "partially_refunded",
            PaymentState::Refunded => "refunded",
        }
    }

    /// Parses the snake_case name produced by [`PaymentState::as_str`].
    pub fn parse(raw: &str) -> Result<PaymentState, DomainError> {
        PaymentState::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| DomainError::invalid("payment_state", "unknown payment state"))
    }
}

impl fmt::Display for PaymentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Derives the payment state from minor-unit amounts.
///
/// * any refund that covers everything paid → `Refunded`;
/// * any smaller refund → `PartiallyRefunded`;
/// * otherwise `Paid` once `paid ≥ grand_total` (so a zero-total order counts
///   as paid), else `Unpaid`.
pub fn payment_state(grand_total: i64, paid: i64, refunded: i64) -> PaymentState {
    if refunded > 0 {
        if refunded >= paid { PaymentState::Refunded } else { PaymentState::PartiallyRefunded }
    } else if paid >= grand_total {
        PaymentState::Paid
    } else {
        PaymentState::Unpaid
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{from_value, to_json, to_value};

    #[test]
    fn derives_state() {
        assert_eq!(payment_state(1000, 0, 0), PaymentState::Unpaid);
        assert_eq!(payment_state(1000, 999, 0), PaymentState::Unpaid);
        assert_eq!(payment_state(1000, 1000, 0), PaymentState::Paid);
        assert_eq!(payment_state(1000, 1200, 0), PaymentState::Paid);
        assert_eq!(payment_state(0, 0, 0), PaymentState::Paid);
        assert_eq!(payment_state(1000, 1000, 1), PaymentState::PartiallyRefunded);
        assert_eq!(payment_state(1000, 1000, 999), PaymentState::PartiallyRefunded);
        assert_eq!(payment_state(1000, 1000, 1000), PaymentState::Refunded);
        assert_eq!(payment_state(1000, 1000, 1500), PaymentState::Refunded);
    }

    #[test]
    fn names_round_trip() {
        for state in PaymentState::ALL {
            assert_eq!(PaymentState::parse(state.as_str()), Ok(state));
            assert_eq!(to_json(&state), format!("\"{}\"", state.as_str()));
            assert_eq!(from_value::<PaymentState>(to_value(state.as_str())).unwrap(), state);
        }
        assert_eq!(PaymentState::parse("PAID").unwrap_err().field(), Some("payment_state"));
    }
}
