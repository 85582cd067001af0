//! One warehouse: edit code, name, address and priority; deactivate (with a ticked
//! confirmation) or activate again. ManageInventory; the use cases validate and audit.

use agora_app::AppError;
use agora_app::inventory::warehouses::{self, Warehouse, WarehouseUpdate};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use super::{Console, MenuItem};
use crate::extract::ManageInventory;
use crate::pages::ctx::{Ctx, PageError, PageResult, render, see_other};
use crate::pages::form::{Form, FormState, given};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/warehouse.html")]
struct WarehousePage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    w: Warehouse,
    form: FormState,
}

async fn show(state: &AppState, ctx: Ctx, c: &Console<ManageInventory>, id: i64, form: FormState) -> PageResult {
    let w = warehouses::get(&state.app, id).await?;
    let form = form
        .keep_unless_typed("code", &w.code)
        .keep_unless_typed("name", &w.name)
        .keep_unless_typed("address", &w.address)
        .keep_unless_typed("priority", &w.priority.to_string());
    let status = if form.has_errors() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render(status, &WarehousePage { ctx, menu: c.menu.clone(), heading: "admin.inventory", w, form })
}

pub async fn warehouse(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageInventory>,
    Path(id): Path<i64>,
) -> PageResult {
    show(&state, ctx, &c, id, FormState::default()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditForm {
    code: String,
    name: String,
    address: String,
    priority: String,
}

/// `POST /admin/inventory/warehouses/{id}`: code, name, address, priority.
pub async fn update_warehouse(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageInventory>,
    Path(id): Path<i64>,
    Form(f): Form<EditForm>,
) -> PageResult {
    let form = FormState::default()
        .keep("code", &f.code)
        .keep("name", &f.name)
        .keep("address", &f.address)
        .keep("priority", &f.priority);
    let Some(priority) = given(&f.priority).map_or(Some(0), |p| p.parse::<i64>().ok()) else {
        let form =
            form.field_error("priority", ctx.t("admin_inventory.bad_number")).with_notice("admin_orders.refused");
        return show(&state, ctx, &c, id, form).await;
    };
    let input = WarehouseUpdate {
        code: Some(f.code.trim().into()),
        name: Some(f.name.trim().into()),
        address: Some(f.address.trim().into()),
        priority: Some(priority),
    };
    match warehouses::update(&state.app, &c.actor, id, &input).await {
        Ok(_) => Ok(see_other(&format!("/admin/inventory/warehouses/{id}"), None)),
        Err(e @ AppError::Validation(_)) => {
            let form = form.absorb(e, &[])?;
            show(&state, ctx, &c, id, form).await
        }
        Err(AppError::Conflict { message, .. }) => {
            let form = form.field_error("code", &message).with_notice("admin_orders.refused");
            show(&state, ctx, &c, id, form).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActiveForm {
    /// activate or deactivate.
    action: String,
    confirm: String,
}

/// `POST /admin/inventory/warehouses/{id}/active`: deactivation needs the ticked box.
pub async fn warehouse_active(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageInventory>,
    Path(id): Path<i64>,
    Form(f): Form<ActiveForm>,
) -> PageResult {
    let active = match f.action.as_str() {
        "activate" => true,
        "deactivate" if f.confirm == "yes" => false,
        "deactivate" => {
            let form = FormState::default()
                .field_error("confirm", ctx.t("admin_ui.confirm_required"))
                .with_notice("admin_orders.refused");
            return show(&state, ctx, &c, id, form).await;
        }
        _ => return Err(PageError::bad_request()),
    };
    warehouses::set_active(&state.app, &c.actor, id, active).await?;
    Ok(see_other(&format!("/admin/inventory/warehouses/{id}"), None))
}
