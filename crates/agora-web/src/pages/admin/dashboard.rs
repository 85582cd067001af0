//! The dashboard: today's and 7-day sales, a chart of daily GMV, low stock and orders
//! waiting for shipment. Any staff member may open it; the low-stock and order lists
//! appear only for roles that may see them.

use agora_app::auth::Permission;
use agora_app::orders::{self, StaffOrderQuery};
use agora_app::{inventory, reports};
use askama::Template;
use axum::extract::State;

use super::{MenuItem, menu_for, money};
use crate::pages::ctx::{Ctx, PageResult, page};
use crate::pages::guard::StaffSession;
use crate::state::AppState;

/// One figure tile.
pub struct Tile {
    pub label: &'static str,
    pub value: String,
    pub testid: &'static str,
}

pub struct LowStockRow {
    pub sku_id: i64,
    pub warehouse: String,
    pub available: i64,
    pub threshold: i64,
}

pub struct WaitingRow {
    pub id: i64,
    pub number: String,
    pub total: String,
    pub paid: String,
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    role: &'static str,
    tiles: Vec<Tile>,
    /// JSON `{"days":[…],"gmv":[…]}` for the chart script.
    chart: String,
    low_stock: Option<Vec<LowStockRow>>,
    waiting: Option<Vec<WaitingRow>>,
}

fn tiles(r: &reports::SalesReport) -> Vec<Tile> {
    vec![
        Tile { label: "admin_dash.gmv_today", value: money(r.today.gmv), testid: "gmv-today" },
        Tile { label: "admin_dash.orders_today", value: r.today.orders.to_string(), testid: "orders-today" },
        Tile { label: "admin_dash.aov_today", value: money(r.today.aov), testid: "aov-today" },
        Tile { label: "admin_dash.gmv_week", value: money(r.week.gmv), testid: "gmv-week" },
        Tile { label: "admin_dash.orders_week", value: r.week.orders.to_string(), testid: "orders-week" },
        Tile { label: "admin_dash.aov_week", value: money(r.week.aov), testid: "aov-week" },
    ]
}

fn chart_data(r: &reports::SalesReport) -> String {
    let days: Vec<String> = r.daily.iter().map(|d| crate::pages::date(d.day)).collect();
    // Major units for the axis; exact amounts are in the tiles.
    let gmv: Vec<f64> = r.daily.iter().map(|d| d.gmv as f64 / 100.0).collect();
    serde_json::json!({ "days": days, "gmv": gmv }).to_string()
}

async fn low_stock(state: &AppState) -> agora_app::AppResult<Vec<LowStockRow>> {
    let alerts = inventory::levels::alerts(&state.app, None, Some(10)).await?;
    Ok(alerts
        .items
        .into_iter()
        .map(|a| LowStockRow {
            sku_id: a.level.sku_id,
            warehouse: a.level.warehouse_code,
            available: a.level.available,
            threshold: a.level.low_threshold,
        })
        .collect())
}

async fn waiting(state: &AppState) -> agora_app::AppResult<Vec<WaitingRow>> {
    let q = StaffOrderQuery { status: Some("paid".into()), limit: Some(10), ..Default::default() };
    let list = orders::staff_orders(&state.app, &q).await?;
    Ok(list
        .items
        .into_iter()
        .map(|o| WaitingRow {
            id: o.id,
            number: o.number,
            total: money(o.grand_total),
            paid: crate::pages::datetime(o.created_at),
        })
        .collect())
}

pub async fn dashboard(State(state): State<AppState>, ctx: Ctx, staff: StaffSession) -> PageResult {
    let report = reports::sales(&state.app).await?;
    let low_stock = if staff.role.allows(Permission::ManageInventory) { Some(low_stock(&state).await?) } else { None };
    let waiting = if staff.role.allows(Permission::ViewOrders) { Some(waiting(&state).await?) } else { None };
    page(&DashboardPage {
        ctx,
        menu: menu_for(&staff),
        heading: "admin.dashboard",
        role: staff.role.as_str(),
        tiles: tiles(&report),
        chart: chart_data(&report),
        low_stock,
        waiting,
    })
}
