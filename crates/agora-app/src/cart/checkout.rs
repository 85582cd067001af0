//! The hand-over from cart to order: everything an order needs, re-checked inside the
//! ordering transaction, and closing the cart once ordered.

use agora_domain::{Currency, ShippingRule, Totals};
use serde::Serialize;

use super::address::Address;
use super::store::{self, LineRow};
use super::{shipping, view};
use crate::App;
use crate::db::Tx;
use crate::error::{AppError, AppResult, FieldError};

/// One line to order, at the SKU's current price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckoutLine {
    pub sku_id: i64,
    pub product_id: i64,
    pub category_id: i64,
    pub merchant_id: i64,
    pub title: String,
    pub sku_code: String,
    /// SKU attributes as a JSON object.
    pub attrs: String,
    pub unit_price: i64,
    pub quantity: i64,
    pub weight_grams: i64,
}

/// The chosen shipping method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckoutShipping {
    pub method_id: i64,
    pub code: String,
    pub name: String,
    pub rule: ShippingRule,
}

/// A cart ready to become an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckoutCart {
    pub cart_id: i64,
    pub token: String,
    pub customer_id: Option<i64>,
    pub currency: Currency,
    pub email: String,
    /// Present for delivery methods.
    pub shipping_address: Option<Address>,
    pub shipping: CheckoutShipping,
    /// Present for pickup methods.
    pub pickup_location_id: Option<i64>,
    pub lines: Vec<CheckoutLine>,
    pub totals: Totals,
}

/// Loads an open cart inside the caller's write transaction and re-checks it for ordering:
/// the caller may access it (guest cart: anyone with the token; customer cart: only that
/// customer, else `NotFound`), it has lines, every SKU is active and its product listed
/// (else `Validation` naming `lines[i].sku_id`), prices are the current SKU prices, an
/// e-mail is present (the guest cart's, or the customer's account e-mail), a shipping
/// method is chosen, and there is an address for delivery or a pickup location for pickup.
/// Totals come from `agora_domain::price` with the shop's tax and no discounts. A cart that
/// is no longer open fails with `Conflict { code: "cart_closed" }`. Stock is not reserved
/// here (orders do that).
pub async fn load_for_checkout(
    app: &App,
    tx: &mut Tx,
    token: &str,
    customer_id: Option<i64>,
) -> AppResult<CheckoutCart> {
    let cart = store::cart_by_token_in(tx, token).await?.ok_or(AppError::not_found("cart"))?;
    cart.check_access(customer_id)?;
    cart.check_open()?;
    // Lock the cart so no line change can commit between this read and `mark_ordered`.
    store::lock_open(tx, app.now(), cart.id).await?;
    let rows = store::lines_in(tx, cart.id).await?;
    let mut errors = Vec::new();
    if rows.is_empty() {
        errors.push(field("lines", "the cart is empty"));
    }
    for (i, row) in rows.iter().enumerate() {
        if !row.purchasable(&cart.currency) {
            errors.push(field(&format!("lines[{i}].sku_id"), "this SKU is no longer for sale"));
        }
    }
    let email = match (&cart.email, cart.customer_id) {
        (Some(email), _) => Some(email.clone()),
        (None, Some(owner)) => store::customer_email(tx, owner).await?,
        (None, None) => None,
    };
    if email.is_none() {
        errors.push(field("email", "an e-mail address is required"));
    }
    let method = match cart.shipping_method_id {
        Some(id) => shipping::get_in(tx, id).await?.filter(|m| m.active),
        None => None,
    };
    let address = view::address_of(&cart)?;
    match &method {
        None => errors.push(field("shipping_method_id", "choose an available shipping method")),
        Some(m) if m.is_pickup() => {
            let ok = match cart.pickup_location_id {
                Some(id) => store::pickup_location_active(&mut **tx, id).await?,
                None => false,
            };
            if !ok {
                errors.push(field("pickup_location_id", "choose an available pickup location"));
            }
        }
        Some(_) if address.is_none() => errors.push(field("shipping_address", "a shipping address is required")),
        Some(_) => {}
    }
    let (Some(method), Some(email), true) = (method, email, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let currency = view::currency_of(&cart)?;
    let totals = view::price(app, currency, rows.iter().map(view::price_line).collect(), &method.rule)?;
    let pickup = method.is_pickup();
    Ok(CheckoutCart {
        cart_id: cart.id,
        token: cart.token,
        customer_id: cart.customer_id,
        currency,
        email,
        shipping_address: if pickup { None } else { address },
        pickup_location_id: if pickup { cart.pickup_location_id } else { None },
        shipping: CheckoutShipping { method_id: method.id, code: method.code, name: method.name, rule: method.rule },
        lines: rows.into_iter().map(checkout_line).collect(),
        totals,
    })
}

fn field(name: &str, message: &str) -> FieldError {
    FieldError { field: name.to_string(), message: message.to_string() }
}

fn checkout_line(l: LineRow) -> CheckoutLine {
    CheckoutLine {
        sku_id: l.sku_id,
        product_id: l.product_id,
        category_id: l.category_id,
        merchant_id: l.merchant_id,
        title: l.title,
        sku_code: l.sku_code,
        attrs: l.attrs,
        unit_price: l.price,
        quantity: l.quantity,
        weight_grams: l.weight_grams,
    }
}

/// Marks the cart as ordered so it cannot be ordered twice or edited. Fails with
/// `Conflict { code: "cart_closed" }` when it is not open (e.g. ordered concurrently).
pub async fn mark_ordered(tx: &mut Tx, now: i64, cart_id: i64) -> AppResult<()> {
    let done = sqlx::query("UPDATE carts SET status = 'ordered', updated_at = $1 WHERE id = $2 AND status = 'open'")
        .bind(now)
        .bind(cart_id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::conflict("cart_closed", "this cart is not open"));
    }
    Ok(())
}
