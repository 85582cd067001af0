//! The inventory pages of the admin console: stock list, inbound, stocktake with a reason,
//! thresholds and alerts, the ledger.

use agora_testkit::TestApp;

use super::admin_console::console;
use crate::orders::fixtures;

both_backends!(stock_forms_write_the_ledger_and_audit, warehouses_are_created_through_the_form);

async fn on_hand(t: &TestApp, sku: i64, wh: i64) -> i64 {
    sqlx::query_scalar("SELECT on_hand FROM stock WHERE sku_id = $1 AND warehouse_id = $2")
        .bind(sku)
        .bind(wh)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap()
}

async fn stock_forms_write_the_ledger_and_audit(t: &TestApp) {
    let sku = fixtures::sku(t, 1000, 50).await;
    let wh = fixtures::warehouse(t).await;
    let (sku_s, wh_s) = (sku.to_string(), wh.to_string());
    let web = console(t, "operator").await;
    let page = web.get(&format!("/admin/inventory?sku={sku}")).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains(&format!("data-stock=\"{sku}-{wh}\"")));
    let token = page.csrf();
    let written = || async { (t.count("stock_ledger").await, t.count("audit_log").await) };
    let before = written().await;
    // Inbound without a quantity: the message stands beside that field of that form.
    let r = web
        .post_raw(
            "/admin/inventory",
            &[("_csrf", &token), ("form", "inbound"), ("sku", &sku_s), ("warehouse", &wh_s), ("quantity", "")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("inbound_quantity").is_some(), "{}", r.html);
    assert!(r.field_error("stocktake_quantity").is_none());
    assert_eq!(written().await, before);
    // Zero units: refused by the use case, shown beside the quantity.
    let r = web
        .post_raw(
            "/admin/inventory",
            &[("_csrf", &token), ("form", "inbound"), ("sku", &sku_s), ("warehouse", &wh_s), ("quantity", "0")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("inbound_quantity").is_some(), "{}", r.html);
    assert_eq!(written().await, before);
    let r = web
        .post_raw(
            "/admin/inventory",
            &[
                ("_csrf", &token),
                ("form", "inbound"),
                ("sku", &sku_s),
                ("warehouse", &wh_s),
                ("quantity", "5"),
                ("reference", "PO-7"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!(on_hand(t, sku, wh).await, 55);
    assert_eq!(written().await, (before.0 + 1, before.1 + 1));
    // A stocktake needs a reason.
    let r = web
        .post_raw(
            "/admin/inventory",
            &[("_csrf", &token), ("form", "stocktake"), ("sku", &sku_s), ("warehouse", &wh_s), ("quantity", "3")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("stocktake_reason").is_some(), "{}", r.html);
    assert_eq!(on_hand(t, sku, wh).await, 55);
    let r = web
        .post_raw(
            "/admin/inventory",
            &[
                ("_csrf", &token),
                ("form", "stocktake"),
                ("sku", &sku_s),
                ("warehouse", &wh_s),
                ("quantity", "3"),
                ("reason", "water damage"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!(on_hand(t, sku, wh).await, 3);
    // A threshold above the stock raises an alert.
    let r = web
        .post_raw(
            "/admin/inventory",
            &[("_csrf", &token), ("form", "threshold"), ("sku", &sku_s), ("warehouse", &wh_s), ("quantity", "10")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let page = web.get("/admin/inventory").await;
    let alerts = &page.html[page.html.find("data-testid=\"alerts\"").expect("alerts")..];
    assert!(alerts.contains(&format!("#{sku}")));
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'stock.%' ORDER BY id")
            .fetch_all(t.app.db.reader())
            .await
            .unwrap();
    assert_eq!(actions.len(), 3, "{actions:?}");
    // The ledger shows the adjustment with its reason; filters validate.
    let ledger = web.get(&format!("/admin/inventory/ledger?sku={sku}&kind=adjust")).await;
    assert_eq!(ledger.status, 200);
    assert!(ledger.html.contains("water damage") && !ledger.html.contains("data-kind=\"inbound\""), "{}", ledger.html);
    let bad = web.get("/admin/inventory/ledger?kind=teleport&sku=x").await;
    assert_eq!(bad.status, 400);
    assert!(bad.field_error("kind").is_some() && bad.field_error("sku").is_some());
    // Only inventory roles.
    for role in ["support", "finance"] {
        let other = console(t, role).await;
        assert_eq!(other.get("/admin/inventory").await.status, 403);
        assert_eq!(other.get("/admin/inventory/ledger").await.status, 403);
        let token = other.get("/admin").await.csrf();
        let r = other
            .post_raw(
                "/admin/inventory",
                &[("_csrf", &token), ("form", "inbound"), ("sku", &sku_s), ("warehouse", &wh_s), ("quantity", "5")],
            )
            .await;
        assert_eq!(r.status, 403);
    }
    assert_eq!(on_hand(t, sku, wh).await, 3);
}

async fn warehouses_are_created_through_the_form(t: &TestApp) {
    let web = console(t, "operator").await;
    let token = web.get("/admin/inventory").await.csrf();
    let before = (t.count("warehouses").await, t.count("audit_log").await);
    let r = web
        .post_raw(
            "/admin/inventory/warehouses",
            &[("_csrf", &token), ("code", "bad code!"), ("name", ""), ("priority", "1")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("wh_code").is_some() && r.field_error("wh_name").is_some(), "{}", r.html);
    assert_eq!(r.input_value("code").as_deref(), Some("bad code!"), "the typed code is kept");
    assert_eq!((t.count("warehouses").await, t.count("audit_log").await), before);
    let fields =
        [("_csrf", token.as_str()), ("code", "SZ-1"), ("name", "Shenzhen"), ("address", "Nanshan"), ("priority", "5")];
    let r = web.post_raw("/admin/inventory/warehouses", &fields).await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!((t.count("warehouses").await, t.count("audit_log").await), (before.0 + 1, before.1 + 1));
    assert!(web.get("/admin/inventory").await.html.contains("Shenzhen"));
    let r = web.post_raw("/admin/inventory/warehouses", &fields).await;
    assert_eq!(r.status, 422, "the same code twice");
    assert!(r.field_error("wh_code").is_some());
    assert_eq!(t.count("warehouses").await, before.0 + 1);
}
