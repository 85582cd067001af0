//! Orders: the filtered list, the detail page (lines, amounts, payments, history,
//! shipments with their timeline) and its forms: ship, add a tracking event, cancel,
//! refund. Viewing needs ViewOrders, shipping and cancelling ManageOrders, refunds Refund.

use agora_app::AppError;
use agora_app::auth::Permission;
use agora_app::fulfilment::{self, NewShipment, NewTrackingEvent, TRACKING_STATUSES};
use agora_app::orders::{self, OrderDetail, StaffOrderQuery, Viewer};
use agora_app::payments::{self, PaymentsOverview};
use agora_domain::OrderStatus;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use super::{Console, MenuItem, money, opt};
use crate::extract::{ManageOrders, Refund, ViewOrders};
use crate::input::Query;
use crate::pages::ctx::{Ctx, PageResult, page, render, see_other};
use crate::pages::form::{Form, FormState};
use crate::pages::pager::Pager;
use crate::state::AppState;

/// Filters of the order list, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct OrderFilters {
    pub status: Option<String>,
    pub customer: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub cursor: Option<String>,
    /// Cursors of the earlier pages (see `pages::pager`).
    pub back: Option<String>,
}

pub struct OrderRowView {
    pub id: i64,
    pub number: String,
    pub status: &'static str,
    pub payment: String,
    pub customer: String,
    pub total: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "admin/orders.html")]
struct OrdersPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    statuses: Vec<&'static str>,
    filters: FormState,
    rows: Vec<OrderRowView>,
    pager: Pager,
}

/// `YYYY-MM-DD` as the epoch ms of its UTC midnight.
fn day_ms(text: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text, &format).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp() * 1000)
}

/// Turns typed filters into a query, or the filter form with messages.
fn query(ctx: &Ctx, f: &OrderFilters) -> Result<StaffOrderQuery, FormState> {
    let mut form = FormState::default();
    let mut q = StaffOrderQuery { cursor: opt(&f.cursor), limit: Some(20), ..Default::default() };
    for (name, value) in [("status", &f.status), ("customer", &f.customer), ("from", &f.from), ("to", &f.to)] {
        form = form.keep(name, value.as_deref().unwrap_or_default());
    }
    if let Some(s) = opt(&f.status) {
        if OrderStatus::parse(&s).is_ok() {
            q.status = Some(s);
        } else {
            form = form.field_error("status", ctx.t("admin_orders.bad_status"));
        }
    }
    if let Some(c) = opt(&f.customer) {
        match c.parse::<i64>() {
            Ok(id) if id > 0 => q.customer_id = Some(id),
            _ => form = form.field_error("customer", ctx.t("admin_orders.bad_customer")),
        }
    }
    for (name, value, slot, extra) in
        [("from", &f.from, &mut q.from, 0), ("to", &f.to, &mut q.to, agora_app::reports::DAY_MS)]
    {
        if let Some(text) = opt(value) {
            match day_ms(&text) {
                Some(ms) => *slot = Some(ms + extra),
                None => form = form.field_error(name, ctx.t("admin_orders.bad_date")),
            }
        }
    }
    if form.has_errors() { Err(form) } else { Ok(q) }
}

pub async fn orders(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ViewOrders>,
    Query(f): Query<OrderFilters>,
) -> PageResult {
    let statuses = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
    let (filters, rows, next) = match query(&ctx, &f) {
        Err(form) => (form, Vec::new(), Pager::default()),
        Ok(q) => {
            let list = orders::staff_orders(&state.app, &q).await?;
            let rows = list
                .items
                .iter()
                .map(|o| OrderRowView {
                    id: o.id,
                    number: o.number.clone(),
                    status: o.status.as_str(),
                    payment: serde_json::to_value(o.payment_state)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    customer: o.customer_id.map_or_else(|| "guest".to_string(), |id| format!("#{id}")),
                    total: format!("{} {}", money(o.grand_total), o.currency),
                    created: crate::pages::datetime(o.created_at),
                })
                .collect();
            let keep = [
                ("status", f.status.as_deref().unwrap_or_default()),
                ("customer", f.customer.as_deref().unwrap_or_default()),
                ("from", f.from.as_deref().unwrap_or_default()),
                ("to", f.to.as_deref().unwrap_or_default()),
            ];
            let next = Pager::new(
                "/admin/orders",
                &keep,
                opt(&f.cursor).as_deref(),
                f.back.as_deref(),
                list.next_cursor.as_deref(),
            );
            let mut form = FormState::default();
            for (k, v) in keep {
                form = form.keep(k, v);
            }
            (form, rows, next)
        }
    };
    let status = if filters.has_errors() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    render(status, &OrdersPage { ctx, menu: c.menu, heading: "admin.orders", statuses, filters, rows, pager: next })
}

