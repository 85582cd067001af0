//! The admin console pages: the dashboard's figures, the audit log, and which pages and
//! menu items each role gets.

use agora_testkit::TestApp;

use super::Web;
use crate::orders::fixtures::{self, Who};

both_backends!(
    dashboard_shows_paid_sales_and_work,
    each_role_sees_its_menu_and_pages,
    audit_log_filters_and_validates,
    customers_are_searchable_with_masked_phones,
    staff_accounts_are_created_through_the_form
);

/// A staff member of `role` logged in through the form.
pub async fn console(t: &TestApp, role: &str) -> Web {
    let email = format!("{role}-{}@console.test", agora_app::crypto::random_code(6).to_lowercase());
    let input = agora_app::auth::NewStaff {
        email: email.clone(),
        password: "staff-password-1".into(),
        display_name: role.into(),
        role: role.into(),
    };
    agora_app::auth::create_staff(&t.app, &input, None).await.unwrap();
    let web = Web::new(t);
    let r = web.submit("/admin/login", "/admin/login", &[("email", &email), ("password", "staff-password-1")]).await;
    assert_eq!((r.status, r.location()), (303, "/admin"), "{}", r.html);
    web
}

/// A paid delivery order of a registered customer: (order id, customer token, grand total).
pub async fn paid_order(t: &TestApp, price: i64, qty: i64) -> (i64, String, i64) {
    let sku = fixtures::sku(t, price, 50).await;
    let method = fixtures::delivery(t).await;
    let (customer, token) = t.customer().await;
    let cart = fixtures::cart(t, Some(customer), &[(sku, qty)], method, None).await;
    let (id, who) = fixtures::placed(t, &cart, Some(&token)).await;
    fixtures::pay(t, id, &who).await;
    let r = fixtures::get(t, &format!("/api/v1/orders/{id}"), &Who::Customer(token.clone())).await;
    (id, token, r.body["grand_total"].as_i64().unwrap())
}

fn text_of(html: &str, testid: &str) -> String {
    let marker = format!("data-testid=\"{testid}\">");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {testid} in {html}")) + marker.len();
    html[start..].split('<').next().unwrap().to_string()
}

