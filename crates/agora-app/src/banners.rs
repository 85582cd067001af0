//! Home-page banners (table `banners`, migration 0008): an image under `/media/`, a
//! same-site link, alt text per locale, a position, an active flag and an optional
//! `[starts_at, ends_at)` window. Staff manage them (ManageCatalog, every write audited);
//! the storefront shows the active ones inside their window, in order.

use agora_domain::Locale;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::App;
use crate::audit::{self, Actor, Change};
use crate::catalog::{Errors, images};
use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::page::{self, Page};

const COLUMNS: &str =
    "id, image_url, href, alt_en, alt_zh_cn, alt_zh_tw, position, active, starts_at, ends_at, created_at, updated_at";
const HREF_MAX: usize = 500;
const ALT_MAX: usize = 300;
const POSITION_MAX: i64 = 1_000_000;
/// Most banners the home page shows.
pub const SHOWN_MAX: i64 = 10;

/// A banner as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, ToSchema)]
pub struct Banner {
    pub id: i64,
    /// `/media/<sha256>.<ext>`, a file of the catalog image store.
    pub image_url: String,
    /// A same-site path such as `/c/tea`.
    pub href: String,
    pub alt_en: String,
    pub alt_zh_cn: String,
    pub alt_zh_tw: String,
    /// Lower is shown first.
    pub position: i64,
    /// 1 = shown (inside the window), 0 = hidden.
    pub active: i64,
    /// Epoch ms from which it is shown (inclusive); none = already.
    pub starts_at: Option<i64>,
    /// Epoch ms from which it is no longer shown; none = never ends.
    pub ends_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Banner {
    /// The alt text for `locale`, else the English one.
    pub fn alt(&self, locale: Locale) -> &str {
        let text = match locale {
            Locale::En => &self.alt_en,
            Locale::ZhCn => &self.alt_zh_cn,
            Locale::ZhTw => &self.alt_zh_tw,
        };
        if text.is_empty() { &self.alt_en } else { text }
    }

    /// True when shown at `now`: active and inside its window.
    pub fn shown_at(&self, now: i64) -> bool {
        self.active == 1 && self.starts_at.is_none_or(|s| s <= now) && self.ends_at.is_none_or(|e| now < e)
    }
}

/// A new banner, or every field of an existing one (replaced as a whole).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BannerInput {
    /// `/media/<name>` of an uploaded image.
    pub image_url: String,
    /// A same-site path (`/…`, not `//…`).
    pub href: String,
    #[serde(default)]
    pub alt_en: String,
    #[serde(default)]
    pub alt_zh_cn: String,
    #[serde(default)]
    pub alt_zh_tw: String,
    /// Defaults to after the last banner when creating, to the current one when updating.
    pub position: Option<i64>,
    #[serde(default = "yes")]
    pub active: bool,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
}

fn yes() -> bool {
    true
}

/// The new order: every banner id exactly once.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BannerOrder {
    pub ids: Vec<i64>,
}

