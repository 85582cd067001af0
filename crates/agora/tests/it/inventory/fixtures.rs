//! Test data the catalog feature would normally create: merchant, category, product, SKU
//! rows inserted with plain SQL; warehouses and stock through the inventory API.

use agora_testkit::TestApp;
use serde_json::{Value, json};

async fn exec(t: &TestApp, sql: &'static str, binds: &[&str]) {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(b.to_string());
    }
    q.execute(t.app.db.writer()).await.expect("fixture insert");
}

/// Inserts a product (with merchant 1 and its own category) and returns its id.
pub async fn product(t: &TestApp, slug: &str) -> i64 {
    let now = t.app.now();
    sqlx::query("INSERT INTO merchants (id, name, status, created_at) VALUES (1, 'Test shop', 'active', $1) ON CONFLICT DO NOTHING")
        .bind(now)
        .execute(t.app.db.writer())
        .await
        .expect("merchant");
    let cat_slug = format!("cat-{slug}");
    exec(
        t,
        "INSERT INTO categories (parent_id, path, slug, name_en, name_zh_cn, name_zh_tw, created_at, updated_at) \
         VALUES (NULL, '/', $1, 'Test', '测试', '測試', 0, 0)",
        &[&cat_slug],
    )
    .await;
    let category: i64 = sqlx::query_scalar("SELECT id FROM categories WHERE slug = $1")
        .bind(&cat_slug)
        .fetch_one(t.app.db.reader())
        .await
        .expect("category id");
    sqlx::query_scalar(
        "INSERT INTO products (merchant_id, category_id, slug, status, currency, created_at, updated_at) \
         VALUES (1, $1, $2, 'listed', 'CNY', $3, $3) RETURNING id",
    )
    .bind(category)
    .bind(slug)
    .bind(now)
    .fetch_one(t.app.db.writer())
    .await
    .expect("product")
}

/// Inserts a SKU of `product_id` with a unique `code`; returns its id.
pub async fn sku_of(t: &TestApp, product_id: i64, code: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO skus (product_id, code, price, currency, created_at, updated_at) VALUES ($1, $2, 1999, 'CNY', $3, $3) RETURNING id",
    )
    .bind(product_id)
    .bind(code)
    .bind(t.app.now())
    .fetch_one(t.app.db.writer())
    .await
    .expect("sku")
}

/// A product with one SKU; returns the SKU id.
pub async fn sku(t: &TestApp, code: &str) -> i64 {
    let product = product(t, &format!("p-{}", code.to_lowercase())).await;
    sku_of(t, product, code).await
}

/// Creates a warehouse through the API; returns its id.
pub async fn warehouse(t: &TestApp, token: &str, code: &str, priority: i64) -> i64 {
    let r = t
        .client
        .post(
            "/api/v1/admin/warehouses",
            &json!({"code": code, "name": format!("Warehouse {code}"), "priority": priority}),
            Some(token),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["id"].as_i64().expect("warehouse id")
}

/// Receives `quantity` units through the API; returns the response body.
pub async fn inbound(t: &TestApp, token: &str, sku_id: i64, warehouse_id: i64, quantity: i64) -> Value {
    let body = json!({"sku_id": sku_id, "warehouse_id": warehouse_id, "quantity": quantity, "reference": "PO-1"});
    let r = t.client.post("/api/v1/admin/stock/inbound", &body, Some(token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

/// (on_hand, reserved) of one stock row, read straight from the table.
pub async fn level(t: &TestApp, sku_id: i64, warehouse_id: i64) -> (i64, i64) {
    sqlx::query_as("SELECT on_hand, reserved FROM stock WHERE sku_id = $1 AND warehouse_id = $2")
        .bind(sku_id)
        .bind(warehouse_id)
        .fetch_optional(t.app.db.reader())
        .await
        .expect("stock row")
        .unwrap_or((0, 0))
}

/// Row counts of every table a failed inventory request must leave untouched.
pub async fn written(t: &TestApp) -> [i64; 5] {
    [
        t.count("warehouses").await,
        t.count("stock").await,
        t.count("stock_ledger").await,
        t.count("audit_log").await,
        t.count("domain_events").await,
    ]
}

/// Reserves for order `order_id` in its own transaction, committing on success.
pub async fn reserve(
    t: &TestApp,
    order_id: i64,
    wanted: &[(i64, i64)],
) -> agora_app::AppResult<Vec<agora_app::inventory::Reservation>> {
    let mut tx = t.app.db.begin().await.expect("begin");
    let out = agora_app::inventory::reserve(&mut tx, t.app.now(), "order", order_id, wanted).await;
    if out.is_ok() {
        tx.commit().await.expect("commit");
    }
    out
}

/// Releases (`fulfil == false`) or fulfils the reservations of order `order_id`.
pub async fn close(t: &TestApp, order_id: i64, fulfil: bool) -> Vec<agora_app::inventory::Reservation> {
    let mut tx = t.app.db.begin().await.expect("begin");
    let now = t.app.now();
    let out = if fulfil {
        agora_app::inventory::fulfil(&mut tx, now, "order", order_id).await
    } else {
        agora_app::inventory::release(&mut tx, now, "order", order_id).await
    };
    let out = out.expect("close reservations");
    tx.commit().await.expect("commit");
    out
}
