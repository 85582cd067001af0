//! Categories: the tree with a create form, and one category's page: rename in three
//! languages, move under another parent, reorder (position), delete with a ticked
//! confirmation (only an empty category). ManageCatalog; audited by the use cases.

use agora_app::AppError;
use agora_app::catalog::categories::{self, CategoryPatch, NamesInput, NewCategory};
use agora_app::catalog::tree::{self, CategoryNode};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use super::{Console, MenuItem};
use crate::extract::ManageCatalog;
use crate::pages::ctx::{Ctx, PageError, PageResult, render, see_other};
use crate::pages::form::{Form, FormState, given};
use crate::state::AppState;

/// A category in the flattened tree.
pub struct Row {
    pub id: i64,
    pub depth: usize,
    pub indent: String,
    pub slug: String,
    pub en: String,
    pub zh_cn: String,
    pub zh_tw: String,
    pub parent_id: Option<i64>,
    pub position: i64,
    pub products: i64,
}

fn flatten(nodes: &[CategoryNode], depth: usize, out: &mut Vec<Row>) {
    for n in nodes {
        out.push(Row {
            id: n.id,
            depth,
            indent: "— ".repeat(depth),
            slug: n.slug.clone(),
            en: n.names.en.clone(),
            zh_cn: n.names.zh_cn.clone(),
            zh_tw: n.names.zh_tw.clone(),
            parent_id: n.parent_id,
            position: n.position,
            products: n.product_count,
        });
        flatten(&n.children, depth + 1, out);
    }
}

async fn rows(state: &AppState) -> agora_app::AppResult<Vec<Row>> {
    let mut out = Vec::new();
    flatten(&tree::tree(&state.app, None).await?, 0, &mut out);
    Ok(out)
}

/// Use-case field → input name.
const RENAME: [(&str, &str); 4] =
    [("names.en", "name_en"), ("names.zh-CN", "name_zh_cn"), ("names.zh-TW", "name_zh_tw"), ("parent_id", "parent")];

#[derive(Template)]
#[template(path = "admin/categories.html")]
struct CategoriesPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    rows: Vec<Row>,
    form: FormState,
}

async fn show_tree(state: &AppState, ctx: Ctx, c: &Console<ManageCatalog>, form: FormState) -> PageResult {
    let rows = rows(state).await?;
    let status = if form.has_errors() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render(status, &CategoriesPage { ctx, menu: c.menu.clone(), heading: "admin_categories.title", rows, form })
}

pub async fn categories(State(state): State<AppState>, ctx: Ctx, c: Console<ManageCatalog>) -> PageResult {
    show_tree(&state, ctx, &c, FormState::default().keep("position", "0")).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CategoryForm {
    slug: String,
    name_en: String,
    name_zh_cn: String,
    name_zh_tw: String,
    parent: String,
    position: String,
}

impl CategoryForm {
    fn kept(&self) -> FormState {
        FormState::default()
            .keep("slug", &self.slug)
            .keep("name_en", &self.name_en)
            .keep("name_zh_cn", &self.name_zh_cn)
            .keep("name_zh_tw", &self.name_zh_tw)
            .keep("parent", &self.parent)
            .keep("position", &self.position)
    }

    fn names(&self) -> NamesInput {
        NamesInput { en: self.name_en.clone(), zh_cn: given(&self.name_zh_cn), zh_tw: given(&self.name_zh_tw) }
    }

    /// (parent, position) or the form with messages.
    fn numbers(&self, ctx: &Ctx) -> Result<(Option<i64>, i64), FormState> {
        let mut form = self.kept();
        let parent = match given(&self.parent) {
            None => Ok(None),
            Some(p) => p.parse::<i64>().map(Some).map_err(|_| ()),
        };
        let position = given(&self.position).map_or(Ok(0), |p| p.parse::<i64>().map_err(|_| ()));
        if parent.is_err() {
            form = form.field_error("parent", ctx.t("admin_inventory.bad_id"));
        }
        if position.is_err() {
            form = form.field_error("position", ctx.t("admin_inventory.bad_number"));
        }
        match (parent, position) {
            (Ok(p), Ok(n)) => Ok((p, n)),
            _ => Err(form.with_notice("admin_orders.refused")),
        }
    }
}

fn absorb(form: FormState, e: AppError) -> Result<FormState, PageError> {
    match e {
        AppError::Validation(_) => Ok(form.absorb(e, &RENAME)?),
        AppError::Conflict { message, .. } => {
            Ok(form.field_error("_form", &message).with_notice("admin_orders.refused"))
        }
        other => Err(other.into()),
    }
}

pub async fn create_category(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Form(f): Form<CategoryForm>,
) -> PageResult {
    let (parent_id, position) = match f.numbers(&ctx) {
        Ok(n) => n,
        Err(form) => return show_tree(&state, ctx, &c, form).await,
    };
    let input = NewCategory { parent_id, slug: f.slug.trim().into(), names: f.names(), image_url: None, position };
    match categories::create(&state.app, &c.actor, &input).await {
        Ok(_) => Ok(see_other("/admin/categories", None)),
        Err(e) => {
            let form = absorb(f.kept(), e)?;
            show_tree(&state, ctx, &c, form).await
        }
    }
}

#[derive(Template)]
#[template(path = "admin/category.html")]
struct CategoryPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    id: i64,
    /// Possible parents (not itself).
    parents: Vec<Row>,
    form: FormState,
}

