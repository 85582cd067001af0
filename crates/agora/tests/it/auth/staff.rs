//! Staff login, roles enforced by extractor types, the audit log.

use agora_testkit::TestApp;
use serde_json::json;

both_backends!(roles_are_enforced, staff_writes_are_audited);

async fn roles_are_enforced(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    let support = t.staff_token("support").await;
    let (_, customer) = t.customer().await;
    assert_eq!(c.get("/api/v1/admin/staff", Some(&admin)).await.status, 200);
    c.get("/api/v1/admin/staff", Some(&support)).await.assert_problem(403, "forbidden");
    c.get("/api/v1/admin/staff", Some(&customer)).await.assert_problem(403, "forbidden");
    c.get("/api/v1/admin/staff", None).await.assert_problem(401, "unauthenticated");
    c.get("/api/v1/admin/staff", Some("forged-token")).await.assert_problem(401, "unauthenticated");
    // A staff token is not a customer session.
    c.get("/api/v1/auth/me", Some(&admin)).await.assert_problem(403, "forbidden");
}

async fn staff_writes_are_audited(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    let r = c
        .post(
            "/api/v1/admin/staff",
            &json!({"email": "op@shop.cn", "password": "operator pass", "role": "operator"}),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_i64().unwrap();
    let bad = c
        .post(
            "/api/v1/admin/staff",
            &json!({"email": "x@shop.cn", "password": "operator pass", "role": "king"}),
            Some(&admin),
        )
        .await;
    bad.assert_problem(422, "validation_failed");
    assert!(bad.names_field("role"));
    let log = c.get("/api/v1/admin/audit-log?entity=staff", Some(&admin)).await;
    assert_eq!(log.status, 200, "{}", log.text);
    let items = log.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "only the successful write is audited");
    assert_eq!(items[0]["action"], "staff.create");
    assert_eq!(items[0]["entity_id"], id.to_string());
    assert!(items[0]["after_json"].as_str().unwrap().contains("op@shop.cn"));
    assert!(!items[0]["after_json"].as_str().unwrap().contains("password"));
    let op =
        c.post("/api/v1/admin/auth/login", &json!({"email": "op@shop.cn", "password": "operator pass"}), None).await;
    assert_eq!(op.status, 200);
    let op = op.body["token"].as_str().unwrap();
    c.get("/api/v1/admin/audit-log", Some(op)).await.assert_problem(403, "forbidden");
}
