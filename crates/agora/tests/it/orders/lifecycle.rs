//! The whole purchase loop end to end, payment timeout and auto-complete.

use agora_testkit::TestApp;
use serde_json::json;

use super::fixtures;

both_backends!(
    purchase_loop_end_to_end,
    payment_timeout_cancels_and_late_payment_is_refunded,
    illegal_transitions_are_409
);

async fn purchase_loop_end_to_end(t: &TestApp) {
    let (customer_id, bearer) = t.customer().await;
    let sku = fixtures::sku(t, 2_500, 10).await;
    let method = fixtures::delivery(t).await;
    // The cart, over HTTP like a shopper.
    let c = &t.client;
    let r = c.post("/api/v1/carts", &json!({}), Some(&bearer)).await;
    assert!(r.status == 200 || r.status == 201, "{}", r.text);
    let cart = r.body["token"].as_str().unwrap().to_string();
    let r = c.post(&format!("/api/v1/carts/{cart}/lines"), &json!({"sku_id": sku, "quantity": 2}), Some(&bearer)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let address = json!({"recipient": "Li Mei", "phone": "+8613800138000", "country": "CN", "city": "Shanghai", "line1": "1 Nanjing Rd"});
    let r = c.put(&format!("/api/v1/carts/{cart}/address"), &json!({"address": address}), Some(&bearer)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = c.put(&format!("/api/v1/carts/{cart}/shipping"), &json!({"method_id": method}), Some(&bearer)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["totals"]["grand_total"], 5_800);
    let (order, who) = fixtures::placed(t, &cart, Some(&bearer)).await;
    let r = fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["customer_id"], customer_id);
    assert_eq!(r.body["status"], "pending_payment");
    assert_eq!(r.body["payment_state"], "unpaid");
    assert_eq!(r.body["grand_total"], 5_800, "2 × 25.00 + 8.00 shipping: {}", r.text);
    assert_eq!(r.body["lines"][0]["quantity"], 2);
    assert_eq!(r.body["shipping_address"]["city"], "Shanghai");
    assert_eq!(fixtures::stock(t, sku).await, (10, 2));
    // The cart is closed once ordered.
    let r = c.get(&format!("/api/v1/carts/{cart}"), Some(&bearer)).await;
    assert_eq!(r.body["status"], "ordered", "{}", r.text);
    c.post(&format!("/api/v1/carts/{cart}/lines"), &json!({"sku_id": sku, "quantity": 1}), Some(&bearer))
        .await
        .assert_problem(409, "cart_closed");

    // Pay on the sandbox's page: the shop learns about it only from the notification job.
    let r = fixtures::post(t, &format!("/api/v1/orders/{order}/payments"), &json!({}), &who).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["amount"], 5_800);
    let pay_url = r.body["pay_url"].as_str().unwrap().to_string();
    assert!(r.body["qr_payload"].as_str().unwrap().contains("amount=5800"));
    let reference = r.body["provider_ref"].as_str().unwrap().to_string();
    let page = t.client.raw().get(&pay_url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Sandbox wallet") && page.contains("/succeed"), "{page}");
    // The QR code is drawn server-side as inline SVG, its payload also readable as text.
    let payload = r.body["qr_payload"].as_str().unwrap().replace('&', "&amp;");
    assert!(page.contains(&format!("<svg role=\"img\" aria-label=\"QR code: {payload}\"")), "{page}");
    assert!(page.contains("<path fill=\"#000") && page.contains(&format!("<code>{payload}</code>")), "{page}");
    assert!(!page.contains("<?xml") && !page.contains("<script"), "{page}");
    assert_eq!(fixtures::sandbox(t, &reference, "succeed").await.status, 200);
    let r = fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await;
    assert_eq!(r.body["status"], "pending_payment", "notification is asynchronous");
    assert!(t.run_jobs().await >= 1);
    let r = fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await;
    assert_eq!(r.body["status"], "paid", "{}", r.text);
    assert_eq!(r.body["payment_state"], "paid");
    assert_eq!(r.body["paid_total"], 5_800);

    // Ship everything; stock leaves the warehouse.
    let admin = t.staff_token("admin").await;
    let r = t
        .client
        .post(
            &format!("/api/v1/admin/orders/{order}/shipments"),
            &json!({"carrier": "sf", "tracking_number": "SF100200300"}),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(fixtures::stock(t, sku).await, (8, 0));
    let r = fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await;
    assert_eq!(r.body["status"], "shipped");

    // The carrier reports delivery through its signed webhook.
    let push =
        json!({"id": "sf-evt-1", "tracking_number": "SF100200300", "status": "delivered", "location": "Shanghai"});
    let secret = t.app.settings.secrets.carrier_webhook.clone();
    let r = fixtures::signed_post(t, "/api/v1/shipping/webhooks/sf", &secret, "d-1", t.app.now(), &push).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await;
    assert_eq!(r.body["status"], "delivered", "{}", r.text);
    let timeline = r.body["shipments"][0]["events"].as_array().unwrap();
    assert_eq!(timeline.iter().map(|e| e["status"].as_str().unwrap()).collect::<Vec<_>>(), ["shipped", "delivered"]);

    // Seven days later the auto-complete job closes it.
    t.advance_and_run(t.app.settings.auto_complete_ms - 1_000).await;
    assert_eq!(fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await.body["status"], "delivered");
    t.advance_and_run(2_000).await;
    let r = fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await;
    assert_eq!(r.body["status"], "completed");
    let history: Vec<&str> =
        r.body["history"].as_array().unwrap().iter().map(|h| h["to_status"].as_str().unwrap()).collect();
    assert_eq!(history, ["pending_payment", "paid", "shipped", "delivered", "completed"]);
    assert_eq!(fixtures::ledger_sum(t, order).await, 5_800);
    // The customer's list shows it.
    let r = t.client.get("/api/v1/orders", Some(&bearer)).await;
    assert_eq!(r.body["items"][0]["id"], order, "{}", r.text);
}

async fn payment_timeout_cancels_and_late_payment_is_refunded(t: &TestApp) {
    let sku = fixtures::sku(t, 1_000, 5).await;
    let method = fixtures::delivery(t).await;
    let cart = fixtures::cart(t, None, &[(sku, 3)], method, None).await;
    let (order, who) = fixtures::placed(t, &cart, None).await;
    let reference = fixtures::start_payment(t, order, &who).await;
    assert_eq!(fixtures::stock(t, sku).await, (5, 3));
    // Not yet due.
    t.advance_and_run(t.app.settings.payment_timeout_ms - 1_000).await;
    assert_eq!(fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await.body["status"], "pending_payment");
    // The job is a row: a freshly started process (a "restart") runs it.
    t.clock.advance_ms(2_000);
    let restarted = agora_app::App::build(t.app.db.clone(), t.clock.clone(), t.app.settings.clone()).await.unwrap();
    assert_eq!(agora_app::jobs::run_due(&restarted).await.unwrap(), 1);
    let r = fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await;
    assert_eq!(r.body["status"], "cancelled", "{}", r.text);
    assert_eq!(r.body["cancel_reason"], "payment_timeout");
    assert_eq!(fixtures::stock(t, sku).await, (5, 0), "stock released");
    // The buyer pays anyway: the capture is recorded and refunded automatically.
    assert_eq!(fixtures::sandbox(t, &reference, "succeed").await.status, 200);
    t.run_jobs().await;
    let r = fixtures::get(t, &format!("/api/v1/orders/{order}"), &who).await;
    assert_eq!(r.body["status"], "cancelled");
    assert_eq!(r.body["paid_total"], 3_800);
    assert_eq!(r.body["refunded_total"], 3_800);
    assert_eq!(r.body["payment_state"], "refunded");
    assert_eq!(fixtures::ledger_sum(t, order).await, 0);
    assert_eq!(fixtures::stock(t, sku).await, (5, 0));
    assert_eq!(agora_app::jobs::pending_count(&t.app).await.unwrap(), 0);
}

async fn illegal_transitions_are_409(t: &TestApp) {
    let (customer_id, bearer) = t.customer().await;
    let sku = fixtures::sku(t, 1_000, 5).await;
    let method = fixtures::delivery(t).await;
    let cart = fixtures::cart(t, Some(customer_id), &[(sku, 1)], method, None).await;
    let (order, who) = fixtures::placed(t, &cart, Some(&bearer)).await;
    let admin = t.staff_token("admin").await;
    fixtures::post(t, &format!("/api/v1/orders/{order}/confirm-receipt"), &json!({}), &who)
        .await
        .assert_problem(409, "illegal_transition");
    let ship = json!({"carrier": "sf", "tracking_number": "X1"});
    t.client
        .post(&format!("/api/v1/admin/orders/{order}/shipments"), &ship, Some(&admin))
        .await
        .assert_problem(409, "illegal_transition");
    assert_eq!(t.count("shipments").await, 0);
    fixtures::pay(t, order, &who).await;
    // Paid: the customer may no longer cancel.
    fixtures::post(t, &format!("/api/v1/orders/{order}/cancel"), &json!({}), &who)
        .await
        .assert_problem(409, "illegal_transition");
    // Cancel a second pending order twice.
    let cart2 = fixtures::cart(t, Some(customer_id), &[(sku, 1)], method, None).await;
    let (order2, _) = fixtures::placed(t, &cart2, Some(&bearer)).await;
    let r = fixtures::post(t, &format!("/api/v1/orders/{order2}/cancel"), &json!({}), &who).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "cancelled");
    fixtures::post(t, &format!("/api/v1/orders/{order2}/cancel"), &json!({}), &who)
        .await
        .assert_problem(409, "illegal_transition");
    fixtures::post(t, &format!("/api/v1/orders/{order2}/payments"), &json!({}), &who)
        .await
        .assert_problem(409, "order_not_payable");
    assert_eq!(fixtures::stock(t, sku).await, (5, 1), "only the paid order holds stock");
}
