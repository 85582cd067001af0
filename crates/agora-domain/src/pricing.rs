//! The single pure function that prices a cart or an order.
//!
//! Everything is computed in integer minor units (with `i128` internally) so
//! results are exact, deterministic and independent of line order.

use serde::{Deserialize, Serialize};

use crate::money::Currency;

mod allocate;
mod compute;
mod shipping;
mod split;
mod tax;
mod validate;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

pub use compute::price;

/// One purchasable line of a cart or order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PriceLine {
    /// SKU being bought.
    pub sku_id: i64,
    /// Product the SKU belongs to.
    pub product_id: i64,
    /// Category of the product.
    pub category_id: i64,
    /// Price of one unit, minor units, ≥ 0.
    pub unit_price: i64,
    /// Units bought, 1..=9999.
    pub quantity: i64,
    /// Weight of one unit in grams, ≥ 0.
    pub weight_grams: i64,
}

/// What a discount does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DiscountKind {
    /// A fixed amount off the remaining item total.
    OrderAmount {
        /// Amount off, minor units, ≥ 0.
        amount: i64,
    },
    /// A percentage off the remaining item total, optionally capped.
    OrderPercent {
        /// Rate in basis points (1/100 of a percent), ≤ 10000.
        basis_points: u32,
        /// Maximum amount off, minor units, ≥ 0.
        cap: Option<i64>,
    },
    /// A fixed amount off every unit of one SKU.
    LineAmount {
        /// SKU the discount targets.
        sku_id: i64,
        /// Amount off per unit, minor units, ≥ 0.
        amount_per_unit: i64,
    },
    /// Shipping is free.
    FreeShipping,
}

/// A discount to apply; filled in by the promotions engine.
///
/// Serialized flat: `{"code": "…", "label": "…", "kind": "order_amount", "amount": 500}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Discount {
    /// Machine code (coupon code, promotion id…).
    pub code: String,
    /// Human-readable label.
    pub label: String,
    /// What the discount does.
    #[serde(flatten)]
    pub kind: DiscountKind,
}

/// How shipping is charged.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ShippingRule {
    /// A fixed fee.
    Flat {
        /// Fee, minor units, ≥ 0.
        fee: i64,
    },
    /// A fixed fee, waived when the discounted item total reaches `threshold`.
    FreeOver {
        /// Fee, minor units, ≥ 0.
        fee: i64,
        /// Discounted item total at which shipping becomes free, ≥ 0.
        threshold: i64,
    },
    /// `first_fee` up to `first_grams`, then `step_fee` per started `step_grams`.
    ByWeight {
        /// Grams covered by the first fee, ≥ 0.
        first_grams: i64,
        /// Fee for the first weight band, ≥ 0.
        first_fee: i64,
        /// Size of each further band, > 0.
        step_grams: i64,
        /// Fee per further (started) band, ≥ 0.
        step_fee: i64,
    },
    /// Buyer collects in store; no fee.
    Pickup,
    /// Nothing to ship (e.g. digital goods); no fee.
    #[default]
    None,
}

/// Whether prices include tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TaxMode {
    /// Tax is added on top of prices.
    #[default]
    Exclusive,
    /// Prices already contain tax; it is only reported.
    Inclusive,
}

/// The tax applied to items (shipping is never taxed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct TaxRule {
    /// Rate in basis points, ≤ 10000.
    pub basis_points: u32,
    /// Whether prices include the tax.
    pub mode: TaxMode,
}

/// Everything [`price`] needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PricingInput {
    /// Currency of every amount.
    pub currency: Currency,
    /// Lines being bought.
    pub lines: Vec<PriceLine>,
    /// Discounts, in application order (line discounts always go first).
    pub discounts: Vec<Discount>,
    /// Shipping rule.
    pub shipping: ShippingRule,
    /// Tax rule.
    pub tax: TaxRule,
}

/// Priced result for one input line (same order as the input).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LineTotal {
    /// SKU of the line.
    pub sku_id: i64,
    /// Units bought.
    pub quantity: i64,
    /// Price of one unit.
    pub unit_price: i64,
    /// `unit_price × quantity`.
    pub subtotal: i64,
    /// Share of all item discounts allocated to this line.
    pub discount: i64,
    /// `subtotal − discount`.
    pub total: i64,
    /// Tax on `total` (contained in it when prices are tax-inclusive).
    pub tax: i64,
}

/// How much one input discount actually took off.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AppliedDiscount {
    /// Code of the discount.
    pub code: String,
    /// Label of the discount.
    pub label: String,
    /// Amount saved (for free shipping: the shipping fee waived); may be 0.
    pub amount: i64,
}

/// The result of [`price`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Totals {
    /// Currency of every amount.
    pub currency: Currency,
    /// One entry per input line, in input order.
    pub lines: Vec<LineTotal>,
    /// Sum of line subtotals.
    pub subtotal: i64,
    /// Sum of line discounts (free-shipping savings are not included).
    pub discount_total: i64,
    /// Shipping charged after any free-shipping discount.
    pub shipping_total: i64,
    /// Sum of line taxes.
    pub tax_total: i64,
    /// Amount to pay: items after discount + shipping (+ tax when exclusive).
    pub grand_total: i64,
    /// One entry per input discount, in input order.
    pub applied: Vec<AppliedDiscount>,
}
