//! Customer carts: one open cart per customer, reachable only with their bearer token,
//! and merging a guest cart at login.

use agora_testkit::TestApp;
use serde_json::json;

use super::seed::{self, SkuSpec};
use super::{add, assert_priced, guest_cart, qty};

both_backends!(
    customer_cart_is_private,
    merge_guest_cart_at_login,
    login_adopts_or_ignores_carts,
    concurrent_cart_creation_yields_one_cart
);

async fn customer_cart_is_private(t: &TestApp) {
    let c = &t.client;
    let a = seed::sku(t, SkuSpec::priced(800, 10)).await;
    let (owner, tok) = t.customer().await;
    let (_, other) = t.customer().await;
    c.get("/api/v1/me/cart", Some(&tok)).await.assert_problem(404, "not_found");
    c.get("/api/v1/me/cart", None).await.assert_problem(401, "unauthenticated");
    let r = c.post("/api/v1/carts", &json!({}), Some(&tok)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["customer_id"], owner);
    let token = r.body["token"].as_str().unwrap().to_string();
    let again = c.post("/api/v1/carts", &json!({}), Some(&tok)).await;
    assert_eq!(again.body["token"], token.as_str(), "one open cart per customer");
    assert_eq!(add(t, &token, a.id, 2, Some(&tok)).await.status, 200);
    let mine = c.get("/api/v1/me/cart", Some(&tok)).await;
    assert_eq!((mine.body["token"].as_str(), qty(&mine.body, a.id)), (Some(token.as_str()), 2));
    assert_priced(t, &mine.body);

    // Without the owner's token the cart does not exist: guests and other customers get 404.
    let lines_before = t.count("cart_lines").await;
    for auth in [None, Some(other.as_str())] {
        c.get(&format!("/api/v1/carts/{token}"), auth).await.assert_problem(404, "not_found");
        add(t, &token, a.id, 1, auth).await.assert_problem(404, "not_found");
        let set = format!("/api/v1/carts/{token}/lines/{}", a.id);
        c.put(&set, &json!({"quantity": 9}), auth).await.assert_problem(404, "not_found");
        c.delete(&set, auth).await.assert_problem(404, "not_found");
        c.put(&format!("/api/v1/carts/{token}/email"), &json!({"email": "x@y.cn"}), auth)
            .await
            .assert_problem(404, "not_found");
        c.get(&format!("/api/v1/carts/{token}/shipping-options"), auth).await.assert_problem(404, "not_found");
    }
    let staff = t.staff_token("admin").await;
    c.get(&format!("/api/v1/carts/{token}"), Some(&staff)).await.assert_problem(403, "forbidden");
    assert_eq!(t.count("cart_lines").await, lines_before);
    let mine = c.get("/api/v1/me/cart", Some(&tok)).await;
    assert_eq!(qty(&mine.body, a.id), 2);
    assert!(mine.body["email"].is_null());
    assert_eq!(t.count("carts").await, 1);
}

async fn register(t: &TestApp, email: &str) -> String {
    let r = t.client.post("/api/v1/auth/register", &json!({"email": email, "password": "merge-pass-1"}), None).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["token"].as_str().unwrap().to_string()
}

