//! The pricing algorithm.

use super::allocate::allocate;
use super::shipping::shipping_fee;
use super::tax::line_tax;
use super::validate::{FULL_RATE, validate};
use super::{AppliedDiscount, DiscountKind, LineTotal, PriceLine, PricingInput, TaxMode, Totals};
use crate::error::DomainError;
use crate::money::div_round_half_up;

/// Prices a cart or order.
///
/// Steps, all in integer minor units:
/// 1. each line's subtotal is `unit_price × quantity`;
/// 2. [`DiscountKind::LineAmount`] discounts apply first, each capped at what
///    is left of its line;
/// 3. order-level discounts apply in input order to the remaining item total
///    (a percentage is taken of that remainder, rounded half-up, then capped),
///    never taking items below zero, and are spread over the lines by
///    largest remainder so line discounts add up exactly;
/// 4. shipping is computed from the discounted item total and total weight
///    (an empty cart ships free); a [`DiscountKind::FreeShipping`] waives it;
/// 5. tax is computed per line on its discounted total, rounded half-up;
///    shipping is not taxed.
///
/// Every input discount gets one [`AppliedDiscount`] entry, in input order.
/// Invalid inputs yield [`DomainError::Invalid`] naming the field; amounts
/// that do not fit in `i64` yield [`DomainError::Overflow`].
pub fn price(input: &PricingInput) -> Result<Totals, DomainError> {
    validate(input)?;
    let lines = &input.lines;
    let subtotals: Vec<i128> = lines.iter().map(|l| i128::from(l.unit_price) * i128::from(l.quantity)).collect();
    // Subtotals are non-negative, so if their sum fits every one fits.
    let subtotal = fit(subtotals.iter().sum())?;

    let mut discounts = vec![0_i128; lines.len()];
    let mut saved = vec![0_i128; input.discounts.len()];
    apply_line_discounts(input, &subtotals, &mut discounts, &mut saved);
    apply_order_discounts(input, &subtotals, &mut discounts, &mut saved);

    let totals: Vec<i128> = subtotals.iter().zip(&discounts).map(|(s, d)| s - d).collect();
    let items_total: i128 = totals.iter().sum();
    let weight: i128 = lines.iter().map(|l| i128::from(l.weight_grams) * i128::from(l.quantity)).sum();
    let mut shipping = shipping_fee(&input.shipping, !lines.is_empty(), items_total, weight)?;
    for (discount, saved) in input.discounts.iter().zip(saved.iter_mut()) {
        if discount.kind == DiscountKind::FreeShipping {
            *saved = shipping;
            shipping = 0;
        }
    }

    let taxes: Vec<i128> = totals.iter().map(|t| line_tax(*t, input.tax)).collect();
    let tax_total: i128 = taxes.iter().sum();

    let line_totals = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            Ok(LineTotal {
                sku_id: l.sku_id,
                quantity: l.quantity,
                unit_price: l.unit_price,
                subtotal: fit(subtotals[i])?,
                discount: fit(discounts[i])?,
                total: fit(totals[i])?,
                tax: fit(taxes[i])?,
            })
        })
        .collect::<Result<Vec<_>, DomainError>>()?;
    let applied = input
        .discounts
        .iter()
        .zip(&saved)
        .map(|(d, amount)| Ok(AppliedDiscount { code: d.code.clone(), label: d.label.clone(), amount: fit(*amount)? }))
        .collect::<Result<Vec<_>, DomainError>>()?;

    Ok(Totals {
        currency: input.currency,
        lines: line_totals,
        subtotal,
        discount_total: fit(discounts.iter().sum())?,
        shipping_total: fit(shipping)?,
        tax_total: fit(tax_total)?,
        grand_total: fit(grand(items_total, shipping, tax_total, input.tax.mode))?,
        applied,
    })
}

/// Step 2: per-SKU amounts off, capped at each line's remaining amount.
/// What a buyer pays: items after discounts, plus shipping, plus tax when prices exclude it.
/// The one place this rule lives (cart totals and each order of a split cart use it).
pub(super) fn grand(items_total: i128, shipping: i128, tax_total: i128, mode: TaxMode) -> i128 {
    let payable_tax = match mode {
        TaxMode::Exclusive => tax_total,
        TaxMode::Inclusive => 0,
    };
    items_total + shipping + payable_tax
}

fn apply_line_discounts(input: &PricingInput, subtotals: &[i128], discounts: &mut [i128], saved: &mut [i128]) {
    for (k, discount) in input.discounts.iter().enumerate() {
        let DiscountKind::LineAmount { sku_id, amount_per_unit } = discount.kind else {
            continue;
        };
        for (i, line) in input.lines.iter().enumerate() {
            if line.sku_id != sku_id {
                continue;
            }
            let wanted = i128::from(amount_per_unit) * i128::from(line.quantity);
            let taken = wanted.min(subtotals[i] - discounts[i]);
            discounts[i] += taken;
            saved[k] += taken;
        }
    }
}

/// Step 3: order-level discounts, allocated across lines.
fn apply_order_discounts(input: &PricingInput, subtotals: &[i128], discounts: &mut [i128], saved: &mut [i128]) {
    for (k, discount) in input.discounts.iter().enumerate() {
        let remaining: Vec<i128> = subtotals.iter().zip(discounts.iter()).map(|(s, d)| s - d).collect();
        let remaining_total: i128 = remaining.iter().sum();
        let wanted = match discount.kind {
            DiscountKind::OrderAmount { amount } => i128::from(amount),
            DiscountKind::OrderPercent { basis_points, cap } => {
                let off = div_round_half_up(remaining_total * i128::from(basis_points), i128::from(FULL_RATE));
                cap.map_or(off, |cap| off.min(i128::from(cap)))
            }
            DiscountKind::LineAmount { .. } | DiscountKind::FreeShipping => continue,
        };
        let taken = wanted.min(remaining_total);
        let current: &[i128] = discounts;
        let parts = allocate(taken, &remaining, |a, b| {
            line_key(&input.lines[a]).cmp(&line_key(&input.lines[b])).then(current[a].cmp(&current[b]))
        });
        for (d, part) in discounts.iter_mut().zip(parts) {
            *d += part;
        }
        saved[k] = taken;
    }
}

/// Content-only ordering key, so allocation ignores line positions.
fn line_key(line: &PriceLine) -> (i64, i64, i64, i64, i64, i64) {
    (line.sku_id, line.product_id, line.category_id, line.unit_price, line.quantity, line.weight_grams)
}

/// Narrows an internal amount to `i64`.
fn fit(value: i128) -> Result<i64, DomainError> {
    i64::try_from(value).map_err(|_| DomainError::Overflow)
}
