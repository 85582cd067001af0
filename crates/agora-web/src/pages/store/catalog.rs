//! Shopping pages served from the in-memory catalog: home, search, category, product.

use std::collections::{BTreeMap, BTreeSet};

use agora_app::catalog::cache::{Crumb, Entry};
use agora_app::catalog::detail::{self, ProductView};
use agora_app::catalog::listing::{self, ListingQuery, Sort};
use agora_app::catalog::small_map::SmallMap;
use agora_app::catalog::{Category, Snapshot};
use agora_domain::Locale;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use serde::Deserialize;
use serde_json::json;

use super::{PAGE_SIZE, base_url, decimal, json_for_html, money};
use crate::pages::ctx::{Ctx, PageError, PageResult, page};
use crate::pages::pager::Pager;
use crate::state::AppState;

/// A product tile.
pub struct Card {
    pub name: String,
    pub href: String,
    pub price: String,
    pub list_price: Option<String>,
    pub image_url: Option<String>,
}

fn card(e: &Entry, locale: Locale) -> Card {
    let p = &e.product;
    Card {
        name: p.title(locale).to_string(),
        href: format!("/p/{}", p.slug),
        price: money(p.min_price, &p.currency),
        list_price: e.list_price.filter(|l| *l > p.min_price).map(|l| money(l, &p.currency)),
        image_url: p.images.first().map(|i| i.thumb.url.clone()),
    }
}

/// A category link.
pub struct CategoryLink {
    pub name: String,
    pub href: String,
    pub image_url: Option<String>,
}

fn category_link(c: &Category, locale: Locale) -> CategoryLink {
    CategoryLink {
        name: c.names.get(locale).to_string(),
        href: format!("/c/{}", c.slug),
        image_url: c.image_url.clone(),
    }
}

/// The SEO block of a page: canonical URL, description, Open Graph.
pub struct Seo {
    pub canonical: String,
    pub description: String,
    pub og_type: &'static str,
    pub image: Option<String>,
}

#[derive(Template)]
#[template(path = "store/home.html")]
struct HomePage {
    ctx: Ctx,
    seo: Seo,
    banners: Vec<agora_app::banners::Banner>,
    new_arrivals: Vec<Card>,
    bestsellers: Vec<Card>,
    categories: Vec<CategoryLink>,
}

const SHELF: usize = 8;

fn shelf(snap: &Snapshot, sort: Sort, locale: Locale) -> Vec<Card> {
    snap.list(None, sort).iter().take(SHELF).map(|&i| card(&snap.products[i as usize], locale)).collect()
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let snap = state.app.catalog.snapshot(&state.app.db).await?;
    let locale = ctx.locale;
    let seo = Seo {
        canonical: format!("{}/", base_url(&state)),
        description: ctx.t("shop.tagline").to_string(),
        og_type: "website",
        image: None,
    };
    let categories =
        snap.categories.iter().filter(|c| c.parent_id.is_none()).map(|c| category_link(c, locale)).collect();
    page(&HomePage {
        new_arrivals: shelf(&snap, Sort::Newest, locale),
        bestsellers: shelf(&snap, Sort::Sales, locale),
        categories,
        banners: agora_app::banners::shown(&state.app).await?,
        seo,
        ctx,
    })
}

#[derive(Template)]
#[template(path = "store/search.html")]
struct SearchPage {
    ctx: Ctx,
    query: String,
    cards: Vec<Card>,
}

const SEARCH_LIMIT: usize = 48;

fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect()
}

/// `/search?q=`: case-insensitive match of the query in product titles in every locale.
pub async fn search(State(state): State<AppState>, ctx: Ctx, RawQuery(raw): RawQuery) -> PageResult {
    let pairs = query_pairs(raw.as_deref());
    let q = pairs.iter().find(|(k, _)| k == "q").map(|(_, v)| v.as_str()).unwrap_or_default();
    let query: String = q.trim().chars().take(200).collect();
    let needle = query.to_lowercase();
    let mut cards = Vec::new();
    if !needle.is_empty() {
        let snap = state.app.catalog.snapshot(&state.app.db).await?;
        for &i in snap.list(None, Sort::Sales) {
            let e = &snap.products[i as usize];
            if e.product.texts.values().any(|t| t.title.to_lowercase().contains(&needle)) {
                cards.push(card(e, ctx.locale));
                if cards.len() == SEARCH_LIMIT {
                    break;
                }
            }
        }
    }
    page(&SearchPage { ctx, query, cards })
}

