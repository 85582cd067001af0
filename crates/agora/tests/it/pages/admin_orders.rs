//! The order pages of the admin console: filters, shipping with tracking, tracking events
//! the customer sees, cancel and refund with confirmation; messages beside the fields,
//! CSRF, and audit rows.

use agora_testkit::TestApp;

use super::Web;
use super::admin_console::{console, paid_order};
use crate::orders::fixtures::{self, Who};

both_backends!(
    list_filters_by_status_and_validates,
    ship_and_track_through_the_forms,
    cancel_and_refund_need_confirmation,
    pickup_needs_the_right_code
);

async fn list_filters_by_status_and_validates(t: &TestApp) {
    let (paid, _, _) = paid_order(t, 1500, 1).await;
    let sku = fixtures::sku(t, 700, 5).await;
    let method = fixtures::delivery(t).await;
    let cart = fixtures::cart(t, None, &[(sku, 1)], method, None).await;
    let (pending, _) = fixtures::placed(t, &cart, None).await;
    let web = console(t, "support").await;
    let all = web.get("/admin/orders").await;
    assert_eq!(all.status, 200);
    all.assert_secure_headers();
    for id in [paid, pending] {
        assert!(all.html.contains(&format!("data-order=\"{id}\"")), "{id} listed");
    }
    let only_paid = web.get("/admin/orders?status=paid").await;
    assert!(only_paid.html.contains(&format!("data-order=\"{paid}\"")));
    assert!(!only_paid.html.contains(&format!("data-order=\"{pending}\"")));
    let days = t.app.now().div_euclid(agora_app::reports::DAY_MS);
    let (date, tomorrow) = (civil(days), civil(days + 1));
    let p = web.get(&format!("/admin/orders?from={date}&to={date}")).await;
    assert!(p.html.contains(&format!("data-order=\"{paid}\"")), "created today");
    let p = web.get(&format!("/admin/orders?from={tomorrow}")).await;
    assert!(!p.html.contains(&format!("data-order=\"{paid}\"")), "not created tomorrow");
    // Bad filters: messages beside the fields, values kept.
    let bad = web.get("/admin/orders?status=lost&from=yesterday&customer=-3").await;
    assert_eq!(bad.status, 400);
    for field in ["status", "from", "customer"] {
        assert!(bad.field_error(field).is_some(), "{field}: {}", bad.html);
    }
    assert_eq!(bad.input_value("from").as_deref(), Some("yesterday"));
    // Escaped output: a hostile filter value comes back inert.
    let p = web.get("/admin/orders?customer=%3Cscript%3Ex").await;
    assert!(
        !p.html.contains("<script>x") && p.html.contains("&lt;script&gt;x") || p.html.contains("&#60;script&#62;x")
    );
}

