//! Shipping methods and pickup locations: staff management, public lists, and the fee
//! each rule gives a cart (through the pricing function).

use agora_testkit::TestApp;
use serde_json::{Value, json};

use super::seed::{self, SkuSpec};
use super::{add, assert_priced, guest_cart};

both_backends!(shipping_admin_is_guarded_audited_validated, shipping_fees_per_rule, pickup_needs_a_location);

const ADMIN: &str = "/api/v1/admin/shipping-methods";

async fn create(t: &TestApp, staff: &str, code: &str, rule: Value) -> i64 {
    let r = t.client.post(ADMIN, &json!({"code": code, "name": code.to_uppercase(), "rule": rule}), Some(staff)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["id"].as_i64().unwrap()
}

async fn shipping_admin_is_guarded_audited_validated(t: &TestApp) {
    let c = &t.client;
    let operator = t.staff_token("operator").await;
    let support = t.staff_token("support").await;
    let (_, customer) = t.customer().await;
    let body = json!({"code": "sf", "name": "SF Express", "rule": {"kind": "flat", "fee": 1200}});
    c.post(ADMIN, &body, None).await.assert_problem(401, "unauthenticated");
    c.post(ADMIN, &body, Some(&customer)).await.assert_problem(403, "forbidden");
    c.post(ADMIN, &body, Some(&support)).await.assert_problem(403, "forbidden");
    let audit_before = t.count("audit_log").await;
    let id = create(t, &operator, "sf", json!({"kind": "flat", "fee": 1200})).await;
    c.post(ADMIN, &body, Some(&operator)).await.assert_problem(409, "code_taken");

    let before = t.count("shipping_methods").await;
    for (body, field) in [
        (json!({"code": "x", "name": "X", "rule": {"kind": "flat", "fee": -1}}), "rule.fee"),
        (
            json!({"code": "x", "name": "X", "rule": {"kind": "by_weight", "first_grams": 0, "first_fee": 0, "step_grams": 0, "step_fee": 1}}),
            "rule.step_grams",
        ),
        (json!({"code": "x", "name": "X", "rule": {"kind": "teleport"}}), "rule.kind"),
        (json!({"code": "x", "name": "X", "rule": {"kind": "none"}}), "rule.kind"),
        (json!({"code": "x", "name": "X", "rule": {"kind": "flat"}}), "rule.fee"),
        (json!({"code": "Bad Code", "name": "X", "rule": {"kind": "pickup"}}), "code"),
        (json!({"code": "x", "name": "N".repeat(101), "rule": {"kind": "pickup"}}), "name"),
        (json!({"code": "x", "name": "X", "rule": {"kind": "flat", "fee": "5"}}), "rule"),
    ] {
        let r = c.post(ADMIN, &body, Some(&operator)).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field(field), "{body} should name {field}: {}", r.text);
    }
    assert_eq!(t.count("shipping_methods").await, before);

    let put = json!({"code": "sf", "name": "SF", "rule": {"kind": "flat", "fee": 900}, "position": 2});
    let r = c.put(&format!("{ADMIN}/{id}"), &put, Some(&operator)).await;
    assert_eq!((r.status, r.body["rule"]["fee"].as_i64()), (200, Some(900)), "{}", r.text);
    c.put(&format!("{ADMIN}/987654"), &put, Some(&operator)).await.assert_problem(404, "not_found");
    let public = c.get("/api/v1/shipping-methods", None).await;
    assert_eq!(public.body[0]["rule"], json!({"kind": "flat", "fee": 900}));
    assert_eq!(c.delete(&format!("{ADMIN}/{id}"), Some(&operator)).await.status, 204);
    assert_eq!(c.get("/api/v1/shipping-methods", None).await.body, json!([]));
    let all = c.get(ADMIN, Some(&operator)).await;
    assert_eq!(all.body[0]["active"], false);
    // create, update, deactivate: one audit row each, with before and after.
    assert_eq!(t.count("audit_log").await, audit_before + 3);
    let log = c.get("/api/v1/admin/audit-log?entity=shipping_method", Some(&t.staff_token("admin").await)).await;
    let actions: Vec<&str> =
        log.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["shipping_method.deactivate", "shipping_method.update", "shipping_method.create"]);
}

fn fees(options: &Value) -> Vec<(String, i64)> {
    options
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["method"]["code"].as_str().unwrap().to_string(), o["fee"].as_i64().unwrap()))
        .collect()
}

fn fee_list(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
    pairs.iter().map(|(c, f)| (c.to_string(), *f)).collect()
}

