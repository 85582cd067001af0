//! The catalog: a category tree, products with localised texts, tags, attributes, images and
//! SKUs built from attribute axes, a draft → scheduled → listed ⇄ delisted lifecycle, and the
//! shopper listing and detail served from an in-memory snapshot ([`Cache`]).
//!
//! Every write validates its input first, then runs in one transaction that also records the
//! audit row and bumps the catalog revision; after commit the snapshot of this process is
//! invalidated ([`commit`]). Other processes notice the revision change within a second.

pub mod attrs;
pub mod cache;
pub mod categories;
pub mod detail;
pub mod images;
pub mod jobs;
pub mod lifecycle;
pub mod listing;
pub mod model;
pub mod products;
pub mod skus;
pub mod small_map;
pub mod store;
pub mod tree;
pub mod variants;

pub use cache::{Cache, Snapshot};
pub use model::{Category, Image, ImageVariant, Names, Product, ProductSummary, ProductText, Sku};

use crate::error::{AppError, AppResult, FieldError};
use crate::{App, Tx};

/// Id of the merchant products belong to until the shop hosts several merchants.
pub const DEFAULT_MERCHANT_ID: i64 = 1;

/// What a catalog write touched, to invalidate just enough of the snapshot.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Touched<'a> {
    /// Categories: breadcrumbs and lists everywhere may change.
    All,
    /// These products only.
    Products(&'a [i64]),
}

/// Commits a catalog write: bumps the shared revision in the transaction, commits, then
/// invalidates this process's snapshot so the next read sees the change.
pub(crate) async fn commit(app: &App, mut tx: Tx, touched: Touched<'_>) -> AppResult<()> {
    let revision = store::bump_revision(&mut tx).await?;
    tx.commit().await?;
    match touched {
        Touched::All => app.catalog.invalidate(),
        Touched::Products(ids) => app.catalog.invalidate_products(ids, revision),
    }
    Ok(())
}

/// Collects field errors so a request reports every invalid field at once.
#[derive(Debug, Default)]
pub(crate) struct Errors(Vec<FieldError>);

impl Errors {
    pub(crate) fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError { field: field.into(), message: message.into() });
    }

    /// Checks `value` has at most `max` characters.
    pub(crate) fn max_chars(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.add(field, format!("must be at most {max} characters"));
        }
    }

    pub(crate) fn finish(self) -> AppResult<()> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::Validation(self.0)) }
    }
}

/// Distinguishes an absent JSON field (`None`) from an explicit `null` (`Some(None)`).
pub fn double_option<'de, D, T>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(de).map(Some)
}