async fn login(t: &TestApp, email: &str, cart_token: Option<&str>) -> String {
    let body = json!({"identifier": email, "password": "merge-pass-1", "cart_token": cart_token});
    let r = t.client.post("/api/v1/auth/login", &body, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["token"].as_str().unwrap().to_string()
}

async fn merge_guest_cart_at_login(t: &TestApp) {
    let c = &t.client;
    let a = seed::sku(t, SkuSpec::priced(1000, 5)).await;
    let b = seed::sku(t, SkuSpec::priced(200, 10)).await;
    let d = seed::sku(t, SkuSpec::priced(300, 10)).await;
    let e = seed::sku(t, SkuSpec::priced(400, 10)).await;
    let tok = register(t, "merge@example.com").await;
    let mine = c.post("/api/v1/carts", &json!({}), Some(&tok)).await.body["token"].as_str().unwrap().to_string();
    add(t, &mine, a.id, 2, Some(&tok)).await;
    add(t, &mine, e.id, 1, Some(&tok)).await;

    let guest = guest_cart(t).await;
    add(t, &guest, a.id, 4, None).await;
    add(t, &guest, b.id, 3, None).await;
    add(t, &guest, d.id, 1, None).await;
    seed::set_product_status(t, d.product_id, "delisted").await;

    let tok = login(t, "merge@example.com", Some(&guest)).await;
    let r = c.get("/api/v1/me/cart", Some(&tok)).await;
    assert_eq!(r.body["token"], mine.as_str());
    assert_eq!(qty(&r.body, a.id), 5, "2 + 4 capped at the 5 available");
    assert_eq!(qty(&r.body, b.id), 3);
    assert_eq!(qty(&r.body, e.id), 1);
    assert_eq!(qty(&r.body, d.id), 0, "no longer for sale: dropped");
    assert_priced(t, &r.body);
    let g = c.get(&format!("/api/v1/carts/{guest}"), None).await;
    assert_eq!(g.body["status"], "merged");
    add(t, &guest, b.id, 1, None).await.assert_problem(409, "cart_closed");
    // Logging in again with the same (closed) guest cart changes nothing.
    let tok = login(t, "merge@example.com", Some(&guest)).await;
    assert_eq!(qty(&c.get("/api/v1/me/cart", Some(&tok)).await.body, b.id), 3);
}

async fn login_adopts_or_ignores_carts(t: &TestApp) {
    let c = &t.client;
    let a = seed::sku(t, SkuSpec::priced(1000, 5)).await;
    register(t, "adopt@example.com").await;
    let guest = guest_cart(t).await;
    add(t, &guest, a.id, 2, None).await;
    c.put(&format!("/api/v1/carts/{guest}/email"), &json!({"email": "g@example.com"}), None).await;
    // Without an open cart of their own, the customer takes the guest cart over.
    let tok = login(t, "adopt@example.com", Some(&guest)).await;
    let r = c.get("/api/v1/me/cart", Some(&tok)).await;
    assert_eq!((r.body["token"].as_str(), qty(&r.body, a.id)), (Some(guest.as_str()), 2));
    // It is now theirs: the bare token no longer opens it.
    c.get(&format!("/api/v1/carts/{guest}"), None).await.assert_problem(404, "not_found");

    // Another customer presenting that token, or an unknown one, logs in normally.
    register(t, "other@example.com").await;
    let other = login(t, "other@example.com", Some(&guest)).await;
    c.get("/api/v1/me/cart", Some(&other)).await.assert_problem(404, "not_found");
    login(t, "other@example.com", Some("no-such-cart")).await;
    assert_eq!(qty(&c.get("/api/v1/me/cart", Some(&tok)).await.body, a.id), 2);
    // A wrong password with a cart token merges nothing.
    let g2 = guest_cart(t).await;
    add(t, &g2, a.id, 1, None).await;
    let body = json!({"identifier": "adopt@example.com", "password": "wrong-pass", "cart_token": g2});
    c.post("/api/v1/auth/login", &body, None).await.assert_problem(401, "invalid_credentials");
    assert_eq!(c.get(&format!("/api/v1/carts/{g2}"), None).await.body["status"], "open");
}

async fn concurrent_cart_creation_yields_one_cart(t: &TestApp) {
    let a = seed::sku(t, SkuSpec::priced(100, 1000)).await;
    let (_, tok) = t.customer().await;
    let empty = json!({});
    let requests = (0..20).map(|_| t.client.post("/api/v1/carts", &empty, Some(&tok)));
    let tokens: Vec<String> = futures_util::future::join_all(requests)
        .await
        .into_iter()
        .map(|r| {
            assert_eq!(r.status, 200, "{}", r.text);
            r.body["token"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(tokens.iter().all(|x| *x == tokens[0]), "one open cart per customer: {tokens:?}");
    assert_eq!(t.count("carts").await, 1);
    // Concurrent adds to the same line all count.
    let adds = (0..20).map(|_| add(t, &tokens[0], a.id, 1, Some(&tok)));
    for r in futures_util::future::join_all(adds).await {
        assert_eq!(r.status, 200, "{}", r.text);
    }
    assert_eq!(qty(&t.client.get("/api/v1/me/cart", Some(&tok)).await.body, a.id), 20);
}
