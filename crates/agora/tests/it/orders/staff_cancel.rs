//! Cancelling a paid order refunds it, so staff need the Refund permission as well.

use agora_testkit::TestApp;
use serde_json::json;

use super::fixtures;

both_backends!(cancelling_a_paid_order_needs_refund_permission, a_partly_shipped_order_cannot_be_cancelled);

async fn cancelling_a_paid_order_needs_refund_permission(t: &TestApp) {
    let sku = fixtures::sku(t, 5000, 10).await;
    let method = fixtures::delivery(t).await;
    let token = fixtures::cart(t, None, &[(sku, 1)], method, None).await;
    let (order, who) = fixtures::placed(t, &token, None).await;
    fixtures::pay(t, order, &who).await;
    let path = format!("/api/v1/admin/orders/{order}/cancel");
    let support = t.staff_token("support").await;
    let refunds_before = t.count("refunds").await;
    t.client.post(&path, &json!({"reason": "customer asked"}), Some(&support)).await.assert_problem(403, "forbidden");
    assert_eq!(t.count("refunds").await, refunds_before, "a refused cancel refunds nothing");
    let status: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(status, "paid");
    let admin = t.staff_token("admin").await;
    let r = t.client.post(&path, &json!({"reason": "customer asked"}), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "cancelled");
}

async fn a_partly_shipped_order_cannot_be_cancelled(t: &TestApp) {
    let tea = fixtures::sku(t, 5000, 10).await;
    let cup = fixtures::sku(t, 2000, 10).await;
    let method = fixtures::delivery(t).await;
    let token = fixtures::cart(t, None, &[(tea, 1), (cup, 1)], method, None).await;
    let (order, who) = fixtures::placed(t, &token, None).await;
    fixtures::pay(t, order, &who).await;
    let admin = t.staff_token("admin").await;
    let detail = fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await.body;
    let tea_line = detail["lines"].as_array().unwrap().iter().find(|l| l["sku_id"] == tea).unwrap()["id"].clone();
    let parcel =
        json!({"carrier": "sf", "tracking_number": "P1", "lines": [{"order_line_id": tea_line, "quantity": 1}]});
    let r = t.client.post(&format!("/api/v1/admin/orders/{order}/shipments"), &parcel, Some(&admin)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let before = (t.count("refunds").await, t.count("stock_ledger").await, t.count("order_history").await);
    let path = format!("/api/v1/admin/orders/{order}/cancel");
    t.client.post(&path, &json!({"reason": "too late"}), Some(&admin)).await.assert_problem(409, "order_has_shipments");
    assert_eq!((t.count("refunds").await, t.count("stock_ledger").await, t.count("order_history").await), before);
    assert_eq!(fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await.body["status"], "paid");
}