async fn show_one(
    state: &AppState,
    ctx: Ctx,
    c: &Console<ManageCatalog>,
    id: i64,
    form: Option<FormState>,
) -> PageResult {
    let all = rows(state).await?;
    let me = all.iter().find(|r| r.id == id).ok_or(PageError::not_found())?;
    let status = if form.as_ref().is_some_and(FormState::has_errors) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let form = form.unwrap_or_else(|| {
        FormState::default()
            .keep("slug", &me.slug)
            .keep("name_en", &me.en)
            .keep("name_zh_cn", &me.zh_cn)
            .keep("name_zh_tw", &me.zh_tw)
            .keep("parent", &me.parent_id.map(|p| p.to_string()).unwrap_or_default())
            .keep("position", &me.position.to_string())
    });
    let parents = all.into_iter().filter(|r| r.id != id).collect();
    render(status, &CategoryPage { ctx, menu: c.menu.clone(), heading: "admin_categories.title", id, parents, form })
}

pub async fn category(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Path(id): Path<i64>,
) -> PageResult {
    show_one(&state, ctx, &c, id, None).await
}

pub async fn update_category(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Path(id): Path<i64>,
    Form(f): Form<CategoryForm>,
) -> PageResult {
    let (parent_id, position) = match f.numbers(&ctx) {
        Ok(n) => n,
        Err(form) => return show_one(&state, ctx, &c, id, Some(form)).await,
    };
    let patch = CategoryPatch {
        parent_id: Some(parent_id),
        slug: given(&f.slug),
        names: Some(f.names()),
        image_url: None,
        position: Some(position),
    };
    match categories::update(&state.app, &c.actor, id, &patch).await {
        Ok(_) => Ok(see_other("/admin/categories", None)),
        Err(e) => {
            let form = absorb(f.kept(), e)?;
            show_one(&state, ctx, &c, id, Some(form)).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeleteForm {
    confirm: String,
}

pub async fn delete_category(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Path(id): Path<i64>,
    Form(f): Form<DeleteForm>,
) -> PageResult {
    if f.confirm != "yes" {
        let form = FormState::default()
            .field_error("confirm", ctx.t("admin_ui.confirm_required"))
            .with_notice("admin_orders.refused");
        return show_one(&state, ctx, &c, id, Some(form)).await;
    }
    match categories::delete(&state.app, &c.actor, id).await {
        Ok(()) => Ok(see_other("/admin/categories", None)),
        Err(e) => {
            let form = absorb(FormState::default(), e)?;
            show_one(&state, ctx, &c, id, Some(form)).await
        }
    }
}
