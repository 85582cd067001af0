//! The storefront in a real browser: a guest buys through a category and a filter and
//! pays on the sandbox page; store pages fit a phone; the product page turns Chinese.

use std::time::Duration;

use agora_app::cart::{self, NewPickupLocation, NewShippingMethod};
use agora_domain::ShippingRule;
use agora_testkit::TestApp;
use fantoccini::Locator;
use serde_json::{Value, json};

use crate::driver::{Browser, Driver, shop};

const WAIT: Duration = Duration::from_secs(15);

async fn click(b: &Browser, css: &str) {
    b.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.expect("click");
}

async fn fill(b: &Browser, css: &str, text: &str) {
    let input = b.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
    input.clear().await.expect("clear");
    input.send_keys(text).await.expect("type");
}

async fn wait_for(b: &Browser, css: &str) -> fantoccini::elements::Element {
    b.client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("waiting for {css}: {e}"))
}

async fn text(b: &Browser, css: &str) -> String {
    wait_for(b, css).await.text().await.expect("text")
}

async fn post(t: &TestApp, admin: &str, path: &str, body: Value) -> Value {
    let r = t.client.post(path, &body, Some(admin)).await;
    assert!(r.status < 300, "{path}: {}", r.text);
    r.body
}

/// A tea shop: category `tea` with "Dragon Well" (green/yellow, the yellow one dearer) in
/// stock, a delivery method and a pickup store. Returns the product slug.
async fn tea_shop(t: &TestApp) -> String {
    let admin = t.staff_token("admin").await;
    let names = json!({"en": "Tea", "zh-CN": "茶叶", "zh-TW": "茶葉"});
    let tea = post(t, &admin, "/api/v1/admin/categories", json!({"slug": "tea", "names": names})).await["id"].clone();
    let texts = json!({"en": {"title": "Dragon Well"}, "zh-CN": {"title": "龙井茶"}, "zh-TW": {"title": "龍井茶"}});
    let body = json!({"category_id": tea, "texts": texts, "sku_matrix": {"axes": {"color": ["green", "yellow"]}, "price": 1000}});
    let p = post(t, &admin, "/api/v1/admin/products", body).await;
    let other = json!({"category_id": tea, "texts": {"en": {"title": "Jasmine"}}, "sku_matrix": {"axes": {"color": ["white"]}, "price": 2500}});
    let j = post(t, &admin, "/api/v1/admin/products", other).await;
    let wh = post(t, &admin, "/api/v1/admin/warehouses", json!({"code": "MAIN", "name": "Main", "priority": 1})).await
        ["id"]
        .clone();
    for product in [&p, &j] {
        for s in product["skus"].as_array().expect("skus") {
            post(
                t,
                &admin,
                "/api/v1/admin/stock/inbound",
                json!({"sku_id": s["id"], "warehouse_id": wh, "quantity": 20}),
            )
            .await;
            if s["attrs"]["color"] == "yellow" {
                let r = t
                    .client
                    .patch(&format!("/api/v1/admin/skus/{}", s["id"]), &json!({"price": 1500}), Some(&admin))
                    .await;
                assert_eq!(r.status, 200, "{}", r.text);
            }
        }
        post(t, &admin, &format!("/api/v1/admin/products/{}/publish", product["id"]), json!({})).await;
    }
    let method = NewShippingMethod {
        code: "std".into(),
        name: "Standard".into(),
        rule: ShippingRule::Flat { fee: 800 },
        active: true,
        position: 0,
    };
    cart::create_shipping_method(&t.app, &method, None).await.expect("method");
    let pickup = NewShippingMethod {
        code: "pick".into(),
        name: "Store pickup".into(),
        rule: ShippingRule::Pickup,
        active: true,
        position: 1,
    };
    cart::create_shipping_method(&t.app, &pickup, None).await.expect("pickup");
    let store = NewPickupLocation {
        name: "Nanjing Rd store".into(),
        address: "1 Nanjing Rd".into(),
        hours: "9-18".into(),
        warehouse_id: wh.as_i64(),
        active: true,
    };
    cart::create_pickup_location(&t.app, &store, None).await.expect("location");
    // Shopper availability is cached for a second.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    p["slug"].as_str().expect("slug").to_string()
}

fn csp_violations(console: &[String]) -> Vec<&String> {
    console.iter().filter(|m| m.contains("Content Security Policy") || m.contains("Refused to")).collect()
}

