//! Product and SKU administration: creation with a SKU matrix, updates, validation.

use agora_testkit::TestApp;
use serde_json::json;

use super::{category, product};

both_backends!(
    product_with_sku_matrix,
    product_update_and_admin_reads,
    product_validation_writes_nothing,
    update_validation_writes_nothing,
    sku_edits_keep_min_price
);

async fn product_with_sku_matrix(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("operator").await;
    let cat = category(t, &admin, "tea", None).await;
    let body = json!({
        "category_id": cat,
        "brand": "Hangzhou Tea Co",
        "texts": {"en": {"title": "West Lake Longjing 2024", "subtitle": "Spring", "description": "Green tea."},
                  "zh-cn": {"title": "西湖龙井"}},
        "tags": ["green", "spring", "green"],
        "attributes": {"origin": "Hangzhou"},
        "sku_matrix": {"axes": {"color": ["red", "blue"], "size": ["S", "M"]}, "price": 1999, "list_price": 2999},
    });
    let r = c.post("/api/v1/admin/products", &body, Some(&admin)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let p = &r.body;
    assert_eq!(p["slug"], "west-lake-longjing-2024");
    assert_eq!(p["status"], "draft");
    assert_eq!(p["currency"], "CNY", "shop currency by default");
    assert_eq!(p["merchant_id"], 1);
    assert_eq!(p["texts"]["zh-CN"]["title"], "西湖龙井", "locale keys are canonical");
    assert_eq!(p["tags"], json!(["green", "spring"]));
    assert_eq!(p["attributes"]["origin"], "Hangzhou");
    assert_eq!(p["min_price"], 1999);
    let skus = p["skus"].as_array().unwrap();
    assert_eq!(skus.len(), 4);
    let mut combos: Vec<String> =
        skus.iter().map(|s| format!("{}/{}", s["attrs"]["color"], s["attrs"]["size"])).collect();
    combos.sort();
    assert_eq!(combos, vec!["\"blue\"/\"M\"", "\"blue\"/\"S\"", "\"red\"/\"M\"", "\"red\"/\"S\""]);
    let id = p["id"].as_i64().unwrap();
    assert!(skus.iter().all(|s| s["price"] == 1999 && s["list_price"] == 2999 && s["currency"] == "CNY"));
    assert!(skus.iter().all(|s| s["code"].as_str().unwrap().starts_with(&format!("P{id}-"))));
    // Generating again with a new axis value only adds the missing combinations.
    let r = c
        .post(
            &format!("/api/v1/admin/products/{id}/skus/generate"),
            &json!({"axes": {"color": ["red", "blue", "green"], "size": ["S", "M"]}, "price": 1500}),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["skus"].as_array().unwrap().len(), 6);
    assert_eq!(r.body["min_price"], 1500);
    // Same title again → the derived slug is taken.
    let dup = c.post("/api/v1/admin/products", &body, Some(&admin)).await;
    dup.assert_problem(409, "slug_taken");
    assert_eq!(t.count("products").await, 1);
    assert_eq!(t.count("skus").await, 6);
    // Audit rows for the staff writes.
    let auditor = t.staff_token("admin").await;
    let log = c.get(&format!("/api/v1/admin/audit-log?entity=product&entity_id={id}"), Some(&auditor)).await;
    let actions: Vec<_> = log.body["items"].as_array().unwrap().iter().map(|i| i["action"].clone()).collect();
    assert_eq!(actions, vec![json!("product.skus_generate"), json!("product.create")]);
}

async fn product_update_and_admin_reads(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    let cat = category(t, &admin, "a", None).await;
    let other = category(t, &admin, "b", None).await;
    let p = product(t, &admin, cat, "Blue Vase", json!({"size": ["S"]}), 500).await;
    let id = p["id"].as_i64().unwrap();
    product(t, &admin, cat, "Red Chair", json!({}), 700).await;
    let r = c
        .patch(
            &format!("/api/v1/admin/products/{id}"),
            &json!({"category_id": other, "slug": "vase", "brand": "Acme", "tags": ["home"],
                    "texts": {"zh-CN": {"title": "蓝花瓶", "description": "好"}}, "attributes": {"material": "glass"}}),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["slug"], "vase");
    assert_eq!(r.body["category_id"], other);
    assert_eq!(r.body["texts"], json!({"zh-CN": {"title": "蓝花瓶", "subtitle": "", "description": "好"}}));
    assert_eq!(r.body["tags"], json!(["home"]));
    let got = c.get(&format!("/api/v1/admin/products/{id}"), Some(&admin)).await;
    assert_eq!(got.body["brand"], "Acme");
    assert_eq!(got.body["attributes"]["material"], "glass");
    c.get("/api/v1/admin/products/999", Some(&admin)).await.assert_problem(404, "not_found");
    // Staff list: status filter and title search.
    let all = c.get("/api/v1/admin/products?status=draft", Some(&admin)).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 2);
    let found = c.get("/api/v1/admin/products?q=%E8%93%9D", Some(&admin)).await;
    assert_eq!(found.body["items"].as_array().unwrap().len(), 1, "{}", found.text);
    assert_eq!(found.body["items"][0]["title"], "蓝花瓶");
    let found = c.get("/api/v1/admin/products?q=CHAIR", Some(&admin)).await;
    assert_eq!(found.body["items"][0]["title"], "Red Chair");
    let none = c.get("/api/v1/admin/products?status=listed", Some(&admin)).await;
    assert_eq!(none.body["items"], json!([]));
    c.get("/api/v1/admin/products?status=bogus", Some(&admin)).await.assert_problem(422, "validation_failed");
    let page = c.get("/api/v1/admin/products?limit=1", Some(&admin)).await;
    let cursor = page.body["next_cursor"].as_str().unwrap().to_string();
    let page2 = c.get(&format!("/api/v1/admin/products?limit=1&cursor={cursor}"), Some(&admin)).await;
    assert_eq!(page2.body["items"][0]["id"], id);
    // Currency cannot change once there are SKUs.
    c.patch(&format!("/api/v1/admin/products/{id}"), &json!({"currency": "USD"}), Some(&admin))
        .await
        .assert_problem(409, "currency_locked");
}

