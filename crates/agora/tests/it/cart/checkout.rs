//! `cart::load_for_checkout` and `cart::mark_ordered`, the interface orders build on.

use agora_app::cart::{self, Address, AddressChoice, NewPickupLocation, NewShippingMethod};
use agora_app::{App, AppError};
use agora_domain::{PriceLine, PricingInput, ShippingRule};
use agora_testkit::TestApp;

use super::seed::{self, SkuSpec};

both_backends!(checkout_guest_cart_ready, checkout_refusals, checkout_pickup_and_customer_email);

pub fn address() -> Address {
    Address {
        recipient: "Li Lei".into(),
        phone: "13800138000".into(),
        country: "CN".into(),
        province: "Shanghai".into(),
        city: "Shanghai".into(),
        district: "Huangpu".into(),
        line1: "1 Nanjing East Road".into(),
        line2: String::new(),
        postal_code: "200001".into(),
    }
}

pub async fn method(app: &App, code: &str, rule: ShippingRule) -> i64 {
    let input = NewShippingMethod { code: code.into(), name: code.to_uppercase(), rule, active: true, position: 0 };
    cart::create_shipping_method(app, &input, None).await.expect("shipping method").id
}

async fn checkout(app: &App, token: &str, customer: Option<i64>) -> Result<cart::CheckoutCart, AppError> {
    let mut tx = app.db.begin().await.unwrap();
    let out = cart::load_for_checkout(app, &mut tx, token, customer).await;
    tx.rollback().await.unwrap();
    out
}

fn fields(err: AppError) -> Vec<String> {
    match err {
        AppError::Validation(list) => list.into_iter().map(|e| e.field).collect(),
        other => panic!("expected validation, got {other:?}"),
    }
}

async fn checkout_guest_cart_ready(t: &TestApp) {
    let app = &t.app;
    let a = seed::sku(t, SkuSpec::priced(1999, 10).weighing(300)).await;
    let b = seed::sku(t, SkuSpec::priced(500, 10).weighing(1200)).await;
    let flat = method(app, "express", ShippingRule::Flat { fee: 800 }).await;
    let c = cart::create_cart(app, None).await.unwrap();
    cart::add_line(app, &c.token, None, a.id, 2).await.unwrap();
    cart::set_line(app, &c.token, None, b.id, 3).await.unwrap();
    cart::set_email(app, &c.token, None, "Guest@Example.com").await.unwrap();
    cart::set_address(app, &c.token, None, AddressChoice::Inline(Box::new(address()))).await.unwrap();
    cart::choose_shipping(app, &c.token, None, flat, None).await.unwrap();
    // The price changes after the line was added: checkout uses the current price.
    seed::set_price(t, a.id, 2099).await;

    let mut tx = app.db.begin().await.unwrap();
    let ready = cart::load_for_checkout(app, &mut tx, &c.token, None).await.unwrap();
    assert_eq!(ready.cart_id, c.id);
    assert_eq!(ready.email, "guest@example.com");
    assert_eq!(ready.customer_id, None);
    assert_eq!(ready.shipping.code, "express");
    assert_eq!(ready.shipping_address.as_ref().unwrap().phone, "+8613800138000");
    assert_eq!(ready.pickup_location_id, None);
    assert_eq!(ready.lines.len(), 2);
    let first = &ready.lines[0];
    assert_eq!((first.sku_id, first.unit_price, first.quantity, first.merchant_id), (a.id, 2099, 2, 1));
    assert_eq!((first.product_id, first.category_id, first.weight_grams), (a.product_id, a.category_id, 300));
    assert_eq!(first.title, "Tea cup", "orders get titles in the default locale");
    assert!(first.attrs.contains("\"colour\""), "{}", first.attrs);
    let expected = agora_domain::price(&PricingInput {
        currency: ready.currency,
        lines: ready
            .lines
            .iter()
            .map(|l| PriceLine {
                sku_id: l.sku_id,
                product_id: l.product_id,
                category_id: l.category_id,
                unit_price: l.unit_price,
                quantity: l.quantity,
                weight_grams: l.weight_grams,
            })
            .collect(),
        discounts: vec![],
        shipping: ShippingRule::Flat { fee: 800 },
        tax: app.settings.tax,
    })
    .unwrap();
    assert_eq!(ready.totals, expected);
    assert_eq!(ready.totals.subtotal, 2 * 2099 + 3 * 500);
    assert_eq!(ready.totals.shipping_total, 800);

    cart::mark_ordered(&mut tx, app.now(), ready.cart_id).await.unwrap();
    match cart::mark_ordered(&mut tx, app.now(), ready.cart_id).await {
        Err(e) => assert_eq!(e.code(), "cart_closed"),
        Ok(()) => panic!("ordered twice"),
    }
    tx.commit().await.unwrap();
    assert_eq!(checkout(app, &c.token, None).await.unwrap_err().code(), "cart_closed");
    let edit = cart::add_line(app, &c.token, None, a.id, 1).await.unwrap_err();
    assert_eq!(edit.code(), "cart_closed");
    assert_eq!(cart::get_cart(app, &c.token, None).await.unwrap().status, "ordered");
}

