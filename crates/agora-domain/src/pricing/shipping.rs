//! Shipping fee before free-shipping discounts.

use super::ShippingRule;
use crate::error::DomainError;

/// Fee for `rule` given the discounted item total and total weight.
///
/// Returns 0 for an empty cart. Expects a validated rule.
pub(super) fn shipping_fee(
    rule: &ShippingRule,
    has_lines: bool,
    items_total: i128,
    weight_grams: i128,
) -> Result<i128, DomainError> {
    if !has_lines {
        return Ok(0);
    }
    let fee = match *rule {
        ShippingRule::Flat { fee } => i128::from(fee),
        ShippingRule::FreeOver { fee, threshold } => {
            if items_total >= i128::from(threshold) {
                0
            } else {
                i128::from(fee)
            }
        }
        ShippingRule::ByWeight { first_grams, first_fee, step_grams, step_fee } => {
            let extra = weight_grams - i128::from(first_grams);
            let steps = if extra > 0 {
                let step = i128::from(step_grams.max(1));
                (extra + step - 1) / step
            } else {
                0
            };
            steps
                .checked_mul(i128::from(step_fee))
                .and_then(|s| s.checked_add(i128::from(first_fee)))
                .ok_or(DomainError::Overflow)?
        }
        ShippingRule::Pickup | ShippingRule::None => 0,
    };
    Ok(fee)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BY_WEIGHT: ShippingRule =
        ShippingRule::ByWeight { first_grams: 1000, first_fee: 800, step_grams: 500, step_fee: 200 };

    fn fee(rule: &ShippingRule, items: i128, grams: i128) -> i128 {
        shipping_fee(rule, true, items, grams).unwrap()
    }

    #[test]
    fn by_weight_bands() {
        assert_eq!(fee(&BY_WEIGHT, 0, 0), 800);
        assert_eq!(fee(&BY_WEIGHT, 0, 1000), 800);
        assert_eq!(fee(&BY_WEIGHT, 0, 1001), 1000);
        assert_eq!(fee(&BY_WEIGHT, 0, 1500), 1000);
        assert_eq!(fee(&BY_WEIGHT, 0, 1501), 1200);
        assert_eq!(fee(&BY_WEIGHT, 0, 3000), 1600);
    }

    #[test]
    fn free_over_threshold_is_inclusive() {
        let rule = ShippingRule::FreeOver { fee: 1000, threshold: 9900 };
        assert_eq!(fee(&rule, 9899, 0), 1000);
        assert_eq!(fee(&rule, 9900, 0), 0);
    }

    #[test]
    fn empty_cart_ships_free() {
        let rule = ShippingRule::Flat { fee: 500 };
        assert_eq!(shipping_fee(&rule, false, 0, 0), Ok(0));
        assert_eq!(fee(&rule, 0, 0), 500);
        assert_eq!(fee(&ShippingRule::Pickup, 0, 0), 0);
        assert_eq!(fee(&ShippingRule::None, 0, 0), 0);
    }

    #[test]
    fn huge_weight_overflows_cleanly() {
        let rule = ShippingRule::ByWeight { first_grams: 0, first_fee: 0, step_grams: 1, step_fee: i64::MAX };
        assert_eq!(shipping_fee(&rule, true, 0, i128::MAX / 2), Err(DomainError::Overflow));
    }
}