async fn product_validation_writes_nothing(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    let cat = category(t, &admin, "a", None).await;
    product(t, &admin, cat, "Existing", json!({}), 100).await;
    let counts = async || {
        (t.count("products").await, t.count("skus").await, t.count("product_texts").await, t.count("audit_log").await)
    };
    let before = counts().await;
    let r =
        c.post_raw("/api/v1/admin/products", "application/json", b"{\"category_id\": ".to_vec(), Some(&admin)).await;
    r.assert_problem(400, "malformed_json");
    let ok_texts = json!({"en": {"title": "T"}});
    let cases = [
        (json!({"category_id": "one", "texts": ok_texts}), "category_id"),
        (json!({"category_id": cat}), "texts"),
        (json!({"category_id": cat, "texts": {"fr": {"title": "x"}}}), "texts.fr"),
        (json!({"category_id": cat, "texts": {"zh-TW": {"title": "x"}}}), "texts"),
        (json!({"category_id": cat, "texts": {"en": {"title": "x".repeat(201)}}}), "texts.en.title"),
        (
            json!({"category_id": cat, "texts": {"en": {"title": "x", "subtitle": "s".repeat(301)}}}),
            "texts.en.subtitle",
        ),
        (
            json!({"category_id": cat, "texts": {"en": {"title": "x", "description": "d".repeat(20_001)}}}),
            "texts.en.description",
        ),
        (json!({"category_id": cat, "texts": ok_texts, "tags": vec!["t"; 31]}), "tags"),
        (json!({"category_id": cat, "texts": ok_texts, "tags": ["x".repeat(41)]}), "tags[0]"),
        (json!({"category_id": cat, "texts": ok_texts, "slug": "Not A Slug"}), "slug"),
        (json!({"category_id": cat, "texts": ok_texts, "currency": "dollars"}), "currency"),
        (json!({"category_id": cat, "texts": ok_texts, "sku_matrix": {"axes": {}, "price": -1}}), "sku_matrix.price"),
        (
            json!({"category_id": cat, "texts": ok_texts, "sku_matrix": {"axes": {}, "price": 10, "list_price": 5}}),
            "sku_matrix.list_price",
        ),
        (json!({"category_id": 999, "texts": ok_texts}), "category_id"),
        (json!({"category_id": cat, "texts": ok_texts, "colour": "red"}), "colour"),
    ];
    for (body, field) in cases {
        let r = c.post("/api/v1/admin/products", &body, Some(&admin)).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field(field), "{field}: {}", r.text);
    }
    let r = c
        .post(
            "/api/v1/admin/products",
            &json!({"category_id": cat, "texts": {"en": {"title": "Existing"}}}),
            Some(&admin),
        )
        .await;
    r.assert_problem(409, "slug_taken");
    assert_eq!(counts().await, before, "failed requests write nothing");
}

