//! Guest carts over HTTP: lines, stock checks, current prices, and refused input.

use agora_testkit::TestApp;
use serde_json::json;

use super::seed::{self, SkuSpec};
use super::{add, assert_priced, guest_cart, qty};

both_backends!(
    guest_cart_lines_and_totals,
    line_input_is_validated,
    cart_details_are_validated,
    cart_line_limit,
    cart_api_is_documented
);

async fn guest_cart_lines_and_totals(t: &TestApp) {
    let c = &t.client;
    let a = seed::sku(t, SkuSpec::priced(1250, 5).weighing(200)).await;
    let b = seed::sku(t, SkuSpec::priced(399, 50)).await;
    let token = guest_cart(t).await;
    let r = add(t, &token, a.id, 2, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let line = &r.body["lines"][0];
    assert_eq!(line["title"], "Tea cup");
    assert_eq!(line["attrs"]["colour"], "red");
    assert_eq!((line["unit_price"].as_i64(), line["available"].as_i64()), (Some(1250), Some(5)));
    assert_eq!((line["in_stock"].as_bool(), line["purchasable"].as_bool()), (Some(true), Some(true)));
    assert_eq!(r.body["totals"]["subtotal"], 2500);
    assert_priced(t, &r.body);

    // Adding again adds up; setting replaces; more than available is refused.
    assert_eq!(qty(&add(t, &token, a.id, 1, None).await.body, a.id), 3);
    let lines = format!("/api/v1/carts/{token}/lines/{}", a.id);
    assert_eq!(qty(&c.put(&lines, &json!({"quantity": 5}), None).await.body, a.id), 5);
    c.put(&lines, &json!({"quantity": 6}), None).await.assert_problem(409, "insufficient_stock");
    add(t, &token, a.id, 1, None).await.assert_problem(409, "insufficient_stock");
    // Lowering is always allowed, even below what is available.
    assert_eq!(qty(&c.put(&lines, &json!({"quantity": 4}), None).await.body, a.id), 4);

    let r = c.put(&format!("/api/v1/carts/{token}/lines/{}", b.id), &json!({"quantity": 7}), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["totals"]["subtotal"], 4 * 1250 + 7 * 399);
    assert_priced(t, &r.body);

    // Reads show the current price and flag what can no longer be bought.
    seed::set_price(t, b.id, 450).await;
    seed::set_product_status(t, a.product_id, "delisted").await;
    let r = c.get(&format!("/api/v1/carts/{token}"), None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["lines"][1]["unit_price"], 450);
    assert_eq!(r.body["lines"][0]["purchasable"], false);
    assert_eq!(r.body["totals"]["subtotal"], 4 * 1250 + 7 * 450);
    assert_priced(t, &r.body);

    // Titles follow ?locale=, else Accept-Language (falling back to another locale's title).
    let view = format!("/api/v1/carts/{token}");
    let r = c.get(&format!("{view}?locale=zh-CN"), None).await;
    assert_eq!(r.body["lines"][0]["title"], "Tea cup（中文）");
    let r = c.put(&format!("/api/v1/carts/{token}/email?locale=zh-cn"), &json!({"email": "a@b.cn"}), None).await;
    assert_eq!(r.body["lines"][1]["title"], "Tea cup（中文）");
    let raw = c.raw().get(c.url(&view)).header("accept-language", "zh-CN,zh;q=0.9,en;q=0.5").send().await.unwrap();
    let body: serde_json::Value = raw.json().await.unwrap();
    assert_eq!(body["lines"][0]["title"], "Tea cup（中文）");
    let r = c.get(&format!("{view}?locale=zh-TW"), None).await;
    assert_eq!(r.body["lines"][0]["title"], "Tea cup", "no zh-TW title: default kept");
    let r = c.get(&format!("{view}?locale=fr"), None).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("locale"));

    // Remove by DELETE and by setting 0.
    let r = c.delete(&lines, None).await;
    assert_eq!((r.status, qty(&r.body, a.id)), (200, 0));
    let r = c.put(&format!("/api/v1/carts/{token}/lines/{}", b.id), &json!({"quantity": 0}), None).await;
    assert_eq!(r.body["lines"].as_array().map(Vec::len), Some(0));
    assert_eq!(r.body["totals"]["grand_total"], 0);
    assert_eq!(t.count("cart_lines").await, 0);
}

