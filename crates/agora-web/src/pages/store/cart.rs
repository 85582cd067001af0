//! The cart page and its forms. A guest's cart token lives in the HttpOnly `agora_cart`
//! cookie; a customer uses their account's open cart (the login hook merges the guest's).

use agora_app::AppError;
use agora_app::cart::{self, CartView};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use serde::Deserialize;

use super::{CART_COOKIE, money, safe_slug};
use crate::pages::ctx::{Ctx, PageResult, cookie, page, see_other, set_cookie};
use crate::pages::form::Form;
use crate::state::AppState;

const CART_COOKIE_SECS: i64 = 30 * 24 * 3600;

/// The visitor's open cart, if any; with `create`, one is made (and for a guest the
/// returned cookie must be set).
pub async fn current(
    state: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    create: bool,
) -> Result<Option<(CartView, Option<HeaderValue>)>, AppError> {
    let app = &state.app;
    if let Some(customer) = customer_id(ctx) {
        return Ok(match (cart::customer_cart(app, customer).await?, create) {
            (Some(c), _) => Some((c, None)),
            (None, true) => Some((cart::create_cart(app, Some(customer)).await?, None)),
            (None, false) => None,
        });
    }
    if let Some(token) = cookie(headers, CART_COOKIE) {
        match cart::get_cart(app, token, None).await {
            Ok(c) if c.status == "open" => return Ok(Some((c, None))),
            Ok(_) | Err(AppError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    if !create {
        return Ok(None);
    }
    let c = cart::create_cart(app, None).await?;
    let set = set_cookie(CART_COOKIE, &c.token, CART_COOKIE_SECS, ctx.secure);
    Ok(Some((c, Some(set))))
}

pub fn customer_id(ctx: &Ctx) -> Option<i64> {
    match ctx.viewer {
        Some(agora_app::auth::Principal::Customer { customer_id, .. }) => Some(customer_id),
        _ => None,
    }
}

/// A cart line as shown.
pub struct Line {
    pub sku_id: i64,
    pub title: String,
    pub variant: String,
    pub unit_price: String,
    pub quantity: i64,
    pub total: String,
    pub in_stock: bool,
    pub purchasable: bool,
}

/// Every amount of the cart totals, formatted.
pub struct Amounts {
    pub subtotal: String,
    pub discount: Option<String>,
    pub shipping: String,
    pub tax: String,
    pub grand_total: String,
}

pub fn amounts(view: &CartView) -> Amounts {
    let t = &view.totals;
    let c = view.currency.as_str();
    Amounts {
        subtotal: money(t.subtotal, c),
        discount: (t.discount_total > 0).then(|| money(-t.discount_total, c)),
        shipping: money(t.shipping_total, c),
        tax: money(t.tax_total, c),
        grand_total: money(t.grand_total, c),
    }
}

pub fn lines(view: &CartView) -> Vec<Line> {
    view.lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let variant = l
                .attrs
                .as_object()
                .map(|o| o.values().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(" / "))
                .unwrap_or_default();
            let total = view.totals.lines.get(i).map_or(l.unit_price * l.quantity, |t| t.subtotal);
            Line {
                sku_id: l.sku_id,
                title: l.title.clone(),
                variant,
                unit_price: money(l.unit_price, &view.currency),
                quantity: l.quantity,
                total: money(total, &view.currency),
                in_stock: l.in_stock,
                purchasable: l.purchasable,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "store/cart.html")]
struct CartPage {
    ctx: Ctx,
    lines: Vec<Line>,
    amounts: Option<Amounts>,
    problem: Option<&'static str>,
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap, RawQuery(raw): RawQuery) -> PageResult {
    let problem = raw
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "problem").map(|(_, v)| problem_key(&v)));
    let (lines, amounts) = match current(&state, &ctx, &headers, false).await? {
        Some((mut view, _)) => {
            cart::localize(&state.app, &mut view, ctx.locale).await?;
            (lines(&view), (!view.lines.is_empty()).then(|| amounts(&view)))
        }
        None => (Vec::new(), None),
    };
    page(&CartPage { ctx, lines, amounts, problem })
}

fn problem_key(code: &str) -> &'static str {
    match code {
        "stock" => "product.problem_stock",
        "full" => "store.cart_full",
        _ => "product.problem_invalid",
    }
}

/// The `?problem=` code for a refused cart change; other errors are page errors.
fn problem_code(e: AppError) -> Result<&'static str, AppError> {
    match e {
        AppError::InsufficientStock { .. } => Ok("stock"),
        AppError::Conflict { code: "insufficient_stock", .. } => Ok("stock"),
        AppError::Conflict { code: "cart_full", .. } => Ok("full"),
        AppError::Validation(_) | AppError::Conflict { .. } => Ok("invalid"),
        other => Err(other),
    }
}

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    sku_id: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    slug: String,
}

fn quantity(raw: &str) -> i64 {
    raw.trim().parse().unwrap_or(0)
}

/// Adds a SKU to the cart (creating the cart), then shows the cart.
pub async fn add(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap, Form(f): Form<AddForm>) -> PageResult {
    let back = safe_slug(&f.slug).map_or_else(|| "/cart".to_string(), |s| format!("/p/{s}"));
    let Ok(sku_id) = f.sku_id.trim().parse::<i64>() else {
        return Ok(see_other(&format!("{back}?problem=invalid"), None));
    };
    let Some((view, set)) = current(&state, &ctx, &headers, true).await? else {
        return Err(crate::pages::ctx::PageError::internal());
    };
    let result = cart::add_line(&state.app, &view.token, customer_id(&ctx), sku_id, quantity(&f.quantity)).await;
    let response = match result {
        Ok(_) => see_other("/cart", None),
        Err(e) => see_other(&format!("{back}?problem={}", problem_code(e)?), None),
    };
    Ok(with_cookie(response, set))
}

fn with_cookie(mut response: Response, set: Option<HeaderValue>) -> Response {
    if let Some(c) = set {
        response.headers_mut().append(axum::http::header::SET_COOKIE, c);
    }
    response
}

#[derive(Deserialize)]
pub struct LineForm {
    #[serde(default)]
    sku_id: String,
    #[serde(default)]
    quantity: String,
}

/// Changes a line's quantity (0 removes it).
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(f): Form<LineForm>,
) -> PageResult {
    change(&state, &ctx, &headers, &f.sku_id, Some(quantity(&f.quantity))).await
}

pub async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(f): Form<LineForm>,
) -> PageResult {
    change(&state, &ctx, &headers, &f.sku_id, None).await
}

async fn change(state: &AppState, ctx: &Ctx, headers: &HeaderMap, sku: &str, qty: Option<i64>) -> PageResult {
    let Some((view, _)) = current(state, ctx, headers, false).await? else {
        return Ok(see_other("/cart", None));
    };
    let Ok(sku_id) = sku.trim().parse::<i64>() else {
        return Ok(see_other("/cart?problem=invalid", None));
    };
    let customer = customer_id(ctx);
    let result = match qty {
        Some(q) if q > 0 => cart::set_line(&state.app, &view.token, customer, sku_id, q).await,
        _ => cart::remove_line(&state.app, &view.token, customer, sku_id).await,
    };
    match result {
        Ok(_) => Ok(see_other("/cart", None)),
        Err(e) => Ok(see_other(&format!("/cart?problem={}", problem_code(e)?), None)),
    }
}