async fn sku_edits_keep_min_price(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    let cat = category(t, &admin, "a", None).await;
    let p = product(t, &admin, cat, "Shirt", json!({"size": ["S", "M"]}), 1000).await;
    let id = p["id"].as_i64().unwrap();
    let s0 = p["skus"][0]["id"].as_i64().unwrap();
    let s1 = p["skus"][1]["id"].as_i64().unwrap();
    let r = c
        .patch(
            &format!("/api/v1/admin/skus/{s0}"),
            &json!({"price": 800, "list_price": 900, "weight_grams": 250, "barcode": "6901234"}),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["min_price"], 800);
    let before = t.count("audit_log").await;
    c.patch(&format!("/api/v1/admin/skus/{s0}"), &json!({"price": -5}), Some(&admin))
        .await
        .assert_problem(422, "validation_failed");
    let r = c.patch(&format!("/api/v1/admin/skus/{s0}"), &json!({"price": 950}), Some(&admin)).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("list_price"), "list price 900 < price 950");
    c.patch(&format!("/api/v1/admin/skus/{s0}"), &json!({"price": "cheap"}), Some(&admin))
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(t.count("audit_log").await, before);
    let r = c.patch(&format!("/api/v1/admin/skus/{s0}"), &json!({"active": false}), Some(&admin)).await;
    assert_eq!(r.body["min_price"], 1000, "inactive SKUs do not count");
    let r = c
        .post(
            &format!("/api/v1/admin/products/{id}/skus"),
            &json!({"attrs": {"size": "L"}, "price": 600, "code": "SHIRT-L"}),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["min_price"], 600);
    let l = r.body["skus"].as_array().unwrap().iter().find(|s| s["code"] == "SHIRT-L").unwrap()["id"].as_i64().unwrap();
    c.post(
        &format!("/api/v1/admin/products/{id}/skus"),
        &json!({"attrs": {"size": "XL"}, "price": 1, "code": "SHIRT-L"}),
        Some(&admin),
    )
    .await
    .assert_problem(409, "sku_code_taken");
    c.post(&format!("/api/v1/admin/products/{id}/skus"), &json!({"attrs": {"size": "L"}, "price": 1}), Some(&admin))
        .await
        .assert_problem(409, "sku_exists");
    let r = c.delete(&format!("/api/v1/admin/skus/{l}"), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["min_price"], 1000);
    assert_eq!(r.body["skus"].as_array().unwrap().len(), 2);
    // A SKU in a cart cannot be removed (deactivate it instead).
    let db = t.app.db.writer();
    sqlx::query("INSERT INTO carts (id, token, currency, created_at, updated_at) VALUES (1, 'cart-1', 'CNY', 0, 0)")
        .execute(db)
        .await
        .unwrap();
    sqlx::query("INSERT INTO cart_lines (cart_id, sku_id, quantity, added_at) VALUES (1, $1, 1, 0)")
        .bind(s1)
        .execute(db)
        .await
        .unwrap();
    c.delete(&format!("/api/v1/admin/skus/{s1}"), Some(&admin)).await.assert_problem(409, "sku_in_use");
    assert_eq!(t.count("skus").await, 2);
    c.delete(&format!("/api/v1/admin/skus/{l}"), Some(&admin)).await.assert_problem(404, "not_found");
}

async fn update_validation_writes_nothing(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    let cat = category(t, &admin, "a", None).await;
    let p = product(t, &admin, cat, "Kettle", json!({"size": ["S"]}), 100).await;
    let id = p["id"].as_i64().unwrap();
    product(t, &admin, cat, "Teapot", json!({}), 100).await;
    let before = c.get(&format!("/api/v1/admin/products/{id}"), Some(&admin)).await.body;
    let audits = t.count("audit_log").await;
    let path = format!("/api/v1/admin/products/{id}");
    let cases = [
        (json!({"texts": {"en": {"title": "t".repeat(201)}}}), "texts.en.title"),
        (json!({"texts": {"zh-TW": {"title": "壺"}}}), "texts"),
        (json!({"tags": [""]}), "tags[0]"),
        (json!({"category_id": 4242}), "category_id"),
        (json!({"brand": 7}), "brand"),
        (json!({"attributes": {"material": "x".repeat(201)}}), "attributes.material"),
    ];
    for (body, field) in cases {
        let r = c.patch(&path, &body, Some(&admin)).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field(field), "{field}: {}", r.text);
    }
    c.patch(&path, &json!({"slug": "teapot"}), Some(&admin)).await.assert_problem(409, "slug_taken");
    let generate = format!("/api/v1/admin/products/{id}/skus/generate");
    let r = c.post(&generate, &json!({"axes": {"color": []}, "price": -1}), Some(&admin)).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("axes.color") && r.names_field("price"), "{}", r.text);
    let r = c.post(&generate, &json!({"axes": {"color": ["red", "red"]}, "price": 1}), Some(&admin)).await;
    assert!(r.names_field("axes.color"), "{}", r.text);
    c.post("/api/v1/admin/products/4242/skus/generate", &json!({"axes": {}, "price": 1}), Some(&admin))
        .await
        .assert_problem(404, "not_found");
    assert_eq!(t.count("audit_log").await, audits);
    let after = c.get(&format!("/api/v1/admin/products/{id}"), Some(&admin)).await.body;
    assert_eq!(after, before, "refused updates change nothing");
}
