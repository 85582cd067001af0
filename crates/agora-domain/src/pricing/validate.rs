//! Input checks for [`super::price`].

use super::{DiscountKind, PriceLine, PricingInput, ShippingRule};
use crate::error::DomainError;

/// Largest quantity a single line may carry.
pub(super) const MAX_QUANTITY: i64 = 9999;
/// 100 % in basis points.
pub(super) const FULL_RATE: u32 = 10_000;

/// Rejects inputs the pricing rules are not defined for.
pub(super) fn validate(input: &PricingInput) -> Result<(), DomainError> {
    input.lines.iter().try_for_each(line)?;
    input.discounts.iter().try_for_each(|d| discount(&d.kind))?;
    shipping(&input.shipping)?;
    if input.tax.basis_points > FULL_RATE {
        return Err(DomainError::invalid("tax_basis_points", "must be at most 10000"));
    }
    Ok(())
}

fn line(line: &PriceLine) -> Result<(), DomainError> {
    if !(1..=MAX_QUANTITY).contains(&line.quantity) {
        return Err(DomainError::invalid("quantity", "must be 1 to 9999"));
    }
    non_negative("unit_price", line.unit_price)?;
    non_negative("weight_grams", line.weight_grams)
}

fn discount(kind: &DiscountKind) -> Result<(), DomainError> {
    match kind {
        DiscountKind::OrderAmount { amount } => non_negative("amount", *amount),
        DiscountKind::OrderPercent { basis_points, cap } => {
            if *basis_points > FULL_RATE {
                return Err(DomainError::invalid("basis_points", "must be at most 10000"));
            }
            cap.map_or(Ok(()), |cap| non_negative("cap", cap))
        }
        DiscountKind::LineAmount { amount_per_unit, .. } => non_negative("amount_per_unit", *amount_per_unit),
        DiscountKind::FreeShipping => Ok(()),
    }
}

fn shipping(rule: &ShippingRule) -> Result<(), DomainError> {
    match rule {
        ShippingRule::Flat { fee } => non_negative("fee", *fee),
        ShippingRule::FreeOver { fee, threshold } => {
            non_negative("fee", *fee)?;
            non_negative("threshold", *threshold)
        }
        ShippingRule::ByWeight { first_grams, first_fee, step_grams, step_fee } => {
            non_negative("first_grams", *first_grams)?;
            non_negative("first_fee", *first_fee)?;
            non_negative("step_fee", *step_fee)?;
            if *step_grams <= 0 {
                return Err(DomainError::invalid("step_grams", "must be positive"));
            }
            Ok(())
        }
        ShippingRule::Pickup | ShippingRule::None => Ok(()),
    }
}

fn non_negative(field: &'static str, value: i64) -> Result<(), DomainError> {
    if value < 0 { Err(DomainError::invalid(field, "must not be negative")) } else { Ok(()) }
}
