//! Property tests for [`super::price`].

use proptest::prelude::*;

use super::*;
use crate::error::DomainError;

fn price_line(max_price: i64) -> impl Strategy<Value = PriceLine> {
    (0..6_i64, 0..3_i64, 0..max_price, 1..=60_i64, 0..3000_i64).prop_map(
        |(sku_id, category_id, unit_price, quantity, weight_grams)| PriceLine {
            sku_id,
            product_id: sku_id * 100,
            category_id,
            unit_price,
            quantity,
            weight_grams,
        },
    )
}

fn discount_kind() -> impl Strategy<Value = DiscountKind> {
    prop_oneof![
        (0..60_000_i64).prop_map(|amount| DiscountKind::OrderAmount { amount }),
        (0..=10_000_u32, prop::option::of(0..30_000_i64))
            .prop_map(|(basis_points, cap)| DiscountKind::OrderPercent { basis_points, cap }),
        (0..6_i64, 0..20_000_i64)
            .prop_map(|(sku_id, amount_per_unit)| { DiscountKind::LineAmount { sku_id, amount_per_unit } }),
        Just(DiscountKind::FreeShipping),
    ]
}

fn discount() -> impl Strategy<Value = Discount> {
    (0..1000_u32, discount_kind()).prop_map(|(n, kind)| Discount {
        code: format!("C{n}"),
        label: format!("promo {n}"),
        kind,
    })
}

fn shipping_rule() -> impl Strategy<Value = ShippingRule> {
    prop_oneof![
        (0..5000_i64).prop_map(|fee| ShippingRule::Flat { fee }),
        (0..5000_i64, 0..200_000_i64).prop_map(|(fee, threshold)| ShippingRule::FreeOver { fee, threshold }),
        (0..5000_i64, 0..5000_i64, 1..2000_i64, 0..2000_i64).prop_map(
            |(first_grams, first_fee, step_grams, step_fee)| ShippingRule::ByWeight {
                first_grams,
                first_fee,
                step_grams,
                step_fee,
            }
        ),
        Just(ShippingRule::Pickup),
        Just(ShippingRule::None),
    ]
}

fn tax_rule() -> impl Strategy<Value = TaxRule> {
    (0..=10_000_u32, prop::bool::ANY).prop_map(|(basis_points, inclusive)| TaxRule {
        basis_points,
        mode: if inclusive { TaxMode::Inclusive } else { TaxMode::Exclusive },
    })
}

fn pricing_input(max_price: i64) -> impl Strategy<Value = PricingInput> {
    (
        prop::collection::vec(price_line(max_price), 0..8),
        prop::collection::vec(discount(), 0..5),
        shipping_rule(),
        tax_rule(),
    )
        .prop_map(|(lines, discounts, shipping, tax)| PricingInput {
            currency: Currency::CNY,
            lines,
            discounts,
            shipping,
            tax,
        })
}

