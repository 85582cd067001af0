//! Catalog: category tree, products and SKUs, images, lifecycle, shopper listing and detail
//! served from the in-memory snapshot (and its invalidation).

mod categories;
pub mod images;
mod lifecycle;
mod listing;
mod perf;
mod products;

use agora_testkit::TestApp;
use serde_json::{Value, json};

/// Creates a category and returns its id.
pub async fn category(t: &TestApp, admin: &str, slug: &str, parent: Option<i64>) -> i64 {
    let body =
        json!({"slug": slug, "parent_id": parent, "names": {"en": slug.to_uppercase(), "zh-CN": format!("类{slug}")}});
    let r = t.client.post("/api/v1/admin/categories", &body, Some(admin)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["id"].as_i64().unwrap()
}

/// Creates a draft product with a SKU matrix; returns the product JSON.
pub async fn product(t: &TestApp, admin: &str, category_id: i64, title: &str, axes: Value, price: i64) -> Value {
    let body = json!({
        "category_id": category_id,
        "texts": {"en": {"title": title}, "zh-CN": {"title": format!("{title} 中")}},
        "sku_matrix": {"axes": axes, "price": price},
    });
    let r = t.client.post("/api/v1/admin/products", &body, Some(admin)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body
}

/// Creates and lists a product; returns its id.
pub async fn listed(t: &TestApp, admin: &str, category_id: i64, title: &str, axes: Value, price: i64) -> i64 {
    let id = product(t, admin, category_id, title, axes, price).await["id"].as_i64().unwrap();
    let r = t.client.post(&format!("/api/v1/admin/products/{id}/publish"), &json!({}), Some(admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "listed");
    id
}

/// Ids of a listing page's items.
pub fn ids(page: &Value) -> Vec<i64> {
    page["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
}
