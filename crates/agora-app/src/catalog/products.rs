//! Product administration: create, update, staff reads.

use std::collections::BTreeMap;

use agora_domain::{Currency, Locale, Slug};
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{Product, ProductSummary, ProductText};
use super::skus::{self, Matrix};
use super::{DEFAULT_MERCHANT_ID, Errors, Touched, commit, store};
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult, unique_violation};
use crate::page::{self, Page};
use crate::{App, Tx};

pub const TITLE_MAX: usize = 200;
pub const SUBTITLE_MAX: usize = 300;
pub const DESCRIPTION_MAX: usize = 20_000;
pub const TAGS_MAX: usize = 30;
pub const TAG_MAX: usize = 40;
const BRAND_MAX: usize = 100;
const ATTRS_MAX: usize = 50;
const ATTR_NAME_MAX: usize = 40;
const ATTR_VALUE_MAX: usize = 200;

/// The text of one locale.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextInput {
    pub title: String,
    #[serde(default)]
    pub subtitle: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProduct {
    pub category_id: i64,
    /// Derived from the English (else Chinese) title when absent.
    pub slug: Option<String>,
    #[serde(default)]
    pub brand: String,
    /// Texts keyed by locale (`en`, `zh-CN`, `zh-TW`); an `en` or `zh-CN` title is required.
    pub texts: BTreeMap<String, TextInput>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Defaults to the shop currency.
    pub currency: Option<String>,
    /// SKUs to build from attribute axes right away.
    pub sku_matrix: Option<Matrix>,
}

/// A partial update; `texts`, `tags` and `attributes` replace the whole set when present.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductPatch {
    pub category_id: Option<i64>,
    pub slug: Option<String>,
    pub brand: Option<String>,
    pub texts: Option<BTreeMap<String, TextInput>>,
    pub tags: Option<Vec<String>>,
    pub attributes: Option<BTreeMap<String, String>>,
    pub currency: Option<String>,
}

fn check_texts(e: &mut Errors, input: &BTreeMap<String, TextInput>) -> BTreeMap<String, ProductText> {
    let mut out = BTreeMap::new();
    for (raw, t) in input {
        let Ok(locale) = Locale::parse(raw) else {
            e.add(format!("texts.{raw}"), "locale must be one of en, zh-CN, zh-TW");
            continue;
        };
        let key = locale.as_str().to_string();
        let title = t.title.trim().to_string();
        if title.is_empty() {
            e.add(format!("texts.{key}.title"), "must not be empty");
        }
        e.max_chars(&format!("texts.{key}.title"), &title, TITLE_MAX);
        e.max_chars(&format!("texts.{key}.subtitle"), &t.subtitle, SUBTITLE_MAX);
        e.max_chars(&format!("texts.{key}.description"), &t.description, DESCRIPTION_MAX);
        let text = ProductText { title, subtitle: t.subtitle.trim().to_string(), description: t.description.clone() };
        if out.insert(key.clone(), text).is_some() {
            e.add(format!("texts.{key}"), "locale given twice");
        }
    }
    if !out.contains_key("en") && !out.contains_key("zh-CN") {
        e.add("texts", "an en or zh-CN title is required");
    }
    out
}

fn check_tags(e: &mut Errors, input: &[String]) -> Vec<String> {
    if input.len() > TAGS_MAX {
        e.add("tags", format!("at most {TAGS_MAX} tags"));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, tag) in input.iter().enumerate() {
        let tag = tag.trim();
        if tag.is_empty() {
            e.add(format!("tags[{i}]"), "must not be empty");
        }
        e.max_chars(&format!("tags[{i}]"), tag, TAG_MAX);
        if !out.iter().any(|t| t == tag) {
            out.push(tag.to_string());
        }
    }
    out
}

fn check_attributes(e: &mut Errors, input: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    if input.len() > ATTRS_MAX {
        e.add("attributes", format!("at most {ATTRS_MAX} attributes"));
    }
    let mut out = BTreeMap::new();
    for (name, value) in input {
        let n = name.trim();
        if n.is_empty() {
            e.add("attributes", "attribute names must not be empty");
        }
        e.max_chars(&format!("attributes.{n}"), n, ATTR_NAME_MAX);
        e.max_chars(&format!("attributes.{n}"), value.trim(), ATTR_VALUE_MAX);
        out.insert(n.to_string(), value.trim().to_string());
    }
    out
}

