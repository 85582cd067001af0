//! Staff and roles: every staff account, and a form creating one (ManageStaff; audited).

use agora_app::auth::{self, NewStaff};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use super::{Console, MenuItem};
use crate::extract::ManageStaff;
use crate::input::Query;
use crate::pages::ctx::{Ctx, PageResult, render, see_other};
use crate::pages::form::{Form, FormState};
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
    roles: [&'static str; 4],
    form: FormState,
    created: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct Created {
    pub created: Option<String>,
}

async fn show(state: &AppState, ctx: Ctx, c: &Console<ManageStaff>, form: FormState, created: bool) -> PageResult {
    let staff = auth::list_staff(&state.app)
        .await?
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
    let view = StaffListPage { ctx, menu: c.menu.clone(), heading: "admin.staff", staff, roles: ROLES, form, created };
    render(status, &view)
}

pub async fn staff(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Console<ManageStaff>,
    Query(q): Query<Created>,
) -> PageResult {
    show(&state, ctx, &c, FormState::default(), q.created.is_some()).await
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
            show(&state, ctx, &c, form, false).await
        }
    }
}
