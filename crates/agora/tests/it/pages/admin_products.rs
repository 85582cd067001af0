//! The product list of the admin console: filters, and bulk list/delist with confirmation.

use agora_testkit::TestApp;

use super::admin_console::console;
use crate::orders::fixtures;

both_backends!(product_list_filters_and_bulk_delist);

async fn product_of(t: &TestApp, sku: i64) -> i64 {
    sqlx::query_scalar("SELECT product_id FROM skus WHERE id = $1")
        .bind(sku)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap()
}

async fn status(t: &TestApp, product: i64) -> String {
    sqlx::query_scalar("SELECT status FROM products WHERE id = $1")
        .bind(product)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap()
}

async fn product_list_filters_and_bulk_delist(t: &TestApp) {
    let a = product_of(t, fixtures::sku(t, 1000, 5).await).await;
    let b = product_of(t, fixtures::sku(t, 2000, 5).await).await;
    let web = console(t, "operator").await;
    let p = web.get("/admin/products?q=oolong&status=listed").await;
    assert_eq!(p.status, 200, "{}", p.html);
    for id in [a, b] {
        assert!(p.html.contains(&format!("data-product=\"{id}\"")), "{id}");
    }
    assert!(!web.get("/admin/products?q=nothing-like-this").await.html.contains("data-product="));
    assert!(!web.get("/admin/products?status=draft").await.html.contains("data-product="));
    let bad = web.get("/admin/products?status=gone&category=x").await;
    assert_eq!(bad.status, 400);
    assert!(bad.field_error("status").is_some() && bad.field_error("category").is_some());
    let token = p.csrf();
    let a_text = a.to_string();
    let b_text = b.to_string();
    let audit = t.count("audit_log").await;
    // Delisting without the confirmation box: refused beside it, ticks kept, nothing changed.
    let r = web
        .post_raw(
            "/admin/products/bulk",
            &[("_csrf", &token), ("ids", &a_text), ("ids", &b_text), ("action", "delist")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("confirm").is_some(), "{}", r.html);
    assert!(r.html.contains(&format!("value=\"{a}\" id=\"pick-{a}\" checked")), "ticks kept");
    assert_eq!((status(t, a).await, t.count("audit_log").await), ("listed".to_string(), audit));
    // Nothing ticked, no action: both messages.
    let r = web.post_raw("/admin/products/bulk", &[("_csrf", &token)]).await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("ids").is_some() && r.field_error("action").is_some());
    // No CSRF token: refused.
    let r = web.post_raw("/admin/products/bulk", &[("ids", &a_text), ("action", "delist"), ("confirm", "yes")]).await;
    assert_eq!(r.status, 403);
    assert_eq!(status(t, a).await, "listed");
    // Confirmed: both delisted, two audit rows.
    let r = web
        .post_raw(
            "/admin/products/bulk",
            &[("_csrf", &token), ("ids", &a_text), ("ids", &b_text), ("action", "delist"), ("confirm", "yes")],
        )
        .await;
    assert_eq!((r.status, r.location()), (303, "/admin/products?changed=2"), "{}", r.html);
    assert_eq!((status(t, a).await, status(t, b).await), ("delisted".to_string(), "delisted".to_string()));
    assert_eq!(t.count("audit_log").await, audit + 2);
    assert!(web.get("/admin/products?changed=2").await.html.contains("data-testid=\"changed\""));
    // Listing again needs no confirmation.
    let r = web.post_raw("/admin/products/bulk", &[("_csrf", &token), ("ids", &a_text), ("action", "list")]).await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!(status(t, a).await, "listed");
    // Support and finance may not touch the catalog.
    for role in ["support", "finance"] {
        let other = console(t, role).await;
        assert_eq!(other.get("/admin/products").await.status, 403, "{role}");
        let token = other.get("/admin").await.csrf();
        let r = other
            .post_raw(
                "/admin/products/bulk",
                &[("_csrf", &token), ("ids", &a_text), ("action", "delist"), ("confirm", "yes")],
            )
            .await;
        assert_eq!(r.status, 403, "{role}");
        assert_eq!(status(t, a).await, "listed");
    }
}
