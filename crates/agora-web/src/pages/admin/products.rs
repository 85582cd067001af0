//! Products: the staff list (title search, status and category filters, pages) and bulk
//! list/delist with checkboxes; delisting asks for a ticked confirmation. ManageCatalog.

use agora_app::AppError;
use agora_app::catalog::lifecycle::{self, BulkAction};
use agora_app::catalog::products::{self, AdminQuery};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use super::{Console, MenuItem, money, opt};
use crate::extract::ManageCatalog;
use crate::input::Query;
use crate::pages::ctx::{Ctx, PageResult, render, see_other};
use crate::pages::form::FormState;
use crate::pages::pager::Pager;
use crate::state::AppState;

const STATUSES: [&str; 4] = ["draft", "scheduled", "listed", "delisted"];

#[derive(Debug, Default, Deserialize)]
pub struct ProductFilters {
    pub q: Option<String>,
    pub status: Option<String>,
    pub category: Option<String>,
    pub cursor: Option<String>,
    /// Cursors of the earlier pages (see `pages::pager`).
    pub back: Option<String>,
    /// Set after a bulk change: how many products changed.
    pub changed: Option<usize>,
}

pub struct ProductRow {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub status: String,
    pub category_id: i64,
    pub price: String,
    pub publish_at: String,
    /// The first image's thumbnail.
    pub thumb: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/products.html")]
struct ProductsPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    statuses: [&'static str; 4],
    filters: FormState,
    bulk: FormState,
    rows: Vec<ProductRow>,
    pager: Pager,
    changed: Option<usize>,
    /// Ids ticked in a refused bulk form, ticked again.
    ticked: Vec<i64>,
}

impl ProductsPage {
    fn is_ticked(&self, id: &i64) -> bool {
        self.ticked.contains(id)
    }
}

fn query(ctx: &Ctx, f: &ProductFilters) -> (AdminQuery, FormState) {
    let mut form = FormState::default();
    for (k, v) in [("q", &f.q), ("status", &f.status), ("category", &f.category)] {
        form = form.keep(k, v.as_deref().unwrap_or_default());
    }
    let mut q = AdminQuery { q: opt(&f.q), cursor: opt(&f.cursor), limit: Some(20), ..Default::default() };
    if let Some(s) = opt(&f.status) {
        if STATUSES.contains(&s.as_str()) {
            q.status = Some(s);
        } else {
            form = form.field_error("status", ctx.t("admin_orders.bad_status"));
        }
    }
    if let Some(c) = opt(&f.category) {
        match c.parse::<i64>() {
            Ok(id) if id > 0 => q.category_id = Some(id),
            _ => form = form.field_error("category", ctx.t("admin_products.bad_category")),
        }
    }
    (q, form)
}

async fn show(
    state: &AppState,
    ctx: Ctx,
    c: &Console<ManageCatalog>,
    f: &ProductFilters,
    bulk: FormState,
    ticked: Vec<i64>,
) -> PageResult {
    let (q, filters) = query(&ctx, f);
    let (rows, next) = if filters.has_errors() {
        (Vec::new(), Pager::default())
    } else {
        let list = products::admin_list(&state.app, &q).await?;
        let rows = list
            .items
            .into_iter()
            .map(|p| ProductRow {
                id: p.id,
                title: p.title,
                slug: p.slug,
                status: p.status,
                category_id: p.category_id,
                price: format!("{} {}", money(p.min_price), p.currency),
                publish_at: p.publish_at.map(crate::pages::datetime).unwrap_or_default(),
                thumb: p.thumb,
            })
            .collect();
        let keep = [
            ("q", f.q.as_deref().unwrap_or_default()),
            ("status", f.status.as_deref().unwrap_or_default()),
            ("category", f.category.as_deref().unwrap_or_default()),
        ];
        (
            rows,
            Pager::new(
                "/admin/products",
                &keep,
                opt(&f.cursor).as_deref(),
                f.back.as_deref(),
                list.next_cursor.as_deref(),
            ),
        )
    };
    let status = if filters.has_errors() {
        StatusCode::BAD_REQUEST
    } else if bulk.has_errors() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let view = ProductsPage {
        ctx,
        menu: c.menu.clone(),
        heading: "admin.products",
        statuses: STATUSES,
        filters,
        bulk,
        rows,
        pager: next,
        changed: f.changed,
        ticked,
    };
    render(status, &view)
}

pub async fn products(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Query(f): Query<ProductFilters>,
) -> PageResult {
    show(&state, ctx, &c, &f, FormState::default(), Vec::new()).await
}

/// `POST /admin/products/bulk`: `ids` (repeated checkboxes), `action` (list or delist),
/// `confirm=yes` required to delist.
pub async fn bulk(State(state): State<AppState>, ctx: Ctx, c: Console<ManageCatalog>, body: Bytes) -> PageResult {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let ids: Vec<i64> = pairs.iter().filter(|(k, _)| k == "ids").filter_map(|(_, v)| v.parse().ok()).collect();
    let action = match field("action").as_str() {
        "list" => Some(BulkAction::List),
        "delist" => Some(BulkAction::Delist),
        _ => None,
    };
    let mut form = FormState::default().keep("action", &field("action"));
    if ids.is_empty() {
        form = form.field_error("ids", ctx.t("admin_products.pick_some"));
    }
    if action.is_none() {
        form = form.field_error("action", ctx.t("admin_products.pick_action"));
    }
    if action == Some(BulkAction::Delist) && field("confirm") != "yes" {
        form = form.field_error("confirm", ctx.t("admin_ui.confirm_required"));
    }
    let filters = ProductFilters::default();
    let Some(action) = action.filter(|_| !form.has_errors()) else {
        return show(&state, ctx, &c, &filters, form.with_notice("admin_orders.refused"), ids).await;
    };
    match lifecycle::bulk(&state.app, &c.actor, &ids, action).await {
        Ok(changed) => Ok(see_other(&format!("/admin/products?changed={}", changed.len()), None)),
        Err(e @ AppError::Validation(_)) => {
            let form = form.absorb(e, &[])?;
            show(&state, ctx, &c, &filters, form, ids).await
        }
        Err(AppError::Conflict { message, .. }) => {
            let form = form.field_error("ids", &message).with_notice("admin_orders.refused");
            show(&state, ctx, &c, &filters, form, ids).await
        }
        Err(other) => Err(other.into()),
    }
}
