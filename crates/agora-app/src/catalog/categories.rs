//! Category tree administration: create, update (including moves), delete.

use agora_domain::Slug;
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{Category, Names};
use super::{Errors, Touched, commit, double_option, store};
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult, unique_violation};
use crate::{App, Tx};

/// Category names; `zh-CN` and `zh-TW` default to the English name when absent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NamesInput {
    pub en: String,
    #[serde(rename = "zh-CN")]
    pub zh_cn: Option<String>,
    #[serde(rename = "zh-TW")]
    pub zh_tw: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCategory {
    pub parent_id: Option<i64>,
    pub slug: String,
    pub names: NamesInput,
    pub image_url: Option<String>,
    #[serde(default)]
    pub position: i64,
}

/// A partial update; `parent_id: null` moves the category to the root.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryPatch {
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
    pub slug: Option<String>,
    pub names: Option<NamesInput>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub image_url: Option<Option<String>>,
    pub position: Option<i64>,
}

const NAME_MAX: usize = 100;
const URL_MAX: usize = 1000;

fn check_names(e: &mut Errors, n: &NamesInput) -> Names {
    let en = n.en.trim().to_string();
    if en.is_empty() {
        e.add("names.en", "must not be empty");
    }
    let zh_cn = n.zh_cn.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(&en).to_string();
    let zh_tw = n.zh_tw.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(&zh_cn).to_string();
    e.max_chars("names.en", &en, NAME_MAX);
    e.max_chars("names.zh-CN", &zh_cn, NAME_MAX);
    e.max_chars("names.zh-TW", &zh_tw, NAME_MAX);
    Names { en, zh_cn, zh_tw }
}

fn check_slug(e: &mut Errors, raw: &str) -> String {
    if let Err(err) = Slug::parse(raw) {
        e.add("slug", err.to_string());
    }
    raw.to_string()
}

fn check_url(e: &mut Errors, url: Option<&str>) {
    if let Some(url) = url {
        e.max_chars("image_url", url, URL_MAX);
    }
}

async fn parent(tx: &mut Tx, id: i64) -> AppResult<Category> {
    store::category(tx, id).await?.ok_or_else(|| AppError::invalid("parent_id", "unknown category"))
}

fn slug_taken(e: sqlx::Error) -> AppError {
    unique_violation(e, "slug_taken", "another category already uses this slug")
}

/// Creates a category (audited).
pub async fn create(app: &App, actor: &Actor, input: &NewCategory) -> AppResult<Category> {
    let mut e = Errors::default();
    let names = check_names(&mut e, &input.names);
    let slug = check_slug(&mut e, &input.slug);
    check_url(&mut e, input.image_url.as_deref());
    e.finish()?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    store::lock_tree(&mut tx).await?;
    let parent_path = match input.parent_id {
        Some(pid) => parent(&mut tx, pid).await?.path,
        None => "/".to_string(),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO categories (parent_id, path, slug, name_en, name_zh_cn, name_zh_tw, image_url, position, created_at, updated_at) \
         VALUES ($1, '', $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(input.parent_id)
    .bind(&slug)
    .bind(&names.en)
    .bind(&names.zh_cn)
    .bind(&names.zh_tw)
    .bind(input.image_url.as_deref())
    .bind(input.position)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(slug_taken)?;
    sqlx::query("UPDATE categories SET path = $1 WHERE id = $2")
        .bind(format!("{parent_path}{id}/"))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let created = store::category(&mut tx, id).await?.ok_or_else(|| AppError::Internal("category vanished".into()))?;
    let change = Change {
        action: "category.create",
        entity: "category",
        entity_id: id.to_string(),
        before: None,
        after: audit::snapshot(&created),
    };
    audit::record(&mut tx, now, actor, change).await?;
    commit(app, tx, Touched::All).await?;
    Ok(created)
}

/// Updates a category; moving it re-roots the paths of all its descendants and refuses cycles.
pub async fn update(app: &App, actor: &Actor, id: i64, patch: &CategoryPatch) -> AppResult<Category> {
    let mut e = Errors::default();
    let names = patch.names.as_ref().map(|n| check_names(&mut e, n));
    let slug = patch.slug.as_deref().map(|s| check_slug(&mut e, s));
    check_url(&mut e, patch.image_url.as_ref().and_then(|u| u.as_deref()));
    e.finish()?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    store::lock_tree(&mut tx).await?;
    let before = store::category(&mut tx, id).await?.ok_or_else(|| AppError::not_found("category"))?;
    let parent_id = patch.parent_id.unwrap_or(before.parent_id);
    let mut path = before.path.clone();
    if parent_id != before.parent_id {
        let parent_path = match parent_id {
            Some(pid) => {
                let p = parent(&mut tx, pid).await?;
                if p.path.starts_with(&before.path) {
                    return Err(AppError::conflict("category_cycle", "a category cannot move below itself"));
                }
                p.path
            }
            None => "/".to_string(),
        };
        path = format!("{parent_path}{id}/");
        sqlx::query(
            "UPDATE categories SET path = $1 || SUBSTR(path, CAST($2 AS INTEGER)) WHERE path LIKE $3 AND id <> $4",
        )
        .bind(&path)
        .bind(before.path.len() as i64 + 1)
        .bind(format!("{}%", before.path))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    let names = names.unwrap_or_else(|| before.names.clone());
    let image_url = patch.image_url.clone().unwrap_or_else(|| before.image_url.clone());
    sqlx::query(
        "UPDATE categories SET parent_id = $1, path = $2, slug = $3, name_en = $4, name_zh_cn = $5, name_zh_tw = $6, \
         image_url = $7, position = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(parent_id)
    .bind(&path)
    .bind(slug.as_deref().unwrap_or(&before.slug))
    .bind(&names.en)
    .bind(&names.zh_cn)
    .bind(&names.zh_tw)
    .bind(image_url)
    .bind(patch.position.unwrap_or(before.position))
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(slug_taken)?;
    let after = store::category(&mut tx, id).await?.ok_or_else(|| AppError::Internal("category vanished".into()))?;
    let change = Change {
        action: "category.update",
        entity: "category",
        entity_id: id.to_string(),
        before: audit::snapshot(&before),
        after: audit::snapshot(&after),
    };
    audit::record(&mut tx, now, actor, change).await?;
    commit(app, tx, Touched::All).await?;
    Ok(after)
}

/// Deletes an empty category (no children, no products); otherwise 409.
pub async fn delete(app: &App, actor: &Actor, id: i64) -> AppResult<()> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    store::lock_tree(&mut tx).await?;
    let before = store::category(&mut tx, id).await?.ok_or_else(|| AppError::not_found("category"))?;
    let children: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM categories WHERE parent_id = $1").bind(id).fetch_one(&mut *tx).await?;
    let products: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE category_id = $1").bind(id).fetch_one(&mut *tx).await?;
    if children > 0 || products > 0 {
        return Err(AppError::conflict(
            "category_not_empty",
            format!("category has {children} subcategories and {products} products"),
        ));
    }
    sqlx::query("DELETE FROM categories WHERE id = $1").bind(id).execute(&mut *tx).await?;
    let change = Change {
        action: "category.delete",
        entity: "category",
        entity_id: id.to_string(),
        before: audit::snapshot(&before),
        after: None,
    };
    audit::record(&mut tx, now, actor, change).await?;
    commit(app, tx, Touched::All).await
}
