//! Home-page banners: the list (in display order, moved up or down), a create form, one
//! banner's page (edit, delete with a ticked confirmation). ManageCatalog; the use cases
//! in `agora_app::banners` validate and audit. The create and edit forms are multipart: the
//! picture is either a file uploaded with the form (stored like a product image) or the
//! `/media/…` path of an uploaded one.

use agora_app::AppError;
use agora_app::banners::{self, Banner, BannerInput};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use super::product_edit::parse_local;
use super::{Console, MenuItem, opt};
use crate::extract::ManageCatalog;
use crate::input::Query;
use crate::pages::ctx::{Ctx, PageError, PageResult, render, see_other};
use crate::pages::form::{Form, FormState, FormWithFile, given};
use crate::pages::pager::Pager;
use crate::state::AppState;

/// A banner's form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BannerForm {
    image_url: String,
    href: String,
    alt_en: String,
    alt_zh_cn: String,
    alt_zh_tw: String,
    position: String,
    active: String,
    starts_at: String,
    ends_at: String,
}

/// `YYYY-MM-DDTHH:MM` (UTC) for a datetime-local input.
fn local(ms: Option<i64>) -> String {
    ms.map(|ms| crate::pages::datetime(ms).replace(' ', "T")).unwrap_or_default()
}

impl BannerForm {
    fn of(b: &Banner) -> BannerForm {
        BannerForm {
            image_url: b.image_url.clone(),
            href: b.href.clone(),
            alt_en: b.alt_en.clone(),
            alt_zh_cn: b.alt_zh_cn.clone(),
            alt_zh_tw: b.alt_zh_tw.clone(),
            position: b.position.to_string(),
            active: if b.active == 1 { "yes".into() } else { String::new() },
            starts_at: local(b.starts_at),
            ends_at: local(b.ends_at),
        }
    }

    fn kept(&self) -> FormState {
        FormState::default()
            .keep("image_url", &self.image_url)
            .keep("href", &self.href)
            .keep("alt_en", &self.alt_en)
            .keep("alt_zh_cn", &self.alt_zh_cn)
            .keep("alt_zh_tw", &self.alt_zh_tw)
            .keep("position", &self.position)
            .keep("active", &self.active)
            .keep("starts_at", &self.starts_at)
            .keep("ends_at", &self.ends_at)
    }

    /// The use-case input, or the form with a message beside each unreadable input.
    fn input(&self, ctx: &Ctx) -> Result<BannerInput, FormState> {
        let mut form = self.kept();
        let position = given(&self.position).map(|p| p.parse::<i64>().map_err(|_| ()));
        if position.as_ref().is_some_and(Result::is_err) {
            form = form.field_error("position", ctx.t("admin_inventory.bad_number"));
        }
        let mut when = |name: &str, text: &str| match given(text) {
            None => None,
            Some(t) => {
                let ms = parse_local(&t);
                if ms.is_none() {
                    form = std::mem::take(&mut form).field_error(name, ctx.t("admin_products.bad_datetime"));
                }
                ms
            }
        };
        let (starts_at, ends_at) = (when("starts_at", &self.starts_at), when("ends_at", &self.ends_at));
        if form.has_errors() {
            return Err(form.with_notice("admin_orders.refused"));
        }
        Ok(BannerInput {
            image_url: self.image_url.trim().into(),
            href: self.href.trim().into(),
            alt_en: self.alt_en.clone(),
            alt_zh_cn: self.alt_zh_cn.clone(),
            alt_zh_tw: self.alt_zh_tw.clone(),
            position: position.and_then(Result::ok),
            active: self.active == "yes",
            starts_at,
            ends_at,
        })
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    pub cursor: Option<String>,
    /// Cursors of the earlier pages (see `pages::pager`).
    pub back: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/banners.html")]
struct BannersPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    rows: Vec<Banner>,
    pager: Pager,
    now: i64,
    form: FormState,
}

impl BannersPage {
    fn when(&self, ms: &Option<i64>) -> String {
        ms.map(crate::pages::datetime).unwrap_or_default()
    }
}

async fn show_list(
    state: &AppState,
    ctx: Ctx,
    c: &Console<ManageCatalog>,
    f: &ListParams,
    form: FormState,
) -> PageResult {
    let page = banners::list(&state.app, opt(&f.cursor).as_deref(), Some(20)).await?;
    let next =
        Pager::new("/admin/banners", &[], opt(&f.cursor).as_deref(), f.back.as_deref(), page.next_cursor.as_deref());
    let status = if form.has_errors() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let now = state.app.now();
    render(
        status,
        &BannersPage {
            ctx,
            menu: c.menu.clone(),
            heading: "admin_banners.title",
            rows: page.items,
            pager: next,
            now,
            form,
        },
    )
}

pub async fn banner_list(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Query(p): Query<ListParams>,
) -> PageResult {
    let form = FormState::default().keep("active", "yes");
    show_list(&state, ctx, &c, &p, form).await
}

/// Shows the use case's refusal beside the fields (any other error is the error page).
fn refused(form: FormState, e: AppError) -> Result<FormState, PageError> {
    Ok(form.absorb(e, &[])?)
}

/// The use-case input with the picture: a chosen file is stored (replacing the typed path);
/// without one the path is required. A refusal is the form with its messages.
async fn picture(
    state: &AppState,
    ctx: &Ctx,
    f: &BannerForm,
    file: &[u8],
) -> Result<Result<BannerInput, FormState>, PageError> {
    let input = match f.input(ctx) {
        Ok(input) => input,
        Err(form) => return Ok(Err(form)),
    };
    if !file.is_empty() {
        return match banners::with_upload(&state.app, &input, file).await {
            Ok(input) => Ok(Ok(input)),
            Err(e) => Ok(Err(refused(f.kept(), e)?)),
        };
    }
    if input.image_url.is_empty() {
        let form = f.kept().field_error("file", ctx.t("admin_banners.file_or_path"));
        return Ok(Err(form.with_notice("admin_orders.refused")));
    }
    Ok(Ok(input))
}

/// `POST /admin/banners`: a new banner.
pub async fn create_banner(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    FormWithFile { form: f, file }: FormWithFile<BannerForm>,
) -> PageResult {
    let input = match picture(&state, &ctx, &f, &file).await? {
        Ok(input) => input,
        Err(form) => return show_list(&state, ctx, &c, &ListParams::default(), form).await,
    };
    match banners::create(&state.app, &c.actor, &input).await {
        Ok(_) => Ok(see_other("/admin/banners", None)),
        Err(e) => {
            let form = refused(f.kept(), e)?;
            show_list(&state, ctx, &c, &ListParams::default(), form).await
        }
    }
}

#[derive(Template)]
#[template(path = "admin/banner.html")]
struct BannerPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    b: Banner,
    form: FormState,
}

