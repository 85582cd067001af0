//! Product detail for shoppers, from the snapshot plus live availability.

use agora_domain::Locale;
use serde::Serialize;
use utoipa::ToSchema;

use super::cache::Crumb;
use super::model::{Image, ProductText};
use super::small_map::SmallMap;
use crate::App;
use crate::error::{AppError, AppResult};

/// A SKU as shoppers see it, with live availability.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkuView {
    pub id: i64,
    pub code: String,
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub attrs: SmallMap<String>,
    pub price: i64,
    pub list_price: Option<i64>,
    pub currency: String,
    pub weight_grams: i64,
    /// Units available over every warehouse (on hand minus reserved; ≤ 1 s old).
    pub available: i64,
}

/// Product detail for shoppers.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductView {
    pub id: i64,
    pub slug: String,
    pub locale: String,
    pub title: String,
    pub subtitle: String,
    pub description: String,
    pub brand: String,
    pub price: i64,
    pub list_price: Option<i64>,
    pub currency: String,
    pub category_id: i64,
    pub breadcrumb: Vec<Crumb>,
    /// Texts in every locale the product has.
    #[schema(value_type = std::collections::BTreeMap<String, ProductText>)]
    pub texts: SmallMap<ProductText>,
    pub tags: Vec<String>,
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub attributes: SmallMap<String>,
    pub images: Vec<Image>,
    pub skus: Vec<SkuView>,
    /// Total units available over all SKUs.
    pub available: i64,
    pub sales_count: i64,
    pub created_at: i64,
    pub listed_at: Option<i64>,
}

/// A listed product by id or slug; anything else is 404.
pub async fn detail(app: &App, key: &str, locale: Locale) -> AppResult<ProductView> {
    let snap = app.catalog.snapshot(&app.db).await?;
    let entry = snap.product_by_key(key).ok_or_else(|| AppError::not_found("product"))?;
    let stock = app.catalog.availability(&app.db).await?;
    let p = &entry.product;
    let text = p.text(locale).cloned().unwrap_or(ProductText {
        title: String::new(),
        subtitle: String::new(),
        description: String::new(),
    });
    let skus: Vec<SkuView> = p
        .skus
        .iter()
        .map(|s| SkuView {
            id: s.id,
            code: s.code.clone(),
            attrs: s.attrs.clone(),
            price: s.price,
            list_price: s.list_price,
            currency: s.currency.clone(),
            weight_grams: s.weight_grams,
            available: stock.get(&s.id).copied().unwrap_or(0).max(0),
        })
        .collect();
    Ok(ProductView {
        id: p.id,
        slug: p.slug.clone(),
        locale: locale.as_str().to_string(),
        title: text.title,
        subtitle: text.subtitle,
        description: text.description,
        brand: p.brand.clone(),
        price: p.min_price,
        list_price: entry.list_price,
        currency: p.currency.clone(),
        category_id: p.category_id,
        breadcrumb: snap.breadcrumb(p.category_id, locale),
        texts: p.texts.clone(),
        tags: p.tags.clone(),
        attributes: p.attributes.clone(),
        images: p.images.clone(),
        available: skus.iter().map(|s| s.available).sum(),
        skus,
        sales_count: p.sales_count,
        created_at: p.created_at,
        listed_at: p.listed_at,
    })
}
