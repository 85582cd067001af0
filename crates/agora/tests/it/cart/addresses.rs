//! The customer's address book and saved addresses on carts.

use agora_testkit::TestApp;
use serde_json::{Value, json};

both_backends!(address_book_crud_and_default, address_book_is_private_and_validated, cart_uses_saved_address);

fn home(recipient: &str) -> Value {
    json!({"recipient": recipient, "phone": "+86 138 0013 8000", "country": "CN", "province": "Shanghai",
           "city": "Shanghai", "district": "Xuhui", "line1": "100 Tianyaoqiao Rd", "postal_code": "200030"})
}

async fn address_book_crud_and_default(t: &TestApp) {
    let c = &t.client;
    let (_, tok) = t.customer().await;
    let r = c.post("/api/v1/me/addresses", &home("Wang"), Some(&tok)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!((r.body["is_default"].as_bool(), r.body["phone"].as_str()), (Some(true), Some("+8613800138000")));
    let first = r.body["id"].as_i64().unwrap();
    let r = c.post("/api/v1/me/addresses", &home("Zhang"), Some(&tok)).await;
    assert_eq!(r.body["is_default"], false, "only the first is default automatically");
    let second = r.body["id"].as_i64().unwrap();

    let mut update = home("Zhang San");
    update["is_default"] = json!(true);
    let r = c.put(&format!("/api/v1/me/addresses/{second}"), &update, Some(&tok)).await;
    assert_eq!(
        (r.status, r.body["recipient"].as_str(), r.body["is_default"].as_bool()),
        (200, Some("Zhang San"), Some(true))
    );
    let list = c.get("/api/v1/me/addresses", Some(&tok)).await.body;
    let ids: Vec<i64> = list.as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [second, first], "default first");
    assert_eq!(list[1]["is_default"], false, "one default at a time");

    assert_eq!(c.delete(&format!("/api/v1/me/addresses/{second}"), Some(&tok)).await.status, 204);
    let r = c.get(&format!("/api/v1/me/addresses/{first}"), Some(&tok)).await;
    assert_eq!(r.body["is_default"], true, "the remaining address became default");
    c.get(&format!("/api/v1/me/addresses/{second}"), Some(&tok)).await.assert_problem(404, "not_found");
}

async fn address_book_is_private_and_validated(t: &TestApp) {
    let c = &t.client;
    let (_, alice) = t.customer().await;
    let (_, bob) = t.customer().await;
    let id = c.post("/api/v1/me/addresses", &home("Alice"), Some(&alice)).await.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/me/addresses/{id}");
    c.get(&path, Some(&bob)).await.assert_problem(404, "not_found");
    c.put(&path, &home("Bob"), Some(&bob)).await.assert_problem(404, "not_found");
    c.delete(&path, Some(&bob)).await.assert_problem(404, "not_found");
    assert_eq!(c.get("/api/v1/me/addresses", Some(&bob)).await.body, json!([]));
    c.get("/api/v1/me/addresses", None).await.assert_problem(401, "unauthenticated");
    assert_eq!(c.get(&path, Some(&alice)).await.body["recipient"], "Alice");

    let before = t.count("addresses").await;
    let with = |key: &str, value: Value| {
        let mut a = home("Alice");
        a[key] = value;
        a
    };
    for (body, field) in [
        (with("recipient", json!("")), "recipient"),
        (with("recipient", json!("名".repeat(101))), "recipient"),
        (with("phone", json!("call me")), "phone"),
        (with("city", json!(null)), "city"),
        (with("line1", json!("x".repeat(201))), "line1"),
        (with("is_default", json!("yes")), "is_default"),
        (with("unknown", json!(1)), "body"),
    ] {
        let r = c.post("/api/v1/me/addresses", &body, Some(&alice)).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field(field) || field == "body", "{body} should name {field}: {}", r.text);
        let r = c.put(&path, &body, Some(&alice)).await;
        assert_eq!(r.status, 422, "{}", r.text);
    }
    assert_eq!(t.count("addresses").await, before);
    assert_eq!(c.get(&path, Some(&alice)).await.body["recipient"], "Alice", "nothing changed");
}

async fn cart_uses_saved_address(t: &TestApp) {
    let c = &t.client;
    let (_, alice) = t.customer().await;
    let (_, bob) = t.customer().await;
    let mine = c.post("/api/v1/me/addresses", &home("Alice"), Some(&alice)).await.body["id"].as_i64().unwrap();
    let theirs = c.post("/api/v1/me/addresses", &home("Bob"), Some(&bob)).await.body["id"].as_i64().unwrap();
    let cart = c.post("/api/v1/carts", &json!({}), Some(&alice)).await.body["token"].as_str().unwrap().to_string();
    let path = format!("/api/v1/carts/{cart}/address");
    let r = c.put(&path, &json!({"address_id": theirs}), Some(&alice)).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("address_id"));
    assert!(c.get("/api/v1/me/cart", Some(&alice)).await.body["shipping_address"].is_null());
    let r = c.put(&path, &json!({"address_id": mine}), Some(&alice)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["shipping_address"]["recipient"], "Alice");
    // The cart keeps its copy when the address book changes.
    c.delete(&format!("/api/v1/me/addresses/{mine}"), Some(&alice)).await;
    assert_eq!(c.get("/api/v1/me/cart", Some(&alice)).await.body["shipping_address"]["city"], "Shanghai");
}
