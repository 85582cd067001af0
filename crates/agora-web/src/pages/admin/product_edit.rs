//! Creating a product (texts in three languages, category, tags, attributes, a SKU matrix
//! from attribute axes) and the product page: per-SKU price, list price, weight and
//! active; listing now or at a scheduled time; delisting with confirmation. ManageCatalog.

use std::collections::BTreeMap;

use agora_app::catalog::lifecycle;
use agora_app::catalog::products::{self, NewProduct, TextInput};
use agora_app::catalog::skus::{self, Matrix, SkuPatch};
use agora_app::catalog::tree::{self, CategoryNode};
use agora_app::catalog::{Product, Sku};
use agora_app::{AppError, FieldError};
use agora_domain::Locale;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use super::orders::parse_amount;
use super::{Console, MenuItem, money};
use crate::extract::ManageCatalog;
use crate::pages::ctx::{Ctx, PageResult, render, see_other};
use crate::pages::form::{Form, FormState, given};
use crate::state::AppState;

/// A category choice, indented by depth.
pub struct CategoryChoice {
    pub id: i64,
    pub label: String,
}

fn flatten(nodes: &[CategoryNode], depth: usize, out: &mut Vec<CategoryChoice>) {
    for n in nodes {
        let name = n.name.clone().unwrap_or_else(|| n.names.en.clone());
        out.push(CategoryChoice { id: n.id, label: format!("{}{name}", "— ".repeat(depth)) });
        flatten(&n.children, depth + 1, out);
    }
}

async fn categories(state: &AppState, locale: Locale) -> agora_app::AppResult<Vec<CategoryChoice>> {
    let mut out = Vec::new();
    flatten(&tree::tree(&state.app, Some(locale)).await?, 0, &mut out);
    Ok(out)
}

#[derive(Template)]
#[template(path = "admin/product_new.html")]
struct NewProductPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    categories: Vec<CategoryChoice>,
    form: FormState,
}

async fn show_new(state: &AppState, ctx: Ctx, c: &Console<ManageCatalog>, form: FormState) -> PageResult {
    let categories = categories(state, ctx.locale).await?;
    let status = if form.has_errors() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render(status, &NewProductPage { ctx, menu: c.menu.clone(), heading: "admin.products", categories, form })
}

pub async fn new_product(State(state): State<AppState>, ctx: Ctx, c: Console<ManageCatalog>) -> PageResult {
    let form = FormState::default().keep("weight_grams", "0");
    show_new(&state, ctx, &c, form).await
}

/// The product form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProductForm {
    category: String,
    slug: String,
    brand: String,
    title_en: String,
    title_zh_cn: String,
    title_zh_tw: String,
    description_en: String,
    description_zh_cn: String,
    description_zh_tw: String,
    tags: String,
    attributes: String,
    axes: String,
    price: String,
    list_price: String,
    weight_grams: String,
}

const INPUTS: [&str; 15] = [
    "category",
    "slug",
    "brand",
    "title_en",
    "title_zh_cn",
    "title_zh_tw",
    "description_en",
    "description_zh_cn",
    "description_zh_tw",
    "tags",
    "attributes",
    "axes",
    "price",
    "list_price",
    "weight_grams",
];

impl ProductForm {
    fn value(&self, name: &str) -> &str {
        match name {
            "category" => &self.category,
            "slug" => &self.slug,
            "brand" => &self.brand,
            "title_en" => &self.title_en,
            "title_zh_cn" => &self.title_zh_cn,
            "title_zh_tw" => &self.title_zh_tw,
            "description_en" => &self.description_en,
            "description_zh_cn" => &self.description_zh_cn,
            "description_zh_tw" => &self.description_zh_tw,
            "tags" => &self.tags,
            "attributes" => &self.attributes,
            "axes" => &self.axes,
            "price" => &self.price,
            "list_price" => &self.list_price,
            _ => &self.weight_grams,
        }
    }
}

/// `name: value` lines (attributes) or `name: a, b, c` lines (axes).
pub(super) fn pairs(text: &str) -> Result<Vec<(String, String)>, ()> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).ok_or(()))
        .collect()
}

/// Where a use-case field's message is shown on the product form.
fn input_for(field: &str) -> &'static str {
    let f = field.strip_prefix("sku_matrix.").unwrap_or(field);
    match f {
        "texts.zh-CN.title" | "texts.zh-CN" => "title_zh_cn",
        "texts.zh-TW.title" | "texts.zh-TW" => "title_zh_tw",
        "category_id" => "category",
        "slug" => "slug",
        "price" => "price",
        "list_price" => "list_price",
        "weight_grams" => "weight_grams",
        "currency" => "price",
        _ if f.starts_with("texts") => "title_en",
        _ if f.starts_with("tags") => "tags",
        _ if f.starts_with("attributes") => "attributes",
        _ if f.starts_with("axes") => "axes",
        _ => "brand",
    }
}

