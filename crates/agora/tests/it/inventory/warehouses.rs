//! Warehouses: create, update, deactivate, list; roles; bad input writes nothing.

use agora_testkit::TestApp;
use serde_json::json;

use super::fixtures::{self, written};

both_backends!(warehouse_lifecycle, warehouse_bad_input, inventory_roles, inventory_is_documented);

async fn audit_actions(t: &TestApp, admin: &str, entity: &str) -> Vec<String> {
    let r = t.client.get(&format!("/api/v1/admin/audit-log?entity={entity}&limit=100"), Some(admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect()
}

async fn warehouse_lifecycle(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    let op = t.staff_token("operator").await;
    let r = c
        .post(
            "/api/v1/admin/warehouses",
            &json!({"code": "SH-1", "name": "上海仓", "address": "Pudong", "priority": 10}),
            Some(&op),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let sh = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["active"], 1);
    assert_eq!(r.body["priority"], 10);
    let bj = fixtures::warehouse(t, &op, "BJ-1", 20).await;
    let list = c.get("/api/v1/admin/warehouses", Some(&op)).await;
    assert_eq!(list.status, 200);
    let ids: Vec<i64> = list.body["items"].as_array().unwrap().iter().map(|w| w["id"].as_i64().unwrap()).collect();
    assert!(list.body["next_cursor"].is_null());
    assert_eq!(ids, vec![bj, sh], "highest priority first");

    let before = written(t).await;
    c.post("/api/v1/admin/warehouses", &json!({"code": "SH-1", "name": "Again"}), Some(&op))
        .await
        .assert_problem(409, "warehouse_code_taken");
    assert_eq!(written(t).await, before, "duplicate code wrote nothing");

    let r = c
        .patch(&format!("/api/v1/admin/warehouses/{sh}"), &json!({"name": "Shanghai", "priority": 30}), Some(&op))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], "Shanghai");
    assert_eq!(r.body["code"], "SH-1");
    assert_eq!(r.body["priority"], 30);
    c.patch(&format!("/api/v1/admin/warehouses/{sh}"), &json!({"code": "BJ-1"}), Some(&op))
        .await
        .assert_problem(409, "warehouse_code_taken");
    c.patch("/api/v1/admin/warehouses/999999", &json!({"name": "x"}), Some(&op)).await.assert_problem(404, "not_found");
    c.post("/api/v1/admin/warehouses/999999/deactivate", &json!({}), Some(&op)).await.assert_problem(404, "not_found");

    let r = c.post(&format!("/api/v1/admin/warehouses/{sh}/deactivate"), &json!({}), Some(&op)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["active"], 0);
    let audits = t.count("audit_log").await;
    let again = c.post(&format!("/api/v1/admin/warehouses/{sh}/deactivate"), &json!({}), Some(&op)).await;
    assert_eq!(again.body["active"], 0);
    assert_eq!(t.count("audit_log").await, audits, "a no-op deactivation is not audited");
    let r = c.post(&format!("/api/v1/admin/warehouses/{sh}/activate"), &json!({}), Some(&op)).await;
    assert_eq!(r.body["active"], 1);

    let mut actions = audit_actions(t, &admin, "warehouse").await;
    actions.sort();
    assert_eq!(
        actions,
        vec!["warehouse.activate", "warehouse.create", "warehouse.create", "warehouse.deactivate", "warehouse.update"]
    );
}

