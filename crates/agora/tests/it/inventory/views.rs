//! Stock list and per-SKU summary, the ledger list, thresholds and alerts, availability.

use agora_testkit::TestApp;
use serde_json::{Value, json};

use super::fixtures::{self, written};

both_backends!(
    stock_list_filters_and_pages,
    sku_summary_totals,
    ledger_filters_and_pages,
    thresholds_alerts_and_low_events,
    shopper_availability
);

async fn items(t: &TestApp, token: &str, path: &str) -> (Vec<Value>, Option<String>) {
    let r = t.client.get(path, Some(token)).await;
    assert_eq!(r.status, 200, "{path}: {}", r.text);
    (r.body["items"].as_array().unwrap().clone(), r.body["next_cursor"].as_str().map(str::to_string))
}

fn pairs(rows: &[Value]) -> Vec<(i64, i64)> {
    rows.iter().map(|r| (r["sku_id"].as_i64().unwrap(), r["warehouse_id"].as_i64().unwrap())).collect()
}

async fn stock_list_filters_and_pages(t: &TestApp) {
    let op = t.staff_token("operator").await;
    let p1 = fixtures::product(t, "shirt").await;
    let s1 = fixtures::sku_of(t, p1, "SHIRT-S").await;
    let s2 = fixtures::sku_of(t, p1, "SHIRT-M").await;
    let s3 = fixtures::sku(t, "MUG").await;
    let a = fixtures::warehouse(t, &op, "A", 0).await;
    let b = fixtures::warehouse(t, &op, "B", 0).await;
    for sku in [s1, s2, s3] {
        for wh in [a, b] {
            fixtures::inbound(t, &op, sku, wh, 3).await;
        }
    }
    let mut all = Vec::new();
    let mut path = "/api/v1/admin/stock?limit=4".to_string();
    loop {
        let (rows, next) = items(t, &op, &path).await;
        all.extend(rows);
        match next {
            Some(c) => path = format!("/api/v1/admin/stock?limit=4&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(pairs(&all), vec![(s1, a), (s1, b), (s2, a), (s2, b), (s3, a), (s3, b)], "every row once, in order");
    assert_eq!(all[0]["product_id"], p1);
    assert_eq!(all[0]["warehouse_code"], "A");
    assert_eq!(all[0]["available"], 3);
    let (rows, _) = items(t, &op, &format!("/api/v1/admin/stock?warehouse_id={b}")).await;
    assert_eq!(pairs(&rows), vec![(s1, b), (s2, b), (s3, b)]);
    let (rows, _) = items(t, &op, &format!("/api/v1/admin/stock?sku_id={s2}")).await;
    assert_eq!(pairs(&rows), vec![(s2, a), (s2, b)]);
    let (rows, _) = items(t, &op, &format!("/api/v1/admin/stock?product_id={p1}&warehouse_id={a}")).await;
    assert_eq!(pairs(&rows), vec![(s1, a), (s2, a)]);
    for (query, field) in
        [("limit=0", "limit"), ("limit=101", "limit"), ("cursor=%%%", "cursor"), ("sku_id=abc", "sku_id")]
    {
        let r = t.client.get(&format!("/api/v1/admin/stock?{query}"), Some(&op)).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field(field), "{query}: {}", r.text);
    }
}

async fn sku_summary_totals(t: &TestApp) {
    let c = &t.client;
    let op = t.staff_token("operator").await;
    let sku = fixtures::sku(t, "SUM-1").await;
    let a = fixtures::warehouse(t, &op, "A", 5).await;
    let b = fixtures::warehouse(t, &op, "B", 1).await;
    fixtures::inbound(t, &op, sku, a, 10).await;
    fixtures::inbound(t, &op, sku, b, 7).await;
    fixtures::reserve(t, 1, &[(sku, 3)]).await.unwrap();
    let r = c.get(&format!("/api/v1/admin/stock/skus/{sku}"), Some(&op)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        (r.body["on_hand"].as_i64(), r.body["reserved"].as_i64(), r.body["available"].as_i64()),
        (Some(17), Some(3), Some(14))
    );
    assert_eq!(pairs(r.body["warehouses"].as_array().unwrap()), vec![(sku, a), (sku, b)]);
    c.post(&format!("/api/v1/admin/warehouses/{b}/deactivate"), &json!({}), Some(&op)).await;
    let r = c.get(&format!("/api/v1/admin/stock/skus/{sku}"), Some(&op)).await;
    assert_eq!(r.body["on_hand"], 17);
    assert_eq!(r.body["available"], 7, "a deactivated warehouse sells nothing");
    c.get("/api/v1/admin/stock/skus/999999", Some(&op)).await.assert_problem(404, "not_found");
}

async fn ledger_filters_and_pages(t: &TestApp) {
    let op = t.staff_token("operator").await;
    let s1 = fixtures::sku(t, "L-1").await;
    let s2 = fixtures::sku(t, "L-2").await;
    let a = fixtures::warehouse(t, &op, "A", 0).await;
    let b = fixtures::warehouse(t, &op, "B", 0).await;
    let start = t.app.now();
    fixtures::inbound(t, &op, s1, a, 5).await;
    fixtures::inbound(t, &op, s2, b, 5).await;
    t.clock.advance_ms(60_000);
    let later = t.app.now();
    fixtures::inbound(t, &op, s1, b, 5).await;
    fixtures::reserve(t, 1, &[(s1, 2)]).await.unwrap();
    let (rows, _) = items(t, &op, "/api/v1/admin/stock/ledger").await;
    assert_eq!(rows.len(), 4);
    let ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    assert_eq!(rows[0]["kind"], "reserve");
    assert_eq!(rows[0]["ref_type"], "order");
    let (page1, next) = items(t, &op, "/api/v1/admin/stock/ledger?limit=3").await;
    let (page2, end) = items(t, &op, &format!("/api/v1/admin/stock/ledger?limit=3&cursor={}", next.unwrap())).await;
    assert_eq!((page1.len(), page2.len(), end), (3, 1, None));
    assert_eq!(page2[0]["id"], rows[3]["id"]);
    let (rows, _) = items(t, &op, &format!("/api/v1/admin/stock/ledger?sku_id={s1}")).await;
    assert_eq!(rows.len(), 3);
    let (rows, _) = items(t, &op, &format!("/api/v1/admin/stock/ledger?sku_id={s1}&warehouse_id={a}")).await;
    assert_eq!(rows.len(), 2, "inbound and the reservation in A");
    let (rows, _) = items(t, &op, "/api/v1/admin/stock/ledger?kind=inbound").await;
    assert_eq!(rows.len(), 3);
    let (rows, _) = items(t, &op, &format!("/api/v1/admin/stock/ledger?from={start}&to={later}")).await;
    assert_eq!(rows.len(), 2, "to is exclusive");
    let (rows, _) = items(t, &op, &format!("/api/v1/admin/stock/ledger?from={later}")).await;
    assert_eq!(rows.len(), 2);
    for (query, field) in
        [("kind=stolen", "kind"), ("from=10&to=5", "to"), ("from=yesterday", "from"), ("cursor=abc", "cursor")]
    {
        let r = t.client.get(&format!("/api/v1/admin/stock/ledger?{query}"), Some(&op)).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field(field), "{query}: {}", r.text);
    }
}

async fn low_events(t: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM domain_events WHERE kind = 'stock.low'")
        .fetch_one(t.app.db.reader())
        .await
        .unwrap()
}

async fn thresholds_alerts_and_low_events(t: &TestApp) {
    let c = &t.client;
    let op = t.staff_token("operator").await;
    let s1 = fixtures::sku(t, "AL-1").await;
    let s2 = fixtures::sku(t, "AL-2").await;
    let a = fixtures::warehouse(t, &op, "A", 0).await;
    let b = fixtures::warehouse(t, &op, "B", 0).await;
    fixtures::inbound(t, &op, s1, a, 10).await;
    fixtures::inbound(t, &op, s2, a, 2).await;
    let set = |sku: i64, wh: i64, n: i64| json!({"sku_id": sku, "warehouse_id": wh, "low_threshold": n});
    let r = c.put("/api/v1/admin/stock/thresholds", &set(s1, a, 5), Some(&op)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["low_threshold"], 5);
    // A threshold on a (SKU, warehouse) without stock creates the row: 0 available, shortfall 3.
    assert_eq!(c.put("/api/v1/admin/stock/thresholds", &set(s2, b, 3), Some(&op)).await.status, 200);
    assert_eq!(c.put("/api/v1/admin/stock/thresholds", &set(s2, a, 4), Some(&op)).await.status, 200);
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'stock.threshold'")
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(audited, 3);
    assert_eq!(low_events(t).await, 0, "setting a threshold is not a movement");

    // s1@a: 10 available, threshold 5. Reserving 6 crosses it.
    fixtures::reserve(t, 1, &[(s1, 6)]).await.unwrap();
    assert_eq!(low_events(t).await, 1);
    let payload: String = sqlx::query_scalar("SELECT payload FROM domain_events WHERE kind = 'stock.low'")
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    let payload: Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(
        (payload["sku_id"].as_i64(), payload["available"].as_i64(), payload["threshold"].as_i64()),
        (Some(s1), Some(4), Some(5))
    );
    fixtures::reserve(t, 2, &[(s1, 1)]).await.unwrap();
    assert_eq!(low_events(t).await, 1, "already low: no second event");

    let (rows, _) = items(t, &op, "/api/v1/admin/stock/alerts").await;
    let got: Vec<(i64, i64, i64)> = rows
        .iter()
        .map(|r| (r["sku_id"].as_i64().unwrap(), r["warehouse_id"].as_i64().unwrap(), r["shortfall"].as_i64().unwrap()))
        .collect();
    assert_eq!(got, vec![(s2, b, 3), (s1, a, 2), (s2, a, 2)], "largest shortfall first");
    let (first, next) = items(t, &op, "/api/v1/admin/stock/alerts?limit=2").await;
    let (rest, _) = items(t, &op, &format!("/api/v1/admin/stock/alerts?limit=2&cursor={}", next.unwrap())).await;
    assert_eq!(first.len() + rest.len(), 3);
    assert_eq!(rest[0]["sku_id"], s2);
    assert_eq!(rest[0]["warehouse_id"], a);

    // Restocking above the threshold clears the alert; the next fall alerts again.
    fixtures::inbound(t, &op, s1, a, 10).await;
    let (rows, _) = items(t, &op, "/api/v1/admin/stock/alerts").await;
    assert_eq!(rows.len(), 2);
    let r = c
        .post(
            "/api/v1/admin/stock/adjustments",
            &json!({"sku_id": s1, "warehouse_id": a, "counted": 12, "reason": "breakage"}),
            Some(&op),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(low_events(t).await, 2, "the stocktake made available (12 - 7 = 5) reach the threshold");
    // Switching the threshold off removes the alert.
    assert_eq!(c.put("/api/v1/admin/stock/thresholds", &set(s2, b, 0), Some(&op)).await.status, 200);
    assert_eq!(items(t, &op, "/api/v1/admin/stock/alerts").await.0.len(), 2);

    let before = written(t).await;
    for (body, field) in [
        (set(s1, a, -1), "low_threshold"),
        (set(s1, a, 1_000_001), "low_threshold"),
        (set(999_999, a, 1), "sku_id"),
        (set(s1, 999_999, 1), "warehouse_id"),
        (json!({"sku_id": s1, "warehouse_id": a, "low_threshold": "five"}), "low_threshold"),
    ] {
        let r = c.put("/api/v1/admin/stock/thresholds", &body, Some(&op)).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field(field), "{field}: {}", r.text);
    }
    assert_eq!(written(t).await, before, "failed threshold updates wrote nothing");
}

async fn shopper_availability(t: &TestApp) {
    let c = &t.client;
    let op = t.staff_token("operator").await;
    let s1 = fixtures::sku(t, "AV-1").await;
    let s2 = fixtures::sku(t, "AV-2").await;
    let a = fixtures::warehouse(t, &op, "A", 0).await;
    let b = fixtures::warehouse(t, &op, "B", 0).await;
    fixtures::inbound(t, &op, s1, a, 8).await;
    fixtures::inbound(t, &op, s1, b, 4).await;
    fixtures::reserve(t, 1, &[(s1, 5)]).await.unwrap();
    let r = c.get(&format!("/api/v1/stock?sku_ids={s1},{s2},424242"), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body["items"],
        json!([{"sku_id": s1, "available": 7}, {"sku_id": s2, "available": 0}, {"sku_id": 424242, "available": 0}])
    );
    c.post(&format!("/api/v1/admin/warehouses/{b}/deactivate"), &json!({}), Some(&op)).await;
    let r = c.get(&format!("/api/v1/stock?sku_ids={s1}"), None).await;
    assert_eq!(r.body["items"][0]["available"], 3, "8 - 5 reserved in the only active warehouse");
    for query in ["", "?sku_ids=", "?sku_ids=a,b", "?sku_ids=1,-2", "?sku_ids=0"] {
        let r = c.get(&format!("/api/v1/stock{query}"), None).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.names_field("sku_ids"), "{query}: {}", r.text);
    }
    let many: Vec<String> = (1..=101).map(|i| i.to_string()).collect();
    let r = c.get(&format!("/api/v1/stock?sku_ids={}", many.join(",")), None).await;
    assert!(r.names_field("sku_ids"), "{}", r.text);
}
