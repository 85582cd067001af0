//! Staff movements: inbound, stocktake adjustment, return, transfer; bad input writes nothing.

use agora_testkit::TestApp;
use serde_json::{Value, json};

use super::fixtures::{self, level, written};

both_backends!(
    inbound_and_return,
    movement_bad_input,
    stocktake_adjusts_and_respects_reservations,
    transfer_all_or_nothing
);

async fn ledger(t: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let r = t.client.get(&format!("/api/v1/admin/stock/ledger?{query}"), Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["items"].as_array().unwrap().clone()
}

async fn audit_count(t: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND entity = 'stock'")
        .bind(action)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap()
}

async fn inbound_and_return(t: &TestApp) {
    let c = &t.client;
    let op = t.staff_token("operator").await;
    let sku = fixtures::sku(t, "IN-1").await;
    let wh = fixtures::warehouse(t, &op, "W1", 0).await;
    assert_eq!(t.count("stock").await, 0);
    let body = fixtures::inbound(t, &op, sku, wh, 10).await;
    assert_eq!(body["stock"][0]["on_hand"], 10, "inbound creates the stock row");
    assert_eq!(body["stock"][0]["available"], 10);
    fixtures::inbound(t, &op, sku, wh, 1_000_000).await;
    let r = c
        .post(
            "/api/v1/admin/stock/returns",
            &json!({"sku_id": sku, "warehouse_id": wh, "quantity": 2, "reference": "RMA-7", "reason": "unopened"}),
            Some(&op),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["stock"][0]["on_hand"], 1_000_012);
    assert_eq!(level(t, sku, wh).await, (1_000_012, 0));
    let rows = ledger(t, &op, &format!("sku_id={sku}")).await;
    let kinds: Vec<&str> = rows.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["return", "inbound", "inbound"], "newest first");
    assert_eq!(rows[0]["ref_id"], "RMA-7");
    assert_eq!(rows[0]["reason"], "unopened");
    assert_eq!(rows[0]["on_hand_delta"], 2);
    assert!(rows[0]["staff_id"].as_i64().is_some(), "movement records the staff member");
    assert_eq!(audit_count(t, "stock.inbound").await, 2);
    assert_eq!(audit_count(t, "stock.return").await, 1);
}

async fn movement_bad_input(t: &TestApp) {
    let c = &t.client;
    let op = t.staff_token("operator").await;
    let sku = fixtures::sku(t, "BAD-1").await;
    let wh = fixtures::warehouse(t, &op, "W1", 0).await;
    let other = fixtures::warehouse(t, &op, "W2", 0).await;
    let closed = fixtures::warehouse(t, &op, "W3", 0).await;
    c.post(&format!("/api/v1/admin/warehouses/{closed}/deactivate"), &json!({}), Some(&op)).await;
    fixtures::inbound(t, &op, sku, wh, 5).await;
    let before = written(t).await;
    let q = |quantity: Value| json!({"sku_id": sku, "warehouse_id": wh, "quantity": quantity});
    let receipts = [
        (q(json!(0)), "quantity"),
        (q(json!(-3)), "quantity"),
        (q(json!(1_000_001)), "quantity"),
        (q(json!(1e30)), "quantity"),
        (q(json!("5")), "quantity"),
        (q(json!(2.5)), "quantity"),
        (json!({"sku_id": sku, "warehouse_id": wh}), "quantity"),
        (json!({"sku_id": 999_999, "warehouse_id": wh, "quantity": 1}), "sku_id"),
        (json!({"sku_id": sku, "warehouse_id": 999_999, "quantity": 1}), "warehouse_id"),
        (json!({"sku_id": sku, "warehouse_id": closed, "quantity": 1}), "warehouse_id"),
        (json!({"sku_id": "one", "warehouse_id": wh, "quantity": 1}), "sku_id"),
        (json!({"sku_id": sku, "warehouse_id": wh, "quantity": 1, "reference": "r".repeat(101)}), "reference"),
    ];
    for path in ["/api/v1/admin/stock/inbound", "/api/v1/admin/stock/returns"] {
        for (body, field) in &receipts {
            let r = c.post(path, body, Some(&op)).await;
            r.assert_problem(422, "validation_failed");
            assert!(r.names_field(field), "{path} {field}: {}", r.text);
        }
        c.post_raw(path, "application/json", b"{\"quantity\": 1,".to_vec(), Some(&op))
            .await
            .assert_problem(400, "malformed_json");
        c.post_raw(path, "text/plain", b"quantity=1".to_vec(), Some(&op))
            .await
            .assert_problem(415, "unsupported_media_type");
    }
    let counts = [
        (json!({"sku_id": sku, "warehouse_id": wh, "counted": -1, "reason": "x"}), "counted"),
        (json!({"sku_id": sku, "warehouse_id": wh, "counted": 1_000_001, "reason": "x"}), "counted"),
        (json!({"sku_id": sku, "warehouse_id": wh, "counted": 3}), "reason"),
        (json!({"sku_id": sku, "warehouse_id": wh, "counted": 3, "reason": "  "}), "reason"),
        (json!({"sku_id": 999_999, "warehouse_id": wh, "counted": 3, "reason": "x"}), "sku_id"),
        (json!({"sku_id": sku, "warehouse_id": 999_999, "counted": 3, "reason": "x"}), "warehouse_id"),
    ];
    for (body, field) in counts {
        let r = c.post("/api/v1/admin/stock/adjustments", &body, Some(&op)).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field(field), "{field}: {}", r.text);
    }
    let t_body = |from: i64, to: i64, quantity: Value| json!({"sku_id": sku, "from_warehouse_id": from, "to_warehouse_id": to, "quantity": quantity});
    let transfers = [
        (t_body(wh, other, json!(0)), "quantity"),
        (t_body(wh, other, json!(-1)), "quantity"),
        (t_body(wh, other, json!(99_999_999)), "quantity"),
        (t_body(wh, wh, json!(1)), "to_warehouse_id"),
        (t_body(wh, 999_999, json!(1)), "to_warehouse_id"),
        (t_body(999_999, wh, json!(1)), "from_warehouse_id"),
        (t_body(wh, closed, json!(1)), "to_warehouse_id"),
    ];
    for (body, field) in transfers {
        let r = c.post("/api/v1/admin/stock/transfers", &body, Some(&op)).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field(field), "{field}: {}", r.text);
    }
    assert_eq!(written(t).await, before, "failed movements wrote nothing");
    assert_eq!(level(t, sku, wh).await, (5, 0));
}

