//! Catalog SQL: bulk loaders (one query per table, never one per product) and the small
//! write helpers shared by the catalog's use cases.

use std::collections::{BTreeMap, HashMap};

use super::small_map::SmallMap;

use sqlx::AnyConnection;

use super::model::{Category, Image, ImageVariant, Names, Product, ProductText, Sku};
use super::variants;
use crate::db::Tx;
use crate::error::AppResult;

/// Which products a load covers.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// Every listed product (the shopper snapshot).
    Listed,
    /// One product, whatever its status.
    One(i64),
}

impl Scope {
    fn product_filter(self) -> &'static str {
        match self {
            Scope::Listed => "WHERE status = 'listed'",
            Scope::One(_) => "WHERE id = $1",
        }
    }

    fn child_filter(self) -> &'static str {
        match self {
            Scope::Listed => "WHERE product_id IN (SELECT id FROM products WHERE status = 'listed')",
            Scope::One(_) => "WHERE product_id = $1",
        }
    }

    fn bind<'q>(
        self,
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
        match self {
            Scope::Listed => q,
            Scope::One(id) => q.bind(id),
        }
    }
}

type CategoryRow = (i64, Option<i64>, String, String, String, String, String, Option<String>, i64, i64, i64);

/// Every category, ordered by parent then position.
pub async fn categories(conn: &mut AnyConnection) -> AppResult<Vec<Category>> {
    let rows: Vec<CategoryRow> = sqlx::query_as(
        "SELECT id, parent_id, path, slug, name_en, name_zh_cn, name_zh_tw, image_url, position, created_at, updated_at \
         FROM categories ORDER BY position, id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(category_of).collect())
}

/// One category by id (inside a transaction or not).
pub async fn category(conn: &mut AnyConnection, id: i64) -> AppResult<Option<Category>> {
    let row: Option<CategoryRow> = sqlx::query_as(
        "SELECT id, parent_id, path, slug, name_en, name_zh_cn, name_zh_tw, image_url, position, created_at, updated_at \
         FROM categories WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(category_of))
}

fn category_of(r: CategoryRow) -> Category {
    Category {
        id: r.0,
        parent_id: r.1,
        path: r.2,
        slug: r.3,
        names: Names { en: r.4, zh_cn: r.5, zh_tw: r.6 },
        image_url: r.7,
        position: r.8,
        created_at: r.9,
        updated_at: r.10,
    }
}

type ProductRow = (i64, i64, i64, String, String, Option<i64>, String, String, i64, i64, i64, i64, Option<i64>);
type SkuRow = (i64, i64, String, String, i64, Option<i64>, String, i64, String, i64, i64);
type ImageRow = (i64, i64, String, String, String, i64, i64, i64, i64, String, String);

async fn run<T>(conn: &mut AnyConnection, scope: Scope, sql: String) -> AppResult<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    use futures_util::TryStreamExt;
    // Row by row, not `fetch_all`: the catalog is loaded whole, and materialising every raw
    // row first would interleave them with the long-lived decoded values on the heap,
    // leaving it fragmented (tens of MB of RSS) once the raw rows are freed.
    let q = scope.bind(sqlx::query(sqlx::AssertSqlSafe(sql)));
    let mut rows = q.fetch(&mut *conn);
    let mut out = Vec::new();
    while let Some(row) = rows.try_next().await? {
        out.push(T::from_row(&row)?);
    }
    Ok(out)
}

/// Loads the products of `scope` with everything about them: six queries in all.
pub async fn products(conn: &mut AnyConnection, scope: Scope) -> AppResult<Vec<Product>> {
    let pf = scope.product_filter();
    let cf = scope.child_filter();
    let rows: Vec<ProductRow> = run(
        conn,
        scope,
        format!(
            "SELECT id, merchant_id, category_id, slug, status, publish_at, brand, currency, min_price, sales_count, \
             created_at, updated_at, listed_at FROM products {pf} ORDER BY id"
        ),
    )
    .await?;
    let mut products: Vec<Product> = rows.into_iter().map(product_of).collect();
    let index: HashMap<i64, usize> = products.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let texts: Vec<(i64, String, String, String, String)> =
        run(conn, scope, format!("SELECT product_id, locale, title, subtitle, description FROM product_texts {cf}"))
            .await?;
    for (pid, locale, title, subtitle, description) in texts {
        if let Some(&i) = index.get(&pid) {
            products[i].texts.insert(locale, ProductText { title, subtitle, description });
        }
    }
    let tags: Vec<(i64, String)> =
        run(conn, scope, format!("SELECT product_id, tag FROM product_tags {cf} ORDER BY tag")).await?;
    for (pid, tag) in tags {
        if let Some(&i) = index.get(&pid) {
            products[i].tags.push(tag);
        }
    }
    let attrs: Vec<(i64, String, String)> =
        run(conn, scope, format!("SELECT product_id, name, value FROM product_attributes {cf}")).await?;
    for (pid, name, value) in attrs {
        if let Some(&i) = index.get(&pid) {
            products[i].attributes.insert(name, value);
        }
    }
    let images: Vec<ImageRow> = run(
        conn,
        scope,
        format!(
            "SELECT id, product_id, file_name, content_type, alt, position, byte_size, width, height, thumb_file, \
             medium_file FROM product_images {cf} \
             ORDER BY position, id"
        ),
    )
    .await?;
    for r in images {
        if let Some(&i) = index.get(&r.1) {
            products[i].images.push(image_of(r));
        }
    }
    let skus: Vec<SkuRow> = run(
        conn,
        scope,
        format!(
            "SELECT id, product_id, code, attrs, price, list_price, currency, weight_grams, barcode, position, active \
             FROM skus {cf} ORDER BY position, id"
        ),
    )
    .await?;
    for r in skus {
        if let Some(&i) = index.get(&r.1) {
            products[i].skus.push(sku_of(r));
        }
    }
    Ok(products)
}

/// Loads one product, whatever its status.
pub async fn product(conn: &mut AnyConnection, id: i64) -> AppResult<Option<Product>> {
    Ok(products(conn, Scope::One(id)).await?.pop())
}

fn product_of(r: ProductRow) -> Product {
    Product {
        id: r.0,
        merchant_id: r.1,
        category_id: r.2,
        slug: r.3,
        status: r.4,
        publish_at: r.5,
        brand: r.6,
        currency: r.7,
        min_price: r.8,
        sales_count: r.9,
        created_at: r.10,
        updated_at: r.11,
        listed_at: r.12,
        texts: SmallMap::new(),
        tags: Vec::new(),
        attributes: SmallMap::new(),
        images: Vec::new(),
        skus: Vec::new(),
    }
}

fn sku_of(r: SkuRow) -> Sku {
    Sku {
        id: r.0,
        code: r.2,
        attrs: serde_json::from_str(&r.3).unwrap_or_default(),
        price: r.4,
        list_price: r.5,
        currency: r.6,
        weight_grams: r.7,
        barcode: r.8,
        position: r.9,
        active: r.10 != 0,
    }
}

fn image_of(r: ImageRow) -> Image {
    let (width, height) = (r.7, r.8);
    let variant = |file: &str, max: u32| {
        let file = if file.is_empty() { r.2.as_str() } else { file };
        let side = |v: i64| u32::try_from(v).unwrap_or(0);
        let (w, h) = variants::fit(side(width), side(height), max);
        ImageVariant { url: media_url(file), width: i64::from(w), height: i64::from(h) }
    };
    Image {
        id: r.0,
        url: media_url(&r.2),
        thumb: variant(&r.9, variants::THUMB),
        medium: variant(&r.10, variants::MEDIUM),
        content_type: r.3,
        alt: r.4,
        position: r.5,
        byte_size: r.6,
        width,
        height,
    }
}

/// Public URL of a stored media file.
pub fn media_url(file_name: &str) -> String {
    format!("/media/{file_name}")
}

/// Available units per SKU (on hand minus reserved, over every warehouse).
pub async fn availability(conn: &mut AnyConnection) -> AppResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT sku_id, CAST(SUM(on_hand - reserved) AS BIGINT) FROM stock GROUP BY sku_id")
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().collect())
}

