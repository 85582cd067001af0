//! Shopper listing and detail from the in-memory snapshot: filters, sorts, pagination,
//! facets, locales, availability, and invalidation on every write.

use agora_testkit::TestApp;
use serde_json::{Value, json};

use super::{category, ids, listed, product};

both_backends!(
    listing_filters,
    listing_sorts_and_pagination,
    listing_facets_locales_and_errors,
    detail_by_id_and_slug,
    cache_reflects_every_write,
    other_process_writes_show_within_a_second,
    concurrent_writes_and_reads_converge
);

struct Shop {
    admin: String,
    clothing: i64,
    tops: i64,
    tees: i64,
    red_tee: i64,
    blue_shirt: i64,
    lamp: i64,
    green_tee: i64,
}

/// clothing > tops > tees, and home; four listed products and one draft.
async fn shop(t: &TestApp) -> Shop {
    let admin = t.staff_token("admin").await;
    let clothing = category(t, &admin, "clothing", None).await;
    let tops = category(t, &admin, "tops", Some(clothing)).await;
    let tees = category(t, &admin, "tees", Some(tops)).await;
    let home = category(t, &admin, "home", None).await;
    let red_tee = listed(t, &admin, tees, "Red Tee", json!({"color": ["red", "blue"], "size": ["S", "M"]}), 1000).await;
    t.clock.advance_ms(1000);
    let blue_shirt = listed(t, &admin, tops, "Blue Shirt", json!({"color": ["blue"], "size": ["L"]}), 3000).await;
    t.clock.advance_ms(1000);
    let lamp = listed(t, &admin, home, "Lamp", json!({}), 2000).await;
    t.clock.advance_ms(1000);
    let green_tee = listed(t, &admin, tees, "Green Tee", json!({"color": ["green"], "size": ["S"]}), 500).await;
    product(t, &admin, tees, "Draft Tee", json!({"color": ["red"]}), 10).await;
    let c = &t.client;
    for (id, tags, attrs) in
        [(red_tee, json!(["summer", "cotton"]), json!({"gender": "women"})), (lamp, json!(["summer"]), json!({}))]
    {
        let r = c
            .patch(&format!("/api/v1/admin/products/{id}"), &json!({"tags": tags, "attributes": attrs}), Some(&admin))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    Shop { admin, clothing, tops, tees, red_tee, blue_shirt, lamp, green_tee }
}

async fn list(t: &TestApp, query: &str) -> Value {
    let r = t.client.get(&format!("/api/v1/products{query}"), None).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    assert_eq!(r.header("content-type"), Some("application/json"));
    r.body
}

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort_unstable();
    v
}

async fn listing_filters(t: &TestApp) {
    let s = shop(t).await;
    let all = list(t, "").await;
    assert_eq!(ids(&all), vec![s.green_tee, s.lamp, s.blue_shirt, s.red_tee], "newest first; the draft is hidden");
    let by = async |q: &str| sorted(ids(&list(t, q).await));
    assert_eq!(
        by("?category=clothing").await,
        sorted(vec![s.red_tee, s.blue_shirt, s.green_tee]),
        "descendants included"
    );
    assert_eq!(by(&format!("?category={}", s.tops)).await, sorted(vec![s.red_tee, s.blue_shirt, s.green_tee]));
    assert_eq!(by("?category=tees").await, sorted(vec![s.red_tee, s.green_tee]));
    assert_eq!(by(&format!("?category={}", s.clothing)).await.len(), 3);
    assert_eq!(by("?tag=summer").await, sorted(vec![s.red_tee, s.lamp]));
    assert_eq!(by("?tag=cotton").await, vec![s.red_tee]);
    assert_eq!(by("?min_price=1000&max_price=2500").await, sorted(vec![s.red_tee, s.lamp]));
    assert_eq!(by("?max_price=999").await, vec![s.green_tee]);
    assert_eq!(by("?attr.color=red").await, vec![s.red_tee]);
    assert_eq!(by("?attr.color=blue").await, sorted(vec![s.red_tee, s.blue_shirt]));
    assert_eq!(by("?attr.color=blue&attr.size=L").await, vec![s.blue_shirt], "one SKU must match all values");
    assert_eq!(by("?attr.color=blue&attr.size=S").await, vec![s.red_tee]);
    assert_eq!(by("?attr.color=green,red").await, sorted(vec![s.red_tee, s.green_tee]));
    assert_eq!(by("?attr.gender=women").await, vec![s.red_tee], "product attributes filter too");
    assert_eq!(by("?attr.gender=men").await, Vec::<i64>::new());
    assert_eq!(by("?category=tees&tag=summer&attr.size=M&max_price=1000").await, vec![s.red_tee]);
    // Deactivating the only matching SKU removes the product from the attribute filter.
    let detail = t.client.get(&format!("/api/v1/admin/products/{}", s.blue_shirt), Some(&s.admin)).await;
    let sku = detail.body["skus"][0]["id"].as_i64().unwrap();
    t.client.patch(&format!("/api/v1/admin/skus/{sku}"), &json!({"active": false}), Some(&s.admin)).await;
    assert_eq!(by("?attr.size=L").await, Vec::<i64>::new());
}

