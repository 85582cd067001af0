//! Static files embedded in the binary, served under `/static/` with a content hash in the
//! file name so they can be cached forever; and robots.txt.

use std::sync::LazyLock;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// One embedded file.
pub struct Asset {
    /// Name in the source tree, e.g. `app.css`.
    pub name: &'static str,
    /// Name served, with the content hash: `app.3f2a9c01d4.css`.
    pub hashed: String,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

const FILES: [(&str, &str, &[u8]); 7] = [
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../static/app.css")),
    ("icon.svg", "image/svg+xml", include_bytes!("../../static/icon.svg")),
    ("storefront.css", "text/css; charset=utf-8", include_bytes!("../../static/storefront.css")),
    ("sku-picker.js", "text/javascript; charset=utf-8", include_bytes!("../../static/sku-picker.js")),
    ("console.css", "text/css; charset=utf-8", include_bytes!("../../static/console.css")),
    ("admin-dashboard.js", "text/javascript; charset=utf-8", include_bytes!("../../static/admin-dashboard.js")),
    // ECharts (Apache-2.0, npm package `echarts`), only on the admin dashboard.
    ("echarts.min.js", "text/javascript; charset=utf-8", include_bytes!("../../static/vendor/echarts.min.js")),
];

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(name, content_type, bytes)| {
            let hash = &agora_app::crypto::sha256_hex(bytes)[..10];
            let hashed = match name.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
                None => format!("{name}.{hash}"),
            };
            Asset { name, hashed, content_type, bytes }
        })
        .collect()
});

/// The URL of an embedded file by its source name (`/static/app.<hash>.css`).
pub fn url(name: &str) -> String {
    ASSETS.iter().find(|a| a.name == name).map_or_else(String::new, |a| format!("/static/{}", a.hashed))
}

/// `GET /static/{file}`: only hashed names are served, with a one-year immutable lifetime.
pub async fn serve(Path(file): Path<String>) -> Response {
    let Some(asset) = ASSETS.iter().find(|a| a.hashed == file) else {
        return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "not found")
            .into_response();
    };
    let mut response = asset.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// `GET /robots.txt`: everything public may be crawled; accounts, admin and the API not;
/// the sitemap lists categories and products.
pub async fn robots(State(state): State<AppState>) -> Response {
    let base = state.app.settings.public_url.trim_end_matches('/');
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /admin\nDisallow: /account\nDisallow: /cart\nDisallow: /api/\nDisallow: /checkout\nDisallow: /orders/\n\nSitemap: {base}/sitemap.xml\n"
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}
