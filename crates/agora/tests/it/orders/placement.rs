//! Idempotent placement, access rules and bad input.

use agora_testkit::TestApp;
use serde_json::json;

use super::fixtures::{self, Who};

both_backends!(
    idempotent_creation,
    customers_see_only_their_orders,
    bad_input_writes_nothing,
    staff_list_and_cancel,
    openapi_documents_commerce,
    one_order_per_merchant,
    a_line_split_over_warehouses_names_the_main_one
);

async fn one_order_per_merchant(t: &TestApp) {
    let tea = fixtures::sku(t, 1_000, 5).await;
    let cup = fixtures::sku_of(t, 2, 700, 5).await;
    let method = fixtures::delivery(t).await;
    let cart = fixtures::cart(t, None, &[(tea, 2), (cup, 1)], method, None).await;
    let r = fixtures::place(t, &cart, Some("split"), &Who::Nobody).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let orders = r.body["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 2);
    assert_eq!((orders[0]["merchant_id"].clone(), orders[1]["merchant_id"].clone()), (json!(1), json!(2)));
    assert_eq!(orders[0]["grand_total"], 2_800, "items 20.00 + shipping 8.00");
    assert_eq!(orders[1]["grand_total"], 700, "shipping charged once");
    assert_eq!(orders[1]["lines"][0]["sku_id"], cup);
    let guest = Who::Guest(r.body["access_token"].as_str().unwrap().to_string());
    for o in orders {
        assert_eq!(fixtures::get(t, &format!("/api/v1/orders/{}", o["id"]), &guest).await.status, 200);
    }
    assert_eq!(fixtures::stock(t, tea).await, (5, 2));
    assert_eq!(fixtures::stock(t, cup).await, (5, 1));
    let again = fixtures::place(t, &cart, Some("split"), &Who::Nobody).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.body["orders"].as_array().unwrap().len(), 2);
}

async fn openapi_documents_commerce(t: &TestApp) {
    let doc = t.client.get("/api/openapi.json", None).await.body;
    let expected = [
        ("/api/v1/orders", "post", "orders"),
        ("/api/v1/orders", "get", "orders"),
        ("/api/v1/orders/{id}", "get", "orders"),
        ("/api/v1/orders/{id}/cancel", "post", "orders"),
        ("/api/v1/orders/{id}/confirm-receipt", "post", "orders"),
        ("/api/v1/admin/orders", "get", "orders"),
        ("/api/v1/admin/orders/{id}", "get", "orders"),
        ("/api/v1/admin/orders/{id}/cancel", "post", "orders"),
        ("/api/v1/orders/{id}/payments", "post", "payments"),
        ("/api/v1/payments/webhooks/sandbox", "post", "payments"),
        ("/api/v1/admin/orders/{id}/refunds", "post", "payments"),
        ("/api/v1/admin/orders/{id}/payments", "get", "payments"),
        ("/sandbox/pay/{id}", "get", "payments"),
        ("/api/v1/admin/orders/{id}/shipments", "post", "fulfilment"),
        ("/api/v1/admin/shipments/{id}/events", "post", "fulfilment"),
        ("/api/v1/shipping/webhooks/{carrier}", "post", "fulfilment"),
        ("/api/v1/admin/orders/{id}/pickup", "post", "fulfilment"),
    ];
    for (path, method, tag) in expected {
        assert_eq!(doc["paths"][path][method]["tags"][0], tag, "{method} {path}");
    }
}

const WRITTEN: [&str; 6] = ["orders", "order_lines", "order_history", "idempotency_keys", "stock_reservations", "jobs"];

async fn counts(t: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for table in WRITTEN {
        out.push(t.count(table).await);
    }
    out
}

async fn idempotent_creation(t: &TestApp) {
    let (customer_id, bearer) = t.customer().await;
    let who = Who::Customer(bearer.clone());
    let sku = fixtures::sku(t, 1_200, 10).await;
    let method = fixtures::delivery(t).await;
    let cart = fixtures::cart(t, Some(customer_id), &[(sku, 2)], method, None).await;
    let first = fixtures::place(t, &cart, Some("key-1"), &who).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let id = first.body["orders"][0]["id"].as_i64().unwrap();
    assert!(first.body["orders"][0]["number"].as_str().unwrap().len() >= 10);
    let after_first = counts(t).await;
    let again = fixtures::place(t, &cart, Some("key-1"), &who).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.body["orders"][0]["id"], id);
    assert_eq!(again.body["replayed"], true);
    assert!(again.body["access_token"].is_null());
    // Same key, different body (another cart): refused.
    let other = fixtures::cart(t, Some(customer_id), &[(sku, 1)], method, None).await;
    fixtures::place(t, &other, Some("key-1"), &who).await.assert_problem(409, "idempotency_key_reused");
    // A new key on the ordered cart: the cart is closed.
    fixtures::place(t, &cart, Some("key-2"), &who).await.assert_problem(409, "cart_closed");
    assert_eq!(counts(t).await, after_first, "nothing duplicated");
    assert_eq!(fixtures::stock(t, sku).await, (10, 2));
    // Concurrent retries of one request produce one order.
    let concurrent = fixtures::cart(t, Some(customer_id), &[(sku, 1)], method, None).await;
    let tries = (0..8).map(|_| fixtures::place(t, &concurrent, Some("key-3"), &who));
    let results = futures_util::future::join_all(tries).await;
    let ids: std::collections::HashSet<i64> =
        results.iter().map(|r| r.body["orders"][0]["id"].as_i64().unwrap_or_else(|| panic!("{}", r.text))).collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(t.count("orders").await, 2);
}

