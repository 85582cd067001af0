//! The stock invariants: the ledger sums to the stock table after a mixed workload; no
//! oversell under 200 concurrent reservations; splitting by warehouse priority;
//! idempotent release and fulfilment.

use std::sync::Arc;

use agora_app::AppError;
use agora_app::inventory::Reservation;
use agora_testkit::TestApp;
use serde_json::json;

use super::fixtures::{self, level};

both_backends!(
    ledger_sums_to_stock_after_mixed_workload,
    concurrent_reservations_never_oversell,
    reservations_split_by_priority,
    release_and_fulfil_are_idempotent
);

/// Every (SKU, warehouse) whose stock row differs from the sums of its ledger rows.
async fn ledger_mismatches(t: &TestApp) -> Vec<(i64, i64, i64, i64, i64, i64)> {
    sqlx::query_as(
        "SELECT s.sku_id, s.warehouse_id, s.on_hand, s.reserved, \
                CAST(COALESCE(SUM(l.on_hand_delta), 0) AS BIGINT), CAST(COALESCE(SUM(l.reserved_delta), 0) AS BIGINT) \
         FROM stock s LEFT JOIN stock_ledger l ON l.sku_id = s.sku_id AND l.warehouse_id = s.warehouse_id \
         GROUP BY s.sku_id, s.warehouse_id, s.on_hand, s.reserved \
         HAVING s.on_hand <> CAST(COALESCE(SUM(l.on_hand_delta), 0) AS BIGINT) \
             OR s.reserved <> CAST(COALESCE(SUM(l.reserved_delta), 0) AS BIGINT)",
    )
    .fetch_all(t.app.db.reader())
    .await
    .unwrap()
}

async fn ledger_sums_to_stock_after_mixed_workload(t: &TestApp) {
    let c = &t.client;
    let op = t.staff_token("operator").await;
    let skus = [fixtures::sku(t, "MIX-1").await, fixtures::sku(t, "MIX-2").await, fixtures::sku(t, "MIX-3").await];
    let a = fixtures::warehouse(t, &op, "A", 10).await;
    let b = fixtures::warehouse(t, &op, "B", 5).await;
    let d = fixtures::warehouse(t, &op, "D", 0).await;
    for (i, sku) in skus.iter().enumerate() {
        fixtures::inbound(t, &op, *sku, a, 20 + i as i64).await;
        fixtures::inbound(t, &op, *sku, b, 15).await;
    }
    let mut order = 0;
    for round in 0..6i64 {
        for sku in skus {
            order += 1;
            let _ = fixtures::reserve(t, order, &[(sku, 3 + round % 4)]).await;
            match order % 3 {
                0 => drop(fixtures::close(t, order, false).await),
                1 => drop(fixtures::close(t, order, true).await),
                _ => {}
            }
        }
        let sku = skus[round as usize % 3];
        let counted = level(t, sku, a).await.1 + round;
        let r = c
            .post(
                "/api/v1/admin/stock/adjustments",
                &json!({"sku_id": sku, "warehouse_id": a, "counted": counted, "reason": "stocktake"}),
                Some(&op),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let r = c
            .post(
                "/api/v1/admin/stock/returns",
                &json!({"sku_id": sku, "warehouse_id": b, "quantity": 1 + round}),
                Some(&op),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let transfer = json!({"sku_id": sku, "from_warehouse_id": b, "to_warehouse_id": d, "quantity": 2});
        let r = c.post("/api/v1/admin/stock/transfers", &transfer, Some(&op)).await;
        assert!(r.status == 200 || r.status == 409, "{}", r.text);
        // An oversized reservation fails and must leave no trace.
        assert!(fixtures::reserve(t, 10_000 + round, &[(sku, 500)]).await.is_err());
    }
    let kinds: Vec<String> = sqlx::query_scalar("SELECT DISTINCT kind FROM stock_ledger ORDER BY kind")
        .fetch_all(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(kinds, ["adjust", "inbound", "outbound", "release", "reserve", "return", "transfer"]);
    assert_eq!(ledger_mismatches(t).await, vec![], "on_hand and reserved equal the ledger sums");
    let negative: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stock WHERE reserved < 0 OR on_hand < reserved")
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(negative, 0);
    // The held reservations are exactly what the stock table calls reserved.
    let held: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM stock_reservations WHERE status = 'held'",
    )
    .fetch_one(t.app.db.reader())
    .await
    .unwrap();
    let reserved: i64 = sqlx::query_scalar("SELECT CAST(SUM(reserved) AS BIGINT) FROM stock")
        .fetch_one(t.app.db.reader())
        .await
        .unwrap();
    assert_eq!(held, reserved);
}

async fn concurrent_reservations_never_oversell(t: &TestApp) {
    let op = t.staff_token("operator").await;
    let sku = fixtures::sku(t, "HOT-1").await;
    let a = fixtures::warehouse(t, &op, "A", 2).await;
    let b = fixtures::warehouse(t, &op, "B", 1).await;
    fixtures::inbound(t, &op, sku, a, 30).await;
    fixtures::inbound(t, &op, sku, b, 20).await;
    let app = Arc::new(t.app.clone());
    let mut tasks = Vec::new();
    for order in 1..=200i64 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = app.db.begin().await.expect("begin");
            let out = agora_app::inventory::reserve(&mut tx, app.now(), "order", order, &[(sku, 1)]).await;
            if out.is_ok() {
                tx.commit().await.expect("commit");
            }
            out.map(|_| ())
        }));
    }
    let (mut ok, mut short) = (0, 0);
    for task in tasks {
        match task.await.expect("task") {
            Ok(()) => ok += 1,
            Err(AppError::InsufficientStock { sku_id }) if sku_id == sku => short += 1,
            Err(e) => panic!("unexpected error: {e:?}"),
        }
    }
    assert_eq!((ok, short), (50, 150));
    assert_eq!(level(t, sku, a).await, (30, 30));
    assert_eq!(level(t, sku, b).await, (20, 20));
    let held: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM stock_reservations WHERE status = 'held' AND quantity = 1")
            .fetch_one(t.app.db.reader())
            .await
            .unwrap();
    assert_eq!(held, 50);
    assert_eq!(ledger_mismatches(t).await, vec![]);
    let r = t.client.get(&format!("/api/v1/stock?sku_ids={sku}"), None).await;
    assert_eq!(r.body["items"][0]["available"], 0);
}

