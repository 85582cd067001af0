//! Console pages added for issue 3: product texts/tags/attributes after creation, warehouse
//! edit and deactivation, home-page banners (CRUD, order, window, roles), previous-page links,
//! the staff and warehouse lists paged (pages and API), banner images uploaded with the form.

use agora_testkit::TestApp;
use serde_json::json;

use super::admin_console::console;
use super::{Page, Web};
use crate::orders::fixtures;

both_backends!(
    product_details_are_edited_after_creation,
    warehouses_are_edited_and_deactivated,
    banners_are_managed_and_shown_in_their_window,
    banner_pages_need_the_catalog_permission,
    lists_link_to_the_previous_page,
    staff_and_warehouse_lists_are_paged,
    banner_images_are_uploaded_with_the_form
);

async fn scalar_text(t: &TestApp, sql: &str, id: i64) -> String {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).bind(id).fetch_one(t.app.db.reader()).await.unwrap()
}

async fn audits(t: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap()
}

/// The `href` of the link marked `data-testid="{testid}"`.
fn link(p: &Page, testid: &str) -> Option<String> {
    let at = p.html.find(&format!("data-testid=\"{testid}\""))?;
    let start = p.html[..at].rfind("href=\"")? + 6;
    Some(p.html[start..].split('"').next()?.replace("&#38;", "&").replace("&amp;", "&"))
}

