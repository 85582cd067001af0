//! The `bench-20k` benchmark shop of `shared/BENCHMARKS.md`, generated deterministically
//! (fixed seed) into an empty database by `agora seed-bench`.
//!
//! Unlike the demo shop (which goes through the use cases), this writes the schema directly
//! with bulk multi-row INSERTs in one transaction, so 20,000 products load in seconds. It
//! writes exactly what the catalog and inventory code expect:
//!
//! - 5 roots × 10 children × 10 grandchildren categories (`path` = `/1/6/56/`), each with a
//!   cover image; `params.products_per_leaf` products in every leaf (40 for bench-20k);
//! - products listed, owned by merchant 1, in CNY; half have an English title and half a
//!   Chinese one (`product_texts` in `en` or `zh-CN`), with subtitle, brand, a markdown
//!   description of 10–1,000 characters, 1–5 tags, 0–2 **labels stored as tags with the
//!   `label:` prefix** (e.g. `label:hot`), and a `material` attribute;
//! - one SKU each, 2–4 for one product in ten, with `color` (12 names) and `size` (1–10)
//!   as SKU axes in `skus.attrs`, the CNY price on the SKU and the USD price in
//!   `sku_prices` (migration 0006); `products.min_price` is the cheapest SKU;
//! - 1–3 product images: distinct 8×8 PNGs written to the media folder under their
//!   SHA-256 content-hash names, as uploads are; they are smaller than the thumbnail, so
//!   (as for any small upload) the original is its own thumbnail and medium variant;
//! - 1,000 units per SKU in one warehouse, each with its `inbound` ledger row, so
//!   `on_hand = Σ on_hand_delta` holds;
//! - `params.customers` customers (10,000) sharing ONE precomputed argon2 hash of
//!   [`CUSTOMER_PASSWORD`] — hashing 10,000 passwords one by one would take minutes;
//! - a flat-rate shipping method for guest checkout (`bench-standard`);
//! - the catalog revision bumped, so running servers reload.
//!
//! TODO(analytics): the benchmark's analytics data — 1,000,000 behaviour events and
//! 100,000 orders over 365 days with weekly seasonality (workload B8) — is generated here
//! once the analytics feature defines where events and historic orders live.

mod insert;
mod png;
mod shop;
mod words;

use agora_domain::ShippingRule;

use crate::error::{AppError, AppResult};
use crate::{App, Backend, cart};

/// The fixed seed: every run produces the same shop.
pub const SEED: u64 = 200_002_026;
/// Timestamp of the generated rows (2026-01-01T00:00:00Z); products are a second apart.
pub const BASE_TIME_MS: i64 = 1_767_225_600_000;
/// Password of every benchmark customer (customer00001@bench.agora.shop …).
pub const CUSTOMER_PASSWORD: &str = "agora-bench-customer";
/// Code of the guest-checkout shipping method.
pub const SHIPPING_CODE: &str = "bench-standard";

/// The size of the generated shop.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub products_per_leaf: usize,
    pub customers: usize,
}

impl Params {
    /// `bench-20k`: 40 products in each of the 500 leaves, 10,000 customers.
    pub const BENCH_20K: Params = Params { products_per_leaf: 40, customers: 10_000 };
}

/// What was created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub categories: usize,
    pub products: usize,
    pub skus: usize,
    pub images: usize,
    pub customers: usize,
}

/// Progress of a phase, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub phase: &'static str,
    pub done: u64,
    pub total: u64,
}

/// Tables that must be empty before seeding (anything a shop's use would fill).
const MUST_BE_EMPTY: [&str; 7] = ["categories", "products", "customers", "staff", "orders", "warehouses", "carts"];

/// Refuses a database that already holds a shop.
async fn ensure_empty(app: &App) -> AppResult<()> {
    for table in MUST_BE_EMPTY {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(app.db.reader()).await?;
        if n > 0 {
            return Err(AppError::conflict(
                "database_not_empty",
                format!(
                    "the database already has data ({table}: {n} rows); seed into a fresh data folder or an empty database"
                ),
            ));
        }
    }
    Ok(())
}

/// Writes the media files (identical content shares one file, as uploads do).
async fn write_files(app: &App, files: Vec<(String, Vec<u8>)>, progress: &mut dyn FnMut(Progress)) -> AppResult<()> {
    let dir = app.settings.media_dir();
    let total = files.len() as u64;
    let mut done = 0;
    for batch in files.chunks(2_000) {
        let batch = batch.to_vec();
        let dir = dir.clone();
        let n = batch.len() as u64;
        let write = move || -> std::io::Result<()> {
            std::fs::create_dir_all(&dir)?;
            for (name, bytes) in batch {
                let path = dir.join(name);
                if !path.exists() {
                    std::fs::write(path, bytes)?;
                }
            }
            Ok(())
        };
        tokio::task::spawn_blocking(write)
            .await
            .map_err(|e| AppError::Internal(format!("writing media: {e}")))?
            .map_err(|e| AppError::Internal(format!("writing media: {e}")))?;
        done += n;
        progress(Progress { phase: "images", done, total });
    }
    Ok(())
}

/// PostgreSQL identity columns do not advance for explicit ids: move them past the seed.
async fn advance_identities(tx: &mut crate::Tx) -> AppResult<()> {
    for table in ["warehouses", "categories", "products", "product_images", "skus", "customers"] {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Generates the shop of `params` into the (empty) database and media folder of `app`.
pub async fn seed(app: &App, params: Params, progress: &mut dyn FnMut(Progress)) -> AppResult<Counts> {
    ensure_empty(app).await?;
    let hash = crate::auth::hash_password_blocking(CUSTOMER_PASSWORD.to_string()).await?;
    let generated = tokio::task::spawn_blocking(move || shop::generate(&params, SEED, &hash))
        .await
        .map_err(|e| AppError::Internal(format!("generating the shop: {e}")))?;
    write_files(app, generated.files, progress).await?;
    let total: u64 = generated.tables.iter().map(|t| t.rows.len() as u64).sum();
    let mut done = 0;
    let mut tx = app.db.begin().await?;
    for table in &generated.tables {
        let mut step = |n: u64| {
            done += n;
            progress(Progress { phase: "rows", done, total });
        };
        table.insert(&mut tx, &mut step).await?;
    }
    if app.db.backend() == Backend::Postgres {
        advance_identities(&mut tx).await?;
    }
    crate::catalog::store::bump_revision(&mut tx).await?;
    tx.commit().await?;
    app.catalog.invalidate();
    let method = cart::NewShippingMethod {
        code: SHIPPING_CODE.into(),
        name: "Standard delivery 标准快递".into(),
        rule: ShippingRule::Flat { fee: 1_000 },
        active: true,
        position: 0,
    };
    cart::create_shipping_method(app, &method, None).await?;
    Ok(generated.counts)
}