async fn ship_and_track_through_the_forms(t: &TestApp) {
    let (order, customer_token, _) = paid_order(t, 2500, 2).await;
    let web = console(t, "operator").await;
    let path = format!("/admin/orders/{order}");
    let page = web.get(&path).await;
    assert!(page.html.contains("data-testid=\"ship-form\""));
    let token = page.csrf();
    let counts =
        || async { (t.count("shipments").await, t.count("audit_log").await, t.count("shipment_events").await) };
    let before = counts().await;
    // Empty fields: 422 with the message beside each, nothing written.
    let r =
        web.post_raw(&format!("{path}/ship"), &[("_csrf", &token), ("carrier", " "), ("tracking_number", "")]).await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("carrier").is_some() && r.field_error("tracking_number").is_some(), "{}", r.html);
    assert!(r.html.contains("aria-invalid=\"true\""));
    assert_eq!(counts().await, before);
    // No CSRF token: the 403 page, nothing written.
    let r = web.post_raw(&format!("{path}/ship"), &[("carrier", "SF"), ("tracking_number", "SF1")]).await;
    assert_eq!(r.status, 403);
    assert_eq!(counts().await, before);
    // Shipped.
    let r = web
        .post_raw(
            &format!("{path}/ship"),
            &[("_csrf", &token), ("carrier", "SF Express"), ("tracking_number", "SF123456")],
        )
        .await;
    assert_eq!((r.status, r.location()), (303, path.as_str()), "{}", r.html);
    let page = web.get(&path).await;
    assert!(page.html.contains("data-testid=\"order-status\">shipped<"), "{}", page.html);
    assert!(page.html.contains("SF123456"));
    assert!(!page.html.contains("data-testid=\"ship-form\""), "nothing left to ship");
    let audit: Vec<(String, i64)> =
        sqlx::query_as("SELECT action, staff_id FROM audit_log WHERE action = 'shipment.create' AND entity_id = $1")
            .bind(order.to_string())
            .fetch_all(t.app.db.reader())
            .await
            .unwrap();
    assert_eq!(audit.len(), 1);
    let shipment: i64 = sqlx::query_scalar("SELECT id FROM shipments WHERE order_id = $1")
        .bind(order)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    // A tracking event: a bad status is refused beside the field; then added.
    let events_path = format!("{path}/shipments/{shipment}/events");
    let before = counts().await;
    let r = web.post_raw(&events_path, &[("_csrf", &token), ("status", "teleported"), ("description", "x")]).await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("status").is_some(), "{}", r.html);
    assert_eq!(counts().await, before);
    let r = web
        .post_raw(
            &events_path,
            &[
                ("_csrf", &token),
                ("status", "in_transit"),
                ("description", "Left Shanghai hub"),
                ("location", "Shanghai"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!(t.count("audit_log").await, before.1 + 1);
    // The event of another order's shipment path is not found.
    let r = web
        .post_raw(
            &format!("/admin/orders/{}/shipments/{shipment}/events", order + 1000),
            &[("_csrf", &token), ("status", "in_transit")],
        )
        .await;
    assert_eq!(r.status, 404);
    // The customer's order page shows the timeline in their language.
    let shopper = Web::new(t).with_accept_language("zh-CN");
    shopper.set_cookie("agora_session", &customer_token);
    let page = shopper.get(&format!("/account/orders/{order}")).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("运输中") && page.html.contains("Left Shanghai hub"), "{}", page.html);
    assert!(!page.html.contains("in_transit"), "status names are translated");
    // The customer's JSON shows the timeline.
    let r = fixtures::get(t, &format!("/api/v1/orders/{order}"), &Who::Customer(customer_token)).await;
    assert_eq!(r.body["status"], "shipped");
    let events = r.body["shipments"][0]["events"].as_array().expect("events");
    assert!(
        events.iter().any(|e| e["status"] == "in_transit" && e["description"] == "Left Shanghai hub"),
        "{events:?}"
    );
    assert_eq!(r.body["shipments"][0]["tracking_number"], "SF123456");
}

async fn cancel_and_refund_need_confirmation(t: &TestApp) {
    let (order, _, total) = paid_order(t, 3000, 1).await;
    let path = format!("/admin/orders/{order}");
    let finance = console(t, "finance").await;
    let token = finance.get(&path).await.csrf();
    let before = (t.count("refunds").await, t.count("audit_log").await);
    // Refund without the box ticked and with a bad amount: both messages, nothing written.
    let r = finance
        .post_raw(&format!("{path}/refund"), &[("_csrf", &token), ("amount", "1.234"), ("refund_reason", "damaged")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("amount").is_some() && r.field_error("confirm_refund").is_some(), "{}", r.html);
    assert_eq!(r.input_value("refund_reason").as_deref(), Some("damaged"));
    assert_eq!((t.count("refunds").await, t.count("audit_log").await), before);
    // More than was paid: refused by the use case, nothing written.
    let too_much = format!("{}.00", total / 100 + 1);
    let r = finance
        .post_raw(
            &format!("{path}/refund"),
            &[("_csrf", &token), ("amount", &too_much), ("refund_reason", "x"), ("confirm_refund", "yes")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert_eq!((t.count("refunds").await, t.count("audit_log").await), before);
    // A partial refund of 10.00.
    let r = finance
        .post_raw(
            &format!("{path}/refund"),
            &[("_csrf", &token), ("amount", "10"), ("refund_reason", "damaged box"), ("confirm_refund", "yes")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    t.run_jobs().await;
    let refunded: i64 = sqlx::query_scalar("SELECT refunded_total FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(refunded, 1000);
    assert!(finance.get(&path).await.html.contains("data-testid=\"refunded\">10.00<"));
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'order.refund' AND entity_id = $1")
            .bind(order.to_string())
            .fetch_one(t.app.db.reader())
            .await
            .unwrap();
    assert_eq!(audited, 1);
    // Cancelling needs the box ticked; then the order is cancelled (and the rest refunded).
    let support = console(t, "support").await;
    let token = support.get(&path).await.csrf();
    let r = support.post_raw(&format!("{path}/cancel"), &[("_csrf", &token), ("reason", "customer asked")]).await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("confirm").is_some(), "{}", r.html);
    assert_eq!(r.input_value("reason").as_deref(), Some("customer asked"));
    let status: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(status, "paid");
    // Support may not cancel an order that has collected money: cancelling refunds it.
    let r = support
        .post_raw(&format!("{path}/cancel"), &[("_csrf", &token), ("reason", "customer asked"), ("confirm", "yes")])
        .await;
    assert_ne!(r.status, 303, "{}", r.html);
    let status: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(status, "paid");
    let admin = console(t, "admin").await;
    let token = admin.get(&path).await.csrf();
    let r = admin
        .post_raw(&format!("{path}/cancel"), &[("_csrf", &token), ("reason", "customer asked"), ("confirm", "yes")])
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let page = admin.get(&path).await;
    assert!(page.html.contains("data-testid=\"order-status\">cancelled<"), "{}", page.html);
    assert!(!page.html.contains("data-testid=\"cancel-form\""));
}

/// Days since 1970-01-01 as `YYYY-MM-DD` (proleptic Gregorian).
fn civil(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[test]
fn civil_dates() {
    assert_eq!(civil(0), "1970-01-01");
    assert_eq!(civil(20_454), "2026-01-01");
    assert_eq!(civil(11_016), "2000-02-29");
}

async fn pickup_needs_the_right_code(t: &TestApp) {
    let sku = fixtures::sku(t, 4000, 5).await;
    let (method, location) = fixtures::pickup(t).await;
    let (customer, token) = t.customer().await;
    let cart = fixtures::cart(t, Some(customer), &[(sku, 1)], method, Some(location)).await;
    let (order, who) = fixtures::placed(t, &cart, Some(&token)).await;
    fixtures::pay(t, order, &who).await;
    let code = fixtures::get(t, &format!("/api/v1/orders/{order}"), &Who::Customer(token)).await.body["pickup_code"]
        .as_str()
        .expect("code")
        .to_string();
    let web = console(t, "support").await;
    let path = format!("/admin/orders/{order}");
    let page = web.get(&path).await;
    assert!(page.html.contains("data-testid=\"pickup-form\"") && !page.html.contains("data-testid=\"ship-form\""));
    let csrf = page.csrf();
    let audit = t.count("audit_log").await;
    let r = web.post_raw(&format!("{path}/pickup"), &[("_csrf", &csrf), ("code", "000000")]).await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("code").is_some(), "{}", r.html);
    assert_eq!(t.count("audit_log").await, audit);
    let r = web.post_raw(&format!("{path}/pickup"), &[("_csrf", &csrf), ("code", &code)]).await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert!(web.get(&path).await.html.contains("data-testid=\"order-status\">completed<"));
    assert_eq!(t.count("audit_log").await, audit + 1);
}