async fn reservations_split_by_priority(t: &TestApp) {
    let op = t.staff_token("operator").await;
    let sku = fixtures::sku(t, "SPLIT-1").await;
    let low = fixtures::warehouse(t, &op, "LOW", 1).await;
    let high = fixtures::warehouse(t, &op, "HIGH", 9).await;
    let off = fixtures::warehouse(t, &op, "OFF", 99).await;
    fixtures::inbound(t, &op, sku, low, 10).await;
    fixtures::inbound(t, &op, sku, high, 4).await;
    fixtures::inbound(t, &op, sku, off, 100).await;
    t.client.post(&format!("/api/v1/admin/warehouses/{off}/deactivate"), &json!({}), Some(&op)).await;
    let r = |warehouse_id: i64, quantity: i64| Reservation { sku_id: sku, warehouse_id, quantity };
    // One warehouse that can serve it all is preferred, by priority.
    assert_eq!(fixtures::reserve(t, 1, &[(sku, 3)]).await.unwrap(), vec![r(high, 3)]);
    assert_eq!(fixtures::reserve(t, 2, &[(sku, 5)]).await.unwrap(), vec![r(low, 5)]);
    // Otherwise it splits, highest priority first: high has 1 left, low 5.
    assert_eq!(fixtures::reserve(t, 3, &[(sku, 6)]).await.unwrap(), vec![r(high, 1), r(low, 5)]);
    assert_eq!(level(t, sku, high).await, (4, 4));
    assert_eq!(level(t, sku, low).await, (10, 10));
    // The deactivated warehouse never serves; nothing is left and a failed reservation holds nothing.
    let held = t.count("stock_reservations").await;
    assert!(matches!(fixtures::reserve(t, 4, &[(sku, 1)]).await, Err(AppError::InsufficientStock { .. })));
    assert_eq!(t.count("stock_reservations").await, held);
    assert_eq!(level(t, sku, off).await, (100, 0));
}

async fn release_and_fulfil_are_idempotent(t: &TestApp) {
    let op = t.staff_token("operator").await;
    let sku = fixtures::sku(t, "IDEM-1").await;
    let a = fixtures::warehouse(t, &op, "A", 2).await;
    let b = fixtures::warehouse(t, &op, "B", 1).await;
    fixtures::inbound(t, &op, sku, a, 3).await;
    fixtures::inbound(t, &op, sku, b, 3).await;
    fixtures::reserve(t, 1, &[(sku, 5)]).await.unwrap();
    fixtures::reserve(t, 2, &[(sku, 1)]).await.unwrap();
    assert_eq!(level(t, sku, a).await, (3, 3));
    assert_eq!(level(t, sku, b).await, (3, 3));
    assert_eq!(fixtures::close(t, 1, false).await.len(), 2, "released both legs");
    let ledger = t.count("stock_ledger").await;
    assert_eq!(fixtures::close(t, 1, false).await, vec![], "second release does nothing");
    assert_eq!(fixtures::close(t, 1, true).await, vec![], "a released order cannot be fulfilled");
    assert_eq!(t.count("stock_ledger").await, ledger);
    assert_eq!(level(t, sku, a).await, (3, 0));
    assert_eq!(level(t, sku, b).await, (3, 1));
    assert_eq!(fixtures::close(t, 2, true).await.len(), 1);
    assert_eq!(fixtures::close(t, 2, true).await, vec![], "second fulfilment does nothing");
    assert_eq!(fixtures::close(t, 2, false).await, vec![], "a fulfilled order cannot be released");
    assert_eq!(level(t, sku, b).await, (2, 0));
    assert_eq!(ledger_mismatches(t).await, vec![]);
}
