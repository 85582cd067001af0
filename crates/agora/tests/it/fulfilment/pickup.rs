//! Store pickup with a pickup code.

use agora_testkit::TestApp;
use serde_json::json;

use crate::orders::fixtures;

both_backends!(pickup_order_completes_with_code);

async fn pickup_order_completes_with_code(t: &TestApp) {
    let sku = fixtures::sku(t, 3_000, 4).await;
    let (method, location) = fixtures::pickup(t).await;
    let cart = fixtures::cart(t, None, &[(sku, 2)], method, Some(location)).await;
    let (order, guest) = fixtures::placed(t, &cart, None).await;
    let view = fixtures::get(t, &format!("/api/v1/orders/{order}"), &guest).await.body;
    assert_eq!(view["grand_total"], 6_000, "pickup is free");
    assert!(view["pickup_code"].is_null(), "no code before payment");
    assert_eq!(view["pickup_location_id"], location);
    let admin = t.staff_token("admin").await;
    let pickup = format!("/api/v1/admin/orders/{order}/pickup");
    t.client.post(&pickup, &json!({"code": "000000"}), Some(&admin)).await.assert_problem(409, "illegal_transition");
    fixtures::pay(t, order, &guest).await;
    let view = fixtures::get(t, &format!("/api/v1/orders/{order}"), &guest).await.body;
    let code = view["pickup_code"].as_str().expect("pickup code once paid").to_string();
    assert_eq!(code.len(), 6);
    // Shipping a pickup order is refused.
    let r = t
        .client
        .post(
            &format!("/api/v1/admin/orders/{order}/shipments"),
            &json!({"carrier": "sf", "tracking_number": "P1"}),
            Some(&admin),
        )
        .await;
    r.assert_problem(409, "pickup_order");
    let wrong = if code == "123456" { "654321" } else { "123456" };
    let audits = t.count("audit_log").await;
    let r = t.client.post(&pickup, &json!({"code": wrong}), Some(&admin)).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("code"), "{}", r.text);
    assert_eq!(fixtures::stock(t, sku).await, (4, 2));
    assert_eq!(t.count("audit_log").await, audits);
    let r = t.client.post(&pickup, &json!({"code": code}), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "completed");
    assert_eq!(fixtures::stock(t, sku).await, (2, 0));
    assert_eq!(t.count("audit_log").await, audits + 1);
    let guest_view = fixtures::get(t, &format!("/api/v1/orders/{order}"), &guest).await.body;
    assert_eq!(guest_view["status"], "completed");
}
