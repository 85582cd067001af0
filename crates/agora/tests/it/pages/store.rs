//! Storefront pages over HTTP: home, category filters/sort/pagination, product page and
//! its SEO tags, search, sitemap, cart changes, checkout validation and idempotent
//! placement, guest order access, payment, customer order pages.

use agora_testkit::TestApp;
use serde_json::json;

use super::shop::{self, Shop, sku_id, slug};
use super::{Page, Web};

both_backends!(
    home_and_category_filters,
    category_pagination,
    product_page_seo_and_size,
    search_and_sitemap,
    cart_changes,
    guest_checkout_pay_and_access,
    customer_checkout_pickup_and_orders
);

fn pos(p: &Page, text: &str) -> usize {
    p.html.find(text).unwrap_or_else(|| panic!("{text} not in page"))
}

async fn home_and_category_filters(t: &TestApp) {
    let _s = shop::shop(t).await;
    let web = Web::new(t);
    let home = web.get("/").await;
    assert_eq!(home.status, 200);
    assert!(
        home.html.contains("Dragon Well") && home.html.contains("Jasmine") && home.html.contains("href=\"/c/tea\"")
    );
    assert!(home.html.contains("rel=\"canonical\""));
    assert!(!home.html.contains("class=\"banners\""), "no banners: nothing rendered");
    let admin = t.staff_token("admin").await;
    let image = format!("/media/{}.png", "a".repeat(64));
    let banner = json!({"href": "/c/tea", "image_url": image, "alt_en": "Tea <sale>"});
    let r = t.client.post("/api/v1/admin/banners", &banner, Some(&admin)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let evil = json!({"href": "https://evil.example/", "image_url": image});
    let r = t.client.post("/api/v1/admin/banners", &evil, Some(&admin)).await;
    assert_eq!(r.status, 422, "only same-site banners: {}", r.body);
    let home = web.get("/").await;
    let shown = format!("<a href=\"/c/tea\"><img src=\"{image}\" alt=\"Tea &#60;sale&#62;\">");
    assert!(home.html.contains(&shown), "{}", home.html);
    assert!(!home.html.contains("evil.example"), "only same-site banners");
    let all = web.get("/c/tea").await;
    assert_eq!(all.status, 200, "{}", all.html);
    all.assert_secure_headers();
    assert!(all.html.contains("Dragon Well") && all.html.contains("Jasmine"));
    // Facets with counts, and the sub-category link.
    assert!(all.html.contains("value=\"green\"> green <span class=\"count\">(1)</span>"), "{}", all.html);
    assert!(all.html.contains("href=\"/c/green\""));
    // Filter by colour, by price (in yuan), sort by price.
    let white = web.get("/c/tea?attr.color=white").await;
    assert!(white.html.contains("Jasmine") && !white.html.contains("Dragon Well"));
    assert!(white.html.contains("value=\"white\" checked"));
    let both = web.get("/c/tea?attr.color=white&attr.color=yellow").await;
    assert!(both.html.contains("Jasmine") && both.html.contains("Dragon Well"));
    let dear = web.get("/c/tea?min=20").await;
    assert!(dear.html.contains("Jasmine") && !dear.html.contains("Dragon Well"));
    let cheap = web.get("/c/tea?max=10.00").await;
    assert!(!cheap.html.contains("Jasmine") && cheap.html.contains("Dragon Well"));
    let desc = web.get("/c/tea?sort=price_desc").await;
    assert!(pos(&desc, "Jasmine") < pos(&desc, "Dragon Well"));
    let asc = web.get("/c/tea?sort=price_asc").await;
    assert!(pos(&asc, "Dragon Well") < pos(&asc, "Jasmine"));
    // Sub-category lists only its products; unknown category 404; bad input 400.
    let green = web.get("/c/green").await;
    assert!(green.html.contains("Dragon Well") && !green.html.contains("Jasmine"));
    assert_eq!(web.get("/c/nope").await.status, 404);
    assert_eq!(web.get("/c/tea?sort=cheapest").await.status, 400);
    assert_eq!(web.get("/c/tea?min=abc").await.status, 400);
}

async fn category_pagination(t: &TestApp) {
    let admin = t.staff_token("admin").await;
    let cat = crate::catalog::category(t, &admin, "many", None).await;
    for n in 0..26 {
        crate::catalog::listed(t, &admin, cat, &format!("Item {n:02}"), json!({}), 100 + n).await;
    }
    let web = Web::new(t);
    let first = web.get("/c/many?sort=price_asc").await;
    assert!(first.html.contains("Item 00") && first.html.contains("Item 23") && !first.html.contains("Item 24"));
    let marker = "data-testid=\"next-page\"";
    let at = pos(&first, marker);
    let start = first.html[..at].rfind("href=\"").unwrap() + 6;
    let href = first.html[start..].split('"').next().unwrap().replace("&amp;", "&").replace("&#38;", "&");
    assert!(href.starts_with("/c/many?sort=price_asc&cursor="), "{href}");
    let second = web.get(&href).await;
    assert_eq!(second.status, 200);
    assert!(second.html.contains("Item 24") && second.html.contains("Item 25") && !second.html.contains("Item 23"));
    assert!(!second.html.contains(marker), "last page has no next link");
    assert!(second.html.contains("href=\"/c/many?sort=price_asc\""), "first-page link keeps the sort");
    assert!(!first.html.contains("data-testid=\"prev-page\""), "the first page has no previous page");
    let at = pos(&second, "data-testid=\"prev-page\"");
    let start = second.html[..at].rfind("href=\"").unwrap() + 6;
    assert_eq!(second.html[start..].split('"').next().unwrap(), "/c/many?sort=price_asc", "previous = first page");
}

async fn product_page_seo_and_size(t: &TestApp) {
    let s = shop::shop(t).await;
    // Availability shown to shoppers may be a second old.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let web = Web::new(t);
    let path = format!("/p/{}", slug(&s.dragon));
    let p = web.get(&path).await;
    assert_eq!(p.status, 200, "{}", p.html);
    p.assert_secure_headers();
    assert!(p.html.contains("<title>Dragon Well · Agora</title>"), "{}", p.html);
    assert!(p.html.contains(&format!("<link rel=\"canonical\" href=\"{}{path}\">", t.base_url)));
    assert!(p.html.contains("<meta property=\"og:type\" content=\"product\">"));
    assert!(p.html.contains("<meta property=\"og:title\" content=\"Dragon Well\">"));
    assert!(p.html.contains("<meta name=\"description\""));
    // JSON-LD Product with one offer per SKU, parseable as JSON.
    let start = pos(&p, "<script type=\"application/ld+json\">") + "<script type=\"application/ld+json\">".len();
    let end = start + p.html[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&p.html[start..end]).expect("JSON-LD");
    assert_eq!(ld["@type"], "Product");
    assert_eq!(ld["name"], "Dragon Well");
    assert_eq!(ld["offers"].as_array().unwrap().len(), 4);
    assert_eq!(ld["offers"][0]["price"], "10.00");
    assert_eq!(ld["offers"][0]["priceCurrency"], "CNY");
    assert_eq!(ld["offers"][0]["availability"], "https://schema.org/InStock");
    // SKU picker: a radio per SKU carrying price and stock; breadcrumb.
    assert_eq!(p.html.matches("name=\"sku_id\"").count(), 4);
    assert!(p.html.contains("data-stock=\"10\""));
    assert!(p.html.contains("href=\"/c/tea\"") && p.html.contains("href=\"/c/green\""));
    // Weight: HTML + CSS + JS under 150 KB.
    let mut bytes = p.html.len();
    for asset in ["app.", "storefront.", "sku-picker."] {
        let marker = format!("/static/{asset}");
        let at = pos(&p, &marker);
        let url = p.html[at..].split('"').next().unwrap();
        let r = web.get(url).await;
        assert_eq!(r.status, 200, "{url}");
        bytes += r.html.len();
    }
    assert!(bytes < 150 * 1024, "product page weighs {bytes} bytes");
    // Speed: the median of 15 renders (request round trip on localhost, debug build).
    let mut times = Vec::new();
    for _ in 0..15 {
        let started = std::time::Instant::now();
        assert_eq!(web.get(&path).await.status, 200);
        times.push(started.elapsed());
    }
    times.sort();
    assert!(times[7] < std::time::Duration::from_millis(20), "median product page {:?}", times[7]);
    // Chinese title after switching language; unknown product 404.
    web.get(&format!("{path}?lang=zh-CN")).await;
    let zh = web.get(&path).await;
    assert!(zh.html.contains("Dragon Well 中"), "{}", zh.html);
    assert_eq!(web.get("/p/no-such-thing").await.status, 404);
}

async fn search_and_sitemap(t: &TestApp) {
    let s = shop::shop(t).await;
    let web = Web::new(t);
    let r = web.get("/search?q=DRAGON").await;
    assert!(r.html.contains("Dragon Well") && !r.html.contains(">Jasmine<"), "{}", r.html);
    let r = web.get("/search?q=Jasmine%20%E4%B8%AD").await;
    assert!(r.html.contains("Jasmine"), "Chinese titles are searched too");
    let r = web.get("/search?q=%3Cscript%3E").await;
    assert!(!r.html.contains("<script>") && r.html.contains("script&#62;"), "{}", r.html);
    let map = web.get("/sitemap.xml").await;
    assert_eq!(map.status, 200);
    assert!(map.header("content-type").starts_with("application/xml"));
    for path in ["/c/tea", "/c/green", &format!("/p/{}", slug(&s.dragon)), &format!("/p/{}", slug(&s.jasmine))] {
        assert!(map.html.contains(&format!("<loc>{}{path}</loc>", t.base_url)), "{path}: {}", map.html);
    }
    let robots = web.get("/robots.txt").await;
    assert!(robots.html.contains(&format!("Sitemap: {}/sitemap.xml", t.base_url)), "{}", robots.html);
}

async fn add(web: &Web, product: &serde_json::Value, n: usize, qty: &str) -> Page {
    let path = format!("/p/{}", slug(product));
    web.submit(&path, "/cart/add", &[("sku_id", &sku_id(product, n)), ("quantity", qty), ("slug", &slug(product))])
        .await
}

async fn cart_changes(t: &TestApp) {
    let s = shop::shop(t).await;
    let web = Web::new(t);
    assert!(web.get("/cart").await.html.contains("Your cart is empty"));
    let r = add(&web, &s.dragon, 0, "2").await;
    assert_eq!((r.status, r.location()), (303, "/cart"));
    let cookie = r.header("set-cookie");
    assert!(cookie.contains("agora_cart=") && cookie.contains("HttpOnly"), "{cookie}");
    add(&web, &s.jasmine, 0, "1").await;
    let cart = web.get("/cart").await;
    assert!(cart.html.contains("Dragon Well") && cart.html.contains("Jasmine"));
    assert!(cart.html.contains("data-amount=\"subtotal\">45.00 CNY"), "{}", cart.html);
    // Change a quantity, then remove a line.
    let dragon = sku_id(&s.dragon, 0);
    let r = web.submit("/cart", "/cart/update", &[("sku_id", &dragon), ("quantity", "3")]).await;
    assert_eq!(r.status, 303);
    assert!(web.get("/cart").await.html.contains("data-amount=\"subtotal\">55.00 CNY"));
    let r = web.submit("/cart", "/cart/remove", &[("sku_id", &sku_id(&s.jasmine, 0))]).await;
    assert_eq!(r.status, 303);
    let cart = web.get("/cart").await;
    assert!(!cart.html.contains("Jasmine") && cart.html.contains("data-amount=\"grand_total\">30.00 CNY"));
    // More than in stock: refused with a message, nothing changed.
    let r = web.submit("/cart", "/cart/update", &[("sku_id", &dragon), ("quantity", "11")]).await;
    assert_eq!(r.location(), "/cart?problem=stock");
    let cart = web.get("/cart?problem=stock").await;
    assert!(cart.html.contains("Not enough stock") && cart.html.contains("value=\"3\""));
    let r = add(&web, &s.dragon, 1, "0").await;
    assert_eq!(r.location(), format!("/p/{}?problem=invalid", slug(&s.dragon)));
    // Without the CSRF field nothing is written.
    let lines = t.count("cart_lines").await;
    let r = web.post_raw("/cart/add", &[("sku_id", &dragon), ("quantity", "1")]).await;
    assert_eq!(r.status, 403);
    assert_eq!(t.count("cart_lines").await, lines);
}

async fn checkout_page(web: &Web) -> (Page, String) {
    let p = web.get("/checkout").await;
    assert_eq!(p.status, 200, "{}", p.html);
    let key = p.input_value("key").expect("idempotency key field");
    (p, key)
}

const ADDRESS: [(&str, &str); 5] = [
    ("address.recipient", "Li Mei"),
    ("address.phone", "+8613800138000"),
    ("address.country", "CN"),
    ("address.city", "Shanghai"),
    ("address.line1", "1 Nanjing Rd"),
];

async fn guest_checkout_pay_and_access(t: &TestApp) {
    let s = shop::shop(t).await;
    let web = Web::new(t);
    add(&web, &s.dragon, 0, "2").await;
    let (page, key) = checkout_page(&web).await;
    assert!(page.html.contains("Standard") && page.html.contains("Pickup") && page.html.contains("1 Nanjing Rd"));
    assert!(page.html.contains("data-amount=\"grand_total\">20.00 CNY"));
    // Empty form: a message beside each field, nothing ordered.
    let csrf = page.csrf();
    let r = web.post_raw("/checkout", &[("_csrf", &csrf), ("key", &key)]).await;
    assert_eq!(r.status, 422, "{}", r.html);
    for field in ["email", "method_id"] {
        assert!(r.field_error(field).is_some(), "{field}: {}", r.html);
    }
    assert_eq!(t.count("orders").await, 0);
    let r = web
        .post_raw(
            "/checkout",
            &[("_csrf", &csrf), ("key", &key), ("email", "x"), ("method_id", &s.delivery.to_string())],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("email").is_some() && r.field_error("address.recipient").is_some(), "{}", r.html);
    assert_eq!(r.input_value("email").as_deref(), Some("x"));
    assert_eq!(r.input_value("key").as_deref(), Some(key.as_str()), "the same key is kept");
    assert_eq!(t.count("orders").await, 0);
    // A valid form places the order; submitting it again answers the same order.
    let method = s.delivery.to_string();
    let mut fields = vec![("_csrf", csrf.as_str()), ("key", key.as_str()), ("email", "guest@example.com")];
    fields.push(("method_id", &method));
    fields.extend(ADDRESS);
    let r = web.post_raw("/checkout", &fields).await;
    assert_eq!(r.status, 303, "{}", r.html);
    let order_path = r.location().to_string();
    assert!(order_path.starts_with("/orders/"));
    let again = web.post_raw("/checkout", &fields).await;
    assert_eq!((again.status, again.location()), (303, order_path.as_str()));
    assert_eq!(t.count("orders").await, 1);
    // The order page: every amount, awaiting payment.
    let o = web.get(&order_path).await;
    assert_eq!(o.status, 200, "{}", o.html);
    assert!(o.html.contains("data-status=\"pending_payment\""));
    for (name, amount) in [("subtotal", "20.00"), ("shipping", "8.00"), ("grand_total", "28.00")] {
        assert!(o.html.contains(&format!("data-amount=\"{name}\">{amount} CNY")), "{name}: {}", o.html);
    }
    // Another browser without the cookie gets 404; so does a wrong token.
    let other = Web::new(t);
    assert_eq!(other.get(&order_path).await.status, 404);
    let id: i64 = order_path.trim_start_matches("/orders/").parse().unwrap();
    other.set_cookie(&format!("agora_order_{id}"), "wrong");
    assert_eq!(other.get(&order_path).await.status, 404);
    // Pay: the provider's page, then its notification through the job queue.
    let r = web.submit(&order_path, &format!("{order_path}/pay"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.html);
    let pay_url = r.location().to_string();
    assert!(pay_url.contains("/sandbox/pay/sbx_"), "{pay_url}");
    let reference = pay_url.rsplit('/').next().unwrap().to_string();
    let paid = t
        .client
        .raw()
        .post(t.client.url(&format!("/sandbox/pay/{reference}/succeed")))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), 200);
    let o = web.get(&order_path).await;
    assert!(o.html.contains("data-testid=\"awaiting\"") && o.html.contains("http-equiv=\"refresh\""), "{}", o.html);
    t.run_jobs().await;
    let back = web.get(&format!("/orders/return/{reference}")).await;
    assert_eq!(back.location(), order_path);
    let o = web.get(&order_path).await;
    assert!(o.html.contains("data-status=\"paid\"") && !o.html.contains("data-testid=\"awaiting\""), "{}", o.html);
    assert!(o.html.contains("data-amount=\"paid\">28.00 CNY"));
}