async fn show_one(
    state: &AppState,
    ctx: Ctx,
    c: &Console<ManageCatalog>,
    id: i64,
    form: Option<FormState>,
) -> PageResult {
    let b = banners::get(&state.app, id).await?;
    let form = form.unwrap_or_else(|| BannerForm::of(&b).kept());
    let status = if form.has_errors() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render(status, &BannerPage { ctx, menu: c.menu.clone(), heading: "admin_banners.title", b, form })
}

pub async fn banner(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Path(id): Path<i64>,
) -> PageResult {
    show_one(&state, ctx, &c, id, None).await
}

/// `POST /admin/banners/{id}`: every field replaced.
pub async fn update_banner(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Path(id): Path<i64>,
    FormWithFile { form: f, file }: FormWithFile<BannerForm>,
) -> PageResult {
    // A missing banner is a 404 before any file is stored.
    banners::get(&state.app, id).await?;
    let input = match picture(&state, &ctx, &f, &file).await? {
        Ok(input) => input,
        Err(form) => return show_one(&state, ctx, &c, id, Some(form)).await,
    };
    match banners::update(&state.app, &c.actor, id, &input).await {
        Ok(_) => Ok(see_other("/admin/banners", None)),
        Err(e) => {
            let form = refused(f.kept(), e)?;
            show_one(&state, ctx, &c, id, Some(form)).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeleteForm {
    confirm: String,
}

/// `POST /admin/banners/{id}/delete`: needs the ticked box.
pub async fn delete_banner(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Path(id): Path<i64>,
    Form(f): Form<DeleteForm>,
) -> PageResult {
    if f.confirm != "yes" {
        let b = banners::get(&state.app, id).await?;
        let form = BannerForm::of(&b)
            .kept()
            .field_error("confirm", ctx.t("admin_ui.confirm_required"))
            .with_notice("admin_orders.refused");
        return show_one(&state, ctx, &c, id, Some(form)).await;
    }
    banners::delete(&state.app, &c.actor, id).await?;
    Ok(see_other("/admin/banners", None))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    /// up or down.
    direction: String,
}

/// `POST /admin/banners/{id}/move`: swaps it with its neighbour in the display order.
pub async fn move_banner(
    State(state): State<AppState>,
    c: Console<ManageCatalog>,
    Path(id): Path<i64>,
    Form(f): Form<MoveForm>,
) -> PageResult {
    let mut ids = banners::ordered_ids(&state.app).await?;
    let at = ids.iter().position(|b| *b == id).ok_or_else(PageError::not_found)?;
    let other = match f.direction.as_str() {
        "up" => at.checked_sub(1),
        "down" => Some(at + 1).filter(|i| *i < ids.len()),
        _ => return Err(PageError::bad_request()),
    };
    if let Some(other) = other {
        ids.swap(at, other);
        banners::reorder(&state.app, &c.actor, &ids).await?;
    }
    Ok(see_other("/admin/banners", None))
}
