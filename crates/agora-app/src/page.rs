//! Cursor pagination shared by every list.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;

use crate::error::{AppError, AppResult};

/// Largest page a client may ask for.
pub const MAX_LIMIT: i64 = 100;

/// A page of items and the cursor of the next page, if any.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Validates a requested page size (default 20).
pub fn limit(requested: Option<i64>) -> AppResult<i64> {
    match requested {
        None => Ok(20),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(AppError::invalid("limit", format!("must be between 1 and {MAX_LIMIT}"))),
    }
}

/// Encodes an opaque cursor from its parts.
pub fn encode_cursor(parts: &[i64]) -> String {
    let text = parts.iter().map(i64::to_string).collect::<Vec<_>>().join(":");
    URL_SAFE_NO_PAD.encode(text)
}

/// Decodes a cursor made by [`encode_cursor`] with exactly `n` parts.
pub fn decode_cursor(cursor: &str, n: usize) -> AppResult<Vec<i64>> {
    let bad = || AppError::invalid("cursor", "malformed cursor");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let parts: Vec<i64> = text.split(':').map(str::parse).collect::<Result<_, _>>().map_err(|_| bad())?;
    if parts.len() == n { Ok(parts) } else { Err(bad()) }
}

/// Cuts a `limit + 1` result into a page and its next cursor.
pub fn paginate<T>(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> Vec<i64>) -> Page<T> {
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|last| encode_cursor(&key(last)))
    } else {
        None
    };
    Page { items: rows, next_cursor }
}