/// Which form of the detail page a message belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failed {
    None,
    Ship,
    Event(i64),
    Cancel,
    Refund,
    Pickup,
}

#[derive(Template)]
#[template(path = "admin/order.html")]
struct OrderPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    o: OrderDetail,
    pay: PaymentsOverview,
    can_ship: bool,
    can_pickup: bool,
    can_manage: bool,
    can_refund: bool,
    can_track: bool,
    tracking_statuses: [&'static str; 5],
    form: FormState,
    failed: Failed,
}

impl OrderPage {
    fn money(&self, minor: &i64) -> String {
        money(*minor)
    }
    fn when(&self, ms: &i64) -> String {
        crate::pages::datetime(*ms)
    }
    fn event_error(&self, shipment: &i64, field: &str) -> Option<&str> {
        if self.failed == Failed::Event(*shipment) { self.form.error(field) } else { None }
    }
    fn value_for(&self, shipment: &i64, field: &str) -> &str {
        if self.failed == Failed::Event(*shipment) { self.form.value(field) } else { "" }
    }
}

async fn show(
    state: &AppState,
    ctx: Ctx,
    c: &Console<ViewOrders>,
    id: i64,
    form: FormState,
    failed: Failed,
) -> PageResult {
    let order = orders::find_for(&state.app, id, &Viewer::Staff).await?;
    let o = orders::detail(&state.app, order).await?;
    let pay = payments::overview(&state.app, id).await?;
    let status = o.summary.status;
    let can_manage = c.staff.role.allows(Permission::ManageOrders);
    let page_status = if failed == Failed::None { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let view = OrderPage {
        ctx,
        menu: c.menu.clone(),
        heading: "admin.orders",
        can_ship: can_manage && status == OrderStatus::Paid && o.pickup_location_id.is_none(),
        can_pickup: can_manage && status == OrderStatus::Paid && o.pickup_location_id.is_some(),
        can_manage: can_manage && matches!(status, OrderStatus::PendingPayment | OrderStatus::Paid),
        can_track: c.staff.role.allows(Permission::ManageOrders),
        can_refund: c.staff.role.allows(Permission::Refund) && o.summary.paid_total > o.summary.refunded_total,
        o,
        pay,
        tracking_statuses: TRACKING_STATUSES,
        form,
        failed,
    };
    if failed == Failed::None { page(&view) } else { render(page_status, &view) }
}

pub async fn order(State(state): State<AppState>, ctx: Ctx, c: Console<ViewOrders>, Path(id): Path<i64>) -> PageResult {
    show(&state, ctx, &c, id, FormState::default(), Failed::None).await
}

/// Takes a use-case error into the form (validation messages beside their fields, a
/// refusal as the form's notice); any other error fails the page.
fn absorb(form: FormState, err: AppError, rename: &[(&str, &str)]) -> Result<FormState, AppError> {
    Ok(match err {
        AppError::Validation(_) => form.absorb(err, rename)?,
        AppError::Conflict { message, .. } => form.field_error("_form", &message).with_notice("admin_orders.refused"),
        AppError::IllegalTransition(_) | AppError::InsufficientStock { .. } => {
            form.field_error("_form", &err.to_string()).with_notice("admin_orders.refused")
        }
        other => return Err(other),
    })
}

fn viewer<P: crate::extract::Perm>(c: &Console<P>) -> Console<ViewOrders> {
    c.narrowed()
}

#[derive(Deserialize)]
pub struct ShipForm {
    #[serde(default)]
    carrier: String,
    #[serde(default)]
    tracking_number: String,
}

pub async fn ship_order(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageOrders>,
    Path(id): Path<i64>,
    Form(f): Form<ShipForm>,
) -> PageResult {
    let input =
        NewShipment { carrier: f.carrier.trim().into(), tracking_number: f.tracking_number.trim().into(), lines: None };
    match fulfilment::create_shipment(&state.app, id, &input, &c.actor).await {
        Ok(_) => Ok(see_other(&format!("/admin/orders/{id}"), None)),
        Err(e) => {
            let form = FormState::default().keep("carrier", &f.carrier).keep("tracking_number", &f.tracking_number);
            show(&state, ctx, &viewer(&c), id, absorb(form, e, &[])?, Failed::Ship).await
        }
    }
}

#[derive(Deserialize)]
pub struct EventForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    location: String,
}

