//! The storefront: home, category, product, search, cart, checkout, orders and payment
//! return, sitemap. Pages call the app's use cases; nothing here touches SQL.

pub mod addresses;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod orders;
pub mod seo;

use agora_domain::{Currency, Money};
use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

/// Cookie holding a guest's cart token.
pub const CART_COOKIE: &str = "agora_cart";
/// Cookie holding a guest order's access token: `agora_order_<id>`.
pub fn order_cookie(order_id: i64) -> String {
    format!("agora_order_{order_id}")
}
/// Products per category page.
pub const PAGE_SIZE: i64 = 24;

/// Storefront page routes (the page middleware is added by the caller).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(catalog::home))
        .route("/search", get(catalog::search))
        .route("/c/{slug}", get(catalog::category))
        .route("/p/{slug}", get(catalog::product))
        .route("/cart", get(cart::show))
        .route("/cart/add", post(cart::add))
        .route("/cart/update", post(cart::update))
        .route("/cart/remove", post(cart::remove))
        .route("/checkout", get(checkout::show).post(checkout::submit))
        .route("/orders/{id}", get(orders::show))
        .route("/orders/{id}/pay", post(orders::pay))
        .route("/orders/return/{payment}", get(orders::payment_return))
        .route("/account/orders", get(orders::list))
        .route("/account/orders/{id}", get(orders::show))
        .route("/account/addresses", get(addresses::list).post(addresses::create))
        .route("/account/addresses/new", get(addresses::new_form))
        .route("/account/addresses/{id}", post(addresses::update))
        .route("/account/addresses/{id}/edit", get(addresses::edit_form))
        .route("/account/addresses/{id}/delete", post(addresses::delete))
        .route("/account/addresses/{id}/default", post(addresses::make_default))
}

/// An amount for people: `19.99 CNY`.
pub fn money(amount: i64, currency: &str) -> String {
    match Currency::parse(currency) {
        Ok(c) => Money::new(amount, c).display(),
        Err(_) => format!("{amount} {currency}"),
    }
}

/// An amount as a plain decimal (`19.99`), for structured data.
pub fn decimal(amount: i64, currency: &str) -> String {
    money(amount, currency).split(' ').next().unwrap_or_default().to_string()
}

/// The shop's absolute base URL (no trailing slash).
pub fn base_url(state: &AppState) -> String {
    state.app.settings.public_url.trim_end_matches('/').to_string()
}

/// A path segment safe to put back into a redirect (slugs: letters, digits, `-`).
pub fn safe_slug(slug: &str) -> Option<&str> {
    (!slug.is_empty() && slug.len() <= 200 && slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then_some(slug)
}

/// JSON for a `<script type="application/ld+json">` data block: `<`, `>` and `&` are
/// written as `\u003c`… so the text can never close the element or open markup. This is
/// the one value the templates print unescaped (`|safe`).
pub fn json_for_html(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_html_cannot_break_out() {
        let v = serde_json::json!({"name": "</script><b>&"});
        let text = json_for_html(&v);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn money_and_slugs() {
        assert_eq!(money(1999, "CNY"), "19.99 CNY");
        assert_eq!(decimal(1999, "CNY"), "19.99");
        assert_eq!(safe_slug("green-tea_2"), Some("green-tea_2"));
        assert_eq!(safe_slug("//evil.example"), None);
    }
}