async fn customer_checkout_pickup_and_orders(t: &TestApp) {
    let s: Shop = shop::shop(t).await;
    let web = Web::new(t);
    // A guest fills the cart, then logs in: the cart comes along.
    add(&web, &s.jasmine, 0, "1").await;
    web.register("buyer@example.com").await;
    web.forget_cookie("agora_session");
    let r = web
        .submit(
            "/account/login",
            "/account/login",
            &[("identifier", "buyer@example.com"), ("password", "customer-pass-1")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let cart = web.get("/cart").await;
    assert!(cart.html.contains("Jasmine"), "guest cart merged at login: {}", cart.html);
    // Store pickup needs a store but no address.
    let (page, key) = checkout_page(&web).await;
    assert!(!page.html.contains("name=\"email\""), "customers use their account e-mail");
    let csrf = page.csrf();
    let (method, location) = (s.pickup.0.to_string(), s.pickup.1.to_string());
    let r = web.post_raw("/checkout", &[("_csrf", &csrf), ("key", &key), ("method_id", &method)]).await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("pickup_location_id").is_some(), "{}", r.html);
    let fields = [("_csrf", csrf.as_str()), ("key", &key), ("method_id", &method), ("pickup_location_id", &location)];
    let r = web.post_raw("/checkout", &fields).await;
    assert_eq!(r.status, 303, "{}", r.html);
    let id: i64 = r.location().trim_start_matches("/orders/").parse().unwrap();
    let list = web.get("/account/orders").await;
    assert_eq!(list.status, 200);
    assert!(list.html.contains(&format!("href=\"/account/orders/{id}\"")));
    let o = web.get(&format!("/account/orders/{id}")).await;
    assert!(
        o.html.contains("data-amount=\"shipping\">0.00 CNY")
            && o.html.contains("data-amount=\"grand_total\">25.00 CNY")
    );
    // Another customer (and a guest) cannot see it.
    let other = Web::new(t);
    other.register("other@example.com").await;
    assert_eq!(other.get(&format!("/account/orders/{id}")).await.status, 404);
    assert_eq!(Web::new(t).get("/account/orders").await.location(), "/account/login");
    // Paid pickup orders show the pickup code.
    let reference = {
        let r = web.submit(&format!("/orders/{id}"), &format!("/orders/{id}/pay"), &[]).await;
        r.location().rsplit('/').next().unwrap().to_string()
    };
    crate::orders::fixtures::sandbox(t, &reference, "succeed").await;
    t.run_jobs().await;
    let o = web.get(&format!("/account/orders/{id}")).await;
    assert!(o.html.contains("data-testid=\"pickup-code\""), "{}", o.html);
}
