//! The product list of the admin console: filters, and bulk list/delist with confirmation.

use agora_testkit::TestApp;

use super::admin_console::console;
use crate::orders::fixtures;

both_backends!(product_list_filters_and_bulk_delist, create_with_sku_matrix_edit_and_schedule, category_tree_editor);

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

/// A category made through the use case (so the catalog snapshot knows it).
pub async fn category(t: &TestApp) -> i64 {
    fixtures::warehouse(t).await; // merchant 1
    let staff: i64 =
        sqlx::query_scalar("SELECT id FROM staff ORDER BY id LIMIT 1").fetch_one(t.app.db.reader()).await.unwrap();
    let actor = agora_app::audit::Actor { staff_id: staff, request_id: "test".into() };
    let input = agora_app::catalog::categories::NewCategory {
        parent_id: None,
        slug: "green-tea".into(),
        names: agora_app::catalog::categories::NamesInput {
            en: "Green tea".into(),
            zh_cn: Some("绿茶".into()),
            zh_tw: Some("綠茶".into()),
        },
        image_url: None,
        position: 0,
    };
    agora_app::catalog::categories::create(&t.app, &actor, &input).await.unwrap().id
}

async fn create_with_sku_matrix_edit_and_schedule(t: &TestApp) {
    let web = console(t, "admin").await;
    let cat = category(t).await;
    let form = web.get("/admin/products/new").await;
    assert_eq!(form.status, 200, "{}", form.html);
    assert!(form.html.contains("Green tea"), "categories offered");
    let token = form.csrf();
    let before = (t.count("products").await, t.count("skus").await, t.count("audit_log").await);
    // Nothing chosen or typed: messages beside category and title; values kept; nothing written.
    let r = web
        .post_raw("/admin/products/new", &[("_csrf", &token), ("axes", "colour red"), ("brand", "Mountain <b>")])
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("category").is_some() && r.field_error("axes").is_some(), "{}", r.html);
    assert!(r.html.contains("Mountain &#60;b&#62;") || r.html.contains("Mountain &lt;b&gt;"), "escaped");
    let cat_s = cat.to_string();
    let r = web
        .post_raw(
            "/admin/products/new",
            &[("_csrf", &token), ("category", &cat_s), ("axes", "size: 50g, 100g"), ("price", "12.00")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("title_en").is_some(), "a title is required: {}", r.html);
    assert_eq!((t.count("products").await, t.count("skus").await, t.count("audit_log").await), before);
    // The real thing: 2 × 2 SKUs.
    let fields = [
        ("_csrf", token.as_str()),
        ("category", cat_s.as_str()),
        ("title_en", "Longjing green tea"),
        ("title_zh_cn", "龙井绿茶"),
        ("title_zh_tw", "龍井綠茶"),
        ("description_en", "Spring harvest."),
        ("tags", "spring, green"),
        ("attributes", "origin: Hangzhou"),
        ("axes", "size: 50g, 100g\ngrade: A, AA"),
        ("price", "88.00"),
        ("list_price", "99"),
        ("weight_grams", "120"),
    ];
    let r = web.post_raw("/admin/products/new", &fields).await;
    assert_eq!(r.status, 303, "{}", r.html);
    let path = r.location().to_string();
    let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
    let page = web.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("Longjing green tea") && page.html.contains("data-testid=\"product-status\">draft<"));
    assert_eq!(page.html.matches("data-sku=").count(), 4, "{}", page.html);
    assert!(page.html.contains("grade: AA, size: 100g"));
    let sku: i64 = sqlx::query_scalar("SELECT id FROM skus WHERE product_id = $1 ORDER BY id LIMIT 1")
        .bind(id)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    // A SKU's price: a bad amount is refused beside it; a good one is saved.
    let sku_path = format!("{path}/skus/{sku}");
    let r = web
        .post_raw(&sku_path, &[("_csrf", &token), ("price", "abc"), ("weight_grams", "100"), ("active", "yes")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("price").is_some());
    let r = web
        .post_raw(
            &sku_path,
            &[("_csrf", &token), ("price", "79.50"), ("list_price", ""), ("weight_grams", "100"), ("active", "yes")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let (price, list): (i64, Option<i64>) = sqlx::query_as("SELECT price, list_price FROM skus WHERE id = $1")
        .bind(sku)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!((price, list), (7950, None));
    // Scheduled listing: a bad time is refused beside the field; a future time schedules.
    let status_path = format!("{path}/status");
    let r = web.post_raw(&status_path, &[("_csrf", &token), ("action", "list"), ("publish_at", "soon")]).await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("publish_at").is_some());
    let r =
        web.post_raw(&status_path, &[("_csrf", &token), ("action", "list"), ("publish_at", "2099-01-01T08:00")]).await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!(status(t, id).await, "scheduled");
    // List now, then delisting needs the box.
    let r = web.post_raw(&status_path, &[("_csrf", &token), ("action", "list"), ("publish_at", "")]).await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!(status(t, id).await, "listed");
    let r = web.post_raw(&status_path, &[("_csrf", &token), ("action", "delist")]).await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("confirm").is_some());
    assert_eq!(status(t, id).await, "listed");
    let r = web.post_raw(&status_path, &[("_csrf", &token), ("action", "delist"), ("confirm", "yes")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(status(t, id).await, "delisted");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'product' AND entity_id = $1")
        .bind(id.to_string())
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert!(audited >= 5, "create, sku update, schedule, list, delist: {audited}");
    let support = console(t, "support").await;
    assert_eq!(support.get("/admin/products/new").await.status, 403);
    assert_eq!(support.get(&path).await.status, 403);
}

async fn category_id(t: &TestApp, slug: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT id FROM categories WHERE slug = $1")
        .bind(slug)
        .fetch_optional(t.app.db.reader())
        .await
        .unwrap()
}

async fn category_tree_editor(t: &TestApp) {
    let web = console(t, "operator").await;
    let page = web.get("/admin/categories").await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(web.get("/admin").await.html.contains("data-section=\"categories\""));
    let token = page.csrf();
    let before = (t.count("categories").await, t.count("audit_log").await);
    let r = web
        .post_raw("/admin/categories", &[("_csrf", &token), ("slug", "tea"), ("name_en", " "), ("position", "x")])
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("position").is_some());
    let r = web
        .post_raw("/admin/categories", &[("_csrf", &token), ("slug", "tea"), ("name_en", " "), ("position", "0")])
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("name_en").is_some(), "{}", r.html);
    assert_eq!((t.count("categories").await, t.count("audit_log").await), before);
    let r = web
        .post_raw(
            "/admin/categories",
            &[("_csrf", &token), ("slug", "tea"), ("name_en", "Tea"), ("name_zh_cn", "茶"), ("position", "0")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let tea = category_id(t, "tea").await.expect("tea");
    let r = web
        .post_raw(
            "/admin/categories",
            &[
                ("_csrf", &token),
                ("slug", "green"),
                ("name_en", "Green"),
                ("parent", &tea.to_string()),
                ("position", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let green = category_id(t, "green").await.expect("green");
    let tree = web.get("/admin/categories").await;
    assert!(tree.html.contains(&format!("data-category=\"{green}\" data-depth=\"1\"")), "{}", tree.html);
    // Rename in three languages and move to the top level.
    let path = format!("/admin/categories/{green}");
    let r = web
        .post_raw(
            &path,
            &[
                ("_csrf", &token),
                ("name_en", "Green tea"),
                ("name_zh_cn", "绿茶"),
                ("name_zh_tw", "綠茶"),
                ("parent", ""),
                ("position", "5"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    let tree = web.get("/admin/categories").await;
    assert!(tree.html.contains(&format!("data-category=\"{green}\" data-depth=\"0\"")));
    assert!(tree.html.contains("綠茶"));
    // Delete: needs the box; a category with a subcategory is refused; an empty one goes.
    let r = web
        .post_raw(
            &path,
            &[("_csrf", &token), ("name_en", "Green tea"), ("parent", &tea.to_string()), ("position", "0")],
        )
        .await;
    assert_eq!(r.status, 303);
    let tea_path = format!("/admin/categories/{tea}/delete");
    let r = web.post_raw(&tea_path, &[("_csrf", &token)]).await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("confirm").is_some());
    let r = web.post_raw(&tea_path, &[("_csrf", &token), ("confirm", "yes")]).await;
    assert_eq!(r.status, 422, "not empty: {}", r.html);
    assert!(category_id(t, "tea").await.is_some());
    let r = web.post_raw(&format!("{path}/delete"), &[("_csrf", &token), ("confirm", "yes")]).await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert!(category_id(t, "green").await.is_none());
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'category'")
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(audited, 5, "2 creates, 2 updates, 1 delete");
    let support = console(t, "support").await;
    assert_eq!(support.get("/admin/categories").await.status, 403);
    let token = support.get("/admin").await.csrf();
    assert_eq!(support.post_raw(&tea_path, &[("_csrf", &token), ("confirm", "yes")]).await.status, 403);
}