fn build(ctx: &Ctx, f: &ProductForm) -> Result<NewProduct, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, key: &str| errors.push(FieldError { field: field.into(), message: ctx.t(key).into() });
    let category_id = f.category.trim().parse::<i64>().unwrap_or(0);
    if category_id <= 0 {
        bad("category", "admin_products.pick_category");
    }
    let attributes = pairs(&f.attributes).unwrap_or_else(|_| {
        bad("attributes", "admin_products.bad_lines");
        Vec::new()
    });
    let axes = pairs(&f.axes).unwrap_or_else(|_| {
        bad("axes", "admin_products.bad_lines");
        Vec::new()
    });
    let price = parse_amount(&f.price);
    if price.is_none() && !axes.is_empty() {
        bad("price", "admin_orders.bad_amount");
    }
    let list_price = match given(&f.list_price) {
        None => None,
        Some(t) => {
            let p = parse_amount(&t);
            if p.is_none() {
                bad("list_price", "admin_orders.bad_amount");
            }
            p
        }
    };
    let weight_grams = given(&f.weight_grams).map_or(Some(0), |w| w.parse::<i64>().ok()).unwrap_or_else(|| {
        bad("weight_grams", "admin_inventory.bad_number");
        0
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut texts = BTreeMap::new();
    for (locale, title, description) in [
        ("en", &f.title_en, &f.description_en),
        ("zh-CN", &f.title_zh_cn, &f.description_zh_cn),
        ("zh-TW", &f.title_zh_tw, &f.description_zh_tw),
    ] {
        if given(title).is_some() || given(description).is_some() {
            let text =
                TextInput { title: title.clone(), subtitle: String::new(), description: description.trim().into() };
            texts.insert(locale.to_string(), text);
        }
    }
    let sku_matrix = (!axes.is_empty()).then(|| Matrix {
        axes: axes.into_iter().map(|(k, v)| (k, v.split(',').map(|x| x.trim().to_string()).collect())).collect(),
        price: price.unwrap_or(0),
        list_price,
        weight_grams,
    });
    Ok(NewProduct {
        category_id,
        slug: given(&f.slug),
        brand: f.brand.trim().into(),
        texts,
        tags: f.tags.split(',').filter_map(given).collect(),
        attributes: attributes.into_iter().collect(),
        currency: None,
        sku_matrix,
    })
}

pub async fn create_product(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Form(f): Form<ProductForm>,
) -> PageResult {
    let mut form = FormState::default();
    for name in INPUTS {
        form = form.keep(name, f.value(name));
    }
    let errors = match build(&ctx, &f) {
        Err(errors) => errors,
        Ok(input) => match products::create(&state.app, &c.actor, &input).await {
            Ok(p) => return Ok(see_other(&format!("/admin/products/{}", p.id), None)),
            Err(AppError::Validation(errors)) => errors
                .into_iter()
                .map(|e| FieldError { field: input_for(&e.field).into(), message: e.message })
                .collect(),
            Err(AppError::Conflict { message, .. }) => vec![FieldError { field: "slug".into(), message }],
            Err(other) => return Err(other.into()),
        },
    };
    let form = form.absorb(AppError::Validation(errors), &[])?;
    show_new(&state, ctx, &c, form).await
}

#[derive(Template)]
#[template(path = "admin/product.html")]
struct ProductPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    p: Product,
    title: String,
    form: FormState,
    /// The form that failed (its messages are shown beside its inputs).
    failed: Failed,
}

/// Which of the product page's repeated forms a re-rendered [`FormState`] belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Failed {
    /// None of them (or a form that appears once).
    Other,
    Sku(i64),
    Image(i64),
}

impl ProductPage {
    /// (input name, label key, current value) of a SKU's editable fields.
    fn sku_fields(&self, s: &Sku) -> Vec<(&'static str, &'static str, String)> {
        vec![
            ("price", "admin_products.sku_price", money(s.price)),
            ("list_price", "admin_products.list_price", s.list_price.map(money).unwrap_or_default()),
            ("weight_grams", "admin_products.weight", s.weight_grams.to_string()),
        ]
    }
    fn attrs(&self, s: &Sku) -> String {
        s.attrs.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ")
    }
    fn when(&self, ms: &i64) -> String {
        crate::pages::datetime(*ms)
    }
    fn is_failed(&self, sku: &i64) -> bool {
        self.failed == Failed::Sku(*sku)
    }
    fn sku_error(&self, sku: &i64, field: &str) -> Option<&str> {
        if self.failed == Failed::Sku(*sku) { self.form.error(field) } else { None }
    }
    fn image_error(&self, image: &i64, field: &str) -> Option<&str> {
        if self.failed == Failed::Image(*image) { self.form.error(field) } else { None }
    }
    /// The alt text shown in an image's form: as typed when that form failed.
    fn image_alt<'a>(&'a self, image: &'a agora_app::catalog::Image) -> &'a str {
        if self.failed == Failed::Image(image.id) { self.form.value("alt") } else { &image.alt }
    }
}

