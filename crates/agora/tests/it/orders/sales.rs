//! Sales counts: a paid order adds its quantities to the products' `sales_count`, a
//! cancelled paid order takes them back, an unpaid cancellation never counted; the shopper
//! listing's `sales` order follows within the snapshot's sales refresh period.

use agora_testkit::TestApp;
use serde_json::json;

use super::fixtures;

both_backends!(sales_count_follows_payment_and_cancellation, listing_resorts_without_rebuilding);

async fn sales_of(t: &TestApp, sku: i64) -> i64 {
    sqlx::query_scalar("SELECT p.sales_count FROM products p JOIN skus s ON s.product_id = p.id WHERE s.id = $1")
        .bind(sku)
        .fetch_one(t.app.db.reader())
        .await
        .expect("sales")
}

async fn sales_order(t: &TestApp) -> Vec<i64> {
    let r = t.client.get("/api/v1/products?sort=sales", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["items"].as_array().unwrap().iter().map(|i| i["sales_count"].as_i64().unwrap()).collect()
}

async fn sales_count_follows_payment_and_cancellation(t: &TestApp) {
    let method = fixtures::delivery(t).await;
    let a = fixtures::sku(t, 1000, 50).await;
    let b = fixtures::sku(t, 2000, 50).await;
    let cart = fixtures::cart(t, None, &[(a, 3), (b, 1)], method, None).await;
    let (order, who) = fixtures::placed(t, &cart, None).await;
    assert_eq!(sales_of(t, a).await, 0, "placing does not count");
    fixtures::pay(t, order, &who).await;
    assert_eq!((sales_of(t, a).await, sales_of(t, b).await), (3, 1));

    // An unpaid order cancelled by the guest never counted.
    let cart2 = fixtures::cart(t, None, &[(a, 2)], method, None).await;
    let (order2, who2) = fixtures::placed(t, &cart2, None).await;
    let r = fixtures::post(t, &format!("/api/v1/orders/{order2}/cancel"), &json!({}), &who2).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(sales_of(t, a).await, 3);

    // Staff cancel the paid order (refunded in full): the sales are taken back.
    let admin = t.staff_token("admin").await;
    let r = t.client.post(&format!("/api/v1/admin/orders/{order}/cancel"), &json!({"reason": "x"}), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!((sales_of(t, a).await, sales_of(t, b).await), (0, 0));
}

async fn listing_resorts_without_rebuilding(t: &TestApp) {
    let method = fixtures::delivery(t).await;
    let a = fixtures::sku(t, 1000, 50).await;
    let b = fixtures::sku(t, 2000, 50).await;
    assert_eq!(sales_order(t).await, vec![0, 0]);
    let generation_before = t.app.catalog.snapshot(&t.app.db).await.unwrap().generation;
    // Default period: the snapshot keeps its counts (bounded staleness) …
    let cart = fixtures::cart(t, None, &[(a, 1), (b, 4)], method, None).await;
    let (order, who) = fixtures::placed(t, &cart, None).await;
    fixtures::pay(t, order, &who).await;
    // … and picks them up at the next refresh, without a rebuild (same generation).
    t.app.catalog.set_sales_refresh_ms(0);
    assert_eq!(sales_order(t).await, vec![4, 1]);
    let snap = t.app.catalog.snapshot(&t.app.db).await.unwrap();
    assert_eq!(snap.generation, generation_before, "no catalog rebuild or patch for a sale");
    let best = snap.list(None, agora_app::catalog::listing::Sort::Sales);
    assert_eq!(snap.products[best[0] as usize].product.sales_count, 4);
}
