//! Catalog and stock for cart tests, written with direct SQL (the catalog feature lives in
//! another branch). Every SKU gets its own listed product in its own category.

use agora_testkit::TestApp;

/// A SKU to create.
#[derive(Debug, Clone)]
pub struct SkuSpec {
    pub price: i64,
    pub weight_grams: i64,
    /// Units on hand in the default warehouse.
    pub stock: i64,
    pub title: &'static str,
}

impl SkuSpec {
    pub fn priced(price: i64, stock: i64) -> SkuSpec {
        SkuSpec { price, weight_grams: 0, stock, title: "Tea cup" }
    }

    pub fn weighing(mut self, grams: i64) -> SkuSpec {
        self.weight_grams = grams;
        self
    }
}

/// A created SKU.
#[derive(Debug, Clone, Copy)]
pub struct Sku {
    pub id: i64,
    pub product_id: i64,
    pub category_id: i64,
}

async fn exec(t: &TestApp, sql: &'static str, binds: Vec<Bind>) -> i64 {
    let mut q = sqlx::query_scalar::<_, i64>(sql);
    for b in binds {
        q = match b {
            Bind::I(v) => q.bind(v),
            Bind::S(v) => q.bind(v),
        };
    }
    q.fetch_one(t.app.db.writer()).await.unwrap_or_else(|e| panic!("seed {sql}: {e}"))
}

enum Bind {
    I(i64),
    S(String),
}
use Bind::{I, S};

/// The default warehouse (created on first use).
pub async fn warehouse(t: &TestApp) -> i64 {
    let now = t.app.now();
    sqlx::query(
        "INSERT INTO merchants (id, name, status, created_at) VALUES (1, 'Agora', 'active', $1) ON CONFLICT DO NOTHING",
    )
    .bind(now)
    .execute(t.app.db.writer())
    .await
    .expect("merchant");
    sqlx::query(
        "INSERT INTO warehouses (code, name, priority, active, created_at) VALUES ('WH-MAIN', 'Main', 10, 1, $1) \
         ON CONFLICT DO NOTHING",
    )
    .bind(now)
    .execute(t.app.db.writer())
    .await
    .expect("warehouse");
    sqlx::query_scalar("SELECT id FROM warehouses WHERE code = 'WH-MAIN'")
        .fetch_one(t.app.db.reader())
        .await
        .expect("wh")
}

/// Creates a category, a listed product with zh-CN and en titles, one SKU (CNY) and its stock.
pub async fn sku(t: &TestApp, spec: SkuSpec) -> Sku {
    let wh = warehouse(t).await;
    let now = t.app.now();
    let tag = agora_app::crypto::random_code(10).to_lowercase();
    let category_id = exec(
        t,
        "INSERT INTO categories (path, slug, name_en, name_zh_cn, name_zh_tw, created_at, updated_at) \
         VALUES ('/', $1, 'Cat', '类', '類', $2, $2) RETURNING id",
        vec![S(format!("cat-{tag}")), I(now)],
    )
    .await;
    let product_id = exec(
        t,
        "INSERT INTO products (merchant_id, category_id, slug, status, currency, min_price, created_at, updated_at, listed_at) \
         VALUES (1, $1, $2, 'listed', 'CNY', $3, $4, $4, $4) RETURNING id",
        vec![I(category_id), S(format!("p-{tag}")), I(spec.price), I(now)],
    )
    .await;
    for (locale, title) in [("en", spec.title.to_string()), ("zh-CN", format!("{}（中文）", spec.title))] {
        sqlx::query("INSERT INTO product_texts (product_id, locale, title) VALUES ($1, $2, $3)")
            .bind(product_id)
            .bind(locale)
            .bind(title)
            .execute(t.app.db.writer())
            .await
            .expect("text");
    }
    let id = exec(
        t,
        "INSERT INTO skus (product_id, code, attrs, price, currency, weight_grams, created_at, updated_at) \
         VALUES ($1, $2, '{\"colour\":\"red\",\"size\":\"M\"}', $3, 'CNY', $4, $5, $5) RETURNING id",
        vec![I(product_id), S(format!("SKU-{tag}")), I(spec.price), I(spec.weight_grams), I(now)],
    )
    .await;
    sqlx::query("INSERT INTO stock (sku_id, warehouse_id, on_hand, reserved, updated_at) VALUES ($1, $2, $3, 0, $4)")
        .bind(id)
        .bind(wh)
        .bind(spec.stock)
        .bind(now)
        .execute(t.app.db.writer())
        .await
        .expect("stock");
    sqlx::query(
        "INSERT INTO stock_ledger (sku_id, warehouse_id, kind, on_hand_delta, reserved_delta, reason, created_at) \
         VALUES ($1, $2, 'inbound', $3, 0, 'test seed', $4)",
    )
    .bind(id)
    .bind(wh)
    .bind(spec.stock)
    .bind(now)
    .execute(t.app.db.writer())
    .await
    .expect("ledger");
    Sku { id, product_id, category_id }
}

/// Sets a product's status (e.g. 'delisted').
pub async fn set_product_status(t: &TestApp, product_id: i64, status: &str) {
    sqlx::query("UPDATE products SET status = $1 WHERE id = $2")
        .bind(status)
        .bind(product_id)
        .execute(t.app.db.writer())
        .await
        .expect("product status");
}

/// Changes a SKU's current price.
pub async fn set_price(t: &TestApp, sku_id: i64, price: i64) {
    sqlx::query("UPDATE skus SET price = $1 WHERE id = $2")
        .bind(price)
        .bind(sku_id)
        .execute(t.app.db.writer())
        .await
        .expect("price");
}

/// Creates one listed product with `n` SKUs (price 100 each, 10 units of stock each).
pub async fn many_skus(t: &TestApp, n: usize) -> Vec<i64> {
    let first = sku(t, SkuSpec::priced(100, 10)).await;
    let wh = warehouse(t).await;
    let now = t.app.now();
    let mut ids = vec![first.id];
    for i in 1..n {
        let id = exec(
            t,
            "INSERT INTO skus (product_id, code, attrs, price, currency, weight_grams, created_at, updated_at) \
             VALUES ($1, $2, '{}', 100, 'CNY', 0, $3, $3) RETURNING id",
            vec![I(first.product_id), S(format!("MANY-{}-{i}", first.id)), I(now)],
        )
        .await;
        sqlx::query(
            "INSERT INTO stock (sku_id, warehouse_id, on_hand, reserved, updated_at) VALUES ($1, $2, 10, 0, $3)",
        )
        .bind(id)
        .bind(wh)
        .bind(now)
        .execute(t.app.db.writer())
        .await
        .expect("stock");
        ids.push(id);
    }
    ids
}
