//! Lifecycle: draft → scheduled → listed ⇄ delisted, the publish job, bulk changes.

use agora_testkit::TestApp;
use serde_json::json;

use super::{category, ids, listed, product};

both_backends!(
    draft_is_hidden_and_illegal_changes_refused,
    scheduled_listing_by_job,
    stale_publish_job_does_not_undo,
    bulk_list_and_delist
);

const HOUR: i64 = 3_600_000;

async fn draft_is_hidden_and_illegal_changes_refused(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    let cat = category(t, &admin, "a", None).await;
    let p = product(t, &admin, cat, "Hidden Gem", json!({"size": ["S"]}), 100).await;
    let id = p["id"].as_i64().unwrap();
    c.get(&format!("/api/v1/products/{id}"), None).await.assert_problem(404, "not_found");
    c.get("/api/v1/products/hidden-gem", None).await.assert_problem(404, "not_found");
    assert_eq!(c.get("/api/v1/products", None).await.body["items"], json!([]));
    let count = |tree: serde_json::Value| tree[0]["product_count"].clone();
    assert_eq!(count(c.get("/api/v1/categories", None).await.body), 0);
    c.post(&format!("/api/v1/admin/products/{id}/delist"), &json!({}), Some(&admin))
        .await
        .assert_problem(409, "illegal_transition");
    let bare = c
        .post(
            "/api/v1/admin/products",
            &json!({"category_id": cat, "texts": {"en": {"title": "No Skus"}}}),
            Some(&admin),
        )
        .await;
    let bare = bare.body["id"].as_i64().unwrap();
    c.post(&format!("/api/v1/admin/products/{bare}/publish"), &json!({}), Some(&admin))
        .await
        .assert_problem(409, "product_incomplete");
    let r = c.post(&format!("/api/v1/admin/products/{id}/publish"), &json!({}), Some(&admin)).await;
    assert_eq!(r.body["status"], "listed");
    assert_eq!(r.body["listed_at"], t.app.now());
    assert_eq!(c.get("/api/v1/products/hidden-gem", None).await.status, 200);
    assert_eq!(count(c.get("/api/v1/categories", None).await.body), 1, "the rendered tree follows listing");
    c.post(&format!("/api/v1/admin/products/{id}/publish"), &json!({}), Some(&admin))
        .await
        .assert_problem(409, "illegal_transition");
    let future = t.app.now() + HOUR;
    c.post(&format!("/api/v1/admin/products/{id}/publish"), &json!({"publish_at": future}), Some(&admin))
        .await
        .assert_problem(409, "illegal_transition");
    let r = c.post(&format!("/api/v1/admin/products/{id}/delist"), &json!({}), Some(&admin)).await;
    assert_eq!(r.body["status"], "delisted");
    c.get(&format!("/api/v1/products/{id}"), None).await.assert_problem(404, "not_found");
    assert_eq!(count(c.get("/api/v1/categories", None).await.body), 0, "and delisting");
    c.post(&format!("/api/v1/admin/products/{id}/delist"), &json!({}), Some(&admin))
        .await
        .assert_problem(409, "illegal_transition");
    let r = c.post(&format!("/api/v1/admin/products/{id}/publish"), &json!({}), Some(&admin)).await;
    assert_eq!(r.body["status"], "listed", "delisted → listed again");
    assert_eq!(c.get(&format!("/api/v1/products/{id}"), None).await.status, 200);
    let auditor = t.staff_token("admin").await;
    let log = c.get(&format!("/api/v1/admin/audit-log?entity=product&entity_id={id}"), Some(&auditor)).await;
    let actions: Vec<_> = log.body["items"].as_array().unwrap().iter().map(|i| i["action"].clone()).collect();
    assert_eq!(
        actions,
        vec![json!("product.list"), json!("product.delist"), json!("product.list"), json!("product.create")]
    );
}

