//! Inventory: stock per SKU and warehouse (filtered, paged), low-stock alerts, the
//! warehouses, and three forms: inbound, stocktake with a reason, low-stock threshold.
//! The ledger has its own page. ManageInventory; every change is audited by the use case.

use agora_app::AppError;
use agora_app::inventory::history::{self, LedgerQuery};
use agora_app::inventory::levels::{self, StockQuery, ThresholdInput};
use agora_app::inventory::movements::{self, StockIn, Stocktake};
use agora_app::inventory::warehouses::{self, NewWarehouse, Warehouse};
use agora_app::inventory::{MovementKind, levels::StockLevel};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use super::{Console, MenuItem, opt};
use crate::extract::ManageInventory;
use crate::input::Query;
use crate::pages::ctx::{Ctx, PageResult, render, see_other};
use crate::pages::form::{Form, FormState};
use crate::pages::pager::Pager;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct StockFilters {
    pub sku: Option<String>,
    pub warehouse: Option<String>,
    pub cursor: Option<String>,
    /// Cursors of the earlier pages (see `pages::pager`).
    pub back: Option<String>,
    /// The warehouse table's own page (see `pages::pager`).
    pub wh_cursor: Option<String>,
    pub wh_back: Option<String>,
    /// Which form just succeeded.
    pub done: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/inventory.html")]
struct InventoryPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    filters: FormState,
    stock: Vec<StockLevel>,
    alerts: Vec<StockLevel>,
    /// Every warehouse, for the forms' pickers.
    warehouses: Vec<Warehouse>,
    /// The warehouse table's page.
    warehouse_rows: Vec<Warehouse>,
    pager: Pager,
    wh_pager: Pager,
    form: FormState,
    done: bool,
}

/// A positive id typed into a filter or form.
fn id_of(text: &str) -> Option<i64> {
    text.trim().parse::<i64>().ok().filter(|id| *id > 0)
}

async fn show(
    state: &AppState,
    ctx: Ctx,
    c: &Console<ManageInventory>,
    f: &StockFilters,
    form: FormState,
) -> PageResult {
    let mut filters = FormState::default();
    let mut q = StockQuery { cursor: opt(&f.cursor), limit: Some(20), ..Default::default() };
    for (name, value, slot) in [("sku", &f.sku, &mut q.sku_id), ("warehouse", &f.warehouse, &mut q.warehouse_id)] {
        let text = value.clone().unwrap_or_default();
        filters = filters.keep(name, &text);
        if let Some(t) = opt(value) {
            match id_of(&t) {
                Some(id) => *slot = Some(id),
                None => filters = filters.field_error(name, ctx.t("admin_inventory.bad_id")),
            }
        }
    }
    let (stock, next) = if filters.has_errors() {
        (Vec::new(), Pager::default())
    } else {
        let page = levels::list(&state.app, &q).await?;
        let keep = [
            ("sku", filters.value("sku")),
            ("warehouse", filters.value("warehouse")),
            ("wh_cursor", f.wh_cursor.as_deref().unwrap_or_default()),
            ("wh_back", f.wh_back.as_deref().unwrap_or_default()),
        ];
        let next = Pager::new(
            "/admin/inventory",
            &keep,
            opt(&f.cursor).as_deref(),
            f.back.as_deref(),
            page.next_cursor.as_deref(),
        );
        (page.items, next)
    };
    let alerts = levels::alerts(&state.app, None, Some(20)).await?.items.into_iter().map(|a| a.level).collect();
    let warehouses = warehouses::list(&state.app).await?;
    let (warehouse_rows, wh_pager) = warehouse_table(state, f).await?;
    let status = if filters.has_errors() {
        StatusCode::BAD_REQUEST
    } else if form.has_errors() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let view = InventoryPage {
        ctx,
        menu: c.menu.clone(),
        heading: "admin.inventory",
        filters,
        stock,
        alerts,
        warehouses,
        warehouse_rows,
        pager: next,
        wh_pager,
        form,
        done: f.done.is_some(),
    };
    render(status, &view)
}