pub async fn order_event(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageOrders>,
    Path((id, shipment)): Path<(i64, i64)>,
    Form(f): Form<EventForm>,
) -> PageResult {
    let order = orders::detail(&state.app, orders::find_for(&state.app, id, &Viewer::Staff).await?).await?;
    if !order.shipments.iter().any(|s| s.id == shipment) {
        return Err(crate::pages::ctx::PageError::not_found());
    }
    let input = NewTrackingEvent {
        status: f.status.clone(),
        description: f.description.trim().into(),
        location: f.location.trim().into(),
        occurred_at: None,
    };
    match fulfilment::add_event(&state.app, shipment, &input, &c.actor).await {
        Ok(_) => Ok(see_other(&format!("/admin/orders/{id}#shipment-{shipment}"), None)),
        Err(e) => {
            let form = FormState::default()
                .keep("status", &f.status)
                .keep("description", &f.description)
                .keep("location", &f.location);
            show(&state, ctx, &viewer(&c), id, absorb(form, e, &[])?, Failed::Event(shipment)).await
        }
    }
}

#[derive(Deserialize)]
pub struct PickupForm {
    #[serde(default)]
    code: String,
}

/// The buyer collects a paid pickup order by showing its code.
pub async fn pickup_order(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageOrders>,
    Path(id): Path<i64>,
    Form(f): Form<PickupForm>,
) -> PageResult {
    match fulfilment::pickup(&state.app, id, f.code.trim(), &c.actor).await {
        Ok(_) => Ok(see_other(&format!("/admin/orders/{id}"), None)),
        Err(e) => {
            let form = FormState::default().keep("code", &f.code);
            show(&state, ctx, &viewer(&c), id, absorb(form, e, &[])?, Failed::Pickup).await
        }
    }
}

#[derive(Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: String,
}

pub async fn cancel_order(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageOrders>,
    Path(id): Path<i64>,
    Form(f): Form<CancelForm>,
) -> PageResult {
    let form = FormState::default().keep("reason", &f.reason);
    if f.confirm != "yes" {
        let form = form.field_error("confirm", ctx.t("admin_ui.confirm_required")).with_notice("admin_orders.refused");
        return show(&state, ctx, &viewer(&c), id, form, Failed::Cancel).await;
    }
    match orders::cancel_by_staff(&state.app, id, f.reason.trim(), &c.actor, c.staff.role.allows(Permission::Refund))
        .await
    {
        Ok(_) => Ok(see_other(&format!("/admin/orders/{id}"), None)),
        Err(e) => show(&state, ctx, &viewer(&c), id, absorb(form, e, &[])?, Failed::Cancel).await,
    }
}

#[derive(Deserialize)]
pub struct RefundForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    refund_reason: String,
    #[serde(default)]
    confirm_refund: String,
}

/// `12.5` or `12.50` as minor units.
pub fn parse_amount(text: &str) -> Option<i64> {
    let t = text.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() || frac.len() > 2 || !whole.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let cents: i64 = format!("{frac:0<2}").parse().ok()?;
    whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)
}

pub async fn refund_order(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<Refund>,
    Path(id): Path<i64>,
    Form(f): Form<RefundForm>,
) -> PageResult {
    let as_viewer = viewer(&c);
    let mut form = FormState::default().keep("amount", &f.amount).keep("refund_reason", &f.refund_reason);
    let amount = parse_amount(&f.amount);
    if amount.is_none() {
        form = form.field_error("amount", ctx.t("admin_orders.bad_amount"));
    }
    if f.confirm_refund != "yes" {
        form = form.field_error("confirm_refund", ctx.t("admin_ui.confirm_required"));
    }
    let Some(amount) = amount.filter(|_| !form.has_errors()) else {
        let form = form.with_notice("admin_orders.refused");
        return show(&state, ctx, &as_viewer, id, form, Failed::Refund).await;
    };
    match payments::refund(&state.app, id, amount, f.refund_reason.trim(), &c.actor).await {
        Ok(_) => Ok(see_other(&format!("/admin/orders/{id}"), None)),
        Err(e) => {
            show(&state, ctx, &as_viewer, id, absorb(form, e, &[("reason", "refund_reason")])?, Failed::Refund).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_to_minor_units() {
        assert_eq!(parse_amount("12"), Some(1200));
        assert_eq!(parse_amount("12.5"), Some(1250));
        assert_eq!(parse_amount(" 0.07 "), Some(7));
        for bad in ["", "1.234", "-1", "1e3", "abc", "."] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_utc_midnights() {
        assert_eq!(day_ms("1970-01-02"), Some(86_400_000));
        assert_eq!(day_ms("2026-13-01"), None);
    }
}
