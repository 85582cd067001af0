//! The admin console: staff login and logout, a menu that shows only the sections the
//! staff member's role allows, and the section pages (one file each). Every handler takes
//! a [`Console`] (or `StaffPage<P>`) guard for its permission.

mod audit;
mod banners;
mod categories;
mod customers;
mod dashboard;
mod inventory;
mod orders;
mod product_details;
mod product_edit;
mod product_images;
mod products;
mod staff;
mod warehouses;

pub use self::audit::audit_log;
pub use banners::{banner, banner_list, create_banner, delete_banner, move_banner, update_banner};
pub use categories::{categories, category, create_category, delete_category, update_category};
pub use customers::{customer, customers};
pub use dashboard::dashboard;
pub use inventory::{create_warehouse, inventory, ledger, stock_change};
pub use orders::{cancel_order, order, order_event, orders, pickup_order, refund_order, ship_order};
pub use product_details::update_details;
pub use product_edit::{create_product, new_product, product, product_status, update_sku};
pub use product_images::{delete_image, image_alt, move_image, upload_image};
pub use products::{bulk as bulk_products, products};
pub use staff::{create_staff, staff};
pub use warehouses::{update_warehouse, warehouse, warehouse_active};

use agora_app::audit::Actor;
use agora_app::auth::{self, Permission};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use super::account::{drop_previous_session, end_session, login_refusal};
use super::ctx::{Ctx, PageError, PageResult, page, render, see_other};
use super::form::{Form, FormState};
use super::guard::{StaffPage, StaffSession};
use crate::extract::{ClientInfo, Perm};
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
pub const SECTIONS: [MenuItem; 8] = [
    MenuItem {
        slug: "products",
        href: "/admin/products",
        title: "admin.products",
        permission: Permission::ManageCatalog,
    },
    MenuItem {
        slug: "categories",
        href: "/admin/categories",
        title: "admin_categories.title",
        permission: Permission::ManageCatalog,
    },
    MenuItem {
        slug: "banners",
        href: "/admin/banners",
        title: "admin_banners.title",
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
pub(crate) fn menu_for(staff: &StaffSession) -> Vec<&'static MenuItem> {
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

/// A staff member whose role grants `P`, with the menu to show and the audit actor.
pub struct Console<P: Perm> {
    pub staff: StaffSession,
    pub menu: Vec<&'static MenuItem>,
    pub actor: Actor,
    _perm: std::marker::PhantomData<P>,
}

impl<S: Send + Sync, P: Perm> axum::extract::FromRequestParts<S> for Console<P> {
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        let page = StaffPage::<P>::from_request_parts(parts, state).await?;
        let menu = menu_for(&page.staff);
        let mut request_id = crate::extract::request_id(parts);
        if request_id.is_empty() {
            request_id = agora_app::crypto::random_code(16);
        }
        let actor = Actor { staff_id: page.staff.staff_id, request_id };
        Ok(Console { staff: page.staff, menu, actor, _perm: std::marker::PhantomData })
    }
}

impl<P: Perm> Console<P> {
    /// The same staff member seen through a permission their role also grants (e.g. a
    /// page that needs ViewOrders re-rendered after a ManageOrders form).
    pub fn narrowed<Q: Perm>(&self) -> Console<Q> {
        let staff =
            StaffSession { staff_id: self.staff.staff_id, role: self.staff.role, session_id: self.staff.session_id };
        Console { staff, menu: self.menu.clone(), actor: self.actor.clone(), _perm: std::marker::PhantomData }
    }
}

/// Money in minor units as `123.45` (every shop currency has two decimals).
pub fn money(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Query text that is blank means "no filter".
pub fn opt(text: &Option<String>) -> Option<String> {
    text.as_deref().and_then(super::form::given)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_has_two_decimals() {
        assert_eq!(money(12345), "123.45");
        assert_eq!(money(5), "0.05");
        assert_eq!(money(-150), "-1.50");
    }

    /// Every admin_* catalog key literal of the console's templates and code is in the catalog.
    #[test]
    fn every_console_key_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for dir in ["templates/admin", "src/pages/admin"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                for literal in text.split('"').filter(|l| l.starts_with("admin_") && l.contains('.')) {
                    let Some((_, rest)) = literal.split_once('.') else { continue };
                    if rest.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()) {
                        for locale in agora_domain::Locale::ALL {
                            let t = crate::pages::i18n::text(locale, literal);
                            assert_ne!(t, literal, "{locale}: {} uses unknown key {literal}", entry.path().display());
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 50, "only {checked} console keys found");
    }
}
