//! Pure commerce rules for Agora: money, parsed text newtypes, the order
//! state machine and the pricing function. No I/O lives in this crate.

mod serde_str;

pub mod error;
pub mod money;
pub mod order;
pub mod pricing;
pub mod text;

#[cfg(test)]
mod test_support;

pub use error::DomainError;
pub use money::{Currency, Money, percent_of};
pub use order::{IllegalTransition, OrderEvent, OrderStatus, PaymentState, payment_state};
pub use pricing::{
    AppliedDiscount, Discount, DiscountKind, LineTotal, PriceLine, PricingInput, ShippingRule, TaxMode, TaxRule,
    Totals, price,
};
pub use text::{Email, Locale, Password, Phone, Slug};