/// `(id, sales_count)` of every listed product (the periodic sales re-sort reads this).
pub async fn sales_counts(conn: &mut AnyConnection) -> AppResult<Vec<(i64, i64)>> {
    Ok(sqlx::query_as("SELECT id, sales_count FROM products WHERE status = 'listed'").fetch_all(conn).await?)
}

/// The catalog revision: bumped by every catalog write, in the write's transaction.
pub async fn revision(conn: &mut AnyConnection) -> AppResult<i64> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM app_settings WHERE key = 'catalog_revision'")
        .fetch_optional(conn)
        .await?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Bumps the catalog revision so other processes refresh their snapshot; returns the new value.
pub async fn bump_revision(tx: &mut Tx) -> AppResult<Option<i64>> {
    let value: Option<String> = sqlx::query_scalar(
        "UPDATE app_settings SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'catalog_revision' \
         RETURNING value",
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(value.and_then(|v| v.parse().ok()))
}

/// Serialises category-tree writers (PostgreSQL row lock on the revision row, held to commit),
/// so concurrent moves cannot build a cycle or leave a stale `path`.
pub async fn lock_tree(tx: &mut Tx) -> AppResult<()> {
    sqlx::query("UPDATE app_settings SET value = value WHERE key = 'catalog_revision'").execute(&mut **tx).await?;
    Ok(())
}

/// Takes the product's row lock for the rest of the transaction, so concurrent SKU writers of
/// one product run one after the other (PostgreSQL; SQLite has a single writer anyway) and
/// `min_price` is computed from committed SKUs. Returns false when the product does not exist.
pub async fn lock_product(tx: &mut Tx, product_id: i64, now: i64) -> AppResult<bool> {
    let done = sqlx::query("UPDATE products SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(product_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(done == 1)
}

/// Recomputes `products.min_price` from the product's active SKUs.
pub async fn sync_min_price(tx: &mut Tx, product_id: i64, now: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE products SET min_price = COALESCE((SELECT MIN(price) FROM skus WHERE product_id = $1 AND active = 1), 0), \
         updated_at = $2 WHERE id = $1",
    )
    .bind(product_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Replaces a product's texts, tags and attributes.
pub async fn write_details(
    tx: &mut Tx,
    product_id: i64,
    texts: Option<&BTreeMap<String, ProductText>>,
    tags: Option<&[String]>,
    attributes: Option<&BTreeMap<String, String>>,
) -> AppResult<()> {
    if let Some(texts) = texts {
        sqlx::query("DELETE FROM product_texts WHERE product_id = $1").bind(product_id).execute(&mut **tx).await?;
        for (locale, t) in texts {
            sqlx::query(
                "INSERT INTO product_texts (product_id, locale, title, subtitle, description) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(product_id)
            .bind(locale)
            .bind(&t.title)
            .bind(&t.subtitle)
            .bind(&t.description)
            .execute(&mut **tx)
            .await?;
        }
    }
    if let Some(tags) = tags {
        sqlx::query("DELETE FROM product_tags WHERE product_id = $1").bind(product_id).execute(&mut **tx).await?;
        for tag in tags {
            sqlx::query("INSERT INTO product_tags (product_id, tag) VALUES ($1, $2)")
                .bind(product_id)
                .bind(tag)
                .execute(&mut **tx)
                .await?;
        }
    }
    if let Some(attributes) = attributes {
        sqlx::query("DELETE FROM product_attributes WHERE product_id = $1").bind(product_id).execute(&mut **tx).await?;
        for (name, value) in attributes {
            sqlx::query("INSERT INTO product_attributes (product_id, name, value) VALUES ($1, $2, $3)")
                .bind(product_id)
                .bind(name)
                .bind(value)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}