fn check_currency(e: &mut Errors, raw: Option<&str>, default: Currency) -> Currency {
    match raw.map(Currency::parse) {
        None => default,
        Some(Ok(c)) => c,
        Some(Err(err)) => {
            e.add("currency", err.to_string());
            default
        }
    }
}

fn check_slug(e: &mut Errors, raw: &str) -> String {
    if let Err(err) = Slug::parse(raw) {
        e.add("slug", err.to_string());
    }
    raw.to_string()
}

fn auto_slug(texts: &BTreeMap<String, ProductText>) -> String {
    let title = texts.get("en").or_else(|| texts.get("zh-CN")).map_or("", |t| t.title.as_str());
    Slug::from_title(title).as_str().to_string()
}

async fn ensure_category(tx: &mut Tx, id: i64) -> AppResult<()> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM categories WHERE id = $1").bind(id).fetch_optional(&mut **tx).await?;
    found.map(|_| ()).ok_or_else(|| AppError::invalid("category_id", "unknown category"))
}

fn slug_taken(e: sqlx::Error) -> AppError {
    unique_violation(e, "slug_taken", "another product already uses this slug")
}

pub(crate) async fn load(tx: &mut Tx, id: i64) -> AppResult<Product> {
    store::product(tx, id).await?.ok_or_else(|| AppError::not_found("product"))
}

/// Takes the product's row lock, then loads it: the "before" of every product write, so
/// concurrent writers of one product run one after the other.
pub(crate) async fn load_locked(tx: &mut Tx, id: i64, now: i64) -> AppResult<Product> {
    store::lock_product(tx, id, now).await?;
    load(tx, id).await
}

/// Creates a draft product, optionally with its SKU matrix (audited).
pub async fn create(app: &App, actor: &Actor, input: &NewProduct) -> AppResult<Product> {
    let mut e = Errors::default();
    let texts = check_texts(&mut e, &input.texts);
    let tags = check_tags(&mut e, &input.tags);
    let attributes = check_attributes(&mut e, &input.attributes);
    let currency = check_currency(&mut e, input.currency.as_deref(), app.settings.currency);
    let slug = match &input.slug {
        Some(s) => check_slug(&mut e, s),
        None => auto_slug(&texts),
    };
    let brand = input.brand.trim().to_string();
    e.max_chars("brand", &brand, BRAND_MAX);
    let combos = input.sku_matrix.as_ref().map(|m| skus::check_matrix(&mut e, m, "sku_matrix."));
    e.finish()?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    ensure_category(&mut tx, input.category_id).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO products (merchant_id, category_id, slug, status, brand, currency, created_at, updated_at) \
         VALUES ($1, $2, $3, 'draft', $4, $5, $6, $6) RETURNING id",
    )
    .bind(DEFAULT_MERCHANT_ID)
    .bind(input.category_id)
    .bind(&slug)
    .bind(&brand)
    .bind(currency.as_str())
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(slug_taken)?;
    store::write_details(&mut tx, id, Some(&texts), Some(&tags), Some(&attributes)).await?;
    if let (Some(m), Some(combos)) = (&input.sku_matrix, combos) {
        skus::insert_matrix(&mut tx, id, currency.as_str(), m, &combos, now).await?;
    }
    store::sync_min_price(&mut tx, id, now).await?;
    let created = load(&mut tx, id).await?;
    let change = Change {
        action: "product.create",
        entity: "product",
        entity_id: id.to_string(),
        before: None,
        after: audit::snapshot(&created),
    };
    audit::record(&mut tx, now, actor, change).await?;
    commit(app, tx, Touched::Products(&[id])).await?;
    Ok(created)
}

