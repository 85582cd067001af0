//! Carts: guest carts (addressed by token) and customer carts (one open cart per
//! customer), lines checked against SKUs and stock, contact e-mail, shipping address and
//! method, the checkout hand-over to orders, the customer's address book, shipping methods
//! and pickup locations.
//!
//! Access rule used everywhere: a guest cart is open to anyone holding its token; a
//! customer's cart only to that customer (anyone else gets 404). Totals always come from
//! `agora_domain::price` through [`view`].

mod address;
mod book;
mod checkout;
mod lines;
mod merge;
mod pickup;
mod shipping;
mod store;
mod view;

pub use address::Address;
pub use book::{SavedAddress, create_address, delete_address, get_address, list_addresses, update_address};
pub use checkout::{CheckoutCart, CheckoutLine, CheckoutShipping, load_for_checkout, mark_ordered};
pub use lines::{MAX_LINES, MAX_QUANTITY, add_line, remove_line, set_line};
pub use merge::merge_guest_cart;
pub use pickup::{
    NewPickupLocation, PickupLocation, create_pickup_location, deactivate_pickup_location, list_pickup_locations,
    update_pickup_location,
};
pub use shipping::{
    NewShippingMethod, ShippingMethod, create_shipping_method, deactivate_shipping_method, list_shipping_methods,
    update_shipping_method,
};
pub use view::{CartLine, CartView, ChosenShipping, localize};

use agora_domain::Email;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::{App, crypto, inventory};
use store::{CartField, CartRow};

/// Creates a guest cart, or for a customer returns their open cart (creating it).
pub async fn create_cart(app: &App, customer_id: Option<i64>) -> AppResult<CartView> {
    if let Some(id) = customer_id
        && let Some(cart) = store::open_cart_of_customer(app.db.reader(), id).await?
    {
        return view::build(app, cart).await;
    }
    let token = crypto::new_token();
    store::insert_cart(app.db.writer(), app.now(), &token, customer_id, app.settings.currency.as_str()).await?;
    match customer_id {
        // A concurrent request may have created it first; either way there is one now.
        Some(id) => customer_cart(app, id).await?.ok_or(AppError::not_found("cart")),
        None => get_cart(app, &token, None).await,
    }
}

/// The customer's open cart, if they have one.
pub async fn customer_cart(app: &App, customer_id: i64) -> AppResult<Option<CartView>> {
    match store::open_cart_of_customer(app.db.reader(), customer_id).await? {
        Some(cart) => Ok(Some(view::build(app, cart).await?)),
        None => Ok(None),
    }
}

/// A cart by token, in any status, if the caller may see it.
pub async fn get_cart(app: &App, token: &str, customer_id: Option<i64>) -> AppResult<CartView> {
    let cart = store::cart_by_token(app.db.reader(), token).await?.ok_or(AppError::not_found("cart"))?;
    cart.check_access(customer_id)?;
    view::build(app, cart).await
}

/// Loads a cart the caller may change, inside `tx`, and locks it for the transaction.
pub(crate) async fn open_for_change(
    tx: &mut Tx,
    now: i64,
    token: &str,
    customer_id: Option<i64>,
) -> AppResult<CartRow> {
    let cart = store::cart_by_token_in(tx, token).await?.ok_or(AppError::not_found("cart"))?;
    cart.check_access(customer_id)?;
    cart.check_open()?;
    store::lock_open(tx, now, cart.id).await?;
    Ok(cart)
}

/// Sets the contact e-mail of a cart (guests need one to order).
pub async fn set_email(app: &App, token: &str, customer_id: Option<i64>, email: &str) -> AppResult<CartView> {
    let email = Email::parse(email)?;
    let cart =
        store::update_open(app.db.writer(), app.now(), token, customer_id, CartField::Email(email.as_str())).await?;
    view::build(app, cart).await
}

/// Where a cart ships to: an address typed in, or one from the customer's address book.
#[derive(Debug, Clone)]
pub enum AddressChoice {
    Inline(Box<Address>),
    Saved(i64),
}

/// Sets the cart's shipping address (copied onto the cart, so later edits of the address
/// book do not change it).
pub async fn set_address(
    app: &App,
    token: &str,
    customer_id: Option<i64>,
    choice: AddressChoice,
) -> AppResult<CartView> {
    let address = match choice {
        AddressChoice::Inline(a) => a.validated("address.")?,
        AddressChoice::Saved(id) => {
            let owner = customer_id.ok_or_else(|| AppError::invalid("address_id", "log in to use a saved address"))?;
            book::owned(app.db.reader(), owner, id)
                .await?
                .ok_or_else(|| AppError::invalid("address_id", "no such address"))?
        }
    };
    let json = serde_json::to_string(&address).map_err(|e| AppError::Internal(e.to_string()))?;
    let cart = store::update_open(app.db.writer(), app.now(), token, customer_id, CartField::Address(&json)).await?;
    view::build(app, cart).await
}

/// Chooses the shipping method; a pickup method needs a pickup location, a delivery
/// method must not have one. (Checkout checks both again when the order is placed.)
pub async fn choose_shipping(
    app: &App,
    token: &str,
    customer_id: Option<i64>,
    method_id: i64,
    pickup_location_id: Option<i64>,
) -> AppResult<CartView> {
    let method = shipping::get(app, method_id)
        .await?
        .filter(|m| m.active)
        .ok_or_else(|| AppError::invalid("method_id", "no such shipping method"))?;
    match (method.is_pickup(), pickup_location_id) {
        (true, None) => return Err(AppError::invalid("pickup_location_id", "required for store pickup")),
        (true, Some(id)) if !store::pickup_location_active(app.db.reader(), id).await? => {
            return Err(AppError::invalid("pickup_location_id", "no such pickup location"));
        }
        (false, Some(_)) => {
            return Err(AppError::invalid("pickup_location_id", "only allowed with a pickup method"));
        }
        _ => {}
    }
    let field = CartField::Shipping { method_id: method.id, pickup_location_id };
    let cart = store::update_open(app.db.writer(), app.now(), token, customer_id, field).await?;
    view::build(app, cart).await
}

/// One shipping method offered for a cart, with what it would cost.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShippingOption {
    pub method: ShippingMethod,
    /// Shipping fee for this cart, minor units.
    pub fee: i64,
    /// The cart's grand total with this method.
    pub grand_total: i64,
}

/// Every active shipping method priced for the cart (by the pricing function).
pub async fn shipping_options(app: &App, token: &str, customer_id: Option<i64>) -> AppResult<Vec<ShippingOption>> {
    let cart = store::cart_by_token(app.db.reader(), token).await?.ok_or(AppError::not_found("cart"))?;
    cart.check_access(customer_id)?;
    let currency = view::currency_of(&cart)?;
    let rows = store::lines(app.db.reader(), cart.id).await?;
    let methods = list_shipping_methods(app, false).await?;
    let mut out = Vec::with_capacity(methods.len());
    for method in methods.into_iter().filter(|m| m.currency == cart.currency) {
        let totals = view::price(app, currency, rows.iter().map(view::price_line).collect(), &method.rule)?;
        out.push(ShippingOption { fee: totals.shipping_total, grand_total: totals.grand_total, method });
    }
    Ok(out)
}

/// Units available to sell for one SKU.
pub(crate) async fn available_units(app: &App, sku_id: i64) -> AppResult<i64> {
    let map = inventory::available(app.db.reader(), &[sku_id]).await?;
    Ok(map.get(&sku_id).copied().unwrap_or(0))
}
