//! A small shop for the storefront page tests: a category tree, products with SKUs in
//! stock, a delivery method and a pickup store.

use agora_testkit::TestApp;
use serde_json::{Value, json};

use crate::catalog::{category, listed};
use crate::orders::fixtures;

pub struct Shop {
    /// "Dragon Well": colors green/yellow × sizes S/M, 10.00 CNY, in `green` under `tea`.
    pub dragon: Value,
    /// "Jasmine": color white, 25.00 CNY, directly in `tea`.
    pub jasmine: Value,
    pub delivery: i64,
    pub pickup: (i64, i64),
}

/// Every SKU of a product gets `units` in stock.
pub async fn stock_all(t: &TestApp, admin: &str, product: &Value, units: i64) {
    let wh = fixtures::warehouse(t).await;
    for s in product["skus"].as_array().unwrap() {
        let body = json!({"sku_id": s["id"], "warehouse_id": wh, "quantity": units});
        let r = t.client.post("/api/v1/admin/stock/inbound", &body, Some(admin)).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
}

pub async fn detail(t: &TestApp, id: i64) -> Value {
    let r = t.client.get(&format!("/api/v1/products/{id}"), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

pub async fn shop(t: &TestApp) -> Shop {
    let admin = t.staff_token("admin").await;
    let tea = category(t, &admin, "tea", None).await;
    let green = category(t, &admin, "green", Some(tea)).await;
    let d =
        listed(t, &admin, green, "Dragon Well", json!({"color": ["green", "yellow"], "size": ["S", "M"]}), 1000).await;
    let j = listed(t, &admin, tea, "Jasmine", json!({"color": ["white"]}), 2500).await;
    let dragon = detail(t, d).await;
    let jasmine = detail(t, j).await;
    stock_all(t, &admin, &dragon, 10).await;
    stock_all(t, &admin, &jasmine, 10).await;
    let delivery = fixtures::delivery(t).await;
    let pickup = fixtures::pickup(t).await;
    Shop { dragon, jasmine, delivery, pickup }
}

pub fn sku_id(product: &Value, n: usize) -> String {
    product["skus"][n]["id"].as_i64().unwrap().to_string()
}

pub fn slug(product: &Value) -> String {
    product["slug"].as_str().unwrap().to_string()
}