/// Updates a product's descriptive fields (audited).
pub async fn update(app: &App, actor: &Actor, id: i64, patch: &ProductPatch) -> AppResult<Product> {
    let mut e = Errors::default();
    let texts = patch.texts.as_ref().map(|t| check_texts(&mut e, t));
    let tags = patch.tags.as_ref().map(|t| check_tags(&mut e, t));
    let attributes = patch.attributes.as_ref().map(|a| check_attributes(&mut e, a));
    let currency = patch.currency.as_deref().map(|c| check_currency(&mut e, Some(c), app.settings.currency));
    let slug = patch.slug.as_deref().map(|s| check_slug(&mut e, s));
    let brand = patch.brand.as_deref().map(str::trim);
    if let Some(b) = brand {
        e.max_chars("brand", b, BRAND_MAX);
    }
    e.finish()?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = load_locked(&mut tx, id, now).await?;
    if let Some(cid) = patch.category_id {
        ensure_category(&mut tx, cid).await?;
    }
    let currency = currency.map_or(before.currency.clone(), |c| c.as_str().to_string());
    if currency != before.currency && !before.skus.is_empty() {
        return Err(AppError::conflict("currency_locked", "the currency cannot change once the product has SKUs"));
    }
    sqlx::query(
        "UPDATE products SET category_id = $1, slug = $2, brand = $3, currency = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(patch.category_id.unwrap_or(before.category_id))
    .bind(slug.as_deref().unwrap_or(&before.slug))
    .bind(brand.unwrap_or(&before.brand))
    .bind(&currency)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(slug_taken)?;
    store::write_details(&mut tx, id, texts.as_ref(), tags.as_deref(), attributes.as_ref()).await?;
    let after = load(&mut tx, id).await?;
    let change = Change {
        action: "product.update",
        entity: "product",
        entity_id: id.to_string(),
        before: audit::snapshot(&before),
        after: audit::snapshot(&after),
    };
    audit::record(&mut tx, now, actor, change).await?;
    commit(app, tx, Touched::Products(&[id])).await?;
    Ok(after)
}

/// One product as staff see it, whatever its status.
pub async fn get(app: &App, id: i64) -> AppResult<Product> {
    let mut conn = app.db.reader().acquire().await?;
    store::product(&mut conn, id).await?.ok_or_else(|| AppError::not_found("product"))
}

/// Filters for the staff product list.
#[derive(Debug, Clone, Default)]
pub struct AdminQuery {
    pub status: Option<String>,
    /// Substring of a title in any locale (case-insensitive for ASCII).
    pub q: Option<String>,
    pub category_id: Option<i64>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

const STATUSES: [&str; 4] = ["draft", "scheduled", "listed", "delisted"];

type SummaryRow = (i64, String, String, String, i64, i64, String, Option<i64>, i64, Option<String>);

/// The staff product list, newest first.
pub async fn admin_list(app: &App, q: &AdminQuery) -> AppResult<Page<ProductSummary>> {
    let limit = page::limit(q.limit)?;
    if let Some(s) = &q.status
        && !STATUSES.contains(&s.as_str())
    {
        return Err(AppError::invalid("status", "must be one of draft, scheduled, listed, delisted"));
    }
    let before = match &q.cursor {
        Some(c) => page::decode_cursor(c, 1)?[0],
        None => i64::MAX,
    };
    let pattern = q.q.as_deref().map(|s| {
        let escaped = s.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%{escaped}%")
    });
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT p.id, p.slug, p.status, COALESCE((SELECT t.title FROM product_texts t WHERE t.product_id = p.id \
           ORDER BY CASE t.locale WHEN 'en' THEN 0 WHEN 'zh-CN' THEN 1 ELSE 2 END LIMIT 1), ''), \
         p.category_id, p.min_price, p.currency, p.publish_at, p.updated_at, \
         (SELECT CASE WHEN i.thumb_file = '' THEN i.file_name ELSE i.thumb_file END FROM product_images i \
           WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1) FROM products p \
         WHERE p.id < $1 AND ($2 IS NULL OR p.status = $2) AND ($3 IS NULL OR p.category_id = $3) \
         AND ($4 IS NULL OR EXISTS (SELECT 1 FROM product_texts t2 WHERE t2.product_id = p.id \
           AND LOWER(t2.title) LIKE $4 ESCAPE '\\')) \
         ORDER BY p.id DESC LIMIT $5",
    )
    .bind(before)
    .bind(q.status.as_deref())
    .bind(q.category_id)
    .bind(pattern.as_deref())
    .bind(limit + 1)
    .fetch_all(app.db.reader())
    .await?;
    let items = rows
        .into_iter()
        .map(|r| ProductSummary {
            id: r.0,
            slug: r.1,
            status: r.2,
            title: r.3,
            category_id: r.4,
            min_price: r.5,
            currency: r.6,
            publish_at: r.7,
            updated_at: r.8,
            thumb: r.9.as_deref().map(super::store::media_url),
        })
        .collect();
    Ok(page::paginate(items, limit, |p| vec![p.id]))
}
