use super::*;
use crate::error::DomainError;
use crate::test_support::{from_value, to_json, to_value};

fn line(sku_id: i64, unit_price: i64, quantity: i64) -> PriceLine {
    PriceLine { sku_id, product_id: sku_id * 10, category_id: 1, unit_price, quantity, weight_grams: 0 }
}

fn heavy(sku_id: i64, unit_price: i64, quantity: i64, weight_grams: i64) -> PriceLine {
    PriceLine { weight_grams, ..line(sku_id, unit_price, quantity) }
}

fn disc(code: &str, kind: DiscountKind) -> Discount {
    Discount { code: code.to_owned(), label: format!("label {code}"), kind }
}

fn input(lines: Vec<PriceLine>, discounts: Vec<Discount>) -> PricingInput {
    PricingInput { currency: Currency::CNY, lines, discounts, shipping: ShippingRule::None, tax: TaxRule::default() }
}

fn amounts(totals: &Totals) -> Vec<i64> {
    totals.applied.iter().map(|a| a.amount).collect()
}

fn line_discounts(totals: &Totals) -> Vec<i64> {
    totals.lines.iter().map(|l| l.discount).collect()
}

#[test]
fn plain_cart() {
    let t = price(&input(vec![line(1, 1999, 2), line(2, 500, 1)], vec![])).unwrap();
    assert_eq!(t.currency, Currency::CNY);
    assert_eq!(t.subtotal, 4498);
    assert_eq!(t.discount_total, 0);
    assert_eq!(t.shipping_total, 0);
    assert_eq!(t.tax_total, 0);
    assert_eq!(t.grand_total, 4498);
    assert_eq!(
        t.lines[0],
        LineTotal { sku_id: 1, quantity: 2, unit_price: 1999, subtotal: 3998, discount: 0, total: 3998, tax: 0 }
    );
    assert!(t.applied.is_empty());
}

#[test]
fn empty_cart_is_all_zero() {
    let mut i = input(vec![], vec![disc("X", DiscountKind::OrderAmount { amount: 100 })]);
    i.shipping = ShippingRule::Flat { fee: 800 };
    let t = price(&i).unwrap();
    assert_eq!((t.subtotal, t.shipping_total, t.grand_total), (0, 0, 0));
    assert_eq!(amounts(&t), vec![0]);
}

#[test]
fn invalid_inputs_name_the_field() {
    let check = |i: PricingInput, field: &str| {
        let err = price(&i).unwrap_err();
        assert_eq!(err.field(), Some(field), "{err}");
    };
    check(input(vec![line(1, 100, 0)], vec![]), "quantity");
    check(input(vec![line(1, 100, 10_000)], vec![]), "quantity");
    check(input(vec![line(1, 100, -1)], vec![]), "quantity");
    check(input(vec![line(1, -1, 1)], vec![]), "unit_price");
    check(input(vec![heavy(1, 1, 1, -5)], vec![]), "weight_grams");
    let bad = |kind| input(vec![line(1, 100, 1)], vec![disc("D", kind)]);
    check(bad(DiscountKind::OrderAmount { amount: -1 }), "amount");
    check(bad(DiscountKind::OrderPercent { basis_points: 10_001, cap: None }), "basis_points");
    check(bad(DiscountKind::OrderPercent { basis_points: 10, cap: Some(-1) }), "cap");
    check(bad(DiscountKind::LineAmount { sku_id: 1, amount_per_unit: -1 }), "amount_per_unit");
    let ship = |shipping| PricingInput { shipping, ..input(vec![line(1, 100, 1)], vec![]) };
    check(ship(ShippingRule::Flat { fee: -1 }), "fee");
    check(ship(ShippingRule::FreeOver { fee: 1, threshold: -1 }), "threshold");
    let by_weight = |first_grams, first_fee, step_grams, step_fee| ShippingRule::ByWeight {
        first_grams,
        first_fee,
        step_grams,
        step_fee,
    };
    check(ship(by_weight(0, 1, 0, 1)), "step_grams");
    check(ship(by_weight(0, 1, -500, 1)), "step_grams");
    check(ship(by_weight(-1, 1, 500, 1)), "first_grams");
    check(ship(by_weight(0, -1, 500, 1)), "first_fee");
    check(ship(by_weight(0, 1, 500, -1)), "step_fee");
    let mut taxed = input(vec![line(1, 100, 1)], vec![]);
    taxed.tax.basis_points = 10_001;
    check(taxed, "tax_basis_points");
}

