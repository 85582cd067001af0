//! Storefront pages: language, headers, static files, robots.txt, escaping.

use agora_testkit::TestApp;

use super::Web;

both_backends!(
    pages_render_with_lang_and_headers,
    language_switch,
    static_assets_and_robots,
    output_is_escaped,
    unknown_pages_are_html_for_browsers
);

async fn pages_render_with_lang_and_headers(t: &TestApp) {
    let web = Web::new(t);
    for path in ["/", "/account/login", "/account/register", "/search?q=tea", "/cart", "/admin/login"] {
        let p = web.get(path).await;
        assert_eq!(p.status, 200, "{path}: {}", p.html);
        assert_eq!(p.lang(), "en", "{path}");
        assert!(p.header("content-type").starts_with("text/html"), "{path}");
        p.assert_secure_headers();
        assert_eq!(p.header("vary"), "Cookie, Accept-Language", "{path}");
        assert_eq!(p.header("cache-control"), "no-store", "{path}");
        assert!(!p.html.contains("<script>") && !p.html.contains("style=\""), "{path} has inline code");
    }
    let home = web.get("/").await;
    for key in ["New arrivals", "Bestsellers", "Shop by category", "Search products", "Cart", "Log in"] {
        assert!(home.html.contains(key), "home lacks {key}");
    }
    // Accept-Language picks the language when no choice was made.
    let zh = Web::new(t).with_accept_language("zh-TW,zh;q=0.9,en;q=0.5");
    let p = zh.get("/").await;
    assert_eq!(p.lang(), "zh-TW");
    assert!(p.html.contains("新品上架") && p.html.contains("購物車"), "{}", p.html);
    // A guest on an account or admin page is sent to the right login page.
    assert_eq!(zh.get("/account").await.location(), "/account/login");
    assert_eq!(zh.get("/admin").await.location(), "/admin/login");
    assert_eq!(zh.get("/admin/orders").await.location(), "/admin/login");
    // Redirects and error pages are never cached either (the visitor already has cookies here).
    assert_eq!(zh.get("/account").await.header("cache-control"), "no-store");
    let missing = zh.get("/p/no-such-product").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("cache-control"), "no-store");
}

async fn language_switch(t: &TestApp) {
    let web = Web::new(t).with_accept_language("en-US");
    let r = web.get("/account/login?lang=zh-CN").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/account/login");
    r.assert_secure_headers();
    assert_eq!(web.cookie("agora_lang").as_deref(), Some("zh-CN"));
    let set = r.header("set-cookie");
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
    let p = web.get("/account/login").await;
    assert_eq!(p.lang(), "zh-CN");
    assert!(p.html.contains("电子邮箱或手机号") && p.html.contains("登录"), "{}", p.html);
    // The cookie beats Accept-Language; other query parameters survive the redirect.
    let r = web.get("/search?q=%E8%8C%B6&lang=zh-TW").await;
    assert_eq!(r.location(), "/search?q=%E8%8C%B6");
    let p = web.get(r.location()).await;
    assert_eq!(p.lang(), "zh-TW");
    assert!(p.html.contains("搜尋") && p.html.contains("茶"), "{}", p.html);
    // An unknown language changes nothing.
    let r = web.get("/?lang=fr").await;
    assert_eq!((r.status, r.location()), (303, "/"));
    assert_eq!(web.cookie("agora_lang").as_deref(), Some("zh-TW"));
    // The switcher links to every language.
    for code in ["en", "zh-CN"] {
        assert!(p.html.contains(&format!("href=\"/search?lang={code}\"")), "{code}");
    }
}

async fn static_assets_and_robots(t: &TestApp) {
    let web = Web::new(t);
    let home = web.get("/").await;
    let start = home.html.find("/static/app.").expect("stylesheet link");
    let href: String = home.html[start..].chars().take_while(|c| *c != '"').collect();
    assert!(href.ends_with(".css") && href.len() > "/static/app..css".len() + 8, "{href}");
    let css = web.get(&href).await;
    assert_eq!(css.status, 200);
    assert_eq!(css.header("cache-control"), "public, max-age=31536000, immutable");
    assert!(css.header("content-type").starts_with("text/css"));
    assert!(css.html.contains(".site-header"));
    assert_eq!(web.get("/static/app.css").await.status, 404, "only hashed names are served");
    let robots = web.get("/robots.txt").await;
    assert_eq!(robots.status, 200);
    assert!(robots.html.contains("Disallow: /admin") && robots.html.contains("User-agent: *"));
}

async fn unknown_pages_are_html_for_browsers(t: &TestApp) {
    let web = Web::new(t).with_accept_language("zh-CN");
    let p = web.get_html("/no/such/page").await;
    assert_eq!(p.status, 404);
    assert!(p.header("content-type").starts_with("text/html"));
    assert_eq!(p.lang(), "zh-CN");
    assert!(p.html.contains("页面不存在"), "{}", p.html);
    p.assert_secure_headers();
    // API clients still get problem+json.
    t.client.get("/no/such/page", None).await.assert_problem(404, "not_found");
    t.client.get("/api/v1/nothing", None).await.assert_problem(404, "not_found");
}

async fn output_is_escaped(t: &TestApp) {
    let web = Web::new(t);
    let p = web.get("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22").await;
    assert_eq!(p.status, 200);
    assert!(!p.html.contains("<script>alert(1)"), "{}", p.html);
    assert!(p.html.contains("&#60;script&#62;alert(1)"), "{}", p.html);
}