async fn line_input_is_validated(t: &TestApp) {
    let c = &t.client;
    let a = seed::sku(t, SkuSpec::priced(100, 5000)).await;
    let gone = seed::sku(t, SkuSpec::priced(100, 5)).await;
    seed::set_product_status(t, gone.product_id, "delisted").await;
    let off = seed::sku(t, SkuSpec::priced(100, 5)).await;
    sqlx::query("UPDATE skus SET active = 0 WHERE id = $1").bind(off.id).execute(t.app.db.writer()).await.unwrap();
    let draft = seed::sku(t, SkuSpec::priced(100, 5)).await;
    seed::set_product_status(t, draft.product_id, "draft").await;
    let token = guest_cart(t).await;
    let path = format!("/api/v1/carts/{token}/lines");
    let before = t.count("cart_lines").await;
    for (body, field) in [
        (json!({"sku_id": a.id, "quantity": 0}), "quantity"),
        (json!({"sku_id": a.id, "quantity": -3}), "quantity"),
        (json!({"sku_id": a.id, "quantity": 1000}), "quantity"),
        (json!({"sku_id": a.id, "quantity": 100_000_000_000_000_000_000.0}), "quantity"),
        (json!({"sku_id": a.id, "quantity": 9_223_372_036_854_775_807_i64}), "quantity"),
        (json!({"sku_id": a.id, "quantity": "2"}), "quantity"),
        (json!({"sku_id": a.id}), "quantity"),
        (json!({"sku_id": "abc", "quantity": 1}), "sku_id"),
        (json!({"sku_id": 987_654_321, "quantity": 1}), "sku_id"),
        (json!({"sku_id": gone.id, "quantity": 1}), "sku_id"),
        (json!({"sku_id": off.id, "quantity": 1}), "sku_id"),
        (json!({"sku_id": draft.id, "quantity": 1}), "sku_id"),
    ] {
        let r = c.post(&path, &body, None).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field(field), "{body} should name {field}: {}", r.text);
    }
    let r = c.post(&path, &json!({"sku_id": a.id, "quantity": 1, "price": 1}), None).await;
    r.assert_problem(422, "validation_failed");
    c.post_raw(&path, "application/json", b"{\"sku_id\": 1,".to_vec(), None)
        .await
        .assert_problem(400, "malformed_json");
    c.post_raw(&path, "text/plain", b"sku=1".to_vec(), None).await.assert_problem(415, "unsupported_media_type");
    let set = format!("/api/v1/carts/{token}/lines/{}", a.id);
    for q in [json!(-1), json!(1000), json!(1.5), json!(null)] {
        let r = c.put(&set, &json!({"quantity": q}), None).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field("quantity"), "{q}: {}", r.text);
    }
    c.put(&format!("/api/v1/carts/{token}/lines/abc"), &json!({"quantity": 1}), None)
        .await
        .assert_problem(404, "not_found");
    add(t, &token, a.id, 1, Some("not-a-token")).await.assert_problem(401, "unauthenticated");
    add(t, "no-such-cart", a.id, 1, None).await.assert_problem(404, "not_found");
    assert_eq!(t.count("cart_lines").await, before, "refused requests wrote nothing");

    // 999 is the most one line holds, whether added at once or in steps.
    assert_eq!(qty(&add(t, &token, a.id, 999, None).await.body, a.id), 999);
    let r = add(t, &token, a.id, 1, None).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("quantity"));
    assert_eq!(qty(&c.get(&format!("/api/v1/carts/{token}"), None).await.body, a.id), 999);
}

