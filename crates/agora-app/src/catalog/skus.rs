//! SKUs: built from attribute axes, edited, added and removed one by one. Every change keeps
//! `products.min_price` in sync.

use std::collections::BTreeMap;

use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{Product, Sku};
use super::{Errors, Touched, commit, double_option, products, store};
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult, unique_violation};
use crate::{App, Tx};

const MAX_COMBINATIONS: usize = 500;
const AXIS_NAME_MAX: usize = 40;
const AXIS_VALUE_MAX: usize = 100;
const CODE_MAX: usize = 64;
const BARCODE_MAX: usize = 64;

/// Attribute axes and the price every generated SKU starts with.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Matrix {
    /// E.g. `{"color": ["red", "blue"], "size": ["S", "M"]}` → 4 SKUs.
    pub axes: BTreeMap<String, Vec<String>>,
    /// Default price in minor units.
    pub price: i64,
    pub list_price: Option<i64>,
    #[serde(default)]
    pub weight_grams: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSku {
    /// Generated when absent.
    pub code: Option<String>,
    #[serde(default)]
    pub attrs: BTreeMap<String, String>,
    pub price: i64,
    pub list_price: Option<i64>,
    #[serde(default)]
    pub weight_grams: i64,
    #[serde(default)]
    pub barcode: String,
}

/// A partial SKU update; `list_price: null` clears the list price.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkuPatch {
    pub price: Option<i64>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub list_price: Option<Option<i64>>,
    pub weight_grams: Option<i64>,
    pub barcode: Option<String>,
    pub active: Option<bool>,
}

fn check_prices(e: &mut Errors, prefix: &str, price: i64, list_price: Option<i64>) {
    if price < 0 {
        e.add(format!("{prefix}price"), "must be at least 0");
    }
    if let Some(lp) = list_price
        && lp < price
    {
        e.add(format!("{prefix}list_price"), "must be at least the price");
    }
}

fn check_attrs(e: &mut Errors, field: &str, name: &str, value: &str) {
    if name.trim().is_empty() || name.chars().count() > AXIS_NAME_MAX {
        e.add(field, format!("attribute names must be 1 to {AXIS_NAME_MAX} characters"));
    }
    if value.trim().is_empty() || value.chars().count() > AXIS_VALUE_MAX {
        e.add(format!("{field}.{name}"), format!("values must be 1 to {AXIS_VALUE_MAX} characters"));
    }
}

/// Validates a matrix and returns every combination of its axes.
pub(crate) fn check_matrix(e: &mut Errors, m: &Matrix, prefix: &str) -> Vec<BTreeMap<String, String>> {
    check_prices(e, prefix, m.price, m.list_price);
    if m.weight_grams < 0 {
        e.add(format!("{prefix}weight_grams"), "must be at least 0");
    }
    let mut combos: Vec<BTreeMap<String, String>> = vec![BTreeMap::new()];
    for (name, values) in &m.axes {
        let field = format!("{prefix}axes");
        if values.is_empty() {
            e.add(format!("{field}.{name}"), "must list at least one value");
        }
        let mut seen: Vec<&str> = Vec::new();
        for v in values {
            check_attrs(e, &field, name, v);
            if seen.contains(&v.trim()) {
                e.add(format!("{field}.{name}"), "values must be distinct");
            }
            seen.push(v.trim());
        }
        if combos.len().saturating_mul(values.len().max(1)) > MAX_COMBINATIONS {
            e.add(field, format!("at most {MAX_COMBINATIONS} combinations"));
            return Vec::new();
        }
        combos = combos
            .into_iter()
            .flat_map(|c| {
                seen.iter().map(move |v| {
                    let mut c = c.clone();
                    c.insert(name.trim().to_string(), v.to_string());
                    c
                })
            })
            .collect();
    }
    combos
}

struct Insert<'a> {
    product_id: i64,
    code: Option<&'a str>,
    attrs: &'a BTreeMap<String, String>,
    price: i64,
    list_price: Option<i64>,
    currency: &'a str,
    weight_grams: i64,
    barcode: &'a str,
}

