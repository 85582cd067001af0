//! The admin console shell: staff login and logout, the dashboard, and a menu that shows
//! only the sections the staff member's role allows.

use agora_app::auth::{self, Permission};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use super::account::{drop_previous_session, end_session, login_refusal};
use super::ctx::{Ctx, PageError, PageResult, page, render, see_other};
use super::form::{Form, FormState};
use super::guard::{StaffPage, StaffSession};
use crate::extract::{ClientInfo, ManageStaff};
use crate::state::AppState;

/// One section of the admin console.
pub struct MenuItem {
    pub slug: &'static str,
    pub href: &'static str,
    /// Catalog key of its name.
    pub title: &'static str,
    pub permission: Permission,
}

/// Every section, in menu order.
pub const SECTIONS: [MenuItem; 6] = [
    MenuItem {
        slug: "products",
        href: "/admin/products",
        title: "admin.products",
        permission: Permission::ManageCatalog,
    },
    MenuItem {
        slug: "inventory",
        href: "/admin/inventory",
        title: "admin.inventory",
        permission: Permission::ManageInventory,
    },
    MenuItem { slug: "orders", href: "/admin/orders", title: "admin.orders", permission: Permission::ViewOrders },
    MenuItem {
        slug: "customers",
        href: "/admin/customers",
        title: "admin.customers",
        permission: Permission::ViewCustomers,
    },
    MenuItem { slug: "staff", href: "/admin/staff", title: "admin.staff", permission: Permission::ManageStaff },
    MenuItem { slug: "audit", href: "/admin/audit", title: "admin.audit", permission: Permission::ViewAudit },
];

/// The sections a staff member may open.
fn menu_for(staff: &StaffSession) -> Vec<&'static MenuItem> {
    SECTIONS.iter().filter(|s| staff.role.allows(s.permission)).collect()
}

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    ctx: Ctx,
    form: FormState,
}

pub async fn login_form(ctx: Ctx) -> PageResult {
    if ctx.is_staff() {
        return Ok(Redirect::to("/admin").into_response());
    }
    page(&LoginPage { ctx, form: FormState::default() })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    client: ClientInfo,
    Form(f): Form<LoginForm>,
) -> PageResult {
    match auth::login_staff(&state.app, &f.email, &f.password, &client.key, &client.user_agent).await {
        Ok((_, session)) => {
            drop_previous_session(&state, &ctx).await?;
            let age = state.app.settings.session_ttl_ms / 1000;
            Ok(see_other("/admin", Some(ctx.session_cookie(Some(&session.token), age))))
        }
        Err(e) => {
            let (status, notice) = login_refusal(&e).ok_or_else(|| PageError::from(e))?;
            let form = FormState::default().keep("email", &f.email).with_notice(notice);
            render(status, &LoginPage { ctx, form })
        }
    }
}

pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    end_session(&state, &ctx, "/admin/login").await
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    role: &'static str,
}

pub async fn dashboard(ctx: Ctx, staff: StaffSession) -> PageResult {
    let menu = menu_for(&staff);
    page(&DashboardPage { ctx, menu, heading: "admin.dashboard", role: staff.role.as_str() })
}

#[derive(Template)]
#[template(path = "admin/section.html")]
struct SectionPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
}

/// A section whose pages arrive with its feature: guarded by its permission already.
pub async fn section(ctx: Ctx, staff: StaffSession, Path(slug): Path<String>) -> PageResult {
    let item = SECTIONS.iter().find(|s| s.slug == slug).ok_or(PageError::not_found())?;
    staff.require(item.permission)?;
    page(&SectionPage { ctx, menu: menu_for(&staff), heading: item.title })
}

/// A staff account as listed.
pub struct StaffRow {
    pub email: String,
    pub role: String,
    pub status: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "admin/staff.html")]
struct StaffListPage {
    ctx: Ctx,
    menu: Vec<&'static MenuItem>,
    heading: &'static str,
    staff: Vec<StaffRow>,
}

pub async fn staff(State(state): State<AppState>, ctx: Ctx, me: StaffPage<ManageStaff>) -> PageResult {
    let staff = auth::list_staff(&state.app)
        .await?
        .into_iter()
        .map(|s| StaffRow { email: s.email, role: s.role, status: s.status, created: super::date(s.created_at) })
        .collect();
    page(&StaffListPage { ctx, menu: menu_for(&me.staff), heading: "admin.staff", staff })
}
