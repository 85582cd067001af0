//! `sitemap.xml` (categories and listed products, from the catalog snapshot) and the
//! robots.txt that points to it.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::base_url;
use crate::pages::ctx::PageError;
use crate::state::AppState;

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

pub async fn sitemap(State(state): State<AppState>) -> Result<Response, PageError> {
    let snap = state.app.catalog.snapshot(&state.app.db).await?;
    let base = base_url(&state);
    let mut out = String::with_capacity(256 + (snap.products.len() + snap.categories.len()) * 96);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |path: String| {
        out.push_str("<url><loc>");
        out.push_str(&xml_escape(&format!("{base}{path}")));
        out.push_str("</loc></url>\n");
    };
    url("/".into());
    for c in &snap.categories {
        url(format!("/c/{}", c.slug));
    }
    for e in &snap.products {
        url(format!("/p/{}", e.product.slug));
    }
    out.push_str("</urlset>\n");
    Ok(([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], out).into_response())
}