#[test]
fn overflow_is_an_error() {
    let i = input(vec![line(1, i64::MAX, 2)], vec![]);
    assert_eq!(price(&i), Err(DomainError::Overflow));
    let half = i64::MAX / 2 + 1;
    let i = input(vec![line(1, half, 1), line(2, half, 1)], vec![]);
    assert_eq!(price(&i), Err(DomainError::Overflow));
    let mut i = input(vec![line(1, i64::MAX, 1)], vec![]);
    assert_eq!(price(&i).map(|t| t.grand_total), Ok(i64::MAX));
    i.shipping = ShippingRule::Flat { fee: 1 };
    assert_eq!(price(&i), Err(DomainError::Overflow));
}

#[test]
fn line_discount_is_per_unit_and_capped() {
    let t = price(&input(
        vec![line(1, 1000, 3), line(2, 300, 2), line(1, 200, 1)],
        vec![
            disc("A", DiscountKind::LineAmount { sku_id: 1, amount_per_unit: 250 }),
            disc("B", DiscountKind::LineAmount { sku_id: 2, amount_per_unit: 500 }),
            disc("C", DiscountKind::LineAmount { sku_id: 9, amount_per_unit: 100 }),
        ],
    ))
    .unwrap();
    assert_eq!(line_discounts(&t), vec![750, 600, 200]);
    assert_eq!(amounts(&t), vec![950, 600, 0]);
    assert_eq!(t.discount_total, 1550);
    assert_eq!(t.grand_total, 3800 - 1550);
    assert_eq!(t.applied[0].code, "A");
    assert_eq!(t.applied[0].label, "label A");
}

#[test]
fn line_discounts_go_before_order_discounts() {
    let t = price(&input(
        vec![line(1, 1000, 1), line(2, 1000, 1)],
        vec![
            disc("PCT", DiscountKind::OrderPercent { basis_points: 5000, cap: None }),
            disc("L", DiscountKind::LineAmount { sku_id: 1, amount_per_unit: 1000 }),
        ],
    ))
    .unwrap();
    assert_eq!(amounts(&t), vec![500, 1000]);
    assert_eq!(line_discounts(&t), vec![1000, 500]);
}

#[test]
fn order_amount_is_split_proportionally() {
    let t = price(&input(
        vec![line(1, 3000, 1), line(2, 1000, 1)],
        vec![disc("X", DiscountKind::OrderAmount { amount: 1000 })],
    ))
    .unwrap();
    assert_eq!(line_discounts(&t), vec![750, 250]);
    assert_eq!(t.discount_total, 1000);
    assert_eq!(t.grand_total, 3000);
}

#[test]
fn largest_remainder_keeps_the_sum_exact() {
    let t = price(&input(
        vec![line(1, 100, 1), line(2, 100, 1), line(3, 100, 1)],
        vec![disc("X", DiscountKind::OrderAmount { amount: 100 })],
    ))
    .unwrap();
    let mut split = line_discounts(&t);
    split.sort_unstable();
    assert_eq!(split, vec![33, 33, 34]);
    assert_eq!(t.discount_total, 100);
}

#[test]
fn order_discounts_never_go_below_zero() {
    let t = price(&input(
        vec![line(1, 1500, 2), line(2, 1000, 1)],
        vec![
            disc("BIG", DiscountKind::OrderAmount { amount: 5000 }),
            disc("MORE", DiscountKind::OrderAmount { amount: 100 }),
            disc("PCT", DiscountKind::OrderPercent { basis_points: 1000, cap: None }),
        ],
    ))
    .unwrap();
    assert_eq!(amounts(&t), vec![4000, 0, 0]);
    assert_eq!(line_discounts(&t), vec![3000, 1000]);
    assert_eq!(t.grand_total, 0);
}

#[test]
fn order_percent_rounds_caps_and_chains() {
    let pct = |basis_points, cap| DiscountKind::OrderPercent { basis_points, cap };
    let one = |kind| price(&input(vec![line(1, 1010, 1)], vec![disc("P", kind)])).unwrap();
    assert_eq!(one(pct(1500, None)).discount_total, 152); // 151.5 -> 152
    assert_eq!(one(pct(1000, None)).discount_total, 101);
    assert_eq!(one(pct(1000, Some(50))).discount_total, 50);
    assert_eq!(one(pct(10_000, None)).discount_total, 1010);
    assert_eq!(one(pct(0, None)).discount_total, 0);
    let t = price(&input(
        vec![line(1, 1000, 1)],
        vec![disc("A", DiscountKind::OrderAmount { amount: 200 }), disc("P", pct(5000, None))],
    ))
    .unwrap();
    assert_eq!(amounts(&t), vec![200, 400]);
}

