//! Server-rendered HTML pages: the storefront and the admin console, in zh-CN, zh-TW and
//! en. Templates live in `crates/agora-web/templates` (askama, compiled in), texts in
//! `crates/agora-web/i18n`, static files in `crates/agora-web/static` (embedded).

mod account;
mod admin;
pub mod assets;
pub mod ctx;
pub mod form;
pub mod guard;
pub mod i18n;
pub mod layer;
pub mod pager;
pub mod store;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

/// Every page route, behind the page middleware; plus static files and robots.txt.
pub fn routes(state: AppState) -> Router<AppState> {
    let pages = Router::new()
        .route("/account", get(account::profile))
        .route("/account/register", get(account::register_form).post(account::register))
        .route("/account/login", get(account::login_form).post(account::login))
        .route("/account/logout", post(account::logout))
        .route("/account/password", get(account::password_form).post(account::change_password))
        .route("/account/sessions", get(account::sessions))
        .route("/account/sessions/{id}/revoke", post(account::revoke))
        .route("/admin", get(admin::dashboard))
        .route("/admin/login", get(admin::login_form).post(admin::login))
        .route("/admin/logout", post(admin::logout))
        .route("/admin/staff", get(admin::staff))
        .route("/admin/orders", get(admin::orders))
        .route("/admin/orders/{id}", get(admin::order))
        .route("/admin/orders/{id}/ship", post(admin::ship_order))
        .route("/admin/orders/{id}/shipments/{shipment}/events", post(admin::order_event))
        .route("/admin/orders/{id}/cancel", post(admin::cancel_order))
        .route("/admin/orders/{id}/pickup", post(admin::pickup_order))
        .route("/admin/orders/{id}/refund", post(admin::refund_order))
        .route("/admin/audit", get(admin::audit_log))
        .route("/admin/inventory", get(admin::inventory).post(admin::stock_change))
        .route("/admin/inventory/ledger", get(admin::ledger))
        .route("/admin/inventory/warehouses", post(admin::create_warehouse))
        .route("/admin/inventory/warehouses/{id}", get(admin::warehouse).post(admin::update_warehouse))
        .route("/admin/inventory/warehouses/{id}/active", post(admin::warehouse_active))
        .route("/admin/customers", get(admin::customers))
        .route("/admin/customers/{id}", get(admin::customer))
        .route("/admin/staff/new", post(admin::create_staff))
        .route("/admin/products", get(admin::products))
        .route("/admin/products/bulk", post(admin::bulk_products))
        .route("/admin/categories", get(admin::categories).post(admin::create_category))
        .route("/admin/categories/{id}", get(admin::category).post(admin::update_category))
        .route("/admin/categories/{id}/delete", post(admin::delete_category))
        .route("/admin/products/new", get(admin::new_product).post(admin::create_product))
        .route("/admin/products/{id}", get(admin::product))
        .route("/admin/products/{id}/skus/{sku}", post(admin::update_sku))
        .route("/admin/products/{id}/status", post(admin::product_status))
        .route(
            "/admin/products/{id}/images",
            post(admin::upload_image).layer(axum::extract::DefaultBodyLimit::max(layer::UPLOAD_LIMIT)),
        )
        .route("/admin/products/{id}/images/{image}/move", post(admin::move_image))
        .route("/admin/products/{id}/images/{image}/alt", post(admin::image_alt))
        .route("/admin/products/{id}/images/{image}/delete", post(admin::delete_image))
        .route("/admin/products/{id}/details", post(admin::update_details))
        .route(
            "/admin/banners",
            get(admin::banner_list)
                .post(admin::create_banner)
                .layer(axum::extract::DefaultBodyLimit::max(layer::UPLOAD_LIMIT)),
        )
        .route(
            "/admin/banners/{id}",
            get(admin::banner)
                .post(admin::update_banner)
                .layer(axum::extract::DefaultBodyLimit::max(layer::UPLOAD_LIMIT)),
        )
        .route("/admin/banners/{id}/delete", post(admin::delete_banner))
        .route("/admin/banners/{id}/move", post(admin::move_banner))
        .route("/admin/{section}", get(admin::section))
        .merge(store::routes())
        .layer(axum::middleware::from_fn_with_state(state, layer::pages));
    Router::new()
        .merge(pages)
        .route("/static/{file}", get(assets::serve))
        .route("/robots.txt", get(assets::robots))
        .route("/sitemap.xml", get(store::seo::sitemap))
}

/// A router answering everything with the localized 404 page (for unknown paths a browser
/// asks for; API clients keep getting problem+json).
pub fn not_found_page(state: AppState) -> Router {
    Router::new()
        .fallback(|| async { ctx::PageError::not_found() })
        .layer(axum::middleware::from_fn_with_state(state.clone(), layer::pages))
        .with_state(state)
}

/// True for a browser navigating to a page (GET of HTML outside the API).
pub fn wants_html(req: &axum::extract::Request) -> bool {
    let accepts_html = req
        .headers()
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let path = req.uri().path();
    req.method() == axum::http::Method::GET
        && accepts_html
        && !path.starts_with("/api/")
        && !path.starts_with("/static/")
}

/// Formats epoch milliseconds as `YYYY-MM-DD HH:MM` (UTC).
pub(crate) fn datetime(ms: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// Formats epoch milliseconds as `YYYY-MM-DD` (UTC).
pub(crate) fn date(ms: i64) -> String {
    datetime(ms).split(' ').next().unwrap_or_default().to_string()
}
