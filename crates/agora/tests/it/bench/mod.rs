//! `agora seed-bench`'s generator at a small scale: counts, the stock-ledger invariant,
//! media files, the catalog snapshot, shopper endpoints, a guest checkout, and refusal of a
//! database that already has data.

use agora_app::bench::{self, Params};
use agora_testkit::TestApp;
use serde_json::json;

both_backends!(seeds_a_small_bench_shop);

/// One product per leaf (500), 40 customers.
const SMALL: Params = Params { products_per_leaf: 1, customers: 40 };

async fn scalar(t: &TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(t.app.db.reader()).await.unwrap()
}

async fn seeds_a_small_bench_shop(t: &TestApp) {
    let revision = scalar(t, "SELECT CAST(value AS BIGINT) FROM app_settings WHERE key = 'catalog_revision'").await;
    let mut phases = Vec::new();
    let counts = bench::seed(&t.app, SMALL, &mut |p| phases.push((p.phase, p.done, p.total))).await.unwrap();
    assert!(phases.iter().any(|p| p.0 == "rows" && p.1 == p.2), "progress reaches the end");
    assert_eq!((counts.categories, counts.products, counts.customers), (555, 500, 40));
    assert_eq!(t.count("categories").await, 555);
    assert_eq!(t.count("products").await, 500);
    assert_eq!(t.count("customers").await, 40);
    let skus = t.count("skus").await;
    assert_eq!(skus, counts.skus as i64);
    assert!(skus > 500 && skus <= 2_000, "one SKU each, 2-4 for some: {skus}");
    assert_eq!(t.count("sku_prices").await, skus, "every SKU has its USD price");
    assert_eq!(scalar(t, "SELECT COUNT(*) FROM sku_prices WHERE currency <> 'USD'").await, 0);
    assert_eq!(t.count("product_images").await, counts.images as i64);
    assert_eq!(t.count("stock").await, skus);
    assert_eq!(scalar(t, "SELECT COUNT(*) FROM stock WHERE on_hand <> 1000 OR reserved <> 0").await, 0);
    // The ledger invariant: on_hand and reserved equal the sums of their ledger deltas.
    let broken = scalar(
        t,
        "SELECT COUNT(*) FROM stock s WHERE s.on_hand <> (SELECT COALESCE(CAST(SUM(l.on_hand_delta) AS BIGINT), 0) \
         FROM stock_ledger l WHERE l.sku_id = s.sku_id AND l.warehouse_id = s.warehouse_id) \
         OR s.reserved <> (SELECT COALESCE(CAST(SUM(l.reserved_delta) AS BIGINT), 0) FROM stock_ledger l \
         WHERE l.sku_id = s.sku_id AND l.warehouse_id = s.warehouse_id)",
    )
    .await;
    assert_eq!(broken, 0);
    assert_eq!(scalar(t, "SELECT COUNT(*) FROM products WHERE min_price <> (SELECT MIN(price) FROM skus WHERE product_id = products.id)").await, 0);
    assert_eq!(
        scalar(t, "SELECT COUNT(*) FROM product_texts WHERE locale = 'zh-CN'").await,
        250,
        "half the titles are Chinese"
    );
    assert!(scalar(t, "SELECT COUNT(*) FROM product_tags WHERE tag LIKE 'label:%'").await > 0);
    let later = scalar(t, "SELECT CAST(value AS BIGINT) FROM app_settings WHERE key = 'catalog_revision'").await;
    assert!(later > revision, "the catalog revision is bumped");
    let files: Vec<String> =
        sqlx::query_scalar("SELECT file_name FROM product_images").fetch_all(t.app.db.reader()).await.unwrap();
    for f in files.iter().take(50) {
        let bytes = std::fs::read(t.app.settings.media_dir().join(f)).unwrap();
        assert_eq!(format!("{}.png", agora_app::crypto::sha256_hex(&bytes)), *f, "content-hash name");
    }

    // The catalog snapshot loads everything, and the shopper endpoints answer.
    let snap = t.app.catalog.snapshot(&t.app.db).await.unwrap();
    assert_eq!(snap.products.len(), 500);
    let tree = t.client.get("/api/v1/categories", None).await;
    assert_eq!(tree.status, 200);
    let roots = tree.body.as_array().unwrap();
    assert_eq!(roots.len(), 5);
    assert!(roots.iter().all(|r| r["children"].as_array().unwrap().len() == 10 && r["image_url"].is_string()));
    let root = roots[0]["slug"].as_str().unwrap();
    let list = t.client.get(&format!("/api/v1/products?category={root}&limit=50"), None).await;
    assert_eq!(list.status, 200);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 50);
    assert!(items.iter().all(|i| i["breadcrumb"].as_array().unwrap().len() == 3 && i["image"].is_string()));
    assert!(items.iter().all(|i| i["thumb"] == i["image"]), "8×8 pictures are their own thumbnails");
    let second = roots[0]["children"][0]["slug"].as_str().unwrap();
    let facets = t.client.get(&format!("/api/v1/products?category={second}&limit=24&facets=color,size"), None).await;
    assert_eq!(facets.status, 200);
    assert!(facets.body["facets"]["color"].as_object().is_some_and(|m| !m.is_empty()));
    assert!(facets.body["facets"]["size"].as_object().is_some_and(|m| !m.is_empty()));
    let slug = items[0]["slug"].as_str().unwrap();
    let detail = t.client.get(&format!("/api/v1/products/{slug}"), None).await;
    assert_eq!(detail.status, 200);
    assert_eq!(detail.body["skus"][0]["available"], 1000);
    assert!(detail.body["attributes"]["material"].is_string());

    guest_checkout(t, detail.body["skus"][0]["id"].as_i64().unwrap()).await;

    // A second run refuses the database and writes nothing.
    let err = bench::seed(&t.app, SMALL, &mut |_| {}).await.unwrap_err();
    assert_eq!(err.code(), "database_not_empty");
    assert_eq!(t.count("products").await, 500);
    assert_eq!(t.count("customers").await, 40);
}

/// The guest checkout of workload B6 works on the seeded shop.
async fn guest_checkout(t: &TestApp, sku_id: i64) {
    let methods = t.client.get("/api/v1/shipping-methods", None).await;
    let method = methods.body.as_array().unwrap().iter().find(|m| m["code"] == bench::SHIPPING_CODE).unwrap();
    let cart = t.client.post("/api/v1/carts", &json!({}), None).await;
    assert_eq!(cart.status, 201);
    let token = cart.body["token"].as_str().unwrap();
    let base = format!("/api/v1/carts/{token}");
    assert_eq!(
        t.client.post(&format!("{base}/lines"), &json!({"sku_id": sku_id, "quantity": 1}), None).await.status,
        200
    );
    assert_eq!(t.client.put(&format!("{base}/email"), &json!({"email": "guest@bench.test"}), None).await.status, 200);
    let address = json!({"address": {"recipient": "Guest", "phone": "13800138000", "country": "CN", "city": "上海市", "line1": "南京西路 1 号"}});
    assert_eq!(t.client.put(&format!("{base}/address"), &address, None).await.status, 200);
    assert_eq!(t.client.put(&format!("{base}/shipping"), &json!({"method_id": method["id"]}), None).await.status, 200);
    let req = t
        .client
        .raw()
        .post(t.client.url("/api/v1/orders"))
        .header("idempotency-key", "bench-test")
        .json(&json!({"cart_token": token}));
    let placed = t.client.send(req).await;
    assert_eq!(placed.status, 201, "{}", placed.text);
    assert_eq!(placed.body["orders"][0]["status"], "pending_payment");
}