async fn next_position(tx: &mut Tx, product_id: i64) -> AppResult<i64> {
    let max: Option<i64> = sqlx::query_scalar("SELECT MAX(position) FROM skus WHERE product_id = $1")
        .bind(product_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(max.map_or(1, |m| m + 1))
}

async fn insert(tx: &mut Tx, s: Insert<'_>, now: i64) -> AppResult<i64> {
    let position = next_position(tx, s.product_id).await?;
    let code = s.code.map_or_else(|| format!("P{}-{position}", s.product_id), str::to_string);
    let attrs = serde_json::to_string(s.attrs).map_err(|e| AppError::Internal(e.to_string()))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO skus (product_id, code, attrs, price, list_price, currency, weight_grams, barcode, position, active, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) RETURNING id",
    )
    .bind(s.product_id)
    .bind(code)
    .bind(attrs)
    .bind(s.price)
    .bind(s.list_price)
    .bind(s.currency)
    .bind(s.weight_grams)
    .bind(s.barcode)
    .bind(position)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| unique_violation(e, "sku_code_taken", "another SKU already uses this code"))?;
    Ok(id)
}

/// Inserts the combinations the product does not have yet.
pub(crate) async fn insert_matrix(
    tx: &mut Tx,
    product_id: i64,
    currency: &str,
    m: &Matrix,
    combos: &[BTreeMap<String, String>],
    now: i64,
) -> AppResult<()> {
    let existing: Vec<String> = sqlx::query_scalar("SELECT attrs FROM skus WHERE product_id = $1")
        .bind(product_id)
        .fetch_all(&mut **tx)
        .await?;
    let existing: Vec<BTreeMap<String, String>> =
        existing.iter().filter_map(|a| serde_json::from_str(a).ok()).collect();
    for attrs in combos.iter().filter(|c| !existing.contains(c)) {
        let s = Insert {
            product_id,
            code: None,
            attrs,
            price: m.price,
            list_price: m.list_price,
            currency,
            weight_grams: m.weight_grams,
            barcode: "",
        };
        insert(tx, s, now).await?;
    }
    Ok(())
}

async fn audited(app: &App, actor: &Actor, mut tx: Tx, action: &str, before: Product) -> AppResult<Product> {
    let now = app.now();
    store::sync_min_price(&mut tx, before.id, now).await?;
    let after = products::load(&mut tx, before.id).await?;
    let change = Change {
        action,
        entity: "product",
        entity_id: before.id.to_string(),
        before: audit::snapshot(&before),
        after: audit::snapshot(&after),
    };
    audit::record(&mut tx, now, actor, change).await?;
    commit(app, tx, Touched::Products(&[before.id])).await?;
    Ok(after)
}

/// Builds the SKUs of every axis combination the product lacks (audited).
pub async fn generate(app: &App, actor: &Actor, product_id: i64, m: &Matrix) -> AppResult<Product> {
    let mut e = Errors::default();
    let combos = check_matrix(&mut e, m, "");
    e.finish()?;
    let mut tx = app.db.begin().await?;
    let before = products::load_locked(&mut tx, product_id, app.now()).await?;
    insert_matrix(&mut tx, product_id, &before.currency, m, &combos, app.now()).await?;
    audited(app, actor, tx, "product.skus_generate", before).await
}