/// Checks every invariant that must hold for a successful result.
fn check_invariants(input: &PricingInput, t: &Totals) -> Result<(), TestCaseError> {
    let all = [t.subtotal, t.discount_total, t.shipping_total, t.tax_total, t.grand_total];
    prop_assert!(all.iter().all(|v| *v >= 0), "negative total in {t:?}");
    prop_assert_eq!(t.lines.len(), input.lines.len());
    for (l, src) in t.lines.iter().zip(&input.lines) {
        prop_assert!(l.subtotal >= 0 && l.discount >= 0 && l.total >= 0 && l.tax >= 0);
        prop_assert_eq!(l.subtotal, src.unit_price * src.quantity);
        prop_assert_eq!(l.total, l.subtotal - l.discount);
        prop_assert_eq!(l.sku_id, src.sku_id);
    }
    let sum = |f: fn(&LineTotal) -> i64| t.lines.iter().map(f).sum::<i64>();
    prop_assert_eq!(sum(|l| l.subtotal), t.subtotal);
    prop_assert_eq!(sum(|l| l.discount), t.discount_total);
    prop_assert_eq!(sum(|l| l.tax), t.tax_total);
    prop_assert!(t.applied.iter().all(|a| a.amount >= 0));
    prop_assert_eq!(t.applied.len(), input.discounts.len());
    let item_savings: i64 = t
        .applied
        .iter()
        .zip(&input.discounts)
        .filter(|(_, d)| d.kind != DiscountKind::FreeShipping)
        .map(|(a, _)| a.amount)
        .sum();
    prop_assert_eq!(item_savings, t.discount_total);
    let tax_added = match input.tax.mode {
        TaxMode::Exclusive => t.tax_total,
        TaxMode::Inclusive => 0,
    };
    prop_assert_eq!(t.grand_total, t.subtotal - t.discount_total + t.shipping_total + tax_added);
    if input.tax.mode == TaxMode::Inclusive {
        prop_assert!(t.tax_total <= t.subtotal - t.discount_total);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parts_of_a_split_cart_add_up_to_the_cart(input in pricing_input(200_000), seed in any::<u64>()) {
        let whole = price(&input).unwrap();
        // Lines dealt to up to three orders; the first order carries the shipping.
        let mut groups: Vec<Vec<usize>> = vec![Vec::new(); 3];
        for i in 0..whole.lines.len() {
            groups[((seed >> (2 * (i % 32))) % 3) as usize].push(i);
        }
        let parts: Vec<Totals> = groups
            .iter()
            .enumerate()
            .map(|(n, g)| whole.part(g, n == 0, input.tax.mode).unwrap())
            .collect();
        let total = |f: fn(&Totals) -> i64| parts.iter().map(f).sum::<i64>();
        prop_assert_eq!(total(|t| t.grand_total), whole.grand_total);
        prop_assert_eq!(total(|t| t.subtotal), whole.subtotal);
        prop_assert_eq!(total(|t| t.discount_total), whole.discount_total);
        prop_assert_eq!(total(|t| t.tax_total), whole.tax_total);
        prop_assert_eq!(total(|t| t.shipping_total), whole.shipping_total);
        prop_assert!(whole.part(&[whole.lines.len()], false, input.tax.mode).is_err());
    }

    #[test]
    fn totals_are_consistent(input in pricing_input(200_000)) {
        let totals = price(&input).unwrap();
        check_invariants(&input, &totals)?;
    }

    #[test]
    fn pricing_is_deterministic(input in pricing_input(200_000)) {
        prop_assert_eq!(price(&input), price(&input));
    }

    #[test]
    fn line_order_does_not_matter(
        (input, shuffled) in pricing_input(200_000).prop_flat_map(|input| {
            let lines = Just(input.lines.clone()).prop_shuffle();
            (Just(input), lines)
        })
    ) {
        let a = price(&input).unwrap();
        let b = price(&PricingInput { lines: shuffled, ..input.clone() }).unwrap();
        prop_assert_eq!(a.subtotal, b.subtotal);
        prop_assert_eq!(a.discount_total, b.discount_total);
        prop_assert_eq!(a.shipping_total, b.shipping_total);
        prop_assert_eq!(a.tax_total, b.tax_total);
        prop_assert_eq!(a.grand_total, b.grand_total);
        prop_assert_eq!(a.applied, b.applied);
        let mut la = a.lines;
        let mut lb = b.lines;
        la.sort_by_key(|l| (l.sku_id, l.unit_price, l.quantity, l.discount, l.tax));
        lb.sort_by_key(|l| (l.sku_id, l.unit_price, l.quantity, l.discount, l.tax));
        prop_assert_eq!(la, lb);
    }

    #[test]
    fn free_shipping_saves_exactly_the_fee(input in pricing_input(200_000)) {
        let with = price(&input).unwrap();
        let without_input = PricingInput {
            discounts: input
                .discounts
                .iter()
                .filter(|d| d.kind != DiscountKind::FreeShipping)
                .cloned()
                .collect(),
            ..input.clone()
        };
        let without = price(&without_input).unwrap();
        let saved: i64 = with
            .applied
            .iter()
            .zip(&input.discounts)
            .filter(|(_, d)| d.kind == DiscountKind::FreeShipping)
            .map(|(a, _)| a.amount)
            .sum();
        prop_assert_eq!(with.shipping_total + saved, without.shipping_total);
        prop_assert_eq!(with.discount_total, without.discount_total);
    }

    #[test]
    fn huge_amounts_either_price_consistently_or_overflow(
        input in pricing_input(i64::MAX)
    ) {
        match price(&input) {
            Ok(totals) => check_invariants(&input, &totals)?,
            Err(err) => prop_assert_eq!(err, DomainError::Overflow),
        }
    }
}