async fn walk(t: &TestApp, query: &str, limit: usize) -> Vec<i64> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..20 {
        let q = match &cursor {
            Some(c) => format!("?{query}&limit={limit}&cursor={c}"),
            None => format!("?{query}&limit={limit}"),
        };
        let page = list(t, &q).await;
        let items = ids(&page);
        assert!(items.len() <= limit);
        seen.extend(items);
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return seen,
        }
    }
    panic!("pagination did not end");
}

async fn listing_sorts_and_pagination(t: &TestApp) {
    let s = shop(t).await;
    let sql = "UPDATE products SET sales_count = $1 WHERE id = $2";
    for (n, id) in [(5, s.red_tee), (50, s.lamp), (7, s.blue_shirt), (0, s.green_tee)] {
        sqlx::query(sql).bind(n as i64).bind(id).execute(t.app.db.writer()).await.unwrap();
    }
    t.app.catalog.invalidate();
    let expected = [
        ("sort=newest", vec![s.green_tee, s.lamp, s.blue_shirt, s.red_tee]),
        ("sort=price_asc", vec![s.green_tee, s.red_tee, s.lamp, s.blue_shirt]),
        ("sort=price_desc", vec![s.blue_shirt, s.lamp, s.red_tee, s.green_tee]),
        ("sort=sales", vec![s.lamp, s.blue_shirt, s.red_tee, s.green_tee]),
    ];
    for (q, want) in &expected {
        assert_eq!(ids(&list(t, &format!("?{q}")).await), *want, "{q}");
        for limit in [1, 3] {
            let walked = walk(t, q, limit).await;
            assert_eq!(walked, *want, "{q} limit {limit}: every item once, in order");
        }
    }
    assert_eq!(walk(t, "category=clothing&sort=price_asc", 2).await, vec![s.green_tee, s.red_tee, s.blue_shirt]);
    let first = list(t, "?limit=2").await;
    assert!(first["next_cursor"].is_string());
    let last = list(t, "?limit=4").await;
    assert_eq!(last["next_cursor"], json!(null));
    // A cursor from another sort order is refused.
    let cursor = first["next_cursor"].as_str().unwrap();
    let r = t.client.get(&format!("/api/v1/products?sort=sales&cursor={cursor}"), None).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("cursor"));
}