#[test]
fn shipping_rules() {
    let ship = |shipping, discounts| {
        let i = PricingInput { shipping, ..input(vec![heavy(1, 5000, 2, 400), heavy(2, 1000, 1, 250)], discounts) };
        price(&i).unwrap()
    };
    let flat = ship(ShippingRule::Flat { fee: 800 }, vec![]);
    assert_eq!((flat.shipping_total, flat.grand_total), (800, 11_800));
    let free_over = ShippingRule::FreeOver { fee: 800, threshold: 11_000 };
    assert_eq!(ship(free_over.clone(), vec![]).shipping_total, 0);
    let coupon = disc("C", DiscountKind::OrderAmount { amount: 1 });
    let t = ship(free_over, vec![coupon]);
    assert_eq!(t.shipping_total, 800, "threshold compares the discounted total");
    let by_weight = ShippingRule::ByWeight { first_grams: 500, first_fee: 600, step_grams: 200, step_fee: 150 };
    // 2 × 400 g + 250 g = 1050 g -> 550 g over -> 3 started steps.
    assert_eq!(ship(by_weight, vec![]).shipping_total, 600 + 3 * 150);
    assert_eq!(ship(ShippingRule::Pickup, vec![]).shipping_total, 0);
    assert_eq!(ship(ShippingRule::None, vec![]).shipping_total, 0);
}

#[test]
fn free_shipping_discount_records_the_saving() {
    let mut i = input(
        vec![line(1, 2000, 1)],
        vec![
            disc("SHIP", DiscountKind::FreeShipping),
            disc("X", DiscountKind::OrderAmount { amount: 100 }),
            disc("SHIP2", DiscountKind::FreeShipping),
        ],
    );
    i.shipping = ShippingRule::Flat { fee: 800 };
    let t = price(&i).unwrap();
    assert_eq!(t.shipping_total, 0);
    assert_eq!(amounts(&t), vec![800, 100, 0]);
    assert_eq!(t.discount_total, 100);
    assert_eq!(t.grand_total, 1900);
    i.shipping = ShippingRule::Pickup;
    assert_eq!(amounts(&price(&i).unwrap()), vec![0, 100, 0]);
}

#[test]
fn exclusive_tax_is_per_line_and_skips_shipping() {
    let mut i = input(vec![line(1, 50, 1), line(2, 50, 1)], vec![]);
    i.tax = TaxRule { basis_points: 1300, mode: TaxMode::Exclusive };
    i.shipping = ShippingRule::Flat { fee: 1000 };
    let t = price(&i).unwrap();
    assert_eq!(t.lines.iter().map(|l| l.tax).collect::<Vec<_>>(), vec![7, 7]);
    assert_eq!(t.tax_total, 14);
    assert_eq!(t.grand_total, 100 + 1000 + 14);
}

#[test]
fn inclusive_tax_is_reported_not_added() {
    let mut i = input(vec![line(1, 11_300, 1), line(2, 10_000, 1)], vec![]);
    i.tax = TaxRule { basis_points: 1300, mode: TaxMode::Inclusive };
    i.shipping = ShippingRule::Flat { fee: 500 };
    let t = price(&i).unwrap();
    assert_eq!(t.lines.iter().map(|l| l.tax).collect::<Vec<_>>(), vec![1300, 1150]);
    assert_eq!(t.tax_total, 2450);
    assert_eq!(t.grand_total, 21_300 + 500);
}

#[test]
fn tax_is_on_the_discounted_line_total() {
    let mut i = input(vec![line(1, 10_000, 1)], vec![disc("X", DiscountKind::OrderAmount { amount: 2000 })]);
    i.tax = TaxRule { basis_points: 600, mode: TaxMode::Exclusive };
    let t = price(&i).unwrap();
    assert_eq!(t.tax_total, 480);
    assert_eq!(t.grand_total, 8480);
}

