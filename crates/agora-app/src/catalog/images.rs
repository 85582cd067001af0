//! Product images: uploaded bytes are checked by their magic numbers, stored once under the
//! media folder with a content-hash name, and served immutable.

use serde::Deserialize;
use utoipa::ToSchema;

use super::model::Product;
use super::variants::{self, VariantError};
use super::{Errors, Touched, commit, products};
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult};
use crate::{App, crypto};

/// Largest accepted image.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
const ALT_MAX: usize = 300;

/// A recognised image format: (content type, file extension).
pub fn detect(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(("image/jpeg", "jpg")),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(("image/png", "png")),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(("image/gif", "gif")),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(("image/webp", "webp")),
        _ => None,
    }
}

/// The content type of a stored file name, or None when the name is not one we issue
/// (64 hex digits and a known extension — which also rules out path traversal).
pub fn stored_type(name: &str) -> Option<&'static str> {
    let (hash, ext) = name.split_once('.')?;
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return None;
    }
    match ext {
        "jpg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}

/// Reads a stored media file: (bytes, content type).
pub async fn read(app: &App, name: &str) -> AppResult<(Vec<u8>, &'static str)> {
    let content_type = stored_type(name).ok_or_else(|| AppError::not_found("media"))?;
    let path = app.settings.media_dir().join(name);
    let read = tokio::task::spawn_blocking(move || std::fs::read(path))
        .await
        .map_err(|e| AppError::Internal(format!("reading media: {e}")))?;
    match read {
        Ok(bytes) => Ok((bytes, content_type)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(AppError::not_found("media")),
        Err(e) => Err(AppError::Internal(format!("reading media: {e}"))),
    }
}

/// The stored name of a media file: its content hash and extension (what [`stored_type`] accepts).
pub fn file_name(bytes: &[u8], ext: &str) -> String {
    format!("{}.{ext}", crypto::sha256_hex(bytes))
}

/// Writes the file under its content hash (once; an identical upload reuses it).
async fn store_file(app: &App, bytes: &[u8], ext: &str) -> AppResult<String> {
    let name = file_name(bytes, ext);
    let dir = app.settings.media_dir();
    let tmp = dir.join(format!(".{name}.{}", crypto::random_code(8)));
    let path = dir.join(&name);
    let bytes = bytes.to_vec();
    let write = move || -> std::io::Result<()> {
        if path.exists() {
            return Ok(());
        }
        std::fs::create_dir_all(&dir)?;
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path)
    };
    tokio::task::spawn_blocking(write)
        .await
        .map_err(|e| AppError::Internal(format!("storing media: {e}")))?
        .map_err(|e| AppError::Internal(format!("storing media: {e}")))?;
    Ok(name)
}

/// Decodes the upload and makes its variants on a blocking thread; a picture that cannot
/// be decoded is bad input naming `file`.
async fn render(bytes: &[u8]) -> AppResult<variants::Rendered> {
    let bytes = bytes.to_vec();
    let rendered = tokio::task::spawn_blocking(move || variants::render(&bytes))
        .await
        .map_err(|e| AppError::Internal(format!("resizing image: {e}")))?;
    rendered.map_err(|e| match e {
        VariantError::Encode(_) => AppError::Internal(format!("resizing image: {e}")),
        _ => AppError::invalid("file", e.to_string()),
    })
}

fn image_change(action: &'static str, before: &Product, after: &Product) -> Change<'static> {
    Change {
        action,
        entity: "product",
        entity_id: before.id.to_string(),
        before: audit::snapshot(&before.images),
        after: audit::snapshot(&after.images),
    }
}

/// Checks an upload's size and magic bytes, adding the refusal (naming `file`) to `e`;
/// returns its (content type, extension) when it is an accepted format.
pub(crate) fn check_file(bytes: &[u8], e: &mut Errors) -> Option<(&'static str, &'static str)> {
    let kind = detect(bytes);
    if bytes.len() > MAX_BYTES {
        e.add("file", "must be at most 10 MiB");
    } else if kind.is_none() {
        e.add("file", "must be a JPEG, PNG, WebP or GIF image");
    }
    kind.filter(|_| bytes.len() <= MAX_BYTES)
}

/// Stores an uploaded picture used outside a product (a banner): checked like a product
/// image (refusals name `file`, and nothing is written), then its medium size — or the
/// original when it already fits — is stored under its content hash. Returns its
/// `/media/…` address.
pub async fn store_upload(app: &App, bytes: &[u8]) -> AppResult<String> {
    let mut e = Errors::default();
    let kind = check_file(bytes, &mut e);
    e.finish()?;
    let Some((_, ext)) = kind else { return Err(AppError::invalid("file", "unsupported image")) };
    let rendered = render(bytes).await?;
    let name = match &rendered.medium {
        Some(medium) => store_file(app, &medium.bytes, medium.ext).await?,
        None => store_file(app, bytes, ext).await?,
    };
    Ok(format!("/media/{name}"))
}

/// Adds an image to a product (audited). `bytes` must be a JPEG, PNG, WebP or GIF that
/// decodes; its thumbnail and medium variants are made and stored beside it.
pub async fn upload(app: &App, actor: &Actor, product_id: i64, bytes: &[u8], alt: &str) -> AppResult<Product> {
    let mut e = Errors::default();
    let kind = check_file(bytes, &mut e);
    e.max_chars("alt", alt, ALT_MAX);
    e.finish()?;
    let Some((content_type, ext)) = kind else { return Err(AppError::invalid("file", "unsupported image")) };
    // Make sure the product exists before touching the disk; the insert checks again.
    products::get(app, product_id).await?;
    let rendered = render(bytes).await?;
    let name = store_file(app, bytes, ext).await?;
    let mut variant_names = Vec::new();
    for variant in [&rendered.thumb, &rendered.medium] {
        variant_names.push(match variant {
            Some(v) => store_file(app, &v.bytes, v.ext).await?,
            None => String::new(),
        });
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = products::load_locked(&mut tx, product_id, now).await?;
    let position = before.images.iter().map(|i| i.position).max().map_or(0, |p| p + 1);
    sqlx::query(
        "INSERT INTO product_images (product_id, file_name, content_type, alt, position, byte_size, created_at, \
         width, height, thumb_file, medium_file) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(product_id)
    .bind(&name)
    .bind(content_type)
    .bind(alt.trim())
    .bind(position)
    .bind(bytes.len() as i64)
    .bind(now)
    .bind(i64::from(rendered.width))
    .bind(i64::from(rendered.height))
    .bind(&variant_names[0])
    .bind(&variant_names[1])
    .execute(&mut *tx)
    .await?;
    let after = products::load(&mut tx, product_id).await?;
    audit::record(&mut tx, now, actor, image_change("product.image_add", &before, &after)).await?;
    commit(app, tx, Touched::Products(&[product_id])).await?;
    Ok(after)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageOrder {
    /// Every image id of the product, in the new order.
    pub ids: Vec<i64>,
}

/// Reorders a product's images (audited); `ids` must name each image exactly once.
pub async fn reorder(app: &App, actor: &Actor, product_id: i64, ids: &[i64]) -> AppResult<Product> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = products::load_locked(&mut tx, product_id, now).await?;
    let mut given = ids.to_vec();
    given.sort_unstable();
    let mut have: Vec<i64> = before.images.iter().map(|i| i.id).collect();
    have.sort_unstable();
    if given != have {
        return Err(AppError::invalid("ids", "must list every image of the product exactly once"));
    }
    for (position, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE product_images SET position = $1 WHERE id = $2")
            .bind(position as i64)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let after = products::load(&mut tx, product_id).await?;
    audit::record(&mut tx, now, actor, image_change("product.image_reorder", &before, &after)).await?;
    commit(app, tx, Touched::Products(&[product_id])).await?;
    Ok(after)
}

/// The product of an image, locked and loaded.
async fn product_of_image(tx: &mut crate::Tx, image_id: i64, now: i64) -> AppResult<Product> {
    let pid: Option<i64> = sqlx::query_scalar("SELECT product_id FROM product_images WHERE id = $1")
        .bind(image_id)
        .fetch_optional(&mut **tx)
        .await?;
    products::load_locked(tx, pid.ok_or_else(|| AppError::not_found("image"))?, now).await
}

/// Sets an image's alt text (audited).
pub async fn set_alt(app: &App, actor: &Actor, image_id: i64, alt: &str) -> AppResult<Product> {
    let mut e = Errors::default();
    e.max_chars("alt", alt, ALT_MAX);
    e.finish()?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = product_of_image(&mut tx, image_id, now).await?;
    sqlx::query("UPDATE product_images SET alt = $1 WHERE id = $2")
        .bind(alt.trim())
        .bind(image_id)
        .execute(&mut *tx)
        .await?;
    let after = products::load(&mut tx, before.id).await?;
    audit::record(&mut tx, now, actor, image_change("product.image_alt", &before, &after)).await?;
    commit(app, tx, Touched::Products(&[before.id])).await?;
    Ok(after)
}

/// Removes an image (audited); the file goes when no image refers to it any more.
pub async fn delete(app: &App, actor: &Actor, image_id: i64) -> AppResult<Product> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = product_of_image(&mut tx, image_id, now).await?;
    let (original, thumb, medium): (String, String, String) =
        sqlx::query_as("SELECT file_name, thumb_file, medium_file FROM product_images WHERE id = $1")
            .bind(image_id)
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query("DELETE FROM product_images WHERE id = $1").bind(image_id).execute(&mut *tx).await?;
    let mut unused = Vec::new();
    for name in [original, thumb, medium] {
        if name.is_empty() || unused.contains(&name) {
            continue;
        }
        let still_used: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM product_images WHERE file_name = $1 OR thumb_file = $1 OR medium_file = $1",
        )
        .bind(&name)
        .fetch_one(&mut *tx)
        .await?;
        if still_used == 0 {
            unused.push(name);
        }
    }
    let after = products::load(&mut tx, before.id).await?;
    audit::record(&mut tx, now, actor, image_change("product.image_delete", &before, &after)).await?;
    commit(app, tx, Touched::Products(&[before.id])).await?;
    let dir = app.settings.media_dir();
    let removed =
        tokio::task::spawn_blocking(move || unused.iter().try_for_each(|n| std::fs::remove_file(dir.join(n))));
    if let Ok(Err(e)) = removed.await {
        tracing::warn!(error = %e, "could not remove unused media file");
    }
    Ok(after)
}