async fn cart_details_are_validated(t: &TestApp) {
    let c = &t.client;
    let token = guest_cart(t).await;
    let email = format!("/api/v1/carts/{token}/email");
    for (body, field) in [
        (json!({"email": "not-an-email"}), "email"),
        (json!({"email": format!("{}@example.com", "x".repeat(300))}), "email"),
        (json!({"email": 42}), "email"),
        (json!({}), "email"),
    ] {
        let r = c.put(&email, &body, None).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field(field), "{body}: {}", r.text);
    }
    let good =
        json!({"recipient": "Li Lei", "phone": "13800138000", "country": "CN", "city": "Shanghai", "line1": "1 Road"});
    let address = format!("/api/v1/carts/{token}/address");
    let with = |key: &str, value: serde_json::Value| {
        let mut a = good.clone();
        a[key] = value;
        json!({"address": a})
    };
    let mut missing_city = good.clone();
    missing_city.as_object_mut().unwrap().remove("city");
    for (body, field) in [
        (with("recipient", json!("x".repeat(101))), "address.recipient"),
        (with("recipient", json!("   ")), "address.recipient"),
        (with("phone", json!("12345")), "address.phone"),
        (with("line1", json!("")), "address.line1"),
        (with("postal_code", json!("1".repeat(21))), "address.postal_code"),
        (with("country", json!(86)), "address.country"),
        (json!({"address": missing_city}), "address.city"),
        (json!({"address": good.clone(), "address_id": 1}), "address"),
        (json!({}), "address"),
        (json!({"address_id": 1}), "address_id"),
    ] {
        let r = c.put(&address, &body, None).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field(field), "{body} should name {field}: {}", r.text);
    }
    let r = c.get(&format!("/api/v1/carts/{token}"), None).await;
    assert!(r.body["email"].is_null() && r.body["shipping_address"].is_null(), "nothing written: {}", r.text);

    let r = c.put(&email, &json!({"email": " Shopper@Example.COM "}), None).await;
    assert_eq!(r.body["email"], "shopper@example.com");
    let r = c.put(&address, &json!({"address": good}), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["shipping_address"]["phone"], "+8613800138000");
}

async fn cart_line_limit(t: &TestApp) {
    let ids = seed::many_skus(t, 101).await;
    let token = guest_cart(t).await;
    for id in &ids[..100] {
        assert_eq!(add(t, &token, *id, 1, None).await.status, 200);
    }
    add(t, &token, ids[100], 1, None).await.assert_problem(409, "cart_full");
    // Existing lines can still change.
    assert_eq!(qty(&add(t, &token, ids[0], 2, None).await.body, ids[0]), 3);
    assert_eq!(t.count("cart_lines").await, 100);
}

async fn cart_api_is_documented(t: &TestApp) {
    let doc = t.client.get("/api/openapi.json", None).await.body;
    for (path, method) in [
        ("/api/v1/carts", "post"),
        ("/api/v1/me/cart", "get"),
        ("/api/v1/carts/{token}", "get"),
        ("/api/v1/carts/{token}/lines", "post"),
        ("/api/v1/carts/{token}/lines/{sku_id}", "put"),
        ("/api/v1/carts/{token}/lines/{sku_id}", "delete"),
        ("/api/v1/carts/{token}/email", "put"),
        ("/api/v1/carts/{token}/address", "put"),
        ("/api/v1/carts/{token}/shipping", "put"),
        ("/api/v1/carts/{token}/shipping-options", "get"),
        ("/api/v1/me/addresses", "post"),
        ("/api/v1/me/addresses/{id}", "delete"),
        ("/api/v1/shipping-methods", "get"),
        ("/api/v1/pickup-locations", "get"),
        ("/api/v1/admin/shipping-methods", "post"),
        ("/api/v1/admin/shipping-methods/{id}", "put"),
        ("/api/v1/admin/pickup-locations", "post"),
        ("/api/v1/admin/pickup-locations/{id}", "delete"),
    ] {
        let op = &doc["paths"][path][method];
        assert_eq!(op["tags"][0], "cart", "{method} {path} documented with tag cart");
    }
    assert!(doc["components"]["schemas"]["CartView"].is_object());
}