#[test]
fn worked_example() {
    let i = PricingInput {
        currency: Currency::CNY,
        lines: vec![heavy(1, 4990, 2, 300), heavy(2, 1500, 3, 200), heavy(3, 1000, 1, 0)],
        discounts: vec![
            disc("SKU2", DiscountKind::LineAmount { sku_id: 2, amount_per_unit: 500 }),
            disc("TEN", DiscountKind::OrderPercent { basis_points: 1000, cap: Some(1000) }),
            disc("FIVE", DiscountKind::OrderAmount { amount: 500 }),
        ],
        shipping: ShippingRule::ByWeight { first_grams: 1000, first_fee: 800, step_grams: 500, step_fee: 200 },
        tax: TaxRule { basis_points: 600, mode: TaxMode::Exclusive },
    };
    let t = price(&i).unwrap();
    assert_eq!(t.subtotal, 15_480);
    assert_eq!(amounts(&t), vec![1500, 1000, 500]);
    assert_eq!(line_discounts(&t), vec![1071, 1822, 107]);
    assert_eq!(t.lines.iter().map(|l| l.total).collect::<Vec<_>>(), vec![8909, 2678, 893]);
    assert_eq!(t.discount_total, 3000);
    assert_eq!(t.shipping_total, 1000);
    assert_eq!(t.lines.iter().map(|l| l.tax).collect::<Vec<_>>(), vec![535, 161, 54]);
    assert_eq!(t.tax_total, 750);
    assert_eq!(t.grand_total, 14_230);
}

#[test]
fn serde_shapes() {
    assert_eq!(
        to_json(&ShippingRule::ByWeight { first_grams: 1000, first_fee: 800, step_grams: 500, step_fee: 200 }),
        r#"{"kind":"by_weight","first_grams":1000,"first_fee":800,"step_grams":500,"step_fee":200}"#
    );
    assert_eq!(to_json(&ShippingRule::Pickup), r#"{"kind":"pickup"}"#);
    assert_eq!(
        to_json(&ShippingRule::FreeOver { fee: 1, threshold: 2 }),
        r#"{"kind":"free_over","fee":1,"threshold":2}"#
    );
    assert_eq!(
        to_json(&TaxRule { basis_points: 1300, mode: TaxMode::Inclusive }),
        r#"{"basis_points":1300,"mode":"inclusive"}"#
    );
    assert_eq!(
        to_json(&disc("OFF5", DiscountKind::OrderAmount { amount: 500 })),
        r#"{"code":"OFF5","label":"label OFF5","kind":"order_amount","amount":500}"#
    );
    assert_eq!(
        to_json(&disc("P", DiscountKind::OrderPercent { basis_points: 10, cap: None })),
        r#"{"code":"P","label":"label P","kind":"order_percent","basis_points":10,"cap":null}"#
    );
    assert_eq!(
        to_json(&disc("S", DiscountKind::FreeShipping)),
        r#"{"code":"S","label":"label S","kind":"free_shipping"}"#
    );
    let t = price(&input(vec![line(7, 250, 2)], vec![])).unwrap();
    assert_eq!(
        to_json(&t),
        concat!(
            r#"{"currency":"CNY","lines":[{"sku_id":7,"quantity":2,"unit_price":250,"#,
            r#""subtotal":500,"discount":0,"total":500,"tax":0}],"subtotal":500,"#,
            r#""discount_total":0,"shipping_total":0,"tax_total":0,"grand_total":500,"applied":[]}"#
        )
    );
}

#[test]
fn serde_round_trips() {
    let i = PricingInput {
        currency: Currency::USD,
        lines: vec![heavy(1, 4990, 2, 300)],
        discounts: vec![
            disc("L", DiscountKind::LineAmount { sku_id: 1, amount_per_unit: 5 }),
            disc("P", DiscountKind::OrderPercent { basis_points: 10, cap: Some(3) }),
            disc("A", DiscountKind::OrderAmount { amount: 1 }),
            disc("S", DiscountKind::FreeShipping),
        ],
        shipping: ShippingRule::FreeOver { fee: 800, threshold: 9900 },
        tax: TaxRule { basis_points: 1300, mode: TaxMode::Inclusive },
    };
    let back: PricingInput = from_value(to_value(&i)).unwrap();
    assert_eq!(back, i);
    for rule in [
        ShippingRule::Flat { fee: 1 },
        ShippingRule::ByWeight { first_grams: 1, first_fee: 2, step_grams: 3, step_fee: 4 },
        ShippingRule::Pickup,
        ShippingRule::None,
    ] {
        assert_eq!(from_value::<ShippingRule>(to_value(&rule)).unwrap(), rule);
    }
    let t = price(&i).unwrap();
    assert_eq!(from_value::<Totals>(to_value(&t)).unwrap(), t);
}
