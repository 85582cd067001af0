//! A rough in-process timing of the benchmark shapes on a 20,000-product shop (SQLite).
//! Ignored by default: `cargo test -p agora --test it catalog::perf -- --ignored --nocapture`.

use std::time::Instant;

use agora_app::catalog::detail;
use agora_app::catalog::listing::{self, ListingQuery};
use agora_domain::Locale;
use agora_testkit::TestApp;

const PRODUCTS: i64 = 20_000;

async fn seed(t: &TestApp) {
    let mut tx = t.app.db.begin().await.unwrap();
    let mut leaves = Vec::new();
    let mut id = 0i64;
    for r in 0..5 {
        id += 1;
        let root = id;
        sql_category(&mut tx, root, None, &format!("/{root}/"), &format!("root-{r}")).await;
        for c in 0..5 {
            id += 1;
            let child = id;
            sql_category(&mut tx, child, Some(root), &format!("/{root}/{child}/"), &format!("child-{r}-{c}")).await;
            for g in 0..4 {
                id += 1;
                sql_category(&mut tx, id, Some(child), &format!("/{root}/{child}/{id}/"), &format!("leaf-{r}-{c}-{g}"))
                    .await;
                leaves.push(id);
            }
        }
    }
    let colors = ["red", "blue", "green", "black", "white"];
    for p in 1..=PRODUCTS {
        let cat = leaves[(p as usize * 7) % leaves.len()];
        let price = 100 + (p * 37) % 10_000;
        sqlx::query(
            "INSERT INTO products (id, merchant_id, category_id, slug, status, currency, min_price, sales_count, created_at, updated_at, listed_at) \
             VALUES ($1, 1, $2, $3, 'listed', 'CNY', $4, $5, $6, $6, $6)",
        )
        .bind(p)
        .bind(cat)
        .bind(format!("product-{p}"))
        .bind(price)
        .bind(p % 97)
        .bind(1_000_000 + p)
        .execute(&mut *tx)
        .await
        .unwrap();
        for (locale, title) in [("en", format!("Product {p}")), ("zh-CN", format!("商品 {p}"))] {
            sqlx::query("INSERT INTO product_texts (product_id, locale, title, description) VALUES ($1, $2, $3, $4)")
                .bind(p)
                .bind(locale)
                .bind(title)
                .bind("A fine product. ".repeat(20))
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        sqlx::query("INSERT INTO product_tags (product_id, tag) VALUES ($1, $2)")
            .bind(p)
            .bind(if p % 3 == 0 { "sale" } else { "new" })
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("INSERT INTO product_images (product_id, file_name, content_type, position, created_at) VALUES ($1, $2, 'image/png', 0, 0)")
            .bind(p)
            .bind(format!("{:064x}.png", p))
            .execute(&mut *tx)
            .await
            .unwrap();
        for (k, color) in [colors[(p % 5) as usize], colors[((p + 2) % 5) as usize]].iter().enumerate() {
            for (j, size) in ["S", "M", "L"].iter().enumerate() {
                sqlx::query(
                    "INSERT INTO skus (product_id, code, attrs, price, currency, position, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, 'CNY', $5, 0, 0)",
                )
                .bind(p)
                .bind(format!("P{p}-{k}{j}"))
                .bind(format!("{{\"color\":\"{color}\",\"size\":\"{size}\"}}"))
                .bind(price)
                .bind((k * 3 + j) as i64)
                .execute(&mut *tx)
                .await
                .unwrap();
            }
        }
    }
    tx.commit().await.unwrap();
}

async fn sql_category(tx: &mut agora_app::Tx, id: i64, parent: Option<i64>, path: &str, slug: &str) {
    sqlx::query(
        "INSERT INTO categories (id, parent_id, path, slug, name_en, name_zh_cn, name_zh_tw, position, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4, $4, $4, 0, 0, 0)",
    )
    .bind(id)
    .bind(parent)
    .bind(path)
    .bind(slug)
    .execute(&mut **tx)
    .await
    .unwrap();
}

fn query(q: &str) -> ListingQuery {
    let pairs: Vec<(String, String)> = form_pairs(q);
    ListingQuery::parse(&pairs, None).unwrap()
}

fn form_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "timing run; needs a release build to be meaningful"]
async fn benchmark_shapes() {
    let t = TestApp::start(agora_app::Backend::Sqlite).await.unwrap();
    let started = Instant::now();
    seed(&t).await;
    println!("seeded {PRODUCTS} products in {:?}", started.elapsed());
    let started = Instant::now();
    t.app.catalog.snapshot(&t.app.db).await.unwrap();
    println!("snapshot built in {:?}", started.elapsed());
    let shapes = [
        ("B1 root category, 50", "category=root-0&limit=50"),
        (
            "B3 child + color + size, 24, facets",
            "category=child-0-1&attr.color=red&attr.size=M&limit=24&facets=color,size",
        ),
    ];
    for (name, q) in shapes {
        let q = query(q);
        let body = listing::list(&t.app, &q).await.unwrap();
        let n = 2000;
        let started = Instant::now();
        for _ in 0..n {
            std::hint::black_box(listing::list(&t.app, &q).await.unwrap());
        }
        println!("{name}: {:?}/call, {} bytes", started.elapsed() / n, body.len());
    }
    let started = Instant::now();
    t.app.catalog.invalidate_products(&[42], None);
    t.app.catalog.snapshot(&t.app.db).await.unwrap();
    println!("snapshot patched (one product) in {:?}", started.elapsed());
    let n = 5000;
    let started = Instant::now();
    for i in 0..n {
        let view = detail::detail(&t.app, &format!("product-{}", 1 + i % PRODUCTS as u32), Locale::En).await.unwrap();
        std::hint::black_box(serde_json::to_vec(&view).unwrap());
    }
    println!("B4 detail by slug: {:?}/call", started.elapsed() / n);
}