async fn checkout_refusals(t: &TestApp) {
    let app = &t.app;
    let a = seed::sku(t, SkuSpec::priced(1000, 5)).await;
    let b = seed::sku(t, SkuSpec::priced(700, 5)).await;
    // Unknown token and empty cart.
    assert_eq!(checkout(app, "nope", None).await.unwrap_err().code(), "not_found");
    let c = cart::create_cart(app, None).await.unwrap();
    let f = fields(checkout(app, &c.token, None).await.unwrap_err());
    assert_eq!(f, ["lines", "email", "shipping_method_id"]);
    // A delivery method without an address; a delisted product named by its line index.
    let flat = method(app, "std", ShippingRule::Flat { fee: 500 }).await;
    cart::add_line(app, &c.token, None, a.id, 1).await.unwrap();
    cart::add_line(app, &c.token, None, b.id, 1).await.unwrap();
    cart::set_email(app, &c.token, None, "g@example.com").await.unwrap();
    cart::choose_shipping(app, &c.token, None, flat, None).await.unwrap();
    seed::set_product_status(t, b.product_id, "delisted").await;
    let f = fields(checkout(app, &c.token, None).await.unwrap_err());
    assert_eq!(f, ["lines[1].sku_id", "shipping_address"]);
    // A retired shipping method is refused too.
    cart::set_address(app, &c.token, None, AddressChoice::Inline(Box::new(address()))).await.unwrap();
    cart::remove_line(app, &c.token, None, b.id).await.unwrap();
    assert!(checkout(app, &c.token, None).await.is_ok());
    cart::deactivate_shipping_method(app, flat, None).await.unwrap();
    assert_eq!(fields(checkout(app, &c.token, None).await.unwrap_err()), ["shipping_method_id"]);

    // A customer's cart: only that customer may check it out.
    let (owner, _) = t.customer().await;
    let (other, _) = t.customer().await;
    let mine = cart::create_cart(app, Some(owner)).await.unwrap();
    assert_eq!(mine.customer_id, Some(owner));
    assert_eq!(checkout(app, &mine.token, Some(other)).await.unwrap_err().code(), "not_found");
    assert_eq!(checkout(app, &mine.token, None).await.unwrap_err().code(), "not_found");
    assert_eq!(fields(checkout(app, &mine.token, Some(owner)).await.unwrap_err()), ["lines", "shipping_method_id"]);
}

async fn checkout_pickup_and_customer_email(t: &TestApp) {
    let app = &t.app;
    let a = seed::sku(t, SkuSpec::priced(3000, 5)).await;
    let pickup = method(app, "pickup", ShippingRule::Pickup).await;
    let loc = NewPickupLocation {
        name: "Jing'an store".into(),
        address: "88 West Nanjing Road".into(),
        hours: "10-22".into(),
        warehouse_id: None,
        active: true,
    };
    let loc = cart::create_pickup_location(app, &loc, None).await.unwrap();
    let (owner, _) = t.customer().await;
    let c = cart::create_cart(app, Some(owner)).await.unwrap();
    // The customer's existing open cart is returned, not a second one.
    assert_eq!(cart::create_cart(app, Some(owner)).await.unwrap().id, c.id);
    cart::add_line(app, &c.token, Some(owner), a.id, 2).await.unwrap();
    let err = cart::choose_shipping(app, &c.token, Some(owner), pickup, None).await.unwrap_err();
    assert_eq!(fields(err), ["pickup_location_id"]);
    cart::choose_shipping(app, &c.token, Some(owner), pickup, Some(loc.id)).await.unwrap();
    let ready = checkout(app, &c.token, Some(owner)).await.unwrap();
    assert!(ready.email.ends_with("@customer.test"), "account e-mail: {}", ready.email);
    assert_eq!(ready.pickup_location_id, Some(loc.id));
    assert_eq!(ready.shipping_address, None);
    assert_eq!(ready.shipping.rule, ShippingRule::Pickup);
    assert_eq!((ready.totals.shipping_total, ready.totals.subtotal), (0, 6000));
    cart::deactivate_pickup_location(app, loc.id, None).await.unwrap();
    assert_eq!(fields(checkout(app, &c.token, Some(owner)).await.unwrap_err()), ["pickup_location_id"]);
}