async fn scheduled_listing_by_job(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    let cat = category(t, &admin, "a", None).await;
    let id = product(t, &admin, cat, "Timed", json!({}), 100).await["id"].as_i64().unwrap();
    let at = t.app.now() + HOUR;
    let r = c.post(&format!("/api/v1/admin/products/{id}/publish"), &json!({"publish_at": at}), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "scheduled");
    assert_eq!(r.body["publish_at"], at);
    c.get(&format!("/api/v1/products/{id}"), None).await.assert_problem(404, "not_found");
    assert_eq!(t.advance_and_run(HOUR / 2).await, 0, "not due yet");
    // Reschedule later: the first job becomes stale.
    let later = t.app.now() + HOUR;
    let r = c.post(&format!("/api/v1/admin/products/{id}/publish"), &json!({"publish_at": later}), Some(&admin)).await;
    assert_eq!(r.body["status"], "scheduled");
    assert_eq!(t.advance_and_run(HOUR / 2 + 1).await, 1, "the stale job runs");
    let still = c.get(&format!("/api/v1/admin/products/{id}"), Some(&admin)).await;
    assert_eq!(still.body["status"], "scheduled", "a stale job does not list");
    c.get(&format!("/api/v1/products/{id}"), None).await.assert_problem(404, "not_found");
    assert_eq!(t.advance_and_run(HOUR / 2).await, 1);
    let r = c.get(&format!("/api/v1/products/{id}"), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let admin_view = c.get(&format!("/api/v1/admin/products/{id}"), Some(&admin)).await;
    assert_eq!(admin_view.body["status"], "listed");
    assert_eq!(admin_view.body["publish_at"], json!(null));
    assert_eq!(ids(&c.get("/api/v1/products", None).await.body), vec![id]);
    assert_eq!(agora_app::jobs::pending_count(&t.app).await.unwrap(), 0);
}

async fn stale_publish_job_does_not_undo(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    let cat = category(t, &admin, "a", None).await;
    let id = product(t, &admin, cat, "Early", json!({}), 100).await["id"].as_i64().unwrap();
    let at = t.app.now() + HOUR;
    c.post(&format!("/api/v1/admin/products/{id}/publish"), &json!({"publish_at": at}), Some(&admin)).await;
    let r = c.post(&format!("/api/v1/admin/products/{id}/publish"), &json!({}), Some(&admin)).await;
    assert_eq!(r.body["status"], "listed", "listed by hand before its time");
    let r = c.post(&format!("/api/v1/admin/products/{id}/delist"), &json!({}), Some(&admin)).await;
    assert_eq!(r.body["status"], "delisted");
    assert_eq!(t.advance_and_run(HOUR + 1).await, 1);
    let after = c.get(&format!("/api/v1/admin/products/{id}"), Some(&admin)).await;
    assert_eq!(after.body["status"], "delisted", "the old schedule must not relist it");
    c.get(&format!("/api/v1/products/{id}"), None).await.assert_problem(404, "not_found");
}

async fn bulk_list_and_delist(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    let cat = category(t, &admin, "a", None).await;
    let a = product(t, &admin, cat, "A", json!({}), 100).await["id"].as_i64().unwrap();
    let b = product(t, &admin, cat, "B", json!({}), 100).await["id"].as_i64().unwrap();
    let l = listed(t, &admin, cat, "L", json!({}), 100).await;
    let before = t.count("audit_log").await;
    let r =
        c.post("/api/v1/admin/products/bulk-status", &json!({"ids": [a, b, l], "action": "list"}), Some(&admin)).await;
    r.assert_problem(409, "illegal_transition");
    let r =
        c.post("/api/v1/admin/products/bulk-status", &json!({"ids": [a, 999], "action": "list"}), Some(&admin)).await;
    r.assert_problem(422, "validation_failed");
    c.post("/api/v1/admin/products/bulk-status", &json!({"ids": [a], "action": "hide"}), Some(&admin))
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(t.count("audit_log").await, before, "all or nothing");
    assert_eq!(ids(&c.get("/api/v1/products", None).await.body), vec![l]);
    let r =
        c.post("/api/v1/admin/products/bulk-status", &json!({"ids": [b, a, a], "action": "list"}), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["updated"], json!([a, b]));
    assert_eq!(ids(&c.get("/api/v1/products", None).await.body), vec![l, b, a]);
    let r = c
        .post("/api/v1/admin/products/bulk-status", &json!({"ids": [a, b, l], "action": "delist"}), Some(&admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(c.get("/api/v1/products", None).await.body["items"], json!([]));
    assert_eq!(t.count("audit_log").await, before + 5);
}

both_backends!(concurrent_publish_lists_once);

async fn concurrent_publish_lists_once(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    let cat = category(t, &admin, "a", None).await;
    for round in 0..5 {
        let id = product(t, &admin, cat, &format!("Race {round}"), json!({}), 100).await["id"].as_i64().unwrap();
        let path = format!("/api/v1/admin/products/{id}/publish");
        let (a, b) = futures_util::future::join(
            c.post(&path, &json!({}), Some(&admin)),
            c.post(&path, &json!({}), Some(&admin)),
        )
        .await;
        let mut statuses = [a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "{} / {}", a.text, b.text);
    }
}
