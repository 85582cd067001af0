//! Checkout: contact e-mail (guests), address (typed in or from the address book),
//! shipping method or store pickup, the summary with every amount, and placing the order.
//!
//! Each render of the form carries a fresh random idempotency key in a hidden field; the
//! order is placed with it, so submitting the same form twice yields one order.

use std::collections::HashMap;

use agora_app::auth::Principal;
use agora_app::cart::{self, Address, AddressChoice, CartView, SavedAddress, ShippingOption};
use agora_app::{AppError, crypto, orders};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};

use super::cart::{Amounts, Line, amounts, current, customer_id, lines};
use super::{money, order_cookie};
use crate::pages::ctx::{Ctx, PageResult, render, see_other, set_cookie};
use crate::pages::form::{Form, FormState};
use crate::state::AppState;

/// The address inputs, in form order (`address.<name>`).
pub const ADDRESS_FIELDS: [(&str, &str, &str); 9] = [
    ("recipient", "checkout.recipient", "name"),
    ("phone", "checkout.phone", "tel"),
    ("country", "checkout.country", "country-name"),
    ("province", "checkout.province", "address-level1"),
    ("city", "checkout.city", "address-level2"),
    ("district", "checkout.district", "address-level3"),
    ("line1", "checkout.line1", "address-line1"),
    ("line2", "checkout.line2", "address-line2"),
    ("postal_code", "checkout.postal_code", "postal-code"),
];

pub struct MethodOption {
    pub id: i64,
    pub name: String,
    pub fee: String,
    pub total: String,
    pub pickup: bool,
    pub checked: bool,
}

pub struct LocationOption {
    pub id: i64,
    pub label: String,
    pub selected: bool,
}

pub struct SavedOption {
    pub id: i64,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "store/checkout.html")]
struct CheckoutPage {
    ctx: Ctx,
    form: FormState,
    key: String,
    guest: bool,
    lines: Vec<Line>,
    amounts: Amounts,
    methods: Vec<MethodOption>,
    locations: Vec<LocationOption>,
    saved: Vec<SavedOption>,
    use_new_address: bool,
}

impl CheckoutPage {
    pub fn address_fields(&self) -> Vec<(String, &'static str, &'static str)> {
        ADDRESS_FIELDS.iter().map(|(n, l, a)| (format!("address.{n}"), *l, *a)).collect()
    }
}

