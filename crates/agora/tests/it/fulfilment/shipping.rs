//! Shipments, tracking events and delivery.

use agora_testkit::TestApp;
use serde_json::json;

use crate::orders::fixtures::{self, Who};

both_backends!(partial_shipments_tracking_and_delivery, carrier_webhook_rejects_bad_signatures);

async fn partial_shipments_tracking_and_delivery(t: &TestApp) {
    let (customer_id, bearer) = t.customer().await;
    let who = Who::Customer(bearer.clone());
    let tea = fixtures::sku(t, 1_000, 10).await;
    let cup = fixtures::sku(t, 500, 10).await;
    let method = fixtures::delivery(t).await;
    let cart = fixtures::cart(t, Some(customer_id), &[(tea, 2), (cup, 1)], method, None).await;
    let (order, _) = fixtures::placed(t, &cart, Some(&bearer)).await;
    fixtures::pay(t, order, &who).await;
    let detail = fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await.body;
    let tea_line =
        detail["lines"].as_array().unwrap().iter().find(|l| l["sku_id"] == tea).unwrap()["id"].as_i64().unwrap();
    let cup_line =
        detail["lines"].as_array().unwrap().iter().find(|l| l["sku_id"] == cup).unwrap()["id"].as_i64().unwrap();
    let admin = t.staff_token("admin").await;
    let ship = format!("/api/v1/admin/orders/{order}/shipments");
    // Bad lines are refused with the field named, nothing written.
    let before = (t.count("shipments").await, t.count("stock_ledger").await);
    let r = t
        .client
        .post(
            &ship,
            &json!({"carrier": "sf", "tracking_number": "A1", "lines": [{"order_line_id": tea_line, "quantity": 3}]}),
            Some(&admin),
        )
        .await;
    assert!(r.names_field("lines[0].quantity"), "{}", r.text);
    let r = t
        .client
        .post(
            &ship,
            &json!({"carrier": "sf", "tracking_number": "A1", "lines": [{"order_line_id": 999_999, "quantity": 1}]}),
            Some(&admin),
        )
        .await;
    assert!(r.names_field("lines[0].order_line_id"), "{}", r.text);
    let r = t.client.post(&ship, &json!({"carrier": "", "tracking_number": "A1"}), Some(&admin)).await;
    assert!(r.names_field("carrier"), "{}", r.text);
    let r = t.client.post(&ship, &json!({"carrier": "sf", "tracking_number": "9".repeat(101)}), Some(&admin)).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("tracking_number"), "{}", r.text);
    let r = t
        .client
        .post(
            &ship,
            &json!({"carrier": "sf", "tracking_number": "A1", "lines": [{"order_line_id": tea_line, "quantity": 0}]}),
            Some(&admin),
        )
        .await;
    assert!(r.names_field("lines[0].quantity"), "{}", r.text);
    assert_eq!((t.count("shipments").await, t.count("stock_ledger").await), before);

    // First parcel: one tea.
    let r = t
        .client
        .post(
            &ship,
            &json!({"carrier": "sf", "tracking_number": "A1", "lines": [{"order_line_id": tea_line, "quantity": 1}]}),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let first = r.body["id"].as_i64().unwrap();
    assert_eq!(fixtures::stock(t, tea).await, (9, 1));
    assert_eq!(fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await.body["status"], "paid");
    t.client
        .post(&ship, &json!({"carrier": "sf", "tracking_number": "A1"}), Some(&admin))
        .await
        .assert_problem(409, "duplicate_tracking_number");
    // Second parcel: everything left (default).
    let r = t.client.post(&ship, &json!({"carrier": "sf", "tracking_number": "A2"}), Some(&admin)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let second = r.body["id"].as_i64().unwrap();
    let lines = r.body["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().any(|l| l["order_line_id"] == cup_line && l["quantity"] == 1), "{}", r.text);
    assert!(lines.iter().any(|l| l["order_line_id"] == tea_line && l["quantity"] == 1), "{}", r.text);
    assert_eq!(fixtures::stock(t, tea).await, (8, 0));
    assert_eq!(fixtures::stock(t, cup).await, (9, 0));
    assert_eq!(fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await.body["status"], "shipped");
    t.client
        .post(&ship, &json!({"carrier": "sf", "tracking_number": "A3"}), Some(&admin))
        .await
        .assert_problem(409, "illegal_transition");

    // Staff tracking on the first parcel; the order waits for the second.
    let events = format!("/api/v1/admin/shipments/{first}/events");
    let r = t.client.post(&events, &json!({"status": "lost_in_space"}), Some(&admin)).await;
    assert!(r.names_field("status"), "{}", r.text);
    let r = t.client.post(&events, &json!({"status": "in_transit", "location": "Hangzhou hub"}), Some(&admin)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = t.client.post(&events, &json!({"status": "delivered", "description": "signed by Li"}), Some(&admin)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["status"], "delivered");
    assert_eq!(fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await.body["status"], "shipped");
    // The carrier delivers the second; a repeated push is ignored.
    let secret = t.app.settings.secrets.carrier_webhook.clone();
    let push = json!({"id": "evt-9", "tracking_number": "A2", "status": "delivered", "occurred_at": t.app.now()});
    let r = fixtures::signed_post(t, "/api/v1/shipping/webhooks/sf", &secret, "w-1", t.app.now(), &push).await;
    assert_eq!((r.status, r.body["duplicate"].clone()), (200, json!(false)), "{}", r.text);
    let r = fixtures::signed_post(t, "/api/v1/shipping/webhooks/sf", &secret, "w-2", t.app.now(), &push).await;
    assert_eq!((r.status, r.body["duplicate"].clone()), (200, json!(true)), "{}", r.text);
    let view = fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await.body;
    assert_eq!(view["status"], "delivered");
    let shipments = view["shipments"].as_array().unwrap();
    assert_eq!(shipments.len(), 2);
    assert_eq!(shipments[0]["events"].as_array().unwrap().len(), 3);
    assert_eq!(shipments[1]["events"].as_array().unwrap().len(), 2);
    assert_eq!(shipments[1]["id"], second);
    // The customer confirms receipt; the auto-complete job later finds nothing to do.
    let r = fixtures::post(t, &format!("/api/v1/orders/{order}/confirm-receipt"), &json!({}), &who).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "completed");
    t.advance_and_run(t.app.settings.auto_complete_ms + 1).await;
    assert_eq!(fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await.body["status"], "completed");
    let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stock_reservations WHERE ref_id = $1 AND status = 'held'")
        .bind(order)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(held, 0);
    // The stock ledger still explains every level after reserve, partial and full shipment.
    let drift: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM stock s WHERE s.on_hand <> (SELECT CAST(SUM(l.on_hand_delta) AS BIGINT) FROM stock_ledger l \
         WHERE l.sku_id = s.sku_id AND l.warehouse_id = s.warehouse_id) OR s.reserved <> (SELECT CAST(SUM(l.reserved_delta) AS BIGINT) \
         FROM stock_ledger l WHERE l.sku_id = s.sku_id AND l.warehouse_id = s.warehouse_id)",
    )
    .fetch_one(t.app.db.reader())
    .await
    .unwrap();
    assert_eq!(drift, 0);
}

async fn carrier_webhook_rejects_bad_signatures(t: &TestApp) {
    let push = json!({"id": "e1", "tracking_number": "NOPE", "status": "delivered"});
    let hook = "/api/v1/shipping/webhooks/sf";
    fixtures::signed_post(t, hook, "whsec_wrong", "w1", t.app.now(), &push)
        .await
        .assert_problem(401, "invalid_signature");
    // The payment secret is not the carrier secret.
    let payment_secret = t.app.settings.secrets.payment_webhook.clone();
    fixtures::signed_post(t, hook, &payment_secret, "w1", t.app.now(), &push)
        .await
        .assert_problem(401, "invalid_signature");
    let secret = t.app.settings.secrets.carrier_webhook.clone();
    fixtures::signed_post(t, hook, &secret, "w1", t.app.now() - 3_600_000, &push)
        .await
        .assert_problem(400, "stale_timestamp");
    fixtures::signed_post(t, hook, &secret, "w1", t.app.now(), &push).await.assert_problem(404, "not_found");
    assert_eq!(t.count("shipment_events").await, 0);
}