/// True for a same-site path: starts with one `/`, no backslash, no space or control character.
pub fn same_site(url: &str) -> bool {
    url.starts_with('/')
        && !url.starts_with("//")
        && !url.contains('\\')
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn check(input: &BannerInput) -> AppResult<()> {
    let mut e = Errors::default();
    if input.image_url.trim().strip_prefix("/media/").and_then(images::stored_type).is_none() {
        e.add("image_url", "must be an uploaded image under /media/");
    }
    check_fields(input, &mut e);
    e.finish()
}

/// Stores `file`, an image uploaded with a banner form, and returns `input` pointing at it
/// (for [`create`] or [`update`]). The other fields are checked first, together with the
/// file's format (refusals name `file`), so a refused form writes nothing.
pub async fn with_upload(app: &App, input: &BannerInput, file: &[u8]) -> AppResult<BannerInput> {
    let mut e = Errors::default();
    images::check_file(file, &mut e);
    check_fields(input, &mut e);
    e.finish()?;
    let image_url = images::store_upload(app, file).await?;
    Ok(BannerInput { image_url, ..input.clone() })
}

/// Every check but the image's.
fn check_fields(input: &BannerInput, e: &mut Errors) {
    if !same_site(input.href.trim()) {
        e.add("href", "must be a link on this site, starting with /");
    }
    e.max_chars("href", input.href.trim(), HREF_MAX);
    for (field, alt) in [("alt_en", &input.alt_en), ("alt_zh_cn", &input.alt_zh_cn), ("alt_zh_tw", &input.alt_zh_tw)] {
        e.max_chars(field, alt.trim(), ALT_MAX);
    }
    if input.position.is_some_and(|p| !(0..=POSITION_MAX).contains(&p)) {
        e.add("position", format!("must be between 0 and {POSITION_MAX}"));
    }
    if let (Some(s), Some(end)) = (input.starts_at, input.ends_at)
        && end <= s
    {
        e.add("ends_at", "must be after the start");
    }
}

async fn load(tx: &mut Tx, id: i64) -> AppResult<Banner> {
    let sql = format!("SELECT {COLUMNS} FROM banners WHERE id = $1");
    let found: Option<Banner> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?;
    found.ok_or(AppError::not_found("banner"))
}

/// Takes the banner's row lock (a no-op update), then loads it.
async fn load_locked(tx: &mut Tx, id: i64) -> AppResult<Banner> {
    sqlx::query("UPDATE banners SET id = id WHERE id = $1").bind(id).execute(&mut **tx).await?;
    load(tx, id).await
}

/// Creates a banner (audited).
pub async fn create(app: &App, actor: &Actor, input: &BannerInput) -> AppResult<Banner> {
    check(input)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let position = match input.position {
        Some(p) => p,
        None => {
            let last: Option<i64> =
                sqlx::query_scalar("SELECT CAST(MAX(position) AS BIGINT) FROM banners").fetch_one(&mut *tx).await?;
            last.map_or(0, |p| (p + 1).min(POSITION_MAX))
        }
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO banners (image_url, href, alt_en, alt_zh_cn, alt_zh_tw, position, active, starts_at, ends_at, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(input.image_url.trim())
    .bind(input.href.trim())
    .bind(input.alt_en.trim())
    .bind(input.alt_zh_cn.trim())
    .bind(input.alt_zh_tw.trim())
    .bind(position)
    .bind(i64::from(input.active))
    .bind(input.starts_at)
    .bind(input.ends_at)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let after = load(&mut tx, id).await?;
    audit::record(&mut tx, now, actor, Change::of("banner.create", "banner", id, None, Some(&after))).await?;
    tx.commit().await?;
    Ok(after)
}

/// Replaces every field of a banner (audited).
pub async fn update(app: &App, actor: &Actor, id: i64, input: &BannerInput) -> AppResult<Banner> {
    check(input)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = load_locked(&mut tx, id).await?;
    sqlx::query(
        "UPDATE banners SET image_url = $1, href = $2, alt_en = $3, alt_zh_cn = $4, alt_zh_tw = $5, position = $6, \
         active = $7, starts_at = $8, ends_at = $9, updated_at = $10 WHERE id = $11",
    )
    .bind(input.image_url.trim())
    .bind(input.href.trim())
    .bind(input.alt_en.trim())
    .bind(input.alt_zh_cn.trim())
    .bind(input.alt_zh_tw.trim())
    .bind(input.position.unwrap_or(before.position))
    .bind(i64::from(input.active))
    .bind(input.starts_at)
    .bind(input.ends_at)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let after = load(&mut tx, id).await?;
    audit::record(&mut tx, now, actor, Change::of("banner.update", "banner", id, Some(&before), Some(&after))).await?;
    tx.commit().await?;
    Ok(after)
}

/// Deletes a banner (audited; the image file stays, other products may use it).
pub async fn delete(app: &App, actor: &Actor, id: i64) -> AppResult<()> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = load_locked(&mut tx, id).await?;
    sqlx::query("DELETE FROM banners WHERE id = $1").bind(id).execute(&mut *tx).await?;
    audit::record(&mut tx, now, actor, Change::of("banner.delete", "banner", id, Some(&before), None)).await?;
    tx.commit().await?;
    Ok(())
}

/// Every banner id in display order.
pub async fn ordered_ids(app: &App) -> AppResult<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM banners ORDER BY position, id").fetch_all(app.db.reader()).await?)
}

/// Sets the display order (audited as one change); `ids` must name every banner once.
pub async fn reorder(app: &App, actor: &Actor, ids: &[i64]) -> AppResult<Vec<Banner>> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    // Serialise reorders: lock every banner row before reading the set.
    sqlx::query("UPDATE banners SET id = id").execute(&mut *tx).await?;
    let sql = format!("SELECT {COLUMNS} FROM banners ORDER BY position, id");
    let before: Vec<Banner> = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).fetch_all(&mut *tx).await?;
    let mut given = ids.to_vec();
    given.sort_unstable();
    let mut stored: Vec<i64> = before.iter().map(|b| b.id).collect();
    stored.sort_unstable();
    if given != stored {
        return Err(AppError::invalid("ids", "must name every banner exactly once"));
    }
    for (position, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE banners SET position = $1, updated_at = $2 WHERE id = $3")
            .bind(position as i64)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let after: Vec<Banner> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *tx).await?;
    let change = Change {
        action: "banner.reorder",
        entity: "banner",
        entity_id: "*".into(),
        before: audit::snapshot(&before.iter().map(|b| b.id).collect::<Vec<_>>()),
        after: audit::snapshot(&ids),
    };
    audit::record(&mut tx, now, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// One banner as staff see it.
pub async fn get(app: &App, id: i64) -> AppResult<Banner> {
    let sql = format!("SELECT {COLUMNS} FROM banners WHERE id = $1");
    let found: Option<Banner> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(app.db.reader()).await?;
    found.ok_or(AppError::not_found("banner"))
}

/// Every banner in display order, a cursor page at a time (staff).
pub async fn list(app: &App, cursor: Option<&str>, limit: Option<i64>) -> AppResult<Page<Banner>> {
    let limit = page::limit(limit)?;
    let (position, id) = match cursor {
        Some(c) => {
            let parts = page::decode_cursor(c, 2)?;
            (parts[0], parts[1])
        }
        None => (-1, 0),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM banners WHERE position > $1 OR (position = $1 AND id > $2) ORDER BY position, id LIMIT $3"
    );
    let rows: Vec<Banner> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(position)
        .bind(id)
        .bind(limit + 1)
        .fetch_all(app.db.reader())
        .await?;
    Ok(page::paginate(rows, limit, |b| vec![b.position, b.id]))
}

/// The banners the home page shows now: active, inside their window, in order.
pub async fn shown(app: &App) -> AppResult<Vec<Banner>> {
    let now = app.now();
    let sql = format!(
        "SELECT {COLUMNS} FROM banners WHERE active = 1 AND (starts_at IS NULL OR starts_at <= $1) \
         AND (ends_at IS NULL OR ends_at > $1) ORDER BY position, id LIMIT $2"
    );
    let rows: Vec<Banner> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).bind(SHOWN_MAX).fetch_all(app.db.reader()).await?;
    // Rows written before these checks existed (e.g. copied from the old setting) are
    // filtered again: only same-site links and images reach the page.
    Ok(rows.into_iter().filter(|b| same_site(&b.href) && same_site(&b.image_url)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn banner(active: i64, starts_at: Option<i64>, ends_at: Option<i64>) -> Banner {
        Banner {
            id: 1,
            image_url: String::new(),
            href: String::new(),
            alt_en: "Tea".into(),
            alt_zh_cn: "茶".into(),
            alt_zh_tw: String::new(),
            position: 0,
            active,
            starts_at,
            ends_at,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn window_is_half_open() {
        let b = banner(1, Some(100), Some(200));
        assert!(!b.shown_at(99) && b.shown_at(100) && b.shown_at(199) && !b.shown_at(200));
        assert!(banner(1, None, None).shown_at(0));
        assert!(!banner(0, None, None).shown_at(0));
    }

    #[test]
    fn alt_falls_back_to_english() {
        let b = banner(1, None, None);
        assert_eq!(b.alt(Locale::ZhCn), "茶");
        assert_eq!(b.alt(Locale::ZhTw), "Tea");
    }

    #[test]
    fn only_same_site_links() {
        assert!(same_site("/c/tea?x=1"));
        for bad in ["//evil.example/", "https://evil.example/", "/\\evil", "/a b", "javascript:alert(1)", ""] {
            assert!(!same_site(bad), "{bad}");
        }
    }

    #[test]
    fn input_checks_name_fields() {
        let input = BannerInput {
            image_url: "/media/x.png".into(),
            href: "https://evil.example/".into(),
            starts_at: Some(10),
            ends_at: Some(10),
            ..Default::default()
        };
        let Err(AppError::Validation(errors)) = check(&input) else { panic!("accepted") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["image_url", "href", "ends_at"]);
    }
}
