//! Staff and roles: every staff account, and a form creating one (ManageStaff; audited).

use agora_app::auth::{self, NewStaff};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use super::{Console, MenuItem, opt};
use crate::extract::ManageStaff;
use crate::input::Query;
use crate::pages::ctx::{Ctx, PageResult, render, see_other};
use crate::pages::form::{Form, FormState};
use crate::pages::pager::Pager;
use crate::state::AppState;

/// A staff account as listed.
pub struct StaffRow {
    pub email: String,
    pub name: String,
    pub role: String,
    pub status: String,
    pub created: String,
}

const ROLES: [&str; 4] = ["admin", "operator", "support", "finance"];

#[derive(Template)]
#[template(path = "admin/staff.html")]
struct StaffListPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    staff: Vec<StaffRow>,
    pager: Pager,
    roles: [&'static str; 4],
    form: FormState,
    created: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct StaffParams {
    pub created: Option<String>,
    pub cursor: Option<String>,
    /// Cursors of the earlier pages (see `pages::pager`).
    pub back: Option<String>,
}

async fn show(state: &AppState, ctx: Ctx, c: &Console<ManageStaff>, p: &StaffParams, form: FormState) -> PageResult {
    let cursor = opt(&p.cursor);
    let page = auth::list_staff(&state.app, cursor.as_deref(), Some(20)).await?;
    let pager = Pager::new("/admin/staff", &[], cursor.as_deref(), p.back.as_deref(), page.next_cursor.as_deref());
    let staff = page
        .items
        .into_iter()
        .map(|s| StaffRow {
            email: s.email,
            name: s.display_name,
            role: s.role,
            status: s.status,
            created: crate::pages::date(s.created_at),
        })
        .collect();
    let status = if form.has_errors() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let created = p.created.is_some();
    let view =
        StaffListPage { ctx, menu: c.menu.clone(), heading: "admin.staff", staff, pager, roles: ROLES, form, created };
    render(status, &view)
}

pub async fn staff(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageStaff>,
    Query(p): Query<StaffParams>,
) -> PageResult {
    show(&state, ctx, &c, &p, FormState::default()).await
}

#[derive(Deserialize)]
pub struct StaffForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

pub async fn create_staff(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageStaff>,
    Form(f): Form<StaffForm>,
) -> PageResult {
    let input = NewStaff {
        email: f.email.clone(),
        password: f.password,
        display_name: f.display_name.clone(),
        role: f.role.clone(),
    };
    match auth::create_staff(&state.app, &input, Some(&c.actor)).await {
        Ok(_) => Ok(see_other("/admin/staff?created=1", None)),
        Err(e) => {
            let form = FormState::default()
                .keep("email", &f.email)
                .keep("display_name", &f.display_name)
                .keep("role", &f.role);
            let form = match e {
                agora_app::AppError::Conflict { message, .. } => {
                    form.field_error("email", &message).with_notice("admin_orders.refused")
                }
                other => form.absorb(other, &[])?,
            };
            show(&state, ctx, &c, &StaffParams::default(), form).await
        }
    }
}