/// The warehouse table's page and links; the stock list's filters and page stay as they are.
async fn warehouse_table(state: &AppState, f: &StockFilters) -> Result<(Vec<Warehouse>, Pager), AppError> {
    let cursor = opt(&f.wh_cursor);
    let page = warehouses::page(&state.app, cursor.as_deref(), Some(20)).await?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let (sku, warehouse, stock_cursor, stock_back) = (text(&f.sku), text(&f.warehouse), text(&f.cursor), text(&f.back));
    let keep = [("sku", sku.as_str()), ("warehouse", &warehouse), ("cursor", &stock_cursor), ("back", &stock_back)];
    let pager = Pager::named(
        "/admin/inventory",
        ("wh_cursor", "wh_back"),
        &keep,
        cursor.as_deref(),
        f.wh_back.as_deref(),
        page.next_cursor.as_deref(),
    );
    Ok((page.items, pager))
}

pub async fn inventory(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageInventory>,
    Query(f): Query<StockFilters>,
) -> PageResult {
    show(&state, ctx, &c, &f, FormState::default()).await
}

/// The fields every stock form has, as typed.
#[derive(Deserialize)]
pub struct StockForm {
    /// inbound, stocktake or threshold.
    #[serde(default)]
    form: String,
    #[serde(default)]
    sku: String,
    #[serde(default)]
    warehouse: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    reason: String,
}

/// Checks the typed numbers; returns (sku, warehouse, quantity) or the form with messages.
fn numbers(ctx: &Ctx, f: &StockForm, mut form: FormState) -> Result<(i64, i64, i64), FormState> {
    let p = |field: &str| format!("{}_{field}", f.form);
    let sku = id_of(&f.sku);
    let warehouse = id_of(&f.warehouse);
    let quantity = f.quantity.trim().parse::<i64>().ok();
    if sku.is_none() {
        form = form.field_error(&p("sku"), ctx.t("admin_inventory.bad_id"));
    }
    if warehouse.is_none() {
        form = form.field_error(&p("warehouse"), ctx.t("admin_inventory.pick_warehouse"));
    }
    if quantity.is_none() {
        form = form.field_error(&p("quantity"), ctx.t("admin_inventory.bad_number"));
    }
    match (sku, warehouse, quantity) {
        (Some(s), Some(w), Some(q)) => Ok((s, w, q)),
        _ => Err(form),
    }
}

