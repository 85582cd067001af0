//! Carts, address book, shipping methods and pickup locations, and the checkout hand-over.

mod addresses;
mod checkout;
mod customer;
mod guest;
pub mod seed;
mod shipping;

use agora_testkit::{Response, TestApp};
use serde_json::{Value, json};

/// Starts a guest cart and returns its token.
pub async fn guest_cart(t: &TestApp) -> String {
    let r = t.client.post("/api/v1/carts", &json!({}), None).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["token"].as_str().expect("token").to_string()
}

/// Adds units of a SKU to a cart.
pub async fn add(t: &TestApp, cart: &str, sku_id: i64, quantity: i64, auth: Option<&str>) -> Response {
    t.client.post(&format!("/api/v1/carts/{cart}/lines"), &json!({"sku_id": sku_id, "quantity": quantity}), auth).await
}

/// The quantity of `sku_id` in a cart view (0 when absent).
pub fn qty(view: &Value, sku_id: i64) -> i64 {
    view["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["sku_id"] == sku_id)
        .map_or(0, |l| l["quantity"].as_i64().expect("quantity"))
}

/// Asserts that a cart view's totals are exactly what the domain pricing function gives
/// for its lines and chosen shipping rule.
pub fn assert_priced(t: &TestApp, view: &Value) {
    use agora_domain::{Currency, PriceLine, PricingInput, ShippingRule};
    let lines: Vec<PriceLine> = view["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| PriceLine {
            sku_id: l["sku_id"].as_i64().unwrap(),
            product_id: l["product_id"].as_i64().unwrap(),
            category_id: 0,
            unit_price: l["unit_price"].as_i64().unwrap(),
            quantity: l["quantity"].as_i64().unwrap(),
            weight_grams: l["weight_grams"].as_i64().unwrap(),
        })
        .collect();
    let shipping: ShippingRule = match &view["shipping"] {
        Value::Null => ShippingRule::None,
        s => serde_json::from_value(s["rule"].clone()).expect("rule"),
    };
    let input = PricingInput {
        currency: Currency::parse(view["currency"].as_str().unwrap()).unwrap(),
        lines,
        discounts: vec![],
        shipping,
        tax: t.app.settings.tax,
    };
    let expected = serde_json::to_value(agora_domain::price(&input).expect("price")).unwrap();
    assert_eq!(view["totals"], expected, "totals differ from agora_domain::price");
}
