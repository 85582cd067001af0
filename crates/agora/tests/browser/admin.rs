//! What staff do in the admin console, in a real browser.

use agora_testkit::TestApp;
use fantoccini::Locator;

use crate::driver::{Browser, Driver, shop};
use crate::fixtures;
use crate::scenarios::{WAIT, click, fill, js, wait_for};

const PASSWORD: &str = "staff-password-1";

/// An admin account; returns its e-mail.
async fn admin(t: &TestApp) -> String {
    let email = "browser-admin@staff.test".to_string();
    let input = agora_app::auth::NewStaff {
        email: email.clone(),
        password: PASSWORD.into(),
        display_name: "Browser admin".into(),
        role: "admin".into(),
    };
    agora_app::auth::create_staff(&t.app, &input, None).await.expect("staff");
    email
}

/// A paid delivery order of a registered customer: (order id, customer id).
async fn paid_order(t: &TestApp) -> (i64, i64) {
    let sku = fixtures::sku(t, 12800, 20).await;
    let method = fixtures::delivery(t).await;
    let (customer, token) = t.customer().await;
    let cart = fixtures::cart(t, Some(customer), &[(sku, 2)], method, None).await;
    let (id, who) = fixtures::placed(t, &cart, Some(&token)).await;
    fixtures::pay(t, id, &who).await;
    (id, customer)
}

async fn log_in(b: &mut Browser, t: &TestApp, email: &str) {
    b.client.goto(&format!("{}/admin/login", t.base_url)).await.expect("login page");
    fill(b, "#email", email).await;
    fill(b, "#password", PASSWORD).await;
    click(b, "form[action='/admin/login'] button[type=submit]").await;
    wait_for(b, "[data-testid=admin-menu]").await;
}

/// An admin ships a paid order with a tracking number, adds a tracking event, and the
/// customer's order page shows the shipment timeline.
pub async fn admin_ships_order_with_tracking(d: &Driver) {
    let t = shop().await;
    let email = admin(&t).await;
    let (order, customer) = paid_order(&t).await;
    let mut b = d.browser(false).await;
    b.screenshots("admin_ships_order_with_tracking");
    log_in(&mut b, &t, &email).await;
    b.shot("dashboard").await;
    click(&b, "a[data-section=orders]").await;
    wait_for(&b, "form[action='/admin/orders']").await;
    b.client.find(Locator::Css("#status")).await.expect("status").select_by_value("paid").await.expect("select");
    click(&b, "form[action='/admin/orders'] button[type=submit]").await;
    wait_for(&b, &format!("tr[data-order='{order}']")).await;
    b.shot("paid-orders").await;
    click(&b, &format!("tr[data-order='{order}'] a")).await;
    wait_for(&b, "[data-testid=ship-form]").await;
    // A mistake first: the message appears beside the field.
    fill(&b, "#carrier", "SF Express").await;
    click(&b, "[data-testid=ship-form] button[type=submit]").await;
    wait_for(&b, "#tracking_number-error").await;
    b.shot("ship-error").await;
    fill(&b, "#tracking_number", "SF1029384756").await;
    click(&b, "[data-testid=ship-form] button[type=submit]").await;
    wait_for(&b, "[data-testid=event-form]").await;
    let status = b.client.find(Locator::Css("[data-testid=order-status]")).await.expect("status");
    assert_eq!(status.text().await.expect("text"), "shipped");
    b.shot("shipped").await;
    let select = b.client.find(Locator::Css("[data-testid=event-form] select")).await.expect("select");
    select.select_by_value("in_transit").await.expect("in_transit");
    fill(&b, "[data-testid=event-form] input[name=description]", "Left the Shanghai hub").await;
    fill(&b, "[data-testid=event-form] input[name=location]", "Shanghai").await;
    click(&b, "[data-testid=event-form] button[type=submit]").await;
    b.client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::XPath("//ol[@data-testid='timeline']/li[contains(., 'Left the Shanghai hub')]"))
        .await
        .expect("the event joins the timeline");
    b.shot("tracking-event").await;
    b.close().await;
    customer_sees_the_timeline(d, &t, order, customer).await;
}

/// The customer logs in (a fresh browser) and opens the order page: the shipment with its
/// carrier, tracking number and the staff's tracking event.
async fn customer_sees_the_timeline(d: &Driver, t: &TestApp, order: i64, customer: i64) {
    let email: String = sqlx::query_scalar("SELECT email FROM customers WHERE id = $1")
        .bind(customer)
        .fetch_one(t.app.db.reader())
        .await
        .expect("customer e-mail");
    let mut b = d.browser(false).await;
    b.screenshots("admin_ships_order_with_tracking_customer");
    b.client.goto(&format!("{}/account/login", t.base_url)).await.expect("login page");
    fill(&b, "#identifier", &email).await;
    fill(&b, "#password", "customer-pass-1").await;
    click(&b, "form[action='/account/login'] button[type=submit]").await;
    wait_for(&b, "[data-testid=email]").await;
    b.client.goto(&format!("{}/account/orders/{order}", t.base_url)).await.expect("order page");
    let shipment = wait_for(&b, "[data-testid=shipment]").await;
    let text = shipment.text().await.expect("text");
    assert!(text.contains("SF Express") && text.contains("SF1029384756"), "{text}");
    let event = "//ol[@data-testid='shipment-timeline']/li[contains(., 'In transit') and contains(., 'Left the Shanghai hub') and contains(., 'Shanghai')]";
    b.client.find(Locator::XPath(event)).await.expect("the tracking event is on the customer's page");
    b.shot("customer-order").await;
    b.close().await;
}

