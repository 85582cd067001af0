//! Order pages: the order (customers by session, guests by the HttpOnly `agora_order_<id>`
//! cookie set at checkout; anyone else 404), paying through the provider, coming back from
//! the provider's page, and the customer's order list.

use agora_app::orders::{self, OrderDetail, OrderSummary, Viewer};
use agora_app::payments::{self, sandbox};
use agora_app::{AppError, fulfilment::ShipmentView};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};

use super::cart::customer_id;
use super::{money, order_cookie};
use crate::pages::ctx::{Ctx, PageError, PageResult, cookie, page};
use crate::pages::guard::CustomerPage;
use crate::pages::pager::Pager;
use crate::state::AppState;

/// Who may be looking at order `id`: the logged-in customer and/or the cookie's guest token.
fn viewers(ctx: &Ctx, headers: &HeaderMap, id: i64) -> Vec<Viewer> {
    let mut out = Vec::new();
    if let Some(c) = customer_id(ctx) {
        out.push(Viewer::Customer(c));
    }
    if let Some(token) = cookie(headers, &order_cookie(id)) {
        out.push(Viewer::Guest(token.to_string()));
    }
    out
}

async fn visible(
    state: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    id: i64,
) -> Result<(OrderDetail, Viewer), PageError> {
    for viewer in viewers(ctx, headers, id) {
        match orders::find_for(&state.app, id, &viewer).await {
            Ok(row) => return Ok((orders::detail(&state.app, row).await?, viewer)),
            Err(AppError::NotFound { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(PageError::not_found())
}

pub struct OrderLineView {
    pub title: String,
    pub variant: String,
    pub quantity: i64,
    pub unit_price: String,
    pub total: String,
}

pub struct OrderAmounts {
    pub subtotal: String,
    pub discount: Option<String>,
    pub shipping: String,
    pub tax: String,
    pub grand_total: String,
    pub paid: String,
    pub refunded: Option<String>,
}

#[derive(Template)]
#[template(path = "store/order.html")]
struct OrderPage {
    ctx: Ctx,
    o: OrderDetail,
    status: String,
    lines: Vec<OrderLineView>,
    amounts: OrderAmounts,
    awaiting: bool,
    payable: bool,
    address: Option<String>,
    shipments: Vec<ShipmentView>,
}

impl OrderPage {
    pub fn when(&self, ms: &i64) -> String {
        crate::pages::datetime(*ms)
    }

    /// A shipment or tracking-event status (`in_transit`…) in the page's language.
    pub fn tracking(&self, status: &str) -> String {
        self.ctx.t(&format!("orders.tracking_{status}")).to_string()
    }
}

fn status_key(status: &str) -> String {
    format!("orders.status_{status}")
}

fn variant(attrs: &str) -> String {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(attrs)
        .map(|o| o.values().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(" / "))
        .unwrap_or_default()
}

fn address_text(a: &serde_json::Value) -> String {
    ["recipient", "phone", "line1", "line2", "district", "city", "province", "postal_code", "country"]
        .iter()
        .filter_map(|k| a[*k].as_str().filter(|s| !s.is_empty()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `/orders/{id}` and `/account/orders/{id}`.
pub async fn show(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap, Path(id): Path<i64>) -> PageResult {
    let (o, _) = visible(&state, &ctx, &headers, id).await?;
    let c = o.summary.currency.clone();
    let lines = o
        .lines
        .iter()
        .map(|l| OrderLineView {
            title: l.title.clone(),
            variant: variant(&l.attrs),
            quantity: l.quantity,
            unit_price: money(l.unit_price, &c),
            total: money(l.total, &c),
        })
        .collect();
    let amounts = OrderAmounts {
        subtotal: money(o.subtotal, &c),
        discount: (o.discount_total > 0).then(|| money(-o.discount_total, &c)),
        shipping: money(o.shipping_total, &c),
        tax: money(o.tax_total, &c),
        grand_total: money(o.summary.grand_total, &c),
        paid: money(o.summary.paid_total, &c),
        refunded: (o.summary.refunded_total > 0).then(|| money(o.summary.refunded_total, &c)),
    };
    let status = o.summary.status.as_str().to_string();
    let pending = status == "pending_payment";
    let started = pending && has_started_payment(&state, id).await?;
    page(&OrderPage {
        status: status_key(&status),
        awaiting: started,
        payable: pending,
        address: o.shipping_address.as_ref().map(address_text),
        shipments: o.shipments.clone(),
        lines,
        amounts,
        o,
        ctx,
    })
}

/// True when a payment of the order succeeded at the provider but the shop has not been
/// notified yet (the page then says so and refreshes itself).
async fn has_started_payment(state: &AppState, order_id: i64) -> Result<bool, PageError> {
    let list = payments::store::payments_of(state.app.db.reader(), order_id).await?;
    for p in list.iter().filter(|p| p.status == "pending") {
        if let Ok(s) = sandbox::find(&state.app, &p.provider_ref).await
            && s.status == "succeeded"
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Starts a payment and sends the buyer to the provider's page.
pub async fn pay(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap, Path(id): Path<i64>) -> PageResult {
    let (_, viewer) = visible(&state, &ctx, &headers, id).await?;
    match payments::create_payment(&state.app, id, &viewer).await {
        Ok(p) => Ok(Redirect::to(&p.pay_url).into_response()),
        Err(AppError::Conflict { .. }) => Ok(Redirect::to(&format!("/orders/{id}")).into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Back from the provider's page (`/orders/return/{payment id}`) to the order.
pub async fn payment_return(State(state): State<AppState>, Path(payment): Path<String>) -> PageResult {
    let p = sandbox::find(&state.app, &payment).await?;
    let id = orders::id_by_number(&state.app, &p.merchant_ref).await?;
    Ok(Redirect::to(&format!("/orders/{id}")).into_response())
}

pub struct OrderRowView {
    pub id: i64,
    pub number: String,
    pub date: String,
    pub status: String,
    pub total: String,
}

#[derive(Template)]
#[template(path = "store/orders.html")]
struct OrdersPage {
    ctx: Ctx,
    rows: Vec<OrderRowView>,
    pager: Pager,
}

/// `/account/orders`: the customer's orders, newest first, paginated.
pub async fn list(State(state): State<AppState>, ctx: Ctx, who: CustomerPage, RawQuery(raw): RawQuery) -> PageResult {
    let param = |name: &str| {
        raw.as_deref()
            .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned()))
    };
    let (cursor, back) = (param("cursor"), param("back"));
    let page_of = orders::customer_orders(&state.app, who.customer_id, cursor.as_deref(), Some(20)).await?;
    let rows = page_of
        .items
        .iter()
        .map(|o: &OrderSummary| OrderRowView {
            id: o.id,
            number: o.number.clone(),
            date: crate::pages::date(o.created_at),
            status: status_key(o.status.as_str()),
            total: money(o.grand_total, &o.currency),
        })
        .collect();
    let pager = Pager::new("/account/orders", &[], cursor.as_deref(), back.as_deref(), page_of.next_cursor.as_deref());
    page(&OrdersPage { ctx, rows, pager })
}
