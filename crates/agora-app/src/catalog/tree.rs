//! The public category tree, from the snapshot.

use std::collections::HashMap;

use agora_domain::Locale;
use serde::Serialize;
use utoipa::ToSchema;

use super::cache::{Crumb, Snapshot, locale_index};
use super::listing::Sort;
use super::model::Names;
use crate::App;
use crate::error::{AppError, AppResult};

/// A category in the public tree.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryNode {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub path: String,
    /// The name in the requested locale (only with `?locale=`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub names: Names,
    pub image_url: Option<String>,
    pub position: i64,
    /// Listed products in this category and its descendants.
    pub product_count: i64,
    #[schema(no_recursion)]
    pub children: Vec<CategoryNode>,
}

fn node(
    snap: &Snapshot,
    id: i64,
    kids: &HashMap<Option<i64>, Vec<i64>>,
    locale: Option<Locale>,
) -> Option<CategoryNode> {
    let c = snap.category(id)?;
    let children = kids
        .get(&Some(id))
        .map(|ids| ids.iter().filter_map(|&k| node(snap, k, kids, locale)).collect())
        .unwrap_or_default();
    Some(CategoryNode {
        id: c.id,
        parent_id: c.parent_id,
        slug: c.slug.clone(),
        path: c.path.clone(),
        name: locale.map(|l| c.names.get(l).to_string()),
        names: c.names.clone(),
        image_url: c.image_url.clone(),
        position: c.position,
        product_count: snap.list(Some(c.id), Sort::Newest).len() as i64,
        children,
    })
}

fn children_map(snap: &Snapshot) -> HashMap<Option<i64>, Vec<i64>> {
    let mut kids: HashMap<Option<i64>, Vec<i64>> = HashMap::new();
    for c in &snap.categories {
        kids.entry(c.parent_id).or_default().push(c.id);
    }
    kids
}

/// The whole category tree, ordered by position.
pub async fn tree(app: &App, locale: Option<Locale>) -> AppResult<Vec<CategoryNode>> {
    let snap = app.catalog.snapshot(&app.db).await?;
    Ok(roots(&snap, locale))
}

fn roots(snap: &Snapshot, locale: Option<Locale>) -> Vec<CategoryNode> {
    let kids = children_map(snap);
    kids.get(&None).map(|ids| ids.iter().filter_map(|&id| node(snap, id, &kids, locale)).collect()).unwrap_or_default()
}

/// The whole category tree as JSON (the body of `GET /api/v1/categories`), rendered once per
/// snapshot and locale: the mega menu is read on every page view.
pub async fn tree_json(app: &App, locale: Option<Locale>) -> AppResult<bytes::Bytes> {
    let snap = app.catalog.snapshot(&app.db).await?;
    let slot = &snap.rendered.tree[locale.map_or(0, |l| locale_index(l) + 1)];
    if let Some(json) = slot.get() {
        return Ok(json.clone());
    }
    let json =
        serde_json::to_vec(&roots(&snap, locale)).map_err(|e| AppError::Internal(format!("category tree: {e}")))?;
    Ok(slot.get_or_init(|| bytes::Bytes::from(json)).clone())
}

/// One category with its subtree and breadcrumb.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryDetail {
    pub category: CategoryNode,
    pub breadcrumb: Vec<Crumb>,
}

/// A category by id or slug.
pub async fn category(app: &App, key: &str, locale: Option<Locale>) -> AppResult<CategoryDetail> {
    let snap = app.catalog.snapshot(&app.db).await?;
    let id = snap.category_by_key(key).ok_or_else(|| AppError::not_found("category"))?.id;
    let kids = children_map(&snap);
    let category = node(&snap, id, &kids, locale).ok_or_else(|| AppError::not_found("category"))?;
    Ok(CategoryDetail { category, breadcrumb: snap.breadcrumb(id, locale.unwrap_or_default()) })
}
