//! Home-page banners. Until the admin console manages them they are a JSON list in the
//! `storefront_banners` setting: `[{"href": "/c/tea", "image_url": "/media/….jpg", "alt": "…"}]`.
//! No setting (or an unreadable one) means no banners.

use serde::{Deserialize, Serialize};

use crate::App;
use crate::error::AppResult;

/// The settings key holding the banner list.
pub const SETTING: &str = "storefront_banners";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Banner {
    pub href: String,
    pub image_url: String,
    #[serde(default)]
    pub alt: String,
}

/// The banners to show, in order; only same-site links and images are kept.
pub async fn list(app: &App) -> AppResult<Vec<Banner>> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM app_settings WHERE key = $1")
        .bind(SETTING)
        .fetch_optional(app.db.reader())
        .await?;
    let Some(text) = value else { return Ok(Vec::new()) };
    let banners: Vec<Banner> = serde_json::from_str(&text).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "the storefront_banners setting is not a banner list");
        Vec::new()
    });
    let local = |u: &str| u.starts_with('/') && !u.starts_with("//");
    Ok(banners.into_iter().filter(|b| local(&b.href) && local(&b.image_url)).collect())
}