/// `POST /admin/inventory`: one of the three stock forms (field names prefixed by form).
pub async fn stock_change(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageInventory>,
    Form(f): Form<StockForm>,
) -> PageResult {
    let prefix = match f.form.as_str() {
        "inbound" | "stocktake" | "threshold" => f.form.clone(),
        _ => return Err(crate::pages::ctx::PageError::bad_request()),
    };
    let p = |field: &str| format!("{prefix}_{field}");
    let form = FormState::default()
        .keep(&p("sku"), &f.sku)
        .keep(&p("warehouse"), &f.warehouse)
        .keep(&p("quantity"), &f.quantity)
        .keep(&p("reference"), &f.reference)
        .keep(&p("reason"), &f.reason);
    let (sku, warehouse, quantity) = match numbers(&ctx, &f, form.clone()) {
        Ok(n) => n,
        Err(form) => {
            let form = form.with_notice("admin_orders.refused");
            return show(&state, ctx, &c, &StockFilters::default(), form).await;
        }
    };
    let (reference, reason) = (f.reference.trim().to_string(), f.reason.trim().to_string());
    let result = match prefix.as_str() {
        "inbound" => {
            let input = StockIn { sku_id: sku, warehouse_id: warehouse, quantity, reference, reason };
            movements::inbound(&state.app, &c.actor, &input).await.map(|_| ())
        }
        "stocktake" => {
            let input = Stocktake { sku_id: sku, warehouse_id: warehouse, counted: quantity, reason, reference };
            movements::stocktake(&state.app, &c.actor, &input).await.map(|_| ())
        }
        _ => {
            let input = ThresholdInput { sku_id: sku, warehouse_id: warehouse, low_threshold: quantity };
            levels::set_threshold(&state.app, &c.actor, &input).await.map(|_| ())
        }
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/admin/inventory?sku={sku}&done={prefix}"), None)),
        Err(e) => {
            let (sku_f, wh_f, qty_f, ref_f, why_f) =
                (p("sku"), p("warehouse"), p("quantity"), p("reference"), p("reason"));
            let rename = [
                ("sku_id", sku_f.as_str()),
                ("warehouse_id", wh_f.as_str()),
                ("quantity", qty_f.as_str()),
                ("counted", qty_f.as_str()),
                ("low_threshold", qty_f.as_str()),
                ("reference", ref_f.as_str()),
                ("reason", why_f.as_str()),
            ];
            let form = match e {
                AppError::Validation(_) => form.absorb(e, &rename)?,
                AppError::Conflict { message, .. } => {
                    form.field_error(&qty_f, &message).with_notice("admin_orders.refused")
                }
                other => return Err(other.into()),
            };
            show(&state, ctx, &c, &StockFilters::default(), form).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct LedgerFilters {
    pub sku: Option<String>,
    pub warehouse: Option<String>,
    pub kind: Option<String>,
    pub cursor: Option<String>,
    /// Cursors of the earlier pages (see `pages::pager`).
    pub back: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/ledger.html")]
struct LedgerPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    filters: FormState,
    kinds: Vec<&'static str>,
    rows: Vec<history::LedgerEntry>,
    pager: Pager,
}

impl LedgerPage {
    fn when(&self, ms: &i64) -> String {
        crate::pages::datetime(*ms)
    }
}

pub async fn ledger(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageInventory>,
    Query(f): Query<LedgerFilters>,
) -> PageResult {
    let mut filters = FormState::default();
    let mut q = LedgerQuery { cursor: opt(&f.cursor), limit: Some(30), ..Default::default() };
    for (name, value, slot) in [("sku", &f.sku, &mut q.sku_id), ("warehouse", &f.warehouse, &mut q.warehouse_id)] {
        filters = filters.keep(name, value.as_deref().unwrap_or_default());
        if let Some(t) = opt(value) {
            match id_of(&t) {
                Some(id) => *slot = Some(id),
                None => filters = filters.field_error(name, ctx.t("admin_inventory.bad_id")),
            }
        }
    }
    filters = filters.keep("kind", f.kind.as_deref().unwrap_or_default());
    let kinds: Vec<&'static str> = MovementKind::ALL.iter().map(|k| k.as_str()).collect();
    if let Some(k) = opt(&f.kind) {
        if kinds.contains(&k.as_str()) {
            q.kind = Some(k);
        } else {
            filters = filters.field_error("kind", ctx.t("admin_inventory.bad_kind"));
        }
    }
    let (rows, next) = if filters.has_errors() {
        (Vec::new(), Pager::default())
    } else {
        let page = history::list(&state.app, &q).await?;
        let keep =
            [("sku", filters.value("sku")), ("warehouse", filters.value("warehouse")), ("kind", filters.value("kind"))];
        let next = Pager::new(
            "/admin/inventory/ledger",
            &keep,
            opt(&f.cursor).as_deref(),
            f.back.as_deref(),
            page.next_cursor.as_deref(),
        );
        (page.items, next)
    };
    let status = if filters.has_errors() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    render(status, &LedgerPage { ctx, menu: c.menu, heading: "admin.inventory", filters, kinds, rows, pager: next })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WarehouseForm {
    code: String,
    name: String,
    address: String,
    priority: String,
}

/// `POST /admin/inventory/warehouses`: a new warehouse (audited by the use case).
pub async fn create_warehouse(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageInventory>,
    Form(f): Form<WarehouseForm>,
) -> PageResult {
    let form = FormState::default()
        .keep("wh_code", &f.code)
        .keep("wh_name", &f.name)
        .keep("wh_address", &f.address)
        .keep("wh_priority", &f.priority);
    let Some(priority) = crate::pages::form::given(&f.priority).map_or(Some(0), |p| p.parse::<i64>().ok()) else {
        let form =
            form.field_error("wh_priority", ctx.t("admin_inventory.bad_number")).with_notice("admin_orders.refused");
        return show(&state, ctx, &c, &StockFilters::default(), form).await;
    };
    let input = NewWarehouse {
        code: f.code.trim().into(),
        name: f.name.trim().into(),
        address: f.address.trim().into(),
        priority,
    };
    match warehouses::create(&state.app, &c.actor, &input).await {
        Ok(_) => Ok(see_other("/admin/inventory?done=warehouse", None)),
        Err(e) => {
            let rename =
                [("code", "wh_code"), ("name", "wh_name"), ("address", "wh_address"), ("priority", "wh_priority")];
            let form = match e {
                AppError::Validation(_) => form.absorb(e, &rename)?,
                AppError::Conflict { message, .. } => {
                    form.field_error("wh_code", &message).with_notice("admin_orders.refused")
                }
                other => return Err(other.into()),
            };
            show(&state, ctx, &c, &StockFilters::default(), form).await
        }
    }
}
