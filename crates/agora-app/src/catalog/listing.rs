//! The shopper product listing, served from the in-memory [`Snapshot`]: filters, sorts,
//! cursor pagination and facets. Detail is in `detail.rs`, the category tree in `tree.rs`.

use std::collections::BTreeMap;

use agora_domain::Locale;
use serde::Serialize;
use utoipa::ToSchema;

use super::attrs::AttrFilter;
use super::cache::{Crumb, Entry, Snapshot};
use super::model::Product;
use crate::App;
use crate::error::{AppError, AppResult};
use crate::page;

/// Listing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Newest = 0,
    PriceAsc = 1,
    PriceDesc = 2,
    Sales = 3,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Newest, Sort::PriceAsc, Sort::PriceDesc, Sort::Sales];

    fn parse(s: &str) -> Option<Sort> {
        match s {
            "newest" => Some(Sort::Newest),
            "price_asc" => Some(Sort::PriceAsc),
            "price_desc" => Some(Sort::PriceDesc),
            "sales" => Some(Sort::Sales),
            _ => None,
        }
    }

    /// A total order key: ascending rank is the listing order (ties broken by id).
    pub fn rank(self, p: &Product) -> (i64, i64) {
        match self {
            Sort::Newest => (-p.created_at, -p.id),
            Sort::PriceAsc => (p.min_price, p.id),
            Sort::PriceDesc => (-p.min_price, -p.id),
            Sort::Sales => (-p.sales_count, -p.id),
        }
    }
}

/// One item of the shopper listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListItem<'a> {
    pub id: i64,
    pub slug: &'a str,
    pub title: &'a str,
    pub brand: &'a str,
    pub price: i64,
    pub list_price: Option<i64>,
    pub currency: &'a str,
    /// The first image (original size).
    pub image: Option<&'a str>,
    /// The first image's thumbnail (longest side at most 200 px), for tiles.
    pub thumb: Option<&'a str>,
    pub category_id: i64,
    pub breadcrumb: Vec<Crumb>,
    pub tags: &'a [String],
    pub sales_count: i64,
    pub created_at: i64,
}

pub(crate) fn item_json(snap: &Snapshot, p: &Product, list_price: Option<i64>, locale: Locale) -> String {
    let item = ListItem {
        id: p.id,
        slug: &p.slug,
        title: p.title(locale),
        brand: &p.brand,
        price: p.min_price,
        list_price,
        currency: &p.currency,
        image: p.images.first().map(|i| i.url.as_str()),
        thumb: p.images.first().map(|i| i.thumb.url.as_str()),
        category_id: p.category_id,
        breadcrumb: snap.breadcrumb(p.category_id, locale),
        tags: &p.tags,
        sales_count: p.sales_count,
        created_at: p.created_at,
    };
    let json = serde_json::to_string(&item).unwrap_or_default();
    // Kept for the snapshot's lifetime: an exact-size copy without the buffer's growth
    // slack (shrinking in place would leave the slack as holes in the heap).
    String::from(json.as_str())
}

/// A parsed listing request.
#[derive(Debug, Clone, Default)]
pub struct ListingQuery {
    /// Category id or slug; descendants are included.
    pub category: Option<String>,
    pub tag: Option<String>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    /// `attr.<name>=v1,v2`: product attribute or SKU axis value (one of the listed values).
    pub attrs: Vec<(String, Vec<String>)>,
    pub sort: Option<Sort>,
    pub limit: i64,
    cursor: Option<(i64, i64)>,
    pub facets: Vec<String>,
    pub locale: Locale,
}

/// The locale of a request: `?locale=` first, then `Accept-Language`, then English.
pub fn request_locale(param: Option<&str>, accept_language: Option<&str>) -> AppResult<Locale> {
    match param {
        Some(raw) => Locale::parse(raw).map_err(|_| AppError::invalid("locale", "must be one of en, zh-CN, zh-TW")),
        None => Ok(accept_language.map(Locale::from_accept_language).unwrap_or_default()),
    }
}

fn int(field: &str, raw: &str) -> AppResult<i64> {
    raw.parse().map_err(|_| AppError::invalid(field, "must be an integer"))
}

impl ListingQuery {
    /// Parses query pairs; unknown parameters are refused so typos do not silently widen.
    pub fn parse(pairs: &[(String, String)], accept_language: Option<&str>) -> AppResult<ListingQuery> {
        let mut q = ListingQuery::default();
        let mut locale = None;
        let mut limit = None;
        let mut cursor = None;
        for (key, value) in pairs {
            match key.as_str() {
                "category" => q.category = Some(value.clone()),
                "tag" => q.tag = Some(value.clone()),
                "min_price" => q.min_price = Some(int("min_price", value)?),
                "max_price" => q.max_price = Some(int("max_price", value)?),
                "limit" => limit = Some(int("limit", value)?),
                "cursor" => cursor = Some(value.clone()),
                "locale" => locale = Some(value.clone()),
                "sort" => {
                    let sort = Sort::parse(value)
                        .ok_or_else(|| AppError::invalid("sort", "must be newest, price_asc, price_desc or sales"))?;
                    q.sort = Some(sort);
                }
                "facets" => {
                    q.facets = value.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
                }
                other => match other.strip_prefix("attr.") {
                    Some(name) if !name.is_empty() => {
                        let values = value.split(',').map(|v| v.trim().to_string()).collect();
                        q.attrs.push((name.to_string(), values));
                    }
                    _ => return Err(AppError::invalid(other, "unknown query parameter")),
                },
            }
        }
        q.limit = page::limit(limit)?;
        q.locale = request_locale(locale.as_deref(), accept_language)?;
        let sort = q.sort.unwrap_or(Sort::Newest);
        if let Some(c) = cursor {
            let parts = page::decode_cursor(&c, 3)?;
            if parts[0] != sort as i64 {
                return Err(AppError::invalid("cursor", "cursor belongs to another sort order"));
            }
            q.cursor = Some((parts[1], parts[2]));
        }
        Ok(q)
    }
}