/// One listing item as the listing returns it.
#[derive(Deserialize)]
struct Item {
    slug: String,
    title: String,
    price: i64,
    list_price: Option<i64>,
    currency: String,
    thumb: Option<String>,
}

#[derive(Deserialize)]
struct Listed {
    items: Vec<Item>,
    next_cursor: Option<String>,
    #[serde(default)]
    facets: BTreeMap<String, BTreeMap<String, u32>>,
}

/// A facet value checkbox.
pub struct FacetValue {
    pub value: String,
    pub count: u32,
    pub checked: bool,
}

pub struct Facet {
    pub name: String,
    pub values: Vec<FacetValue>,
}

pub struct SortOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "store/category.html")]
struct CategoryPage {
    ctx: Ctx,
    seo: Seo,
    name: String,
    slug: String,
    breadcrumb: Vec<Crumb>,
    children: Vec<CategoryLink>,
    cards: Vec<Card>,
    facets: Vec<Facet>,
    tags: Vec<(String, bool)>,
    sorts: Vec<SortOption>,
    min: String,
    max: String,
    pager: Pager,
    first_href: Option<String>,
    filtered: bool,
}

const SORTS: [(&str, &str); 4] = [
    ("newest", "store.sort_newest"),
    ("price_asc", "store.sort_price_asc"),
    ("price_desc", "store.sort_price_desc"),
    ("sales", "store.sort_sales"),
];

/// A price typed in major units (`12.5`) as minor units; blank is no bound.
fn minor_units(raw: &str) -> Result<Option<i64>, PageError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let v: f64 = t.parse().map_err(|_| PageError::bad_request())?;
    if !(0.0..=1e12).contains(&v) {
        return Err(PageError::bad_request());
    }
    Ok(Some((v * 100.0).round() as i64))
}

/// The filter state of a category page, from its query string.
#[derive(Default)]
struct Filters {
    sort: String,
    min: String,
    max: String,
    tag: String,
    attrs: BTreeMap<String, BTreeSet<String>>,
    cursor: Option<String>,
    /// Cursors of the earlier pages (see `pages::pager`).
    back: Option<String>,
}

impl Filters {
    fn parse(pairs: &[(String, String)]) -> Filters {
        let mut f = Filters::default();
        for (k, v) in pairs {
            match k.as_str() {
                "sort" => f.sort = v.clone(),
                "min" => f.min = v.clone(),
                "max" => f.max = v.clone(),
                "tag" => f.tag = v.clone(),
                "cursor" => f.cursor = Some(v.clone()),
                "back" => f.back = Some(v.clone()),
                other => {
                    if let Some(name) = other.strip_prefix("attr.").filter(|n| !n.is_empty() && !v.is_empty()) {
                        f.attrs.entry(name.to_string()).or_default().insert(v.clone());
                    }
                }
            }
        }
        f
    }

    /// The page's own query string without the cursor (for "next" and "first" links).
    fn query(&self) -> form_urlencoded::Serializer<'static, String> {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("sort", &self.sort), ("min", &self.min), ("max", &self.max), ("tag", &self.tag)] {
            if !v.is_empty() {
                s.append_pair(k, v);
            }
        }
        for (name, values) in &self.attrs {
            for v in values {
                s.append_pair(&format!("attr.{name}"), v);
            }
        }
        s
    }

    fn is_filtered(&self) -> bool {
        !self.min.is_empty() || !self.max.is_empty() || !self.tag.is_empty() || !self.attrs.is_empty()
    }
}

