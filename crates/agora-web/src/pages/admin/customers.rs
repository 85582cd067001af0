//! Customers: the list (search by e-mail or phone; phone numbers masked) and one
//! customer's account with their orders. ViewCustomers.

use agora_app::customers::{self, CustomerQuery};
use agora_app::orders;
use askama::Template;
use axum::extract::{Path, State};
use serde::Deserialize;

use super::{Console, MenuItem, money, opt};
use crate::extract::ViewCustomers;
use crate::input::Query;
use crate::pages::ctx::{Ctx, PageResult, page};
use crate::pages::form::FormState;
use crate::pages::pager::Pager;
use crate::state::AppState;

/// A phone number with its middle hidden: `+8613800138000` → `+86138****8000`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..chars.len() - 8].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

#[derive(Debug, Default, Deserialize)]
pub struct CustomerFilters {
    pub q: Option<String>,
    pub cursor: Option<String>,
    /// Cursors of the earlier pages (see `pages::pager`).
    pub back: Option<String>,
}

pub struct CustomerView {
    pub id: i64,
    pub email: String,
    pub phone: String,
    pub name: String,
    pub status: String,
    pub created: String,
}

fn view(c: customers::CustomerRow) -> CustomerView {
    CustomerView {
        id: c.id,
        email: c.email.unwrap_or_default(),
        phone: c.phone.as_deref().map(mask_phone).unwrap_or_default(),
        name: c.display_name,
        status: c.status,
        created: crate::pages::date(c.created_at),
    }
}

#[derive(Template)]
#[template(path = "admin/customers.html")]
struct CustomersPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    filters: FormState,
    rows: Vec<CustomerView>,
    pager: Pager,
}

pub async fn customers(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ViewCustomers>,
    Query(f): Query<CustomerFilters>,
) -> PageResult {
    let q = CustomerQuery { search: opt(&f.q), cursor: opt(&f.cursor), limit: Some(20) };
    let list = customers::list(&state.app, &q).await?;
    let search = f.q.clone().unwrap_or_default();
    let next = Pager::new(
        "/admin/customers",
        &[("q", &search)],
        opt(&f.cursor).as_deref(),
        f.back.as_deref(),
        list.next_cursor.as_deref(),
    );
    let rows = list.items.into_iter().map(view).collect();
    let filters = FormState::default().keep("q", &search);
    page(&CustomersPage { ctx, menu: c.menu, heading: "admin.customers", filters, rows, pager: next })
}

pub struct CustomerOrder {
    pub id: i64,
    pub number: String,
    pub status: &'static str,
    pub total: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "admin/customer.html")]
struct CustomerPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    customer: CustomerView,
    orders: Vec<CustomerOrder>,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
pub struct Cursor {
    pub cursor: Option<String>,
    /// Cursors of the earlier pages (see `pages::pager`).
    pub back: Option<String>,
}

pub async fn customer(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ViewCustomers>,
    Path(id): Path<i64>,
    Query(p): Query<Cursor>,
) -> PageResult {
    let customer = view(customers::get(&state.app, id).await?);
    let list = orders::customer_orders(&state.app, id, opt(&p.cursor).as_deref(), Some(20)).await?;
    let next = Pager::new(
        &format!("/admin/customers/{id}"),
        &[],
        opt(&p.cursor).as_deref(),
        p.back.as_deref(),
        list.next_cursor.as_deref(),
    );
    let orders = list
        .items
        .into_iter()
        .map(|o| CustomerOrder {
            id: o.id,
            number: o.number,
            status: o.status.as_str(),
            total: format!("{} {}", money(o.grand_total), o.currency),
            created: crate::pages::datetime(o.created_at),
        })
        .collect();
    page(&CustomerPage { ctx, menu: c.menu, heading: "admin.customers", customer, orders, pager: next })
}

#[cfg(test)]
mod tests {
    use super::mask_phone;

    #[test]
    fn phones_are_masked() {
        assert_eq!(mask_phone("13800138000"), "138****8000");
        assert_eq!(mask_phone("+8613800138000"), "+86138****8000");
        assert_eq!(mask_phone("1234567"), "*******");
    }
}