/// A guest finds a product through a category and a colour filter, picks a SKU (the
/// price follows), adds it to the cart, checks out, pays on the sandbox page and sees the
/// paid order.
pub async fn guest_buys_through_category_and_filter(d: &Driver) {
    let t = shop().await;
    let slug = tea_shop(&t).await;
    let mut b = d.browser(false).await;
    b.screenshots("guest_buys_through_category_and_filter");
    b.client.goto(&format!("{}/", t.base_url)).await.expect("home");
    b.shot("home").await;
    click(&b, "a.chip[href='/c/tea']").await;
    wait_for(&b, "[data-testid=filters]").await;
    click(&b, "details.filters summary").await;
    click(&b, "input[name='attr.color'][value='yellow']").await;
    b.shot("category-filter").await;
    click(&b, "[data-testid=filters] button[type=submit]").await;
    wait_for(&b, "input[name='attr.color'][value='yellow'][checked]").await;
    let main = text(&b, "main").await;
    assert!(main.contains("Dragon Well") && !main.contains("Jasmine"), "{main}");
    b.shot("category-filtered").await;
    click(&b, &format!("a[href='/p/{slug}']")).await;
    wait_for(&b, "[data-testid=product]").await;
    assert_eq!(text(&b, "#price").await, "10.00 CNY");
    b.shot("product").await;
    // Pick the yellow SKU: sku-picker.js shows its price.
    let yellow = b.client.find(Locator::XPath("//label[contains(., 'yellow')]/input")).await.expect("yellow SKU");
    yellow.click().await.expect("pick");
    assert_eq!(text(&b, "#price").await, "15.00 CNY");
    assert!(text(&b, "#stock").await.contains("20"));
    // The console channel works (a probe message arrives), and it holds no CSP report.
    b.client.execute("console.error('agora-console-probe')", Vec::new()).await.expect("probe");
    let console = b.console().await;
    assert!(console.iter().any(|m| m.contains("agora-console-probe")), "console not readable: {console:?}");
    assert!(csp_violations(&console).is_empty(), "CSP violations: {console:?}");
    b.shot("product-sku-picked").await;
    click(&b, "[data-testid=add-to-cart]").await;
    wait_for(&b, "[data-testid=checkout]").await;
    assert!(text(&b, "main").await.contains("15.00 CNY"));
    b.shot("cart").await;
    click(&b, "[data-testid=checkout]").await;
    wait_for(&b, "[data-testid=checkout-form]").await;
    // First without an address: messages beside the fields.
    fill(&b, "#email", "guest@example.cn").await;
    click(&b, "input[name=method_id]").await;
    click(&b, "[data-testid=place-order]").await;
    wait_for(&b, "[id='address.recipient-error']").await;
    b.shot("checkout-errors").await;
    for (id, value) in [
        ("recipient", "Li Mei"),
        ("phone", "+8613800138000"),
        ("country", "CN"),
        ("city", "Shanghai"),
        ("line1", "1 Nanjing Rd"),
    ] {
        fill(&b, &format!("[id='address.{id}']"), value).await;
    }
    b.shot("checkout-filled").await;
    click(&b, "[data-testid=place-order]").await;
    wait_for(&b, "[data-testid=order] [data-status=pending_payment]").await;
    assert!(text(&b, "main").await.contains("23.00 CNY"), "15.00 + 8.00 shipping");
    b.shot("order-placed").await;
    click(&b, "[data-testid=pay]").await;
    wait_for(&b, "[data-testid=sandbox-pay]").await;
    b.shot("sandbox").await;
    click(&b, "[data-testid=sandbox-pay]").await;
    wait_for(&b, "[data-testid=sandbox-return]").await;
    click(&b, "[data-testid=sandbox-return]").await;
    wait_for(&b, "[data-testid=awaiting]").await;
    b.shot("awaiting-confirmation").await;
    // The notification is delivered by the job queue; the page refreshes itself.
    t.run_jobs().await;
    wait_for(&b, "[data-testid=order] [data-status=paid]").await;
    b.shot("order-paid").await;
    b.close().await;
}

/// At 375×812 the home, product, cart and checkout pages do not scroll sideways.
pub async fn store_pages_fit_a_phone(d: &Driver) {
    let t = shop().await;
    let slug = tea_shop(&t).await;
    let mut b = d.browser(true).await;
    b.screenshots("store_pages_fit_a_phone");
    for (name, page) in [("home", "/".to_string()), ("category", "/c/tea".into()), ("product", format!("/p/{slug}"))] {
        b.client.goto(&format!("{}{page}", t.base_url)).await.expect("page");
        assert_fits(&b, name).await;
        b.shot(name).await;
    }
    click(&b, "[data-testid=add-to-cart]").await;
    wait_for(&b, "[data-testid=checkout]").await;
    assert_fits(&b, "cart").await;
    b.shot("cart").await;
    b.client.goto(&format!("{}/checkout", t.base_url)).await.expect("checkout");
    wait_for(&b, "[data-testid=checkout-form]").await;
    assert_fits(&b, "checkout").await;
    b.shot("checkout").await;
    b.close().await;
}

async fn assert_fits(b: &Browser, name: &str) {
    let sizes = b
        .client
        .execute("return [document.documentElement.scrollWidth, window.innerWidth]", Vec::new())
        .await
        .expect("js");
    let (scroll, inner) = (sizes[0].as_i64().expect("scrollWidth"), sizes[1].as_i64().expect("innerWidth"));
    assert_eq!(inner, 375);
    assert!(scroll <= inner, "{name}: scrollWidth {scroll} > innerWidth {inner}");
}

/// The language switcher on a product page shows its Chinese title.
pub async fn product_page_switches_to_chinese(d: &Driver) {
    let t = shop().await;
    let slug = tea_shop(&t).await;
    let mut b = d.browser(false).await;
    b.screenshots("product_page_switches_to_chinese");
    b.client.goto(&format!("{}/p/{slug}", t.base_url)).await.expect("product");
    assert_eq!(text(&b, "[data-testid=product-title]").await, "Dragon Well");
    b.shot("english").await;
    click(&b, "a[data-lang='zh-CN']").await;
    wait_for(&b, "html[lang='zh-CN']").await;
    assert_eq!(text(&b, "[data-testid=product-title]").await, "龙井茶");
    assert!(text(&b, "main").await.contains("加入购物车"));
    b.shot("simplified-chinese").await;
    click(&b, "a[data-lang='zh-TW']").await;
    wait_for(&b, "html[lang='zh-TW']").await;
    assert_eq!(text(&b, "[data-testid=product-title]").await, "龍井茶");
    b.shot("traditional-chinese").await;
    b.close().await;
}
