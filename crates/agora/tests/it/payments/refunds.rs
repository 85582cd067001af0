//! Partial and full refunds through the provider, with ledger reconciliation.

use agora_testkit::TestApp;
use serde_json::json;

use crate::orders::fixtures::{self, Who};

both_backends!(partial_and_full_refunds_reconcile);

async fn partial_and_full_refunds_reconcile(t: &TestApp) {
    let (customer_id, bearer) = t.customer().await;
    let who = Who::Customer(bearer.clone());
    let sku = fixtures::sku(t, 2_000, 10).await;
    let method = fixtures::delivery(t).await;
    let cart = fixtures::cart(t, Some(customer_id), &[(sku, 1)], method, None).await;
    let (order, _) = fixtures::placed(t, &cart, Some(&bearer)).await;
    fixtures::pay(t, order, &who).await;
    let finance = t.staff_token("finance").await;
    let operator = t.staff_token("operator").await;
    let refunds = format!("/api/v1/admin/orders/{order}/refunds");
    t.client.post(&refunds, &json!({"amount": 100}), Some(&operator)).await.assert_problem(403, "forbidden");
    t.client.post(&refunds, &json!({"amount": 100}), Some(&bearer)).await.assert_problem(403, "forbidden");
    let before = (t.count("refunds").await, t.count("payment_ledger").await, t.count("audit_log").await);
    for bad in [json!({"amount": 0}), json!({"amount": -5}), json!({"amount": 2_801}), json!({"amount": "10"})] {
        let r = t.client.post(&refunds, &bad, Some(&finance)).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field("amount"), "{}", r.text);
    }
    assert_eq!((t.count("refunds").await, t.count("payment_ledger").await, t.count("audit_log").await), before);

    let r = t.client.post(&refunds, &json!({"amount": 800, "reason": "shipping waived"}), Some(&finance)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["refunded_total"], 800);
    assert_eq!(r.body["ledger_total"], 2_000);
    assert_eq!(r.body["reconciled"], true);
    let view = fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await.body;
    assert_eq!(view["status"], "paid");
    assert_eq!(view["payment_state"], "partially_refunded");
    assert_eq!(fixtures::stock(t, sku).await, (10, 1), "a partial refund keeps the stock reserved");
    let r = t.client.post(&refunds, &json!({"amount": 2_001}), Some(&finance)).await;
    assert!(r.names_field("amount"), "{}", r.text);
    let r = t.client.post(&refunds, &json!({"amount": 2_000, "reason": "damaged"}), Some(&finance)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["ledger_total"], 0);
    assert_eq!(r.body["reconciled"], true);
    assert_eq!(r.body["refunds"].as_array().unwrap().len(), 2);
    assert_eq!(r.body["ledger"].as_array().unwrap().len(), 3);
    let view = fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await.body;
    assert_eq!(view["status"], "refunded");
    assert_eq!(view["payment_state"], "refunded");
    assert_eq!(fixtures::stock(t, sku).await, (10, 0), "a full refund releases unshipped stock");
    t.client.post(&refunds, &json!({"amount": 1}), Some(&finance)).await.assert_problem(422, "validation_failed");
    assert_eq!(t.count("audit_log").await, before.2 + 2);
    // The sandbox agrees.
    let refunded: i64 =
        sqlx::query_scalar("SELECT refunded FROM sandbox_payments").fetch_one(t.app.db.reader()).await.unwrap();
    assert_eq!(refunded, 2_800);
    // Reconciliation over every order.
    let r = t.client.get(&format!("/api/v1/admin/orders/{order}/payments"), Some(&finance)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let (ledger, paid, refunded) = (
        r.body["ledger_total"].as_i64().unwrap(),
        r.body["paid_total"].as_i64().unwrap(),
        r.body["refunded_total"].as_i64().unwrap(),
    );
    assert_eq!(ledger, paid - refunded);
    let mismatched: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders o WHERE o.paid_total - o.refunded_total <> \
         COALESCE((SELECT CAST(SUM(l.amount) AS BIGINT) FROM payment_ledger l WHERE l.order_id = o.id), 0)",
    )
    .fetch_one(t.app.db.reader())
    .await
    .unwrap();
    assert_eq!(mismatched, 0);
}