fn money(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

async fn dashboard_shows_paid_sales_and_work(t: &TestApp) {
    let web = console(t, "admin").await;
    let empty = web.get("/admin").await;
    assert_eq!(empty.status, 200);
    assert_eq!(text_of(&empty.html, "gmv-today"), "0.00");
    assert_eq!(text_of(&empty.html, "orders-week"), "0");
    // Two paid orders today, one unpaid (not counted).
    let (first, _, total_a) = paid_order(t, 1999, 2).await;
    let (_, _, total_b) = paid_order(t, 500, 1).await;
    let sku = fixtures::sku(t, 9900, 5).await;
    let method = fixtures::delivery(t).await;
    let cart = fixtures::cart(t, None, &[(sku, 1)], method, None).await;
    fixtures::placed(t, &cart, None).await;
    let p = web.get("/admin").await;
    p.assert_secure_headers();
    assert_eq!(text_of(&p.html, "gmv-today"), money(total_a + total_b));
    assert_eq!(text_of(&p.html, "orders-today"), "2");
    assert_eq!(text_of(&p.html, "aov-today"), money((total_a + total_b) / 2));
    assert!(p.html.contains("id=\"gmv-chart\"") && p.html.contains("data-chart=\""), "chart container");
    assert!(p.html.contains("/static/echarts.min.") && p.html.contains("/static/admin-dashboard."), "scripts");
    assert!(!p.html.contains("<script>"), "no inline scripts");
    let waiting = &p.html[p.html.find("data-testid=\"waiting\"").expect("waiting list")..];
    assert!(waiting.contains(&format!("/admin/orders/{first}")));
    // Two days later the sales left "today" but stay in the week; the use case agrees.
    t.clock.advance_ms(2 * agora_app::reports::DAY_MS);
    let r = agora_app::reports::sales(&t.app).await.unwrap();
    assert_eq!(r.today, agora_app::reports::Figures::default());
    assert_eq!((r.week.gmv, r.week.orders), (total_a + total_b, 2));
    assert_eq!(r.daily.len(), 7);
    assert_eq!(r.daily[4].gmv, total_a + total_b, "{:?}", r.daily);
    let p = web.get("/admin").await;
    assert_eq!(text_of(&p.html, "gmv-today"), "0.00");
    assert_eq!(text_of(&p.html, "gmv-week"), money(total_a + total_b));
    // Eight days later nothing is in the window.
    t.clock.advance_ms(6 * agora_app::reports::DAY_MS);
    let r = agora_app::reports::sales(&t.app).await.unwrap();
    assert_eq!((r.week.gmv, r.week.orders), (0, 0));
}

async fn each_role_sees_its_menu_and_pages(t: &TestApp) {
    // (role, the sections its menu shows and whose pages answer 200; the others answer 403)
    let table = [
        ("admin", vec!["products", "inventory", "orders", "customers", "staff", "audit"]),
        ("operator", vec!["products", "inventory", "orders"]),
        ("support", vec!["orders", "customers"]),
        ("finance", vec!["orders", "customers"]),
    ];
    for (role, menu) in table {
        // A fresh paid order each time: shipping it changes which forms show.
        let (order, _, _) = paid_order(t, 1000, 1).await;
        let detail = format!("/admin/orders/{order}");
        let web = console(t, role).await;
        let home = web.get("/admin").await;
        assert_eq!(home.status, 200, "{role}");
        for section in ["products", "inventory", "orders", "customers", "staff", "audit"] {
            let shown = home.html.contains(&format!("data-section=\"{section}\""));
            assert_eq!(shown, menu.contains(&section), "{role}: menu item {section}");
        }
        for (path, section) in [("/admin/orders", "orders"), (detail.as_str(), "orders"), ("/admin/audit", "audit")] {
            let p = web.get(path).await;
            let expected = if menu.contains(&section) { 200 } else { 403 };
            assert_eq!(p.status, expected, "{role} on {path}");
        }
        // Low stock only for inventory roles.
        let inventory = role == "admin" || role == "operator";
        assert_eq!(home.html.contains("data-testid=\"low-stock-section\""), inventory, "{role}: low stock");
        // Forms on the order page follow the permissions.
        let p = web.get(&detail).await;
        let manages = role != "finance";
        let refunds = role == "admin" || role == "finance";
        assert_eq!(p.html.contains("data-testid=\"ship-form\""), manages, "{role}: ship form");
        assert_eq!(p.html.contains("data-testid=\"cancel-form\""), manages, "{role}: cancel form");
        assert_eq!(p.html.contains("data-testid=\"refund-form\""), refunds, "{role}: refund form");
        // And the handlers refuse what the role may not do, writing nothing.
        let before = (t.count("shipments").await, t.count("refunds").await, t.count("audit_log").await);
        let token = p.csrf();
        let ship = web
            .post_raw(&format!("{detail}/ship"), &[("_csrf", &token), ("carrier", "SF"), ("tracking_number", "X1")])
            .await;
        let refund = web
            .post_raw(
                &format!("{detail}/refund"),
                &[("_csrf", &token), ("amount", "1.00"), ("refund_reason", "x"), ("confirm_refund", "yes")],
            )
            .await;
        if !manages {
            assert_eq!(ship.status, 403, "{role} ship");
        }
        if !refunds {
            assert_eq!(refund.status, 403, "{role} refund");
        }
        if !manages && !refunds {
            assert_eq!(before, (t.count("shipments").await, t.count("refunds").await, t.count("audit_log").await));
        }
    }
}

async fn audit_log_filters_and_validates(t: &TestApp) {
    let (order, _, _) = paid_order(t, 1200, 1).await;
    let web = console(t, "admin").await;
    let token = web.get(&format!("/admin/orders/{order}")).await.csrf();
    let r = web
        .post_raw(
            &format!("/admin/orders/{order}/ship"),
            &[("_csrf", &token), ("carrier", "SF"), ("tracking_number", "SF100")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let p = web.get(&format!("/admin/audit?entity=order&entity_id={order}")).await;
    assert_eq!(p.status, 200);
    assert!(p.html.contains("data-action=\"shipment.create\""), "{}", p.html);
    let p = web.get("/admin/audit?entity=warehouse").await;
    assert!(!p.html.contains("data-action=\"shipment.create\""));
    let bad = web.get("/admin/audit?staff=abc").await;
    assert_eq!(bad.status, 400);
    assert!(bad.field_error("staff").is_some(), "{}", bad.html);
    assert_eq!(bad.input_value("staff").as_deref(), Some("abc"));
}

async fn customers_are_searchable_with_masked_phones(t: &TestApp) {
    let (order, _, _) = paid_order(t, 800, 1).await;
    let customer: i64 = sqlx::query_scalar("SELECT customer_id FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    sqlx::query("UPDATE customers SET phone = '+8613800138000' WHERE id = $1")
        .bind(customer)
        .execute(t.app.db.writer())
        .await
        .unwrap();
    let (other, _) = t.customer().await;
    let web = console(t, "support").await;
    let list = web.get("/admin/customers").await;
    assert_eq!(list.status, 200);
    assert!(list.html.contains("+86138****8000"), "{}", list.html);
    assert!(!list.html.contains("13800138000"), "the full number never shows");
    let found = web.get("/admin/customers?q=138001").await;
    assert!(found.html.contains(&format!("data-customer=\"{customer}\"")));
    assert!(!found.html.contains(&format!("data-customer=\"{other}\"")));
    let detail = web.get(&format!("/admin/customers/{customer}")).await;
    assert_eq!(detail.status, 200);
    assert!(detail.html.contains(&format!("data-order=\"{order}\"")), "{}", detail.html);
    assert!(!detail.html.contains("13800138000"));
    assert_eq!(web.get("/admin/customers/999999").await.status, 404);
    let operator = console(t, "operator").await;
    assert_eq!(operator.get("/admin/customers").await.status, 403);
    assert_eq!(operator.get(&format!("/admin/customers/{customer}")).await.status, 403);
}

async fn staff_accounts_are_created_through_the_form(t: &TestApp) {
    let web = console(t, "admin").await;
    let page = web.get("/admin/staff").await;
    let token = page.csrf();
    let before = (t.count("staff").await, t.count("audit_log").await);
    let r = web
        .post_raw(
            "/admin/staff/new",
            &[("_csrf", &token), ("email", "not-an-email"), ("role", "boss"), ("password", "short")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    for field in ["email", "role", "password"] {
        assert!(r.field_error(field).is_some(), "{field}: {}", r.html);
    }
    assert_eq!(r.input_value("email").as_deref(), Some("not-an-email"));
    assert_eq!(r.input_value("password"), None, "passwords are never echoed");
    assert_eq!((t.count("staff").await, t.count("audit_log").await), before);
    let fields = [
        ("_csrf", token.as_str()),
        ("email", "new.operator@staff.test"),
        ("display_name", "New operator"),
        ("role", "operator"),
        ("password", "operator-pass-1"),
    ];
    let r = web.post_raw("/admin/staff/new", &fields[1..]).await;
    assert_eq!(r.status, 403, "no CSRF token");
    let r = web.post_raw("/admin/staff/new", &fields).await;
    assert_eq!((r.status, r.location()), (303, "/admin/staff?created=1"), "{}", r.html);
    assert_eq!(t.count("staff").await, before.0 + 1);
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'staff.create'")
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(audited, 1);
    assert!(web.get("/admin/staff").await.html.contains("new.operator@staff.test"));
    let r = web.post_raw("/admin/staff/new", &fields).await;
    assert_eq!(r.status, 422, "the same e-mail twice");
    assert!(r.field_error("email").is_some());
    let operator = console(t, "operator").await;
    let token = operator.get("/admin").await.csrf();
    let r = operator
        .post_raw(
            "/admin/staff/new",
            &[("_csrf", &token), ("email", "x@staff.test"), ("role", "admin"), ("password", "operator-pass-1")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(t.count("staff").await, before.0 + 2, "only the operator's own account was added");
}
