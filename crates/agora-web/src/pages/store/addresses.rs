//! The customer's address book: list, add, edit, delete, make default.

use std::collections::HashMap;

use agora_app::cart::{self, Address, SavedAddress};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::checkout::ADDRESS_FIELDS;
use crate::pages::ctx::{Ctx, PageResult, page, render, see_other};
use crate::pages::form::{Form, FormState};
use crate::pages::guard::CustomerPage;
use crate::state::AppState;

pub struct Row {
    pub id: i64,
    pub text: String,
    pub is_default: bool,
}

#[derive(Template)]
#[template(path = "store/addresses.html")]
struct ListPage {
    ctx: Ctx,
    rows: Vec<Row>,
}

fn text(a: &Address) -> String {
    [&a.recipient, &a.phone, &a.line1, &a.line2, &a.district, &a.city, &a.province, &a.postal_code, &a.country]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn list(State(state): State<AppState>, ctx: Ctx, who: CustomerPage) -> PageResult {
    let rows = cart::list_addresses(&state.app, who.customer_id)
        .await?
        .into_iter()
        .map(|a: SavedAddress| Row { id: a.id, text: text(&a.address), is_default: a.is_default })
        .collect();
    page(&ListPage { ctx, rows })
}

#[derive(Template)]
#[template(path = "store/address_form.html")]
struct FormPage {
    ctx: Ctx,
    form: FormState,
    /// Where the form posts.
    action: String,
    is_default: bool,
}

impl FormPage {
    pub fn fields(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &ADDRESS_FIELDS
    }
}

fn filled(a: &Address) -> FormState {
    let v = serde_json::to_value(a).unwrap_or_default();
    ADDRESS_FIELDS.iter().fold(FormState::default(), |f, (n, _, _)| f.keep(n, v[*n].as_str().unwrap_or_default()))
}

pub async fn new_form(ctx: Ctx, _who: CustomerPage) -> PageResult {
    page(&FormPage { ctx, form: FormState::default(), action: "/account/addresses".into(), is_default: false })
}

pub async fn edit_form(State(state): State<AppState>, ctx: Ctx, who: CustomerPage, Path(id): Path<i64>) -> PageResult {
    let a = cart::get_address(&state.app, who.customer_id, id).await?;
    let action = format!("/account/addresses/{id}");
    page(&FormPage { ctx, form: filled(&a.address), action, is_default: a.is_default })
}

fn from_form(f: &HashMap<String, String>) -> Address {
    let v = |n: &str| f.get(n).map(|s| s.trim().to_string()).unwrap_or_default();
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

async fn save(state: &AppState, ctx: Ctx, customer: i64, id: Option<i64>, f: HashMap<String, String>) -> PageResult {
    let address = from_form(&f);
    let make_default = f.get("is_default").is_some_and(|v| v == "1");
    let result = match id {
        Some(id) => cart::update_address(&state.app, customer, id, address.clone(), make_default).await,
        None => cart::create_address(&state.app, customer, address.clone(), make_default).await,
    };
    match result {
        Ok(_) => Ok(see_other("/account/addresses", None)),
        Err(e) => {
            let form = filled(&address).absorb(e, &[])?;
            let action = id.map_or_else(|| "/account/addresses".to_string(), |id| format!("/account/addresses/{id}"));
            render(StatusCode::UNPROCESSABLE_ENTITY, &FormPage { ctx, form, action, is_default: make_default })
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    who: CustomerPage,
    Form(f): Form<HashMap<String, String>>,
) -> PageResult {
    save(&state, ctx, who.customer_id, None, f).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    who: CustomerPage,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> PageResult {
    save(&state, ctx, who.customer_id, Some(id), f).await
}

pub async fn delete(State(state): State<AppState>, who: CustomerPage, Path(id): Path<i64>) -> PageResult {
    cart::delete_address(&state.app, who.customer_id, id).await?;
    Ok(see_other("/account/addresses", None))
}

pub async fn make_default(State(state): State<AppState>, who: CustomerPage, Path(id): Path<i64>) -> PageResult {
    let a = cart::get_address(&state.app, who.customer_id, id).await?;
    cart::update_address(&state.app, who.customer_id, id, a.address, true).await?;
    Ok(see_other("/account/addresses", None))
}
