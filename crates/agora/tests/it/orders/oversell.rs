//! No oversell: 200 concurrent placements for 50 units.

use agora_testkit::TestApp;

use super::fixtures;

both_backends!(two_hundred_concurrent_orders_for_fifty_units);

async fn two_hundred_concurrent_orders_for_fifty_units(t: &TestApp) {
    let sku = fixtures::sku(t, 990, 50).await;
    let method = fixtures::delivery(t).await;
    let mut carts = Vec::new();
    for _ in 0..200 {
        carts.push(fixtures::cart(t, None, &[(sku, 1)], method, None).await);
    }
    let mut set = tokio::task::JoinSet::new();
    for (i, cart) in carts.into_iter().enumerate() {
        let client = t.client.clone();
        set.spawn(async move {
            let req = client
                .raw()
                .post(client.url("/api/v1/orders"))
                .header("idempotency-key", format!("k-{i}"))
                .json(&serde_json::json!({"cart_token": cart}));
            client.send(req).await
        });
    }
    let (mut created, mut refused) = (0, 0);
    while let Some(r) = set.join_next().await {
        let r = r.expect("task");
        match r.status {
            201 => created += 1,
            409 => {
                r.assert_problem(409, "insufficient_stock");
                refused += 1;
            }
            other => panic!("unexpected {other}: {}", r.text),
        }
    }
    assert_eq!((created, refused), (50, 150));
    assert_eq!(fixtures::stock(t, sku).await, (50, 50));
    assert_eq!(t.count("orders").await, 50);
    let held: i64 = sqlx::query_scalar(
        "SELECT CAST(SUM(quantity) AS BIGINT) FROM stock_reservations WHERE sku_id = $1 AND status = 'held'",
    )
    .bind(sku)
    .fetch_one(t.app.db.reader())
    .await
    .unwrap();
    assert_eq!(held, 50);
}