async fn stocktake_adjusts_and_respects_reservations(t: &TestApp) {
    let c = &t.client;
    let op = t.staff_token("operator").await;
    let sku = fixtures::sku(t, "ST-1").await;
    let wh = fixtures::warehouse(t, &op, "W1", 0).await;
    fixtures::inbound(t, &op, sku, wh, 10).await;
    fixtures::reserve(t, 1, &[(sku, 4)]).await.unwrap();
    let count = |counted: i64| json!({"sku_id": sku, "warehouse_id": wh, "counted": counted, "reason": "cycle count"});
    let r = c.post("/api/v1/admin/stock/adjustments", &count(7), Some(&op)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["stock"][0]["on_hand"], 7);
    assert_eq!(r.body["stock"][0]["reserved"], 4);
    assert_eq!(r.body["stock"][0]["available"], 3);
    let rows = ledger(t, &op, "kind=adjust").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["on_hand_delta"], -3);
    assert_eq!(rows[0]["reason"], "cycle count");

    let before = written(t).await;
    c.post("/api/v1/admin/stock/adjustments", &count(3), Some(&op)).await.assert_problem(409, "below_reserved");
    assert_eq!(written(t).await, before, "refused stocktake wrote nothing");
    assert_eq!(level(t, sku, wh).await, (7, 4));

    let r = c.post("/api/v1/admin/stock/adjustments", &count(12), Some(&op)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(level(t, sku, wh).await, (12, 4));
    assert_eq!(ledger(t, &op, "kind=adjust").await[0]["on_hand_delta"], 5);
    // Counting exactly the reserved units is allowed.
    assert_eq!(c.post("/api/v1/admin/stock/adjustments", &count(4), Some(&op)).await.status, 200);
    assert_eq!(level(t, sku, wh).await, (4, 4));
    assert_eq!(audit_count(t, "stock.adjust").await, 3);
}

async fn transfer_all_or_nothing(t: &TestApp) {
    let c = &t.client;
    let op = t.staff_token("operator").await;
    let sku = fixtures::sku(t, "TR-1").await;
    let a = fixtures::warehouse(t, &op, "A", 0).await;
    let b = fixtures::warehouse(t, &op, "B", 0).await;
    fixtures::inbound(t, &op, sku, a, 10).await;
    let body =
        |quantity: i64| json!({"sku_id": sku, "from_warehouse_id": a, "to_warehouse_id": b, "quantity": quantity});
    let r = c.post("/api/v1/admin/stock/transfers", &body(4), Some(&op)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["stock"][0]["on_hand"], 6);
    assert_eq!(r.body["stock"][1]["on_hand"], 4);
    let rows = ledger(t, &op, "kind=transfer").await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["ref_id"], rows[1]["ref_id"], "both legs share one reference");
    let deltas: Vec<(i64, i64)> =
        rows.iter().map(|e| (e["warehouse_id"].as_i64().unwrap(), e["on_hand_delta"].as_i64().unwrap())).collect();
    assert!(deltas.contains(&(a, -4)) && deltas.contains(&(b, 4)), "{deltas:?}");

    // Reserved units cannot leave: 6 on hand, 2 reserved, 4 available.
    fixtures::reserve(t, 9, &[(sku, 2)]).await.unwrap();
    let before = written(t).await;
    c.post("/api/v1/admin/stock/transfers", &body(5), Some(&op)).await.assert_problem(409, "insufficient_stock");
    assert_eq!(written(t).await, before, "refused transfer wrote nothing");
    assert_eq!(level(t, sku, a).await, (6, 2));
    assert_eq!(level(t, sku, b).await, (4, 0));
    // A source without any stock row is refused the same way, and no row is created.
    let empty = fixtures::warehouse(t, &op, "E", 0).await;
    let before = written(t).await;
    let r = c
        .post(
            "/api/v1/admin/stock/transfers",
            &json!({"sku_id": sku, "from_warehouse_id": empty, "to_warehouse_id": a, "quantity": 1}),
            Some(&op),
        )
        .await;
    r.assert_problem(409, "insufficient_stock");
    assert_eq!(written(t).await, before);
    assert_eq!(c.post("/api/v1/admin/stock/transfers", &body(4), Some(&op)).await.status, 200);
    assert_eq!(level(t, sku, a).await, (2, 2));
    assert_eq!(level(t, sku, b).await, (8, 0));
    assert_eq!(audit_count(t, "stock.transfer").await, 2);
}