async fn listing_facets_locales_and_errors(t: &TestApp) {
    let s = shop(t).await;
    let page = list(t, "?category=clothing&facets=color,size,gender&limit=1").await;
    assert_eq!(ids(&page).len(), 1, "facets count the whole filtered set, not the page");
    assert_eq!(page["facets"]["color"], json!({"blue": 2, "green": 1, "red": 1}));
    assert_eq!(page["facets"]["size"], json!({"L": 1, "M": 1, "S": 2}));
    assert_eq!(page["facets"]["gender"], json!({"women": 1}));
    let filtered = list(t, "?category=tees&attr.color=red&facets=size").await;
    assert_eq!(filtered["facets"]["size"], json!({"M": 1, "S": 1}));
    assert!(list(t, "").await.get("facets").is_none());
    // Items: title per locale, price, breadcrumb.
    let item = |page: &Value| page["items"].as_array().unwrap().iter().find(|i| i["id"] == s.red_tee).cloned().unwrap();
    let en = item(&list(t, "").await);
    assert_eq!(en["title"], "Red Tee");
    assert_eq!(en["slug"], "red-tee");
    assert_eq!(en["price"], 1000);
    assert_eq!(en["currency"], "CNY");
    assert_eq!(en["list_price"], json!(null));
    assert_eq!(en["image"], json!(null));
    let crumbs: Vec<i64> = en["breadcrumb"].as_array().unwrap().iter().map(|b| b["id"].as_i64().unwrap()).collect();
    assert_eq!(crumbs, vec![s.clothing, s.tops, s.tees]);
    assert_eq!(en["breadcrumb"][2]["slug"], "tees");
    assert_eq!(en["breadcrumb"][2]["name"], "TEES");
    let zh = item(&list(t, "?locale=zh-CN").await);
    assert_eq!(zh["title"], "Red Tee 中");
    assert_eq!(zh["breadcrumb"][0]["name"], "类clothing");
    let req = t.client.raw().get(t.client.url("/api/v1/products")).header("accept-language", "zh-CN,zh;q=0.9");
    let via_header = t.client.send(req).await;
    assert_eq!(item(&via_header.body)["title"], "Red Tee 中");
    let tw = item(&list(t, "?locale=zh-TW").await);
    assert_eq!(tw["title"], "Red Tee", "no zh-TW text: falls back to en");
    // Bad parameters.
    let c = &t.client;
    for (q, field) in [
        ("sort=cheap", "sort"),
        ("limit=101", "limit"),
        ("limit=0", "limit"),
        ("min_price=x", "min_price"),
        ("colour=red", "colour"),
        ("locale=fr", "locale"),
        ("cursor=%%%", "cursor"),
    ] {
        let r = c.get(&format!("/api/v1/products?{q}"), None).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field(field), "{q}: {}", r.text);
    }
    c.get("/api/v1/products?category=nope", None).await.assert_problem(404, "not_found");
}

async fn detail_by_id_and_slug(t: &TestApp) {
    let s = shop(t).await;
    let c = &t.client;
    let admin_view = c.get(&format!("/api/v1/admin/products/{}", s.red_tee), Some(&s.admin)).await;
    let skus = admin_view.body["skus"].as_array().unwrap().clone();
    let (a, b) = (skus[0]["id"].as_i64().unwrap(), skus[1]["id"].as_i64().unwrap());
    c.patch(&format!("/api/v1/admin/skus/{}", skus[3]["id"]), &json!({"active": false}), Some(&s.admin)).await;
    c.patch(&format!("/api/v1/admin/skus/{a}"), &json!({"list_price": 1500}), Some(&s.admin)).await;
    let db = t.app.db.writer();
    for (code, id) in [("W1", 1), ("W2", 2)] {
        sqlx::query("INSERT INTO warehouses (id, code, name, created_at) VALUES ($1, $2, $2, 0)")
            .bind(id as i64)
            .bind(code)
            .execute(db)
            .await
            .unwrap();
    }
    for (sku, wh, on_hand, reserved) in [(a, 1, 10, 3), (a, 2, 5, 0), (b, 1, 4, 4)] {
        sqlx::query(
            "INSERT INTO stock (sku_id, warehouse_id, on_hand, reserved, updated_at) VALUES ($1, $2, $3, $4, 0)",
        )
        .bind(sku)
        .bind(wh as i64)
        .bind(on_hand as i64)
        .bind(reserved as i64)
        .execute(db)
        .await
        .unwrap();
    }
    let by_id = c.get(&format!("/api/v1/products/{}", s.red_tee), None).await;
    assert_eq!(by_id.status, 200, "{}", by_id.text);
    assert_eq!(by_id.header("vary"), Some("accept-language"));
    let by_slug = c.get("/api/v1/products/red-tee", None).await;
    assert_eq!(by_slug.body, by_id.body);
    let d = &by_id.body;
    assert_eq!(d["title"], "Red Tee");
    assert_eq!(d["locale"], "en");
    assert_eq!(d["texts"]["zh-CN"]["title"], "Red Tee 中");
    assert_eq!(d["tags"], json!(["cotton", "summer"]));
    assert_eq!(d["attributes"], json!({"gender": "women"}));
    assert_eq!(d["price"], 1000);
    assert_eq!(d["list_price"], 1500);
    assert_eq!(d["breadcrumb"].as_array().unwrap().len(), 3);
    let view_skus = d["skus"].as_array().unwrap();
    assert_eq!(view_skus.len(), 3, "inactive SKUs are hidden from shoppers");
    let avail = |id: i64| view_skus.iter().find(|s| s["id"] == id).unwrap()["available"].as_i64().unwrap();
    assert_eq!(avail(a), 12);
    assert_eq!(avail(b), 0);
    assert_eq!(d["available"], 12);
    assert!(view_skus[0]["attrs"]["color"].is_string());
    let zh = c.get("/api/v1/products/red-tee?locale=zh-CN", None).await;
    assert_eq!(zh.body["title"], "Red Tee 中");
    assert_eq!(zh.body["breadcrumb"][0]["name"], "类clothing");
    c.get("/api/v1/products/draft-tee", None).await.assert_problem(404, "not_found");
    c.get("/api/v1/products/999999", None).await.assert_problem(404, "not_found");
}

