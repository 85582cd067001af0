//! Per-line tax.

use super::{TaxMode, TaxRule};
use crate::money::div_round_half_up;

/// Basis points in 100 %.
const BASIS: i128 = 10_000;

/// Tax on a line whose discounted total is `total` (≥ 0), rounded half-up.
///
/// Exclusive: `total × rate`. Inclusive: `total − round(total / (1 + rate))`,
/// i.e. the tax already contained in `total`.
pub(super) fn line_tax(total: i128, rule: TaxRule) -> i128 {
    let bp = i128::from(rule.basis_points);
    match rule.mode {
        TaxMode::Exclusive => div_round_half_up(total * bp, BASIS),
        TaxMode::Inclusive => total - div_round_half_up(total * BASIS, BASIS + bp),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(basis_points: u32, mode: TaxMode) -> TaxRule {
        TaxRule { basis_points, mode }
    }

    #[test]
    fn exclusive_rounds_half_up() {
        let vat = rule(1300, TaxMode::Exclusive);
        assert_eq!(line_tax(10_000, vat), 1300);
        assert_eq!(line_tax(50, vat), 7); // 6.5 -> 7
        assert_eq!(line_tax(3, vat), 0); // 0.39 -> 0
        assert_eq!(line_tax(0, vat), 0);
    }

    #[test]
    fn inclusive_extracts_contained_tax() {
        let vat = rule(1300, TaxMode::Inclusive);
        assert_eq!(line_tax(11_300, vat), 1300);
        assert_eq!(line_tax(10_000, vat), 1150); // 10000/1.13 = 8849.56 -> 8850
        assert_eq!(line_tax(0, vat), 0);
        assert_eq!(line_tax(500, rule(0, TaxMode::Inclusive)), 0);
        assert_eq!(line_tax(500, rule(10_000, TaxMode::Inclusive)), 250);
    }
}