/// The dashboard draws its GMV chart (a canvas) at desktop size; at 375×812 the console
/// pages do not scroll sideways.
pub async fn admin_dashboard_chart_and_mobile(d: &Driver) {
    let t = shop().await;
    let email = admin(&t).await;
    let (order, _) = paid_order(&t).await;
    let mut b = d.browser(false).await;
    b.screenshots("admin_dashboard_chart_and_mobile");
    log_in(&mut b, &t, &email).await;
    wait_for(&b, "#gmv-chart canvas").await;
    let size = js(&b, "var c = document.querySelector('#gmv-chart canvas'); return [c.width, c.height]").await;
    assert!(size[0].as_i64().unwrap_or(0) > 100 && size[1].as_i64().unwrap_or(0) > 100, "chart size {size}");
    let gmv = b.client.find(Locator::Css("[data-testid=gmv-today]")).await.expect("tile").text().await.expect("text");
    assert_ne!(gmv, "0.00");
    b.shot("dashboard-chart").await;
    b.close().await;
    let mut m = d.browser(true).await;
    m.screenshots("admin_mobile_no_horizontal_scroll");
    log_in(&mut m, &t, &email).await;
    for (name, page) in [
        ("dashboard", "/admin".to_string()),
        ("orders", "/admin/orders".to_string()),
        ("order", format!("/admin/orders/{order}")),
        ("audit", "/admin/audit".to_string()),
        ("products", "/admin/products".to_string()),
        ("product-new", "/admin/products/new".to_string()),
        ("inventory", "/admin/inventory".to_string()),
        ("ledger", "/admin/inventory/ledger".to_string()),
        ("customers", "/admin/customers".to_string()),
        ("categories", "/admin/categories".to_string()),
        ("staff", "/admin/staff".to_string()),
        ("dashboard-zh", "/admin?lang=zh-CN".to_string()),
    ] {
        m.client.goto(&format!("{}{page}", t.base_url)).await.expect("page");
        let sizes = js(&m, "return [document.documentElement.scrollWidth, window.innerWidth]").await;
        let (scroll, inner) = (sizes[0].as_i64().expect("scrollWidth"), sizes[1].as_i64().expect("innerWidth"));
        assert_eq!(inner, 375);
        assert!(scroll <= inner, "{page}: scrollWidth {scroll} > innerWidth {inner}");
        m.shot(name).await;
    }
    m.close().await;
}

/// An admin creates a product with a 2×2 SKU matrix through the form and lists it.
pub async fn admin_creates_product_with_sku_matrix(d: &Driver) {
    let t = shop().await;
    let email = admin(&t).await;
    let staff: i64 = sqlx::query_scalar("SELECT id FROM staff").fetch_one(t.app.db.reader()).await.expect("staff");
    fixtures::warehouse(&t).await;
    let actor = agora_app::audit::Actor { staff_id: staff, request_id: "browser".into() };
    let input = agora_app::catalog::categories::NewCategory {
        parent_id: None,
        slug: "oolong".into(),
        names: agora_app::catalog::categories::NamesInput {
            en: "Oolong".into(),
            zh_cn: Some("乌龙茶".into()),
            zh_tw: Some("烏龍茶".into()),
        },
        image_url: None,
        position: 0,
    };
    let category = agora_app::catalog::categories::create(&t.app, &actor, &input).await.expect("category").id;
    let mut b = d.browser(false).await;
    b.screenshots("admin_creates_product_with_sku_matrix");
    log_in(&mut b, &t, &email).await;
    click(&b, "a[data-section=products]").await;
    click(&b, "[data-testid=new-product]").await;
    wait_for(&b, "[data-testid=product-form]").await;
    b.client
        .find(Locator::Css("#category"))
        .await
        .expect("category")
        .select_by_value(&category.to_string())
        .await
        .expect("pick");
    fill(&b, "#title_en", "Tieguanyin oolong").await;
    fill(&b, "#title_zh_cn", "铁观音").await;
    fill(&b, "#title_zh_tw", "鐵觀音").await;
    fill(&b, "#tags", "oolong, fujian").await;
    fill(&b, "#attributes", "origin: Anxi").await;
    fill(&b, "#axes", "size: 100g, 250g\nroast: light, dark").await;
    fill(&b, "#price", "68.00").await;
    fill(&b, "#weight_grams", "150").await;
    b.shot("product-form").await;
    click(&b, "[data-testid=product-form] button[type=submit]").await;
    wait_for(&b, "[data-testid=publish-form]").await;
    let skus = b.client.find_all(Locator::Css("form[data-sku]")).await.expect("skus");
    assert_eq!(skus.len(), 4, "2 sizes × 2 roasts");
    b.shot("product-created").await;
    click(&b, "[data-testid=publish-form] button[type=submit]").await;
    wait_for(&b, "[data-testid=delist-form]").await;
    let status = b.client.find(Locator::Css("[data-testid=product-status]")).await.expect("status");
    assert_eq!(status.text().await.expect("text"), "listed");
    b.shot("product-listed").await;
    click(&b, "a[data-section=products]").await;
    let row = wait_for(&b, "table[data-testid=products] tbody tr").await;
    assert!(row.text().await.expect("text").contains("Tieguanyin oolong"));
    b.close().await;
    // The shop sees it.
    let r = t.client.get("/api/v1/products?locale=en", None).await;
    assert!(r.text.contains("Tieguanyin oolong"), "{}", r.text);
}