async fn product_details_are_edited_after_creation(t: &TestApp) {
    let sku = fixtures::sku(t, 1000, 5).await;
    let id: i64 = sqlx::query_scalar("SELECT product_id FROM skus WHERE id = $1")
        .bind(sku)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    let web = console(t, "operator").await;
    let path = format!("/admin/products/{id}");
    let page = web.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.html);
    let title: String =
        scalar_text(t, "SELECT title FROM product_texts WHERE product_id = $1 AND locale = 'en'", id).await;
    assert_eq!(page.input_value("d_title_en").as_deref(), Some(title.as_str()), "pre-filled");
    let token = page.csrf();
    let action = format!("{path}/details");
    let before = audits(t, "product.update").await;
    // No en or zh-CN title: the use case's message stands beside the English title.
    let r = web.post_raw(&action, &[("_csrf", &token), ("d_title_zh_tw", "烏龍"), ("d_slug", "oolong-x")]).await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("d_title_en").is_some(), "{}", r.html);
    assert_eq!(r.input_value("d_title_zh_tw").as_deref(), Some("烏龍"), "typed values kept");
    // A line without a colon: beside the attributes.
    let r = web
        .post_raw(&action, &[("_csrf", &token), ("d_title_en", "Tea"), ("d_slug", "tea-x"), ("d_attributes", "oops")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("d_attributes").is_some(), "{}", r.html);
    // A title too long for zh-CN: beside that input.
    let long = "长".repeat(201);
    let r = web
        .post_raw(&action, &[("_csrf", &token), ("d_title_en", "Tea"), ("d_title_zh_cn", &long), ("d_slug", "tea-x")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("d_title_zh_cn").is_some(), "{}", r.html);
    assert_eq!(audits(t, "product.update").await, before, "refused forms write nothing");
    let r = web
        .post_raw(
            &action,
            &[
                ("_csrf", &token),
                ("d_title_en", "Golden Oolong"),
                ("d_subtitle_en", "Roasted"),
                ("d_description_en", "Rolled leaves."),
                ("d_title_zh_cn", "金乌龙"),
                ("d_title_zh_tw", "金烏龍"),
                ("d_slug", "golden-oolong"),
                ("d_brand", "Hill"),
                ("d_tags", "tea, oolong"),
                ("d_attributes", "origin: Fujian\nroast: medium"),
            ],
        )
        .await;
    assert_eq!((r.status, r.location()), (303, path.as_str()), "{}", r.html);
    let p = agora_app::catalog::products::get(&t.app, id).await.unwrap();
    assert_eq!(p.texts.get("en").unwrap().subtitle, "Roasted");
    assert_eq!(p.texts.get("zh-TW").unwrap().title, "金烏龍");
    assert_eq!((p.slug.as_str(), p.brand.as_str()), ("golden-oolong", "Hill"));
    assert_eq!(p.tags, ["oolong", "tea"], "stored in order");
    assert_eq!(p.attributes.get("roast").unwrap(), "medium");
    assert_eq!(audits(t, "product.update").await, before + 1);
    let page = web.get(&path).await;
    assert_eq!(page.input_value("d_title_zh_cn").as_deref(), Some("金乌龙"));
    // On a Chinese page the use case's message is Chinese.
    web.set_cookie("agora_lang", "zh-CN");
    let r = web.post_raw(&action, &[("_csrf", &token), ("d_title_zh_tw", "烏龍"), ("d_slug", "oolong-x")]).await;
    assert_eq!(r.field_error("d_title_en").as_deref(), Some("须填写英文或简体中文标题"), "{}", r.html);
    let r = web.post_raw(&action, &[("_csrf", &token), ("d_title_en", "T"), ("d_tags", &"x".repeat(41))]).await;
    assert_eq!(r.field_error("d_tags").as_deref(), Some("不能超过 40 个字符"), "{}", r.html);
}

async fn warehouses_are_edited_and_deactivated(t: &TestApp) {
    let wh = fixtures::warehouse(t).await;
    let web = console(t, "operator").await;
    let list = web.get("/admin/inventory").await;
    assert!(list.html.contains(&format!("href=\"/admin/inventory/warehouses/{wh}\"")), "linked from the list");
    let path = format!("/admin/inventory/warehouses/{wh}");
    let page = web.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert_eq!(page.input_value("code").as_deref(), Some("WH-ORD"));
    let token = page.csrf();
    let r = web
        .post_raw(&path, &[("_csrf", &token), ("code", "bad code!"), ("name", ""), ("address", ""), ("priority", "x")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("priority").is_some(), "{}", r.html);
    let r = web.post_raw(&path, &[("_csrf", &token), ("code", "bad code!"), ("name", ""), ("priority", "1")]).await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("code").is_some() && r.field_error("name").is_some(), "{}", r.html);
    assert_eq!(audits(t, "warehouse.update").await, 0);
    let r = web
        .post_raw(
            &path,
            &[("_csrf", &token), ("code", "WH-EAST"), ("name", "East"), ("address", "1 Dock Rd"), ("priority", "7")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!(scalar_text(t, "SELECT name FROM warehouses WHERE id = $1", wh).await, "East");
    assert_eq!(audits(t, "warehouse.update").await, 1);
    // Deactivation needs the ticked box.
    let active = format!("{path}/active");
    let r = web.post_raw(&active, &[("_csrf", &token), ("action", "deactivate")]).await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("confirm").is_some(), "{}", r.html);
    let is_active = || async {
        sqlx::query_scalar::<_, i64>("SELECT active FROM warehouses WHERE id = $1")
            .bind(wh)
            .fetch_one(t.app.db.reader())
            .await
            .unwrap()
    };
    assert_eq!(is_active().await, 1);
    let r = web.post_raw(&active, &[("_csrf", &token), ("action", "deactivate"), ("confirm", "yes")]).await;
    assert_eq!(r.status, 303);
    assert_eq!((is_active().await, audits(t, "warehouse.deactivate").await), (0, 1));
    assert!(web.get(&path).await.html.contains("data-testid=\"warehouse-activate\""));
    let r = web.post_raw(&active, &[("_csrf", &token), ("action", "activate")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(is_active().await, 1);
    // Support staff may not manage inventory.
    let support = console(t, "support").await;
    assert_eq!(support.get(&path).await.status, 403);
}

fn image(n: u8) -> String {
    format!("/media/{n:064x}.png")
}

fn banner_order(home: &Page, images: &[String]) -> Vec<usize> {
    let mut found: Vec<(usize, usize)> =
        images.iter().enumerate().filter_map(|(i, img)| home.html.find(img.as_str()).map(|at| (at, i))).collect();
    found.sort();
    found.into_iter().map(|(_, i)| i).collect()
}

async fn banners_are_managed_and_shown_in_their_window(t: &TestApp) {
    let web = console(t, "operator").await;
    let list = web.get("/admin/banners").await;
    assert_eq!(list.status, 200, "{}", list.html);
    let token = list.csrf();
    let shop = Web::new(t);
    // Off-site link and an image that is not an uploaded file: refused beside each field.
    let r = web
        .post_raw(
            "/admin/banners",
            &[("_csrf", &token), ("image_url", "https://cdn.example/x.png"), ("href", "//evil.example/")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("image_url").is_some() && r.field_error("href").is_some(), "{}", r.html);
    assert_eq!(t.count("banners").await, 0);
    let (a, b) = (image(0), image(1));
    for (img, href, alt) in [(&a, "/c/tea", "Tea week"), (&b, "/search?q=cup", "Cups")] {
        let r = web
            .post_raw(
                "/admin/banners",
                &[
                    ("_csrf", &token),
                    ("image_url", img),
                    ("href", href),
                    ("alt_en", alt),
                    ("alt_zh_cn", "茶"),
                    ("active", "yes"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.html);
    }
    assert_eq!(audits(t, "banner.create").await, 2);
    let home = shop.get("/").await;
    assert_eq!(banner_order(&home, &[a.clone(), b.clone()]), [0, 1], "{}", home.html);
    let zh = Web::new(t).with_accept_language("zh-CN");
    assert!(zh.get("/").await.html.contains(&format!("<img src=\"{a}\" alt=\"茶\">")), "alt per locale");
    // Move the second up: the order swaps, audited.
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM banners ORDER BY position, id").fetch_all(t.app.db.reader()).await.unwrap();
    let r = web.post_raw(&format!("/admin/banners/{}/move", ids[1]), &[("_csrf", &token), ("direction", "up")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(banner_order(&shop.get("/").await, &[a.clone(), b.clone()]), [1, 0]);
    assert_eq!(audits(t, "banner.reorder").await, 1);
    // A window starting in an hour: hidden until then, and gone after it ends.
    let edit = format!("/admin/banners/{}", ids[0]);
    let page = web.get(&edit).await;
    assert_eq!(page.input_value("href").as_deref(), Some("/c/tea"));
    let at = |ms: i64| {
        time::OffsetDateTime::from_unix_timestamp(ms / 1000)
            .unwrap()
            .format(&time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]"))
            .unwrap()
    };
    let now = t.app.now();
    let (start, end) = (at(now + 3_600_000), at(now + 7_200_000));
    let fields = |s: &str, e: &str| {
        vec![
            ("_csrf".to_string(), token.clone()),
            ("image_url".into(), a.clone()),
            ("href".into(), "/c/tea".into()),
            ("active".into(), "yes".into()),
            ("starts_at".into(), s.to_string()),
            ("ends_at".into(), e.to_string()),
        ]
    };
    let post = |fields: Vec<(String, String)>| {
        let (web, edit) = (&web, edit.clone());
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            web.post_raw(&edit, &pairs).await
        }
    };
    let r = post(fields(&end, &start)).await;
    assert_eq!(r.status, 422, "ends before it starts");
    assert!(r.field_error("ends_at").is_some(), "{}", r.html);
    let r = post(fields(&start, "tomorrow")).await;
    assert!(r.field_error("ends_at").is_some(), "{}", r.html);
    let r = post(fields(&start, &end)).await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!(banner_order(&shop.get("/").await, &[a.clone(), b.clone()]), [1], "not yet");
    t.advance_and_run(3_600_000).await;
    assert_eq!(banner_order(&shop.get("/").await, &[a.clone(), b.clone()]), [1, 0], "inside the window");
    let api = t.client.get("/api/v1/banners", None).await;
    assert_eq!(api.body.as_array().map(Vec::len), Some(2), "{}", api.body);
    t.advance_and_run(3_600_000).await;
    assert_eq!(banner_order(&shop.get("/").await, &[a.clone(), b.clone()]), [1], "ended");
    // Delete needs the ticked box.
    let victim = format!("/admin/banners/{}/delete", ids[1]);
    let r = web.post_raw(&victim, &[("_csrf", &token)]).await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("confirm").is_some());
    assert_eq!(t.count("banners").await, 2);
    let r = web.post_raw(&victim, &[("_csrf", &token), ("confirm", "yes")]).await;
    assert_eq!(r.status, 303);
    assert_eq!((t.count("banners").await, audits(t, "banner.delete").await), (1, 1));
    assert!(!shop.get("/").await.html.contains("class=\"banners\""), "nothing shown: no section");
}

async fn banner_pages_need_the_catalog_permission(t: &TestApp) {
    let support = console(t, "support").await;
    assert_eq!(support.get("/admin/banners").await.status, 403);
    let token = support.get("/admin").await.csrf();
    let r = support
        .post_raw("/admin/banners", &[("_csrf", &token), ("image_url", &image(0)), ("href", "/"), ("active", "yes")])
        .await;
    assert_eq!(r.status, 403);
    assert!(!support.get("/admin").await.html.contains("href=\"/admin/banners\""), "not in the menu");
    let body = json!({"image_url": image(0), "href": "/"});
    let staff = t.staff_token("support").await;
    assert_eq!(t.client.post("/api/v1/admin/banners", &body, Some(&staff)).await.status, 403);
    assert_eq!(t.client.post("/api/v1/admin/banners", &body, None).await.status, 401);
    assert_eq!(t.count("banners").await, 0);
    let operator = t.staff_token("operator").await;
    let r = t.client.post("/api/v1/admin/banners", &body, Some(&operator)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    let r = t.client.put("/api/v1/admin/banners/order", &json!({"ids": [id, id]}), Some(&operator)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = t.client.delete(&format!("/api/v1/admin/banners/{id}"), Some(&staff)).await;
    assert_eq!(r.status, 403);
    assert_eq!(audits(t, "banner.create").await, 1);
}

async fn lists_link_to_the_previous_page(t: &TestApp) {
    let staff = t.staff_token("operator").await;
    for n in 0..45u8 {
        let body = json!({"image_url": image(n), "href": format!("/c/{n}")});
        assert_eq!(t.client.post("/api/v1/admin/banners", &body, Some(&staff)).await.status, 201);
    }
    let web = console(t, "operator").await;
    let first = web.get("/admin/banners").await;
    assert!(link(&first, "prev-page").is_none());
    let second = web.get(&link(&first, "next-page").expect("next")).await;
    let third = web.get(&link(&second, "next-page").expect("next")).await;
    assert!(third.html.contains(">/c/44</a>") && link(&third, "next-page").is_none(), "{}", third.html);
    let back = web.get(&link(&third, "prev-page").expect("prev")).await;
    assert!(back.html.contains(">/c/20</a>") && !back.html.contains(">/c/19</a>"), "{}", back.html);
    assert_eq!(link(&back, "next-page"), link(&second, "next-page"), "the same page again");
    let front = web.get(&link(&back, "prev-page").expect("prev")).await;
    assert!(front.html.contains(">/c/0</a>") && link(&front, "prev-page").is_none());
}

/// The values of `attr="…"` in page order.
fn attrs(p: &Page, attr: &str) -> Vec<String> {
    p.html.split(&format!("{attr}=\"")).skip(1).map(|s| s.split('"').next().unwrap().to_string()).collect()
}

/// Walks an API list to its end with `limit`: every page's ids.
async fn api_pages(t: &TestApp, path: &str, token: &str, limit: usize) -> Vec<Vec<i64>> {
    let (mut pages, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}?limit={limit}&cursor={c}"),
            None => format!("{path}?limit={limit}"),
        };
        let r = t.client.get(&url, Some(token)).await;
        assert_eq!(r.status, 200, "{}", r.text);
        pages.push(r.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect());
        match r.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return pages,
        }
    }
}

async fn staff_and_warehouse_lists_are_paged(t: &TestApp) {
    // Staff: 25 accounts (the console's admin and 24 more), 20 to a page, oldest first.
    let web = console(t, "admin").await;
    for n in 0..24 {
        sqlx::query(
            "INSERT INTO staff (email, password_hash, display_name, role, created_at, updated_at) \
             VALUES ($1, 'x', '', 'support', 0, 0)",
        )
        .bind(format!("member{n:02}@staff.test"))
        .execute(t.app.db.writer())
        .await
        .unwrap();
    }
    let emails: Vec<String> =
        sqlx::query_scalar("SELECT email FROM staff ORDER BY id").fetch_all(t.app.db.reader()).await.unwrap();
    assert_eq!(emails.len(), 25);
    let shown =
        |p: &Page| emails.iter().filter(|e| p.html.contains(&format!("<td>{e}</td>"))).cloned().collect::<Vec<_>>();
    let first = web.get("/admin/staff").await;
    assert_eq!(first.status, 200, "{}", first.html);
    assert_eq!(shown(&first), emails[..20], "{}", first.html);
    assert!(link(&first, "prev-page").is_none());
    let second = web.get(&link(&first, "next-page").expect("next")).await;
    assert_eq!(shown(&second), emails[20..], "{}", second.html);
    assert!(link(&second, "next-page").is_none());
    let back = web.get(&link(&second, "prev-page").expect("prev")).await;
    assert_eq!(shown(&back), emails[..20]);
    assert_eq!(web.get("/admin/staff?cursor=%21%21").await.status, 400, "a forged cursor is bad input");
    let admin = t.staff_token("admin").await;
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM staff ORDER BY id").fetch_all(t.app.db.reader()).await.unwrap();
    let pages = api_pages(t, "/api/v1/admin/staff", &admin, 10).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [10, 10, 6]);
    assert_eq!(pages.concat(), ids);
    t.client.get("/api/v1/admin/staff?limit=0", Some(&admin)).await.assert_problem(422, "validation_failed");

    // Warehouses: 25 with tied priorities, preferred first then by id, across pages.
    let op = t.staff_token("operator").await;
    for n in 0..25 {
        let body = json!({"code": format!("W{n:02}"), "name": format!("Warehouse {n}"), "priority": n % 3});
        assert_eq!(t.client.post("/api/v1/admin/warehouses", &body, Some(&op)).await.status, 201);
    }
    let order: Vec<i64> = sqlx::query_scalar("SELECT id FROM warehouses ORDER BY priority DESC, id")
        .fetch_all(t.app.db.reader())
        .await
        .unwrap();
    let pages = api_pages(t, "/api/v1/admin/warehouses", &op, 7).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [7, 7, 7, 4]);
    assert_eq!(pages.concat(), order);
    let web = console(t, "operator").await;
    let linked = |p: &Page| -> Vec<i64> {
        attrs(p, "href").iter().filter_map(|h| h.strip_prefix("/admin/inventory/warehouses/")?.parse().ok()).collect()
    };
    // The stock list is on its second page: the warehouse links keep it there.
    let inv = web.get("/admin/inventory?sku=5").await;
    assert_eq!(inv.status, 200, "{}", inv.html);
    assert_eq!(linked(&inv), order[..20], "{}", inv.html);
    assert!(link(&inv, "wh-prev-page").is_none());
    let next = link(&inv, "wh-next-page").expect("next warehouses");
    assert!(next.contains("sku=5") && next.contains("wh_cursor="), "{next}");
    let second = web.get(&next).await;
    assert_eq!(linked(&second), order[20..], "{}", second.html);
    assert!(link(&second, "wh-next-page").is_none());
    assert_eq!(second.input_value("sku").as_deref(), Some("5"), "the stock filter is kept");
    let back = web.get(&link(&second, "wh-prev-page").expect("prev warehouses")).await;
    assert_eq!(linked(&back), order[..20]);
    // Every warehouse is still offered in the stock forms.
    assert_eq!(attrs(&second, "<option value").len(), 3 * 25, "{}", second.html);
}

/// The names of the files in the media folder, sorted.
fn media_files(t: &TestApp) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(t.app.settings.media_dir())
        .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

async fn banner_images_are_uploaded_with_the_form(t: &TestApp) {
    use crate::catalog::images::png;
    let web = console(t, "operator").await;
    let list = web.get("/admin/banners").await;
    assert!(list.html.contains("enctype=\"multipart/form-data\""), "{}", list.html);
    let token = list.csrf();
    let fields = [("_csrf", token.as_str()), ("href", "/c/tea"), ("alt_en", "Tea week"), ("active", "yes")];
    let before = media_files(t);
    // Not an image; a real image with an off-site link; neither file nor path: refused
    // beside the field, the typed values kept, nothing stored.
    let r = web.post_multipart("/admin/banners", &fields, b"%PDF-1.4 nope").await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("file").unwrap().contains("JPEG, PNG, WebP or GIF"), "{}", r.html);
    assert_eq!(r.input_value("href").as_deref(), Some("/c/tea"));
    let mut off_site = fields;
    off_site[1] = ("href", "https://evil.example/");
    let r = web.post_multipart("/admin/banners", &off_site, &png(1200, 400, 7)).await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("href").is_some() && r.field_error("file").is_none(), "{}", r.html);
    let r = web.post_multipart("/admin/banners", &fields, b"").await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("file").is_some(), "{}", r.html);
    assert_eq!((t.count("banners").await, media_files(t)), (0, before.clone()), "nothing written");
    assert_eq!(audits(t, "banner.create").await, 0);

    // A wide PNG: stored at the medium size, shown on the home page.
    let r = web.post_multipart("/admin/banners", &fields, &png(1200, 400, 7)).await;
    assert_eq!((r.status, r.location()), (303, "/admin/banners"), "{}", r.html);
    let (id, url): (i64, String) =
        sqlx::query_as("SELECT id, image_url FROM banners").fetch_one(t.app.db.reader()).await.unwrap();
    let name = url.strip_prefix("/media/").expect("a media address");
    let stored = image::load_from_memory(&std::fs::read(t.app.settings.media_dir().join(name)).unwrap()).unwrap();
    assert_eq!((stored.width(), stored.height()), (800, 267), "the medium size");
    let home = Web::new(t).get("/").await;
    assert!(home.html.contains(&format!("<img src=\"{url}\" alt=\"Tea week\">")), "{}", home.html);
    assert_eq!(Web::new(t).get(&url).await.status, 200);
    assert_eq!(audits(t, "banner.create").await, 1);

    // Edit: a new file replaces the picture; a bad one changes nothing; the path alone still works.
    let edit = format!("/admin/banners/{id}");
    let files = media_files(t);
    let r = web.post_multipart(&edit, &fields, b"GIF87 but no").await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("file").is_some(), "{}", r.html);
    let r = web.post_multipart("/admin/banners/999999", &fields, &png(100, 50, 9)).await;
    assert_eq!(r.status, 404);
    assert_eq!(media_files(t), files, "nothing written");
    let r = web.post_multipart(&edit, &fields, &png(100, 50, 9)).await;
    assert_eq!(r.status, 303, "{}", r.html);
    let small: String = sqlx::query_scalar("SELECT image_url FROM banners").fetch_one(t.app.db.reader()).await.unwrap();
    assert_ne!(small, url);
    let small_name = small.strip_prefix("/media/").unwrap();
    let kept = std::fs::read(t.app.settings.media_dir().join(small_name)).unwrap();
    assert_eq!(kept, png(100, 50, 9), "a picture that fits is stored as uploaded");
    let mut by_path = fields.to_vec();
    by_path.push(("image_url", &url));
    let r = web.post_multipart(&edit, &by_path, b"").await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert!(Web::new(t).get("/").await.html.contains(&format!("<img src=\"{url}\"")));
    assert_eq!(audits(t, "banner.update").await, 2);
}