/// Adds one SKU (audited).
pub async fn add(app: &App, actor: &Actor, product_id: i64, input: &NewSku) -> AppResult<Product> {
    let mut e = Errors::default();
    check_prices(&mut e, "", input.price, input.list_price);
    if let Some(code) = &input.code
        && (code.trim().is_empty() || code.chars().count() > CODE_MAX)
    {
        e.add("code", format!("must be 1 to {CODE_MAX} characters"));
    }
    for (name, value) in &input.attrs {
        check_attrs(&mut e, "attrs", name, value);
    }
    if input.weight_grams < 0 {
        e.add("weight_grams", "must be at least 0");
    }
    e.max_chars("barcode", &input.barcode, BARCODE_MAX);
    e.finish()?;
    let mut tx = app.db.begin().await?;
    let before = products::load_locked(&mut tx, product_id, app.now()).await?;
    if before.skus.iter().any(|s| s.attrs.iter().eq(input.attrs.iter())) {
        return Err(AppError::conflict("sku_exists", "the product already has a SKU with these attributes"));
    }
    let s = Insert {
        product_id,
        code: input.code.as_deref().map(str::trim),
        attrs: &input.attrs,
        price: input.price,
        list_price: input.list_price,
        currency: &before.currency,
        weight_grams: input.weight_grams,
        barcode: input.barcode.trim(),
    };
    insert(&mut tx, s, app.now()).await?;
    audited(app, actor, tx, "product.sku_add", before).await
}

/// The product of a SKU, loaded after taking the product's row lock.
async fn product_of_sku(tx: &mut Tx, sku_id: i64, now: i64) -> AppResult<Product> {
    let pid: Option<i64> =
        sqlx::query_scalar("SELECT product_id FROM skus WHERE id = $1").bind(sku_id).fetch_optional(&mut **tx).await?;
    products::load_locked(tx, pid.ok_or_else(|| AppError::not_found("sku"))?, now).await
}

fn find(product: &Product, sku_id: i64) -> AppResult<&Sku> {
    product.skus.iter().find(|s| s.id == sku_id).ok_or_else(|| AppError::not_found("sku"))
}

/// Updates one SKU's price, list price, weight, barcode or active flag (audited).
pub async fn update(app: &App, actor: &Actor, sku_id: i64, patch: &SkuPatch) -> AppResult<Product> {
    let mut e = Errors::default();
    if patch.price.is_some_and(|p| p < 0) {
        e.add("price", "must be at least 0");
    }
    if patch.weight_grams.is_some_and(|w| w < 0) {
        e.add("weight_grams", "must be at least 0");
    }
    if let Some(b) = &patch.barcode {
        e.max_chars("barcode", b, BARCODE_MAX);
    }
    e.finish()?;
    let mut tx = app.db.begin().await?;
    let before = product_of_sku(&mut tx, sku_id, app.now()).await?;
    let sku = find(&before, sku_id)?;
    let price = patch.price.unwrap_or(sku.price);
    let list_price = patch.list_price.unwrap_or(sku.list_price);
    let mut e = Errors::default();
    check_prices(&mut e, "", price, list_price);
    e.finish()?;
    sqlx::query(
        "UPDATE skus SET price = $1, list_price = $2, weight_grams = $3, barcode = $4, active = $5, updated_at = $6 \
         WHERE id = $7",
    )
    .bind(price)
    .bind(list_price)
    .bind(patch.weight_grams.unwrap_or(sku.weight_grams))
    .bind(patch.barcode.as_deref().map_or(sku.barcode.as_str(), str::trim))
    .bind(i64::from(patch.active.unwrap_or(sku.active)))
    .bind(app.now())
    .bind(sku_id)
    .execute(&mut *tx)
    .await?;
    audited(app, actor, tx, "product.sku_update", before).await
}

/// Removes a SKU no cart or order refers to (audited); otherwise 409 (deactivate it instead).
pub async fn remove(app: &App, actor: &Actor, sku_id: i64) -> AppResult<Product> {
    let mut tx = app.db.begin().await?;
    let before = product_of_sku(&mut tx, sku_id, app.now()).await?;
    let used: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM cart_lines WHERE sku_id = $1) + (SELECT COUNT(*) FROM order_lines WHERE sku_id = $1)",
    )
    .bind(sku_id)
    .fetch_one(&mut *tx)
    .await?;
    if used > 0 {
        return Err(AppError::conflict("sku_in_use", "carts or orders refer to this SKU; deactivate it instead"));
    }
    sqlx::query("DELETE FROM skus WHERE id = $1").bind(sku_id).execute(&mut *tx).await?;
    audited(app, actor, tx, "product.sku_remove", before).await
}
