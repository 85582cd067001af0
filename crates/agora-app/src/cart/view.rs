//! What a cart read returns: lines at current prices with availability, and totals from
//! `agora_domain::price` — the only place cart totals are computed.

use std::collections::HashMap;

use agora_domain::{Currency, Locale, PriceLine, PricingInput, ShippingRule, Totals};
use serde::Serialize;
use utoipa::ToSchema;

use super::address::Address;
use super::shipping::{self, ShippingMethod};
use super::store::{self, CartRow, LineRow};
use crate::error::{AppError, AppResult};
use crate::{App, inventory};

/// One cart line as it is now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CartLine {
    pub sku_id: i64,
    pub product_id: i64,
    pub title: String,
    pub sku_code: String,
    /// SKU attributes, e.g. `{"colour": "red", "size": "M"}`.
    #[schema(value_type = Object)]
    pub attrs: serde_json::Value,
    /// Current price of one unit, minor units.
    pub unit_price: i64,
    pub list_price: Option<i64>,
    pub quantity: i64,
    pub weight_grams: i64,
    /// Units available to sell right now.
    pub available: i64,
    /// True when `available ≥ quantity`.
    pub in_stock: bool,
    /// False when the SKU was deactivated or its product delisted; ordering will refuse it.
    pub purchasable: bool,
}

/// The chosen shipping method.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChosenShipping {
    pub method_id: i64,
    pub code: String,
    pub name: String,
    #[schema(value_type = Object)]
    pub rule: ShippingRule,
}

/// A cart with its lines and totals.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CartView {
    pub id: i64,
    /// The cart's token: guest carts are addressed by it.
    pub token: String,
    /// open, ordered or merged.
    pub status: String,
    pub customer_id: Option<i64>,
    pub currency: String,
    /// Contact e-mail of a guest cart (customers use their account's).
    pub email: Option<String>,
    pub shipping_address: Option<Address>,
    pub shipping: Option<ChosenShipping>,
    pub pickup_location_id: Option<i64>,
    pub lines: Vec<CartLine>,
    /// From the pricing function: subtotal, discount_total, shipping_total, tax_total,
    /// grand_total and per-line totals, in minor units.
    #[schema(value_type = Object)]
    pub totals: Totals,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Prices `lines` with `rule` and the shop's tax; the promotions slot stays empty.
pub(crate) fn price(app: &App, currency: Currency, lines: Vec<PriceLine>, rule: &ShippingRule) -> AppResult<Totals> {
    let input = PricingInput { currency, lines, discounts: Vec::new(), shipping: rule.clone(), tax: app.settings.tax };
    Ok(agora_domain::price(&input)?)
}

pub(crate) fn price_line(l: &LineRow) -> PriceLine {
    PriceLine {
        sku_id: l.sku_id,
        product_id: l.product_id,
        category_id: l.category_id,
        unit_price: l.price,
        quantity: l.quantity,
        weight_grams: l.weight_grams,
    }
}

pub(crate) fn currency_of(cart: &CartRow) -> AppResult<Currency> {
    Currency::parse(&cart.currency).map_err(|e| AppError::Internal(format!("cart {} currency: {e}", cart.id)))
}

pub(crate) fn address_of(cart: &CartRow) -> AppResult<Option<Address>> {
    cart.shipping_address
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| AppError::Internal(format!("cart {} address: {e}", cart.id)))
}

pub(crate) fn attrs_of(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Object(Default::default()))
}

/// Reads the cart's lines, stock and shipping method and prices it.
pub(crate) async fn build(app: &App, cart: CartRow) -> AppResult<CartView> {
    let rows = store::lines(app.db.reader(), cart.id).await?;
    // A retired method no longer counts as chosen (checkout would refuse it).
    let method = match cart.shipping_method_id {
        Some(id) => shipping::get(app, id).await?.filter(|m| m.active),
        None => None,
    };
    let ids: Vec<i64> = rows.iter().map(|l| l.sku_id).collect();
    let stock = inventory::available(app.db.reader(), &ids).await?;
    assemble(app, cart, rows, method.as_ref(), &stock)
}

/// Pure part of [`build`].
pub(crate) fn assemble(
    app: &App,
    cart: CartRow,
    rows: Vec<LineRow>,
    method: Option<&ShippingMethod>,
    stock: &HashMap<i64, i64>,
) -> AppResult<CartView> {
    let rule = method.map_or(ShippingRule::None, |m| m.rule.clone());
    let totals = price(app, currency_of(&cart)?, rows.iter().map(price_line).collect(), &rule)?;
    let lines = rows
        .iter()
        .map(|l| {
            let available = stock.get(&l.sku_id).copied().unwrap_or(0);
            CartLine {
                sku_id: l.sku_id,
                product_id: l.product_id,
                title: l.title.clone(),
                sku_code: l.sku_code.clone(),
                attrs: attrs_of(&l.attrs),
                unit_price: l.price,
                list_price: l.list_price,
                quantity: l.quantity,
                weight_grams: l.weight_grams,
                available,
                in_stock: available >= l.quantity,
                purchasable: l.purchasable(&cart.currency),
            }
        })
        .collect();
    let shipping = method.map(|m| ChosenShipping {
        method_id: m.id,
        code: m.code.clone(),
        name: m.name.clone(),
        rule: m.rule.clone(),
    });
    Ok(CartView {
        id: cart.id,
        shipping_address: address_of(&cart)?,
        token: cart.token,
        status: cart.status,
        customer_id: cart.customer_id,
        currency: cart.currency,
        email: cart.email,
        shipping,
        pickup_location_id: cart.pickup_location_id,
        lines,
        totals,
        created_at: cart.created_at,
        updated_at: cart.updated_at,
    })
}

/// Shows line titles in `locale` where the product has one (cart reads are built in the
/// shop's default locale; this swaps titles with one query).
pub async fn localize(app: &App, view: &mut CartView, locale: Locale) -> AppResult<()> {
    if locale.as_str() == store::TITLE_LOCALE {
        return Ok(());
    }
    let mut ids: Vec<i64> = view.lines.iter().map(|l| l.product_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let titles: HashMap<i64, String> =
        store::titles(app.db.reader(), locale.as_str(), &ids).await?.into_iter().collect();
    for line in &mut view.lines {
        if let Some(title) = titles.get(&line.product_id) {
            line.title.clone_from(title);
        }
    }
    Ok(())
}