async fn customers_see_only_their_orders(t: &TestApp) {
    let (customer_id, bearer) = t.customer().await;
    let (_, stranger) = t.customer().await;
    let sku = fixtures::sku(t, 1_000, 10).await;
    let method = fixtures::delivery(t).await;
    let cart = fixtures::cart(t, Some(customer_id), &[(sku, 1)], method, None).await;
    let (order, who) = fixtures::placed(t, &cart, Some(&bearer)).await;
    let path = format!("/api/v1/orders/{order}");
    assert_eq!(fixtures::get(t, &path, &who).await.status, 200);
    let other = Who::Customer(stranger.clone());
    fixtures::get(t, &path, &other).await.assert_problem(404, "not_found");
    fixtures::post(t, &format!("{path}/cancel"), &json!({}), &other).await.assert_problem(404, "not_found");
    fixtures::post(t, &format!("{path}/payments"), &json!({}), &other).await.assert_problem(404, "not_found");
    assert!(t.client.get("/api/v1/orders", Some(&stranger)).await.body["items"].as_array().unwrap().is_empty());
    // Guests read their order with the access token only.
    let guest_cart = fixtures::cart(t, None, &[(sku, 1)], method, None).await;
    let (guest_order, guest) = fixtures::placed(t, &guest_cart, None).await;
    let guest_path = format!("/api/v1/orders/{guest_order}");
    let r = fixtures::get(t, &guest_path, &guest).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["email"], "guest@example.com");
    fixtures::get(t, &guest_path, &Who::Nobody).await.assert_problem(401, "unauthenticated");
    fixtures::get(t, &guest_path, &Who::Guest("wrong-token".into())).await.assert_problem(404, "not_found");
    fixtures::get(t, &guest_path, &who).await.assert_problem(404, "not_found");
    // The guest token of one order does not open another.
    fixtures::get(t, &path, &guest).await.assert_problem(404, "not_found");
    // Staff endpoints need staff with the permission.
    t.client.get("/api/v1/admin/orders", None).await.assert_problem(401, "unauthenticated");
    t.client.get("/api/v1/admin/orders", Some(&bearer)).await.assert_problem(403, "forbidden");
}

async fn bad_input_writes_nothing(t: &TestApp) {
    let (customer_id, bearer) = t.customer().await;
    let who = Who::Customer(bearer.clone());
    let sku = fixtures::sku(t, 1_000, 1).await;
    let method = fixtures::delivery(t).await;
    let cart = fixtures::cart(t, Some(customer_id), &[(sku, 1)], method, None).await;
    let before = counts(t).await;
    let raw = |body: &'static [u8], key: Option<&'static str>| {
        let mut req = t.client.raw().post(t.client.url("/api/v1/orders")).header("content-type", "application/json");
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        t.client.send(req.bearer_auth(&bearer).body(body.to_vec()))
    };
    raw(b"{\"cart_token\":", Some("k")).await.assert_problem(400, "malformed_json");
    let r = raw(b"{\"cart_token\": 5}", Some("k")).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("cart_token"), "{}", r.text);
    let r = raw(b"{\"cart\": \"x\"}", Some("k")).await;
    r.assert_problem(422, "validation_failed");
    let r = fixtures::place(t, &cart, None, &who).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("Idempotency-Key"), "{}", r.text);
    let long = "k".repeat(300);
    assert!(fixtures::place(t, &cart, Some(&long), &who).await.names_field("Idempotency-Key"));
    fixtures::place(t, "no-such-cart", Some("k"), &who).await.assert_problem(404, "not_found");
    fixtures::place(t, &cart, Some("k"), &Who::Customer("bogus".into())).await.assert_problem(401, "unauthenticated");
    // Someone else's cart is invisible.
    let (_, stranger) = t.customer().await;
    fixtures::place(t, &cart, Some("k"), &Who::Customer(stranger)).await.assert_problem(404, "not_found");
    // Out of stock: a second cart wants the last unit too; the first order takes it.
    let cart2 = fixtures::cart(t, None, &[(sku, 1)], method, None).await;
    assert_eq!(counts(t).await, before, "nothing written by refused requests");
    assert_eq!(fixtures::place(t, &cart, Some("k"), &who).await.status, 201);
    let after = counts(t).await;
    fixtures::place(t, &cart2, Some("k2"), &Who::Nobody).await.assert_problem(409, "insufficient_stock");
    assert_eq!(counts(t).await, after, "a refused placement writes nothing");
    assert!(agora_app::cart::get_cart(&t.app, &cart2, None).await.unwrap().status == "open");
}