async fn warehouse_bad_input(t: &TestApp) {
    let c = &t.client;
    let op = t.staff_token("operator").await;
    let id = fixtures::warehouse(t, &op, "GZ", 0).await;
    let before = written(t).await;
    let cases = [
        (json!({"code": "", "name": "x"}), "code"),
        (json!({"code": "has space", "name": "x"}), "code"),
        (json!({"code": "X".repeat(33), "name": "x"}), "code"),
        (json!({"code": "OK"}), "name"),
        (json!({"code": "OK", "name": "   "}), "name"),
        (json!({"code": "OK", "name": "x".repeat(101)}), "name"),
        (json!({"code": "OK", "name": "x", "address": "a".repeat(501)}), "address"),
        (json!({"code": "OK", "name": "x", "priority": "high"}), "priority"),
        (json!({"code": "OK", "name": "x", "priority": 1_000_001}), "priority"),
        (json!({"code": "OK", "name": "x", "priority": 1e30}), "priority"),
        (json!({"code": 7, "name": "x"}), "code"),
    ];
    for (body, field) in cases {
        let r = c.post("/api/v1/admin/warehouses", &body, Some(&op)).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field(field), "{field}: {}", r.text);
    }
    let r = c.post("/api/v1/admin/warehouses", &json!({"code": "OK", "name": "x", "colour": "red"}), Some(&op)).await;
    assert_eq!(r.status, 422, "unknown fields are refused: {}", r.text);
    c.post_raw("/api/v1/admin/warehouses", "application/json", b"{\"code\":".to_vec(), Some(&op))
        .await
        .assert_problem(400, "malformed_json");
    let r = c.patch(&format!("/api/v1/admin/warehouses/{id}"), &json!({"priority": -2_000_000}), Some(&op)).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("priority"));
    c.patch("/api/v1/admin/warehouses/abc", &json!({"name": "x"}), Some(&op)).await.assert_problem(404, "not_found");
    assert_eq!(written(t).await, before, "failed requests wrote nothing");
}

async fn inventory_roles(t: &TestApp) {
    let c = &t.client;
    let op = t.staff_token("operator").await;
    let support = t.staff_token("support").await;
    let finance = t.staff_token("finance").await;
    let (_, customer) = t.customer().await;
    let sku = fixtures::sku(t, "ROLE-1").await;
    let wh = fixtures::warehouse(t, &op, "R1", 0).await;
    let before = written(t).await;
    let create = json!({"code": "NOPE", "name": "Nope"});
    let inbound = json!({"sku_id": sku, "warehouse_id": wh, "quantity": 5});
    for token in [&support, &finance, &customer] {
        c.post("/api/v1/admin/warehouses", &create, Some(token)).await.assert_problem(403, "forbidden");
        c.post("/api/v1/admin/stock/inbound", &inbound, Some(token)).await.assert_problem(403, "forbidden");
        for path in [
            "/api/v1/admin/warehouses",
            "/api/v1/admin/stock",
            "/api/v1/admin/stock/ledger",
            "/api/v1/admin/stock/alerts",
        ] {
            c.get(path, Some(token)).await.assert_problem(403, "forbidden");
        }
    }
    c.post("/api/v1/admin/stock/inbound", &inbound, None).await.assert_problem(401, "unauthenticated");
    assert_eq!(written(t).await, before, "refused requests wrote nothing");
    for path in
        ["/api/v1/admin/warehouses", "/api/v1/admin/stock", "/api/v1/admin/stock/ledger", "/api/v1/admin/stock/alerts"]
    {
        assert_eq!(c.get(path, Some(&op)).await.status, 200, "operator may read {path}");
    }
    assert_eq!(c.post("/api/v1/admin/stock/inbound", &inbound, Some(&op)).await.status, 200);
    // Shopper availability is public.
    let r = c.get(&format!("/api/v1/stock?sku_ids={sku}"), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["items"][0]["available"], 5);
}

async fn inventory_is_documented(t: &TestApp) {
    let doc = t.client.get("/api/openapi.json", None).await;
    assert_eq!(doc.status, 200);
    let ops = [
        ("/api/v1/admin/warehouses", "get"),
        ("/api/v1/admin/warehouses", "post"),
        ("/api/v1/admin/warehouses/{id}", "patch"),
        ("/api/v1/admin/warehouses/{id}/deactivate", "post"),
        ("/api/v1/admin/warehouses/{id}/activate", "post"),
        ("/api/v1/admin/stock", "get"),
        ("/api/v1/admin/stock/skus/{sku_id}", "get"),
        ("/api/v1/admin/stock/thresholds", "put"),
        ("/api/v1/admin/stock/alerts", "get"),
        ("/api/v1/admin/stock/ledger", "get"),
        ("/api/v1/admin/stock/inbound", "post"),
        ("/api/v1/admin/stock/adjustments", "post"),
        ("/api/v1/admin/stock/returns", "post"),
        ("/api/v1/admin/stock/transfers", "post"),
        ("/api/v1/stock", "get"),
    ];
    for (path, method) in ops {
        let op = &doc.body["paths"][path][method];
        assert_eq!(op["tags"][0], "inventory", "{method} {path}");
    }
    assert!(doc.body["tags"].as_array().unwrap().iter().any(|t| t["name"] == "inventory"));
}
