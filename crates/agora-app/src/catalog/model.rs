//! The catalog's read model: categories, products with texts, tags, attributes, images and
//! SKUs, as loaded from the database and as returned to staff.

use agora_domain::Locale;
use serde::Serialize;
use utoipa::ToSchema;

use super::small_map::SmallMap;

/// Category names in every locale.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Names {
    pub en: String,
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
    #[serde(rename = "zh-TW")]
    pub zh_tw: String,
}

impl Names {
    /// The name in `locale`.
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::En => &self.en,
            Locale::ZhCn => &self.zh_cn,
            Locale::ZhTw => &self.zh_tw,
        }
    }
}

/// One category row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    /// Materialised ancestry, e.g. `/1/5/12/` (own id last).
    pub path: String,
    pub slug: String,
    pub names: Names,
    pub image_url: Option<String>,
    pub position: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The localised text of a product.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct ProductText {
    pub title: String,
    pub subtitle: String,
    pub description: String,
}

/// A product image; `url` (the original) and the variants' URLs are served under `/media/`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Image {
    pub id: i64,
    pub url: String,
    pub content_type: String,
    pub alt: String,
    pub position: i64,
    pub byte_size: i64,
    /// The original's size in pixels (0 when unknown: uploaded before variants existed).
    pub width: i64,
    pub height: i64,
    /// Longest side at most 200 px, for lists (the original when it is smaller).
    pub thumb: ImageVariant,
    /// Longest side at most 800 px, for the product page (the original when it is smaller).
    pub medium: ImageVariant,
}

/// A resized copy of an image.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImageVariant {
    pub url: String,
    /// Size in pixels (0 when the original's size is unknown).
    pub width: i64,
    pub height: i64,
}

/// A sellable variant.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Sku {
    pub id: i64,
    pub code: String,
    /// Axis values, e.g. `{"color": "red", "size": "M"}`.
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub attrs: SmallMap<String>,
    pub price: i64,
    pub list_price: Option<i64>,
    pub currency: String,
    pub weight_grams: i64,
    pub barcode: String,
    pub position: i64,
    pub active: bool,
}

/// A product with everything about it (the staff view; shoppers see a subset).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Product {
    pub id: i64,
    pub merchant_id: i64,
    pub category_id: i64,
    pub slug: String,
    pub status: String,
    pub publish_at: Option<i64>,
    pub brand: String,
    pub currency: String,
    pub min_price: i64,
    pub sales_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub listed_at: Option<i64>,
    /// Texts keyed by locale (`en`, `zh-CN`, `zh-TW`).
    #[schema(value_type = std::collections::BTreeMap<String, ProductText>)]
    pub texts: SmallMap<ProductText>,
    pub tags: Vec<String>,
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub attributes: SmallMap<String>,
    pub images: Vec<Image>,
    pub skus: Vec<Sku>,
}

impl Product {
    /// The text for `locale`, falling back to en, then zh-CN, then anything.
    pub fn text(&self, locale: Locale) -> Option<&ProductText> {
        self.texts
            .get(locale.as_str())
            .or_else(|| self.texts.get("en"))
            .or_else(|| self.texts.get("zh-CN"))
            .or_else(|| self.texts.values().next())
    }

    /// The title for `locale` (empty when the product has no text at all).
    pub fn title(&self, locale: Locale) -> &str {
        self.text(locale).map_or("", |t| t.title.as_str())
    }
}

/// One line of the staff product list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductSummary {
    pub id: i64,
    pub slug: String,
    pub status: String,
    pub title: String,
    pub category_id: i64,
    pub min_price: i64,
    pub currency: String,
    pub publish_at: Option<i64>,
    pub updated_at: i64,
    /// The first image's thumbnail URL.
    pub thumb: Option<String>,
}