async fn staff_list_and_cancel(t: &TestApp) {
    let (customer_id, bearer) = t.customer().await;
    let sku = fixtures::sku(t, 1_000, 10).await;
    let method = fixtures::delivery(t).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let cart = fixtures::cart(t, Some(customer_id), &[(sku, 1)], method, None).await;
        ids.push(fixtures::placed(t, &cart, Some(&bearer)).await.0);
        t.clock.advance_ms(1_000);
    }
    let who = Who::Customer(bearer.clone());
    fixtures::pay(t, ids[0], &who).await;
    let support = t.staff_token("support").await;
    let r = t.client.get("/api/v1/admin/orders?status=pending_payment&limit=1", Some(&support)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["items"][0]["id"], ids[2]);
    let cursor = r.body["next_cursor"].as_str().unwrap().to_string();
    let r = t.client.get(&format!("/api/v1/admin/orders?status=pending_payment&cursor={cursor}"), Some(&support)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["items"][0]["id"], ids[1]);
    let r = t.client.get(&format!("/api/v1/admin/orders?customer_id={customer_id}&status=paid"), Some(&support)).await;
    assert_eq!(r.body["items"][0]["id"], ids[0]);
    let placed_at = r.body["items"][0]["created_at"].as_i64().unwrap();
    let r = t.client.get(&format!("/api/v1/admin/orders?from={}", placed_at + 1), Some(&support)).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2);
    t.client.get("/api/v1/admin/orders?status=lost", Some(&support)).await.assert_problem(422, "validation_failed");
    // Support may not cancel a paid order (that refunds it); an admin may: refunded in full,
    // stock released, audited.
    let cancel = format!("/api/v1/admin/orders/{}/cancel", ids[0]);
    t.client
        .post(&cancel, &json!({"reason": "customer called"}), Some(&support))
        .await
        .assert_problem(403, "forbidden");
    let admin = t.staff_token("admin").await;
    let audits = t.count("audit_log").await;
    let r = t.client.post(&cancel, &json!({"reason": "customer called"}), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["status"], "cancelled");
    assert_eq!(r.body["refunded_total"], r.body["paid_total"]);
    assert_eq!(r.body["payment_state"], "refunded");
    assert_eq!(fixtures::ledger_sum(t, ids[0]).await, 0);
    assert_eq!(t.count("audit_log").await, audits + 1);
    assert_eq!(fixtures::stock(t, sku).await, (10, 2));
    let r = t.client.get(&format!("/api/v1/admin/orders/{}", ids[0]), Some(&support)).await;
    assert_eq!(r.body["cancel_reason"], "customer called");
    // Finance may view but not cancel.
    let finance = t.staff_token("finance").await;
    t.client
        .post(&format!("/api/v1/admin/orders/{}/cancel", ids[1]), &json!({}), Some(&finance))
        .await
        .assert_problem(403, "forbidden");
}

async fn a_line_split_over_warehouses_names_the_main_one(t: &TestApp) {
    // 2 units in the preferred warehouse, 3 in a lower-priority one: 5 units must split,
    // and the line ships mostly from the second.
    let sku = fixtures::sku(t, 1_000, 2).await;
    let op = t.staff_token("operator").await;
    let second = t
        .client
        .post("/api/v1/admin/warehouses", &json!({"code": "WH-2", "name": "Second", "priority": 5}), Some(&op))
        .await;
    assert_eq!(second.status, 201, "{}", second.text);
    let second = second.body["id"].as_i64().unwrap();
    let body = json!({"sku_id": sku, "warehouse_id": second, "quantity": 3, "reference": "PO-2"});
    assert_eq!(t.client.post("/api/v1/admin/stock/inbound", &body, Some(&op)).await.status, 200);
    let method = fixtures::delivery(t).await;
    let cart = fixtures::cart(t, None, &[(sku, 5)], method, None).await;
    let (order, _) = fixtures::placed(t, &cart, None).await;
    let holds: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stock_reservations WHERE ref_id = $1")
        .bind(order)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(holds, 2, "one hold per warehouse");
    let shipped_from: i64 = sqlx::query_scalar("SELECT warehouse_id FROM order_lines WHERE order_id = $1")
        .bind(order)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(shipped_from, second, "the warehouse holding most of the line");
}