async fn cache_reflects_every_write(t: &TestApp) {
    let s = shop(t).await;
    let c = &t.client;
    let admin = &s.admin;
    let price_of = async |id: i64| -> i64 {
        let page = list(t, "").await;
        page["items"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap()["price"].as_i64().unwrap()
    };
    assert_eq!(price_of(s.lamp).await, 2000);
    // Price change.
    let sku = c.get(&format!("/api/v1/products/{}", s.lamp), None).await.body["skus"][0]["id"].as_i64().unwrap();
    c.patch(&format!("/api/v1/admin/skus/{sku}"), &json!({"price": 1800}), Some(admin)).await;
    assert_eq!(price_of(s.lamp).await, 1800);
    assert_eq!(c.get(&format!("/api/v1/products/{}", s.lamp), None).await.body["skus"][0]["price"], 1800);
    assert_eq!(ids(&list(t, "?sort=price_asc&limit=2").await), vec![s.green_tee, s.red_tee]);
    assert_eq!(ids(&list(t, "?min_price=1800&max_price=1800").await), vec![s.lamp]);
    // Delist.
    c.post(&format!("/api/v1/admin/products/{}/delist", s.lamp), &json!({}), Some(admin)).await;
    assert!(!ids(&list(t, "").await).contains(&s.lamp));
    c.get(&format!("/api/v1/products/{}", s.lamp), None).await.assert_problem(404, "not_found");
    // New product.
    let fresh = listed(t, admin, s.tees, "Fresh Tee", json!({"color": ["white"]}), 700).await;
    assert_eq!(ids(&list(t, "").await)[0], fresh);
    assert_eq!(ids(&list(t, "?category=clothing&attr.color=white").await), vec![fresh]);
    assert_eq!(c.get("/api/v1/products/fresh-tee", None).await.status, 200);
    // Category rename shows in breadcrumbs of items and detail.
    c.patch(&format!("/api/v1/admin/categories/{}", s.tees), &json!({"names": {"en": "T-Shirts"}}), Some(admin)).await;
    let item = list(t, "?limit=1").await["items"][0].clone();
    assert_eq!(item["breadcrumb"][2]["name"], "T-Shirts");
    assert_eq!(c.get("/api/v1/products/fresh-tee", None).await.body["breadcrumb"][2]["name"], "T-Shirts");
    // Title and slug change.
    c.patch(
        &format!("/api/v1/admin/products/{fresh}"),
        &json!({"slug": "new-tee", "texts": {"en": {"title": "New Tee"}}}),
        Some(admin),
    )
    .await;
    assert_eq!(list(t, "?limit=1").await["items"][0]["title"], "New Tee");
    c.get("/api/v1/products/fresh-tee", None).await.assert_problem(404, "not_found");
    assert_eq!(c.get("/api/v1/products/new-tee", None).await.body["title"], "New Tee");
    // Moving a category moves its products in the filtered listing.
    c.patch(&format!("/api/v1/admin/categories/{}", s.tees), &json!({"parent_id": null}), Some(admin)).await;
    assert_eq!(sorted(ids(&list(t, "?category=clothing").await)), vec![s.blue_shirt]);
    let tree = c.get("/api/v1/categories", None).await;
    assert_eq!(tree.body.as_array().unwrap().len(), 3);
}

async fn other_process_writes_show_within_a_second(t: &TestApp) {
    let s = shop(t).await;
    // A second process on the same database: its own App and cache.
    let mut settings = agora_app::Settings::new(std::env::temp_dir(), "http://other".into());
    settings.login_rate_per_minute = 1000;
    let other = agora_app::App::build(t.app.db.clone(), t.clock.clone(), settings).await.unwrap();
    let q = agora_app::catalog::listing::ListingQuery::parse(&[], None).unwrap();
    let page: Value = serde_json::from_str(&agora_app::catalog::listing::list(&other, &q).await.unwrap()).unwrap();
    assert_eq!(ids(&page).len(), 4);
    t.client.post(&format!("/api/v1/admin/products/{}/delist", s.lamp), &json!({}), Some(&s.admin)).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let page: Value = serde_json::from_str(&agora_app::catalog::listing::list(&other, &q).await.unwrap()).unwrap();
    assert_eq!(ids(&page).len(), 3, "the revision bump reached the other process");
    assert!(!ids(&page).contains(&s.lamp));
    // This process patched its own writes in; a write by the other process still shows.
    t.client.post(&format!("/api/v1/admin/products/{}/publish", s.lamp), &json!({}), Some(&s.admin)).await;
    assert_eq!(ids(&list(t, "").await).len(), 4);
    let actor = agora_app::audit::Actor { staff_id: 1, request_id: "other".into() };
    agora_app::catalog::lifecycle::delist(&other, &actor, s.green_tee).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let mine = ids(&list(t, "").await);
    assert_eq!(mine.len(), 3, "the other process's write reached this one");
    assert!(!mine.contains(&s.green_tee) && mine.contains(&s.lamp));
}

async fn concurrent_writes_and_reads_converge(t: &TestApp) {
    let s = shop(t).await;
    let c = &t.client;
    let mut skus = Vec::new();
    for id in [s.red_tee, s.blue_shirt, s.lamp, s.green_tee] {
        let p = c.get(&format!("/api/v1/admin/products/{id}"), Some(&s.admin)).await;
        skus.extend(p.body["skus"].as_array().unwrap().iter().map(|k| k["id"].as_i64().unwrap()));
    }
    let writes = skus.iter().chain(skus.iter()).enumerate().map(|(n, sku)| {
        let path = format!("/api/v1/admin/skus/{sku}");
        let body = json!({"price": 100 + n as i64 * 7});
        let admin = s.admin.clone();
        async move { c.patch(&path, &body, Some(&admin)).await.status }
    });
    let reads = (0..20).map(|_| async { c.get("/api/v1/products?facets=color", None).await.status });
    let (w, r) =
        futures_util::future::join(futures_util::future::join_all(writes), futures_util::future::join_all(reads)).await;
    assert!(w.iter().all(|st| *st == 200), "{w:?}");
    assert!(r.iter().all(|st| *st == 200), "{r:?}");
    let page = list(t, "").await;
    for item in page["items"].as_array().unwrap() {
        let admin_view = c.get(&format!("/api/v1/admin/products/{}", item["id"]), Some(&s.admin)).await;
        assert_eq!(item["price"], admin_view.body["min_price"], "listing converged for {}", item["id"]);
        let detail = c.get(&format!("/api/v1/products/{}", item["id"]), None).await;
        let detail_prices: Vec<i64> =
            detail.body["skus"].as_array().unwrap().iter().map(|k| k["price"].as_i64().unwrap()).collect();
        assert_eq!(detail.body["price"].as_i64(), detail_prices.iter().min().copied());
    }
}