/// Attribute names and tags of the products in a category (for the filter form).
fn filter_choices(snap: &Snapshot, category_id: i64) -> (Vec<String>, BTreeSet<String>) {
    let mut names = BTreeSet::new();
    let mut tags = BTreeSet::new();
    for &i in snap.list(Some(category_id), Sort::Newest) {
        let p = &snap.products[i as usize].product;
        names.extend(p.attributes.keys().cloned());
        for s in &p.skus {
            names.extend(s.attrs.keys().cloned());
        }
        tags.extend(p.tags.iter().cloned());
    }
    (names.into_iter().take(8).collect(), tags)
}

/// `/c/{slug}`: the products of a category and its descendants, filtered and sorted.
pub async fn category(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let snap = state.app.catalog.snapshot(&state.app.db).await?;
    let c = snap.category_by_key(&slug).filter(|c| c.slug == slug).ok_or(PageError::not_found())?;
    let f = Filters::parse(&query_pairs(raw.as_deref()));
    let (names, all_tags) = filter_choices(&snap, c.id);
    let mut pairs: Vec<(String, String)> = vec![
        ("category".into(), c.slug.clone()),
        ("locale".into(), ctx.locale.as_str().into()),
        ("limit".into(), PAGE_SIZE.to_string()),
    ];
    if !names.is_empty() {
        pairs.push(("facets".into(), names.join(",")));
    }
    if !f.sort.is_empty() {
        pairs.push(("sort".into(), f.sort.clone()));
    }
    if let Some(min) = minor_units(&f.min)? {
        pairs.push(("min_price".into(), min.to_string()));
    }
    if let Some(max) = minor_units(&f.max)? {
        pairs.push(("max_price".into(), max.to_string()));
    }
    if !f.tag.is_empty() {
        pairs.push(("tag".into(), f.tag.clone()));
    }
    for (name, values) in &f.attrs {
        pairs.push((format!("attr.{name}"), values.iter().cloned().collect::<Vec<_>>().join(",")));
    }
    if let Some(cursor) = &f.cursor {
        pairs.push(("cursor".into(), cursor.clone()));
    }
    let q = ListingQuery::parse(&pairs, None)?;
    let json = listing::list(&state.app, &q).await?;
    let listed: Listed = serde_json::from_str(&json).map_err(|_| PageError::internal())?;
    let cards = listed
        .items
        .into_iter()
        .map(|i| Card {
            name: i.title,
            href: format!("/p/{}", i.slug),
            price: money(i.price, &i.currency),
            list_price: i.list_price.filter(|l| *l > i.price).map(|l| money(l, &i.currency)),
            image_url: i.thumb,
        })
        .collect();
    let facets = names
        .iter()
        .filter_map(|name| {
            let counts = listed.facets.get(name)?;
            let chosen = f.attrs.get(name);
            let mut values: Vec<FacetValue> = counts
                .iter()
                .map(|(v, n)| FacetValue {
                    value: v.clone(),
                    count: *n,
                    checked: chosen.is_some_and(|c| c.contains(v)),
                })
                .collect();
            // A chosen value with no match left still shows, so it can be unticked.
            for v in chosen.into_iter().flatten().filter(|v| !counts.contains_key(*v)) {
                values.push(FacetValue { value: v.clone(), count: 0, checked: true });
            }
            (!values.is_empty()).then(|| Facet { name: name.clone(), values })
        })
        .collect();
    let base = format!("/c/{}", c.slug);
    let own = f.query().finish();
    let with = |extra: &str| if extra.is_empty() { base.clone() } else { format!("{base}?{extra}") };
    let own_pairs: Vec<(String, String)> = form_urlencoded::parse(own.as_bytes()).into_owned().collect();
    let keep: Vec<(&str, &str)> = own_pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let pager = Pager::new(&base, &keep, f.cursor.as_deref(), f.back.as_deref(), listed.next_cursor.as_deref());
    let first_href = f.cursor.is_some().then(|| with(&own));
    let name = c.names.get(ctx.locale).to_string();
    let seo = Seo {
        canonical: format!("{}{base}", base_url(&state)),
        description: format!("{name} · {}", ctx.t("shop.name")),
        og_type: "website",
        image: c.image_url.as_ref().map(|u| format!("{}{u}", base_url(&state))),
    };
    let current_sort = if f.sort.is_empty() { "newest" } else { f.sort.as_str() };
    page(&CategoryPage {
        breadcrumb: snap.breadcrumb(c.id, ctx.locale),
        children: snap
            .categories
            .iter()
            .filter(|k| k.parent_id == Some(c.id))
            .map(|k| category_link(k, ctx.locale))
            .collect(),
        cards,
        facets,
        tags: all_tags.into_iter().map(|t| (t.clone(), t == f.tag)).collect(),
        sorts: SORTS.iter().map(|(v, l)| SortOption { value: v, label: l, selected: *v == current_sort }).collect(),
        min: f.min.clone(),
        max: f.max.clone(),
        filtered: f.is_filtered(),
        pager,
        first_href,
        slug: c.slug.clone(),
        name,
        seo,
        ctx,
    })
}