/// A listing query resolved against one snapshot's interned attribute values.
struct Filter<'a> {
    q: &'a ListingQuery,
    attrs: Vec<AttrFilter>,
    /// Some attribute filter names a value no product has.
    impossible: bool,
}

impl<'a> Filter<'a> {
    fn new(snap: &Snapshot, q: &'a ListingQuery) -> Filter<'a> {
        let mut attrs = Vec::with_capacity(q.attrs.len());
        let mut impossible = false;
        for (name, values) in &q.attrs {
            let Some(name_id) = snap.interner.name_id(name) else {
                impossible = true;
                continue;
            };
            let ids: Vec<u32> = values.iter().filter_map(|v| snap.interner.value_id(name_id, v)).collect();
            impossible |= ids.is_empty();
            attrs.push(AttrFilter { name_id, values: ids });
        }
        Filter { q, attrs, impossible }
    }

    fn matches(&self, e: &Entry) -> bool {
        let p = &e.product;
        if self.impossible {
            return false;
        }
        if let Some(tag) = &self.q.tag
            && !p.tags.iter().any(|t| t == tag)
        {
            return false;
        }
        if self.q.min_price.is_some_and(|m| p.min_price < m) || self.q.max_price.is_some_and(|m| p.min_price > m) {
            return false;
        }
        self.attrs.is_empty() || e.attr_ids.matches(&self.attrs)
    }
}

/// Facet counts: products per value id (value ids are unique across names).
struct Facets {
    names: Vec<(String, Option<u32>)>,
    counts: Vec<u32>,
}

impl Facets {
    fn new(snap: &Snapshot, names: &[String]) -> Facets {
        let names = names.iter().map(|n| (n.clone(), snap.interner.name_id(n))).collect();
        Facets { names, counts: vec![0; snap.interner.value_count()] }
    }

    fn add(&mut self, e: &Entry) {
        for (_, name_id) in &self.names {
            if let Some(name_id) = name_id {
                for id in e.attr_ids.values_of(*name_id) {
                    self.counts[id as usize] += 1;
                }
            }
        }
    }

    fn into_json(self, snap: &Snapshot) -> String {
        let mut out: BTreeMap<&str, BTreeMap<&str, u32>> = BTreeMap::new();
        for (name, name_id) in &self.names {
            let values = out.entry(name.as_str()).or_default();
            for (id, &n) in self.counts.iter().enumerate() {
                if n > 0
                    && let Some((owner, value)) = snap.interner.info(id as u32)
                    && Some(*owner) == *name_id
                {
                    values.insert(value.as_str(), n);
                }
            }
        }
        serde_json::to_string(&out).unwrap_or_else(|_| "{}".into())
    }
}

/// The listing page as JSON: `{"items": [...], "next_cursor": ..., "facets": {...}}`.
/// One pass over the category's pre-sorted list; facets (when asked) count the whole
/// filtered set, the page starts after the cursor.
pub async fn list(app: &App, q: &ListingQuery) -> AppResult<String> {
    let snap = app.catalog.snapshot(&app.db).await?;
    let category = match &q.category {
        Some(key) => Some(snap.category_by_key(key).ok_or_else(|| AppError::not_found("category"))?.id),
        None => None,
    };
    let sort = q.sort.unwrap_or(Sort::Newest);
    let list = snap.list(category, sort);
    let rank = |i: u32| sort.rank(&snap.products[i as usize].product);
    let start = q.cursor.map_or(0, |c| list.partition_point(|&i| rank(i) <= c));
    let limit = q.limit as usize;
    let filter = Filter::new(&snap, q);
    let mut facets = (!q.facets.is_empty()).then(|| Facets::new(&snap, &q.facets));
    let from = if facets.is_some() { 0 } else { start };
    let mut page: Vec<u32> = Vec::with_capacity(limit + 1);
    for (pos, &i) in list.iter().enumerate().skip(from) {
        let e = &snap.products[i as usize];
        if !filter.matches(e) {
            continue;
        }
        if let Some(f) = facets.as_mut() {
            f.add(e);
        }
        if pos >= start && page.len() <= limit {
            page.push(i);
        } else if facets.is_none() {
            break;
        }
    }
    let next_cursor = if page.len() > limit {
        page.truncate(limit);
        page.last().map(|&i| {
            let (a, b) = rank(i);
            page::encode_cursor(&[sort as i64, a, b])
        })
    } else {
        None
    };
    let mut out = String::with_capacity(64 + page.len() * 512);
    out.push_str("{\"items\":[");
    for (n, &i) in page.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(snap.products[i as usize].item_json(&snap, q.locale));
    }
    out.push_str("],\"next_cursor\":");
    out.push_str(&serde_json::to_string(&next_cursor).unwrap_or_else(|_| "null".into()));
    if let Some(f) = facets {
        out.push_str(",\"facets\":");
        out.push_str(&f.into_json(&snap));
    }
    out.push('}');
    Ok(out)
}