fn address_label(a: &Address) -> String {
    [&a.recipient, &a.phone, &a.city, &a.line1]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The form filled from the cart (first render) — what the visitor chose before.
fn prefill(view: &CartView) -> FormState {
    let mut form = FormState::default();
    if let Some(email) = &view.email {
        form = form.keep("email", email);
    }
    if let Some(a) = &view.shipping_address {
        let v = serde_json::to_value(a).unwrap_or_default();
        for (name, _, _) in ADDRESS_FIELDS {
            form = form.keep(&format!("address.{name}"), v[name].as_str().unwrap_or_default());
        }
    }
    if let Some(s) = &view.shipping {
        form = form.keep("method_id", &s.method_id.to_string());
    }
    if let Some(l) = view.pickup_location_id {
        form = form.keep("pickup_location_id", &l.to_string());
    }
    form
}

async fn render_page(
    state: &AppState,
    ctx: Ctx,
    view: &CartView,
    form: FormState,
    key: String,
    status: StatusCode,
) -> PageResult {
    let app = &state.app;
    let customer = customer_id(&ctx);
    let options: Vec<ShippingOption> = cart::shipping_options(app, &view.token, customer).await?;
    let chosen = form.value("method_id").to_string();
    let methods = options
        .iter()
        .map(|o| MethodOption {
            id: o.method.id,
            name: o.method.name.clone(),
            fee: money(o.fee, &view.currency),
            total: money(o.grand_total, &view.currency),
            pickup: o.method.is_pickup(),
            checked: chosen == o.method.id.to_string(),
        })
        .collect();
    let chosen_location = form.value("pickup_location_id").to_string();
    let locations = cart::list_pickup_locations(app, false)
        .await?
        .into_iter()
        .map(|l| LocationOption {
            label: format!("{} — {} ({})", l.name, l.address, l.hours),
            selected: chosen_location == l.id.to_string(),
            id: l.id,
        })
        .collect();
    let book: Vec<SavedAddress> = match customer {
        Some(id) => cart::list_addresses(app, id).await?,
        None => Vec::new(),
    };
    let chosen_saved = form.value("address_id").to_string();
    let use_new_address = book.is_empty() || chosen_saved == "new";
    let saved = book
        .iter()
        .map(|a| SavedOption {
            id: a.id,
            label: address_label(&a.address),
            checked: chosen_saved == a.id.to_string() || (chosen_saved.is_empty() && a.is_default),
        })
        .collect();
    let mut view = view.clone();
    cart::localize(app, &mut view, ctx.locale).await?;
    let page = CheckoutPage {
        guest: !matches!(ctx.viewer, Some(Principal::Customer { .. })),
        lines: lines(&view),
        amounts: amounts(&view),
        methods,
        locations,
        saved,
        use_new_address,
        form,
        key,
        ctx,
    };
    render(status, &page)
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap) -> PageResult {
    let Some((view, _)) = current(&state, &ctx, &headers, false).await? else {
        return Ok(Redirect::to("/cart").into_response());
    };
    if view.lines.is_empty() {
        return Ok(Redirect::to("/cart").into_response());
    }
    let form = prefill(&view);
    render_page(&state, ctx, &view, form, crypto::new_token(), StatusCode::OK).await
}

/// Collects the field messages of a refused step; other errors end the request.
fn step(form: FormState, result: Result<CartView, AppError>) -> Result<FormState, AppError> {
    match result {
        Ok(_) => Ok(form),
        Err(e) => form.absorb(e, &[("address_id", "address_id")]),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> PageResult {
    let value = |k: &str| f.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let key = value("key");
    let customer = customer_id(&ctx);
    let token = match headers_cart(&state, &ctx, &headers).await? {
        Some(t) => t,
        None => return Ok(Redirect::to("/cart").into_response()),
    };
    let app = &state.app;
    let view = cart::get_cart(app, &token, customer).await?;
    // A cart already ordered means this form was submitted before: place again with the
    // same key, which answers the same order.
    if view.status == "open" {
        let mut form = FormState::default();
        for k in ["email", "method_id", "pickup_location_id", "address_id"] {
            form = form.keep(k, &value(k));
        }
        for (name, _, _) in ADDRESS_FIELDS {
            let k = format!("address.{name}");
            form = form.keep(&k, &value(&k));
        }
        if customer.is_none() {
            form = step(form, cart::set_email(app, &token, None, &value("email")).await)?;
        }
        let methods = cart::list_shipping_methods(app, false).await?;
        let method = value("method_id").parse::<i64>().ok().and_then(|id| methods.into_iter().find(|m| m.id == id));
        let pickup = method.as_ref().is_some_and(|m| m.is_pickup());
        match &method {
            None => form = form.field_error("method_id", "choose a shipping method"),
            Some(m) => {
                let location =
                    if pickup { Some(value("pickup_location_id").parse::<i64>().unwrap_or(0)) } else { None };
                form = step(form, cart::choose_shipping(app, &token, customer, m.id, location).await)?;
            }
        }
        if !pickup {
            let choice = match value("address_id").parse::<i64>() {
                Ok(id) if customer.is_some() => AddressChoice::Saved(id),
                _ => AddressChoice::Inline(Box::new(address_from(&value))),
            };
            form = step(form, cart::set_address(app, &token, customer, choice).await)?;
        }
        if form.has_errors() {
            let form = if form.notice.is_none() { form.with_notice("account.form_invalid") } else { form };
            let view = cart::get_cart(app, &token, customer).await?;
            return render_page(&state, ctx, &view, form, key, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    }
    place(&state, ctx, &token, &key, customer).await
}

async fn headers_cart(state: &AppState, ctx: &Ctx, headers: &HeaderMap) -> Result<Option<String>, AppError> {
    if let Some(t) = crate::pages::ctx::cookie(headers, super::CART_COOKIE).filter(|_| customer_id(ctx).is_none()) {
        return Ok(Some(t.to_string()));
    }
    Ok(current(state, ctx, headers, false).await?.map(|(v, _)| v.token))
}

fn address_from(value: &impl Fn(&str) -> String) -> Address {
    let v = |n: &str| value(&format!("address.{n}"));
    Address {
        recipient: v("recipient"),
        phone: v("phone"),
        country: v("country"),
        province: v("province"),
        city: v("city"),
        district: v("district"),
        line1: v("line1"),
        line2: v("line2"),
        postal_code: v("postal_code"),
    }
}

async fn place(state: &AppState, ctx: Ctx, token: &str, key: &str, customer: Option<i64>) -> PageResult {
    let app = &state.app;
    match orders::place(app, token, key, customer).await {
        Ok(placed) => {
            let ids: Vec<i64> = placed.orders.iter().map(|o| o.id).collect();
            let Some(&first) = ids.first() else { return Err(crate::pages::ctx::PageError::internal()) };
            let mut response = see_other(&format!("/orders/{first}"), None);
            if customer.is_none() {
                let access = match placed.access_token {
                    Some(t) => t,
                    None => orders::reissue_access_token(app, &ids).await?,
                };
                for id in ids {
                    let c = set_cookie(&order_cookie(id), &access, 90 * 24 * 3600, ctx.secure);
                    response.headers_mut().append(header::SET_COOKIE, c);
                }
            }
            Ok(response)
        }
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. } | AppError::InsufficientStock { .. })) => {
            let notice = match &e {
                AppError::InsufficientStock { .. } | AppError::Conflict { code: "insufficient_stock", .. } => {
                    "product.problem_stock"
                }
                AppError::Validation(_) => "account.form_invalid",
                _ => "checkout.cannot_place",
            };
            let view = cart::get_cart(app, token, customer).await?;
            if view.status != "open" {
                return Ok(see_other("/cart", None));
            }
            let mut form = match e {
                AppError::Validation(_) => prefill(&view).absorb(e, &[])?,
                _ => prefill(&view),
            };
            form.notice = Some(notice);
            render_page(state, ctx, &view, form, crypto::new_token(), StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}