/// A SKU choice on the product page.
pub struct SkuChoice {
    pub id: i64,
    pub label: String,
    pub price: String,
    pub available: i64,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "store/product.html")]
struct ProductPage {
    ctx: Ctx,
    seo: Seo,
    p: ProductView,
    price: String,
    list_price: Option<String>,
    skus: Vec<SkuChoice>,
    json_ld: String,
    problem: Option<&'static str>,
}

fn sku_label(attrs: &SmallMap<String>, code: &str) -> String {
    if attrs.is_empty() { code.to_string() } else { attrs.values().cloned().collect::<Vec<_>>().join(" / ") }
}

fn json_ld(state: &AppState, p: &ProductView) -> String {
    let base = base_url(state);
    let url = format!("{base}/p/{}", p.slug);
    let offers: Vec<serde_json::Value> = p
        .skus
        .iter()
        .map(|s| {
            json!({
                "@type": "Offer",
                "sku": s.code,
                "price": decimal(s.price, &s.currency),
                "priceCurrency": s.currency,
                "availability": if s.available > 0 { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" },
                "url": url,
            })
        })
        .collect();
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": p.title,
        "description": if p.subtitle.is_empty() { &p.description } else { &p.subtitle },
        "image": p.images.iter().map(|i| format!("{base}{}", i.url)).collect::<Vec<_>>(),
        "url": url,
        "offers": offers,
    });
    if !p.brand.is_empty() {
        v["brand"] = json!({"@type": "Brand", "name": p.brand});
    }
    json_for_html(&v)
}

/// Short page description: the subtitle, else the start of the description.
fn describe(p: &ProductView) -> String {
    let text = if p.subtitle.is_empty() { &p.description } else { &p.subtitle };
    let short: String = text.chars().take(160).collect();
    if short.is_empty() { p.title.clone() } else { short }
}

/// `/p/{slug}`: gallery, breadcrumb, SKU picker, add to cart, structured data.
pub async fn product(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let p = detail::detail(&state.app, &slug, ctx.locale).await?;
    if p.slug != slug {
        return Err(PageError::not_found());
    }
    let problem =
        query_pairs(raw.as_deref()).into_iter().find(|(k, _)| k == "problem").map(|(_, v)| match v.as_str() {
            "stock" => "product.problem_stock",
            _ => "product.problem_invalid",
        });
    let first_available = p.skus.iter().position(|s| s.available > 0);
    let skus = p
        .skus
        .iter()
        .enumerate()
        .map(|(n, s)| SkuChoice {
            id: s.id,
            label: sku_label(&s.attrs, &s.code),
            price: money(s.price, &s.currency),
            available: s.available,
            checked: Some(n) == first_available,
        })
        .collect();
    let seo = Seo {
        canonical: format!("{}/p/{}", base_url(&state), p.slug),
        description: describe(&p),
        og_type: "product",
        image: p.images.first().map(|i| format!("{}{}", base_url(&state), i.url)),
    };
    page(&ProductPage {
        price: money(p.price, &p.currency),
        list_price: p.list_price.filter(|l| *l > p.price).map(|l| money(l, &p.currency)),
        json_ld: json_ld(&state, &p),
        skus,
        seo,
        problem,
        p,
        ctx,
    })
}