pub(super) async fn show_product(
    state: &AppState,
    ctx: Ctx,
    c: &Console<ManageCatalog>,
    id: i64,
    form: FormState,
    failed: Failed,
) -> PageResult {
    let p = products::get(&state.app, id).await?;
    let title = p.title(ctx.locale).to_string();
    let form = super::product_details::prefill(form, &p);
    let status = if form.has_errors() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render(status, &ProductPage { ctx, menu: c.menu.clone(), heading: "admin.products", p, title, form, failed })
}

pub async fn product(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Path(id): Path<i64>,
) -> PageResult {
    show_product(&state, ctx, &c, id, FormState::default(), Failed::Other).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SkuForm {
    price: String,
    list_price: String,
    weight_grams: String,
    active: String,
}

pub async fn update_sku(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Path((id, sku)): Path<(i64, i64)>,
    Form(f): Form<SkuForm>,
) -> PageResult {
    let product = products::get(&state.app, id).await?;
    if !product.skus.iter().any(|s| s.id == sku) {
        return Err(crate::pages::ctx::PageError::not_found());
    }
    let mut form = FormState::default()
        .keep("price", &f.price)
        .keep("list_price", &f.list_price)
        .keep("weight_grams", &f.weight_grams);
    let price = parse_amount(&f.price);
    let list_price = given(&f.list_price).map(|t| parse_amount(&t));
    let weight = f.weight_grams.trim().parse::<i64>().ok();
    if price.is_none() {
        form = form.field_error("price", ctx.t("admin_orders.bad_amount"));
    }
    if list_price.is_some_and(|p| p.is_none()) {
        form = form.field_error("list_price", ctx.t("admin_orders.bad_amount"));
    }
    if weight.is_none() {
        form = form.field_error("weight_grams", ctx.t("admin_inventory.bad_number"));
    }
    if form.has_errors() {
        return show_product(&state, ctx, &c, id, form.with_notice("admin_orders.refused"), Failed::Sku(sku)).await;
    }
    let patch = SkuPatch {
        price,
        list_price: Some(list_price.flatten()),
        weight_grams: weight,
        barcode: None,
        active: Some(f.active == "yes"),
    };
    match skus::update(&state.app, &c.actor, sku, &patch).await {
        Ok(_) => Ok(see_other(&format!("/admin/products/{id}"), None)),
        Err(e @ AppError::Validation(_)) => {
            let form = form.absorb(e, &[])?;
            show_product(&state, ctx, &c, id, form, Failed::Sku(sku)).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `YYYY-MM-DDTHH:MM` (a datetime-local input, read as UTC) as epoch ms.
pub fn parse_local(text: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let t = time::PrimitiveDateTime::parse(text.trim(), &format).ok()?;
    Some(t.assume_utc().unix_timestamp() * 1000)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    /// list or delist.
    action: String,
    publish_at: String,
    confirm: String,
}

pub async fn product_status(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageCatalog>,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> PageResult {
    let form = FormState::default().keep("publish_at", &f.publish_at);
    let result = match f.action.as_str() {
        "list" => {
            let at = match given(&f.publish_at) {
                None => None,
                Some(t) => match parse_local(&t) {
                    Some(ms) => Some(ms),
                    None => {
                        let form = form.field_error("publish_at", ctx.t("admin_products.bad_datetime"));
                        return show_product(
                            &state,
                            ctx,
                            &c,
                            id,
                            form.with_notice("admin_orders.refused"),
                            Failed::Other,
                        )
                        .await;
                    }
                },
            };
            lifecycle::publish(&state.app, &c.actor, id, at).await.map(|_| ())
        }
        "delist" if f.confirm != "yes" => {
            let form = form.field_error("confirm", ctx.t("admin_ui.confirm_required"));
            return show_product(&state, ctx, &c, id, form.with_notice("admin_orders.refused"), Failed::Other).await;
        }
        "delist" => lifecycle::delist(&state.app, &c.actor, id).await.map(|_| ()),
        _ => return Err(crate::pages::ctx::PageError::bad_request()),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/admin/products/{id}"), None)),
        Err(AppError::Conflict { message, .. }) => {
            let form = form.field_error("status", &message).with_notice("admin_orders.refused");
            show_product(&state, ctx, &c, id, form, Failed::Other).await
        }
        Err(e @ AppError::Validation(_)) => {
            let form = form.absorb(e, &[])?;
            show_product(&state, ctx, &c, id, form, Failed::Other).await
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_pairs() {
        assert_eq!(pairs("color: red, blue\n\n size : S").unwrap().len(), 2);
        assert!(pairs("no colon here").is_err());
    }

    #[test]
    fn use_case_fields_map_to_inputs() {
        assert_eq!(input_for("sku_matrix.axes.color"), "axes");
        assert_eq!(input_for("texts.zh-CN.title"), "title_zh_cn");
        assert_eq!(input_for("texts"), "title_en");
        assert_eq!(input_for("tags[2]"), "tags");
        assert_eq!(input_for("sku_matrix.price"), "price");
    }

    #[test]
    fn datetime_local_is_utc() {
        assert_eq!(parse_local("1970-01-02T00:01"), Some(86_460_000));
        assert_eq!(parse_local("tomorrow"), None);
    }
}