async fn shipping_fees_per_rule(t: &TestApp) {
    let c = &t.client;
    let staff = t.staff_token("operator").await;
    create(t, &staff, "flat", json!({"kind": "flat", "fee": 800})).await;
    create(t, &staff, "free-over", json!({"kind": "free_over", "fee": 1000, "threshold": 5000})).await;
    let weight = create(
        t,
        &staff,
        "weight",
        json!({"kind": "by_weight", "first_grams": 1000, "first_fee": 800, "step_grams": 500, "step_fee": 200}),
    )
    .await;
    create(t, &staff, "pickup", json!({"kind": "pickup"})).await;
    let a = seed::sku(t, SkuSpec::priced(2000, 10).weighing(700)).await;
    let token = guest_cart(t).await;
    let options = format!("/api/v1/carts/{token}/shipping-options");
    // An empty cart ships free.
    assert!(fees(&c.get(&options, None).await.body).iter().all(|(_, f)| *f == 0));

    add(t, &token, a.id, 2, None).await; // 4000, 1400 g
    let expected = [("flat", 800), ("free-over", 1000), ("weight", 1000), ("pickup", 0)];
    assert_eq!(fees(&c.get(&options, None).await.body), fee_list(&expected));
    add(t, &token, a.id, 1, None).await; // 6000, 2100 g
    let r = c.get(&options, None).await;
    let expected = [("flat", 800), ("free-over", 0), ("weight", 1400), ("pickup", 0)];
    assert_eq!(fees(&r.body), fee_list(&expected));
    assert_eq!(r.body[2]["grand_total"], 6000 + 1400);

    let r = c.put(&format!("/api/v1/carts/{token}/shipping"), &json!({"method_id": weight}), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        (r.body["totals"]["shipping_total"].as_i64(), r.body["totals"]["grand_total"].as_i64()),
        (Some(1400), Some(7400))
    );
    assert_eq!(r.body["shipping"]["code"], "weight");
    assert_priced(t, &r.body);
    let r = c.put(&format!("/api/v1/carts/{token}/shipping"), &json!({"method_id": 987_654}), None).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("method_id"));
    let r = c.put(&format!("/api/v1/carts/{token}/shipping"), &json!({"method_id": "fast"}), None).await;
    assert!(r.names_field("method_id"), "{}", r.text);
    assert_eq!(c.get(&format!("/api/v1/carts/{token}"), None).await.body["shipping"]["code"], "weight");
    // Retiring the method un-chooses it: no fee, and it is no longer offered.
    assert_eq!(c.delete(&format!("{ADMIN}/{weight}"), Some(&staff)).await.status, 204);
    let r = c.get(&format!("/api/v1/carts/{token}"), None).await;
    assert!(r.body["shipping"].is_null(), "{}", r.text);
    assert_eq!(r.body["totals"]["shipping_total"], 0);
    assert_eq!(c.get(&options, None).await.body.as_array().map(Vec::len), Some(3));
}

async fn pickup_needs_a_location(t: &TestApp) {
    let c = &t.client;
    let staff = t.staff_token("operator").await;
    let pickup = create(t, &staff, "pickup", json!({"kind": "pickup"})).await;
    let flat = create(t, &staff, "flat", json!({"kind": "flat", "fee": 800})).await;
    let admin = "/api/v1/admin/pickup-locations";
    let r = c.post(admin, &json!({"name": "", "address": "x"}), Some(&staff)).await;
    assert!(r.names_field("name"), "{}", r.text);
    let r = c.post(admin, &json!({"name": "Store", "address": "x", "warehouse_id": 987_654}), Some(&staff)).await;
    assert!(r.names_field("warehouse_id"), "{}", r.text);
    let wh = seed::warehouse(t).await;
    let loc =
        json!({"name": "Jing'an store", "address": "88 West Nanjing Rd", "hours": "10:00-22:00", "warehouse_id": wh});
    let r = c.post(admin, &loc, Some(&staff)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let loc_id = r.body["id"].as_i64().unwrap();
    assert_eq!(c.get("/api/v1/pickup-locations", None).await.body[0]["name"], "Jing'an store");

    let a = seed::sku(t, SkuSpec::priced(2000, 10)).await;
    let token = guest_cart(t).await;
    add(t, &token, a.id, 1, None).await;
    let path = format!("/api/v1/carts/{token}/shipping");
    let r = c.put(&path, &json!({"method_id": pickup}), None).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("pickup_location_id"));
    let r = c.put(&path, &json!({"method_id": flat, "pickup_location_id": loc_id}), None).await;
    assert!(r.names_field("pickup_location_id"), "{}", r.text);
    let r = c.put(&path, &json!({"method_id": pickup, "pickup_location_id": loc_id}), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        (r.body["pickup_location_id"].as_i64(), r.body["totals"]["shipping_total"].as_i64()),
        (Some(loc_id), Some(0))
    );
    // Retired locations are no longer listed or choosable.
    assert_eq!(c.delete(&format!("{admin}/{loc_id}"), Some(&staff)).await.status, 204);
    assert_eq!(c.get("/api/v1/pickup-locations", None).await.body, json!([]));
    let r = c.put(&path, &json!({"method_id": pickup, "pickup_location_id": loc_id}), None).await;
    assert!(r.names_field("pickup_location_id"), "{}", r.text);
}
