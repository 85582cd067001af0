//! SQL for carts and their lines.

use sqlx::{AnyPool, FromRow};

use crate::db::Tx;
use crate::error::{AppError, AppResult};

/// Locale of the product titles on cart lines and orders (the shop default, as in the
/// catalog); falls back to any other locale the product has. See [`super::localize`].
pub(crate) const TITLE_LOCALE: &str = "en";

#[derive(Debug, Clone, FromRow)]
pub(crate) struct CartRow {
    pub id: i64,
    pub token: String,
    pub customer_id: Option<i64>,
    pub currency: String,
    pub email: Option<String>,
    pub shipping_address: Option<String>,
    pub shipping_method_id: Option<i64>,
    pub pickup_location_id: Option<i64>,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl CartRow {
    /// Guest carts are open to anyone holding the token; a customer's cart only to them.
    pub fn check_access(&self, customer_id: Option<i64>) -> AppResult<()> {
        match self.customer_id {
            Some(owner) if Some(owner) != customer_id => Err(AppError::not_found("cart")),
            _ => Ok(()),
        }
    }

    /// Fails with 409 `cart_closed` unless the cart can still change.
    pub fn check_open(&self) -> AppResult<()> {
        if self.status == "open" {
            Ok(())
        } else {
            Err(AppError::conflict("cart_closed", format!("this cart is {} and can no longer change", self.status)))
        }
    }
}

macro_rules! cart_fields {
    () => {
        "id, token, customer_id, currency, email, shipping_address, shipping_method_id, pickup_location_id, status, \
         created_at, updated_at"
    };
}
const CART_COLUMNS: &str = concat!("SELECT ", cart_fields!(), " FROM carts");

/// A field of an open cart that [`update_open`] sets.
pub(crate) enum CartField<'a> {
    Email(&'a str),
    /// The address as JSON.
    Address(&'a str),
    Shipping {
        method_id: i64,
        pickup_location_id: Option<i64>,
    },
}

/// Sets one field of an open cart the caller may change in a single statement: token,
/// access (a guest cart, or the caller's own) and open status are conditions of the
/// UPDATE, so no transaction or lock is needed. When nothing matched, reads the cart to
/// answer why: 404 (no such cart, or not the caller's) or 409 `cart_closed`.
pub(crate) async fn update_open(
    pool: &AnyPool,
    now: i64,
    token: &str,
    customer_id: Option<i64>,
    field: CartField<'_>,
) -> AppResult<CartRow> {
    let set = match field {
        CartField::Email(_) => "email = $4",
        CartField::Address(_) => "shipping_address = $4",
        CartField::Shipping { .. } => "shipping_method_id = $4, pickup_location_id = $5",
    };
    let sql = format!(
        "UPDATE carts SET {set}, updated_at = $1 WHERE token = $2 AND status = 'open' \
         AND (customer_id IS NULL OR customer_id = $3) RETURNING {}",
        cart_fields!()
    );
    let query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).bind(token).bind(customer_id);
    let query = match field {
        CartField::Email(v) | CartField::Address(v) => query.bind(v),
        CartField::Shipping { method_id, pickup_location_id } => query.bind(method_id).bind(pickup_location_id),
    };
    if let Some(row) = query.fetch_optional(pool).await? {
        return Ok(row);
    }
    let cart = cart_by_token(pool, token).await?.ok_or(AppError::not_found("cart"))?;
    cart.check_access(customer_id)?;
    cart.check_open()?;
    Err(AppError::conflict("cart_closed", "this cart can no longer change"))
}

pub(crate) async fn cart_by_token_in(tx: &mut Tx, token: &str) -> AppResult<Option<CartRow>> {
    let sql = format!("{CART_COLUMNS} WHERE token = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token).fetch_optional(&mut **tx).await?)
}

pub(crate) async fn cart_by_token(pool: &AnyPool, token: &str) -> AppResult<Option<CartRow>> {
    let sql = format!("{CART_COLUMNS} WHERE token = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token).fetch_optional(pool).await?)
}

pub(crate) async fn open_cart_of_customer(pool: &AnyPool, customer_id: i64) -> AppResult<Option<CartRow>> {
    let sql = format!("{CART_COLUMNS} WHERE customer_id = $1 AND status = 'open'");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(customer_id).fetch_optional(pool).await?)
}

pub(crate) async fn open_cart_of_customer_in(tx: &mut Tx, customer_id: i64) -> AppResult<Option<CartRow>> {
    let sql = format!("{CART_COLUMNS} WHERE customer_id = $1 AND status = 'open'");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(customer_id).fetch_optional(&mut **tx).await?)
}

/// Inserts a cart; for a customer, does nothing when they already have an open one.
pub(crate) async fn insert_cart(
    pool: &AnyPool,
    now: i64,
    token: &str,
    customer_id: Option<i64>,
    currency: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO carts (token, customer_id, currency, status, created_at, updated_at) \
         VALUES ($1, $2, $3, 'open', $4, $4) ON CONFLICT DO NOTHING",
    )
    .bind(token)
    .bind(customer_id)
    .bind(currency)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Bumps `updated_at` of an open cart, which also locks its row until the transaction
/// ends (PostgreSQL), so concurrent changes to one cart apply one after another.
pub(crate) async fn lock_open(tx: &mut Tx, now: i64, cart_id: i64) -> AppResult<()> {
    let done = sqlx::query("UPDATE carts SET updated_at = $1 WHERE id = $2 AND status = 'open'")
        .bind(now)
        .bind(cart_id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::conflict("cart_closed", "this cart can no longer change"));
    }
    Ok(())
}

/// A cart line joined with its SKU and product as they are now.
#[derive(Debug, Clone, FromRow)]
pub(crate) struct LineRow {
    pub sku_id: i64,
    pub quantity: i64,
    pub product_id: i64,
    pub category_id: i64,
    pub merchant_id: i64,
    pub title: String,
    pub sku_code: String,
    pub attrs: String,
    pub price: i64,
    pub list_price: Option<i64>,
    pub currency: String,
    pub weight_grams: i64,
    pub sku_active: i64,
    pub product_status: String,
}

impl LineRow {
    /// The SKU may be bought now: active, product listed, in the cart's currency.
    pub fn purchasable(&self, cart_currency: &str) -> bool {
        self.sku_active == 1 && self.product_status == "listed" && self.currency == cart_currency
    }
}

const SKU_SELECT: &str = "SELECT s.id AS sku_id, p.id AS product_id, p.category_id, p.merchant_id, \
     COALESCE((SELECT t.title FROM product_texts t WHERE t.product_id = p.id AND t.locale = $1), \
              (SELECT MIN(t.title) FROM product_texts t WHERE t.product_id = p.id), '') AS title, \
     s.code AS sku_code, s.attrs, s.price, s.list_price, s.currency, s.weight_grams, s.active AS sku_active, \
     p.status AS product_status";

pub(crate) async fn lines_in(tx: &mut Tx, cart_id: i64) -> AppResult<Vec<LineRow>> {
    let sql = format!(
        "{SKU_SELECT}, l.quantity FROM cart_lines l JOIN skus s ON s.id = l.sku_id JOIN products p ON p.id = s.product_id \
         WHERE l.cart_id = $2 ORDER BY l.added_at, l.sku_id"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(TITLE_LOCALE).bind(cart_id).fetch_all(&mut **tx).await?)
}

pub(crate) async fn lines(pool: &AnyPool, cart_id: i64) -> AppResult<Vec<LineRow>> {
    let sql = format!(
        "{SKU_SELECT}, l.quantity FROM cart_lines l JOIN skus s ON s.id = l.sku_id JOIN products p ON p.id = s.product_id \
         WHERE l.cart_id = $2 ORDER BY l.added_at, l.sku_id"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(TITLE_LOCALE).bind(cart_id).fetch_all(pool).await?)
}

/// One SKU as a would-be line (quantity 0).
pub(crate) async fn sku_in(tx: &mut Tx, sku_id: i64) -> AppResult<Option<LineRow>> {
    let sql = format!(
        "{SKU_SELECT}, CAST(0 AS BIGINT) AS quantity FROM skus s JOIN products p ON p.id = s.product_id WHERE s.id = $2"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(TITLE_LOCALE).bind(sku_id).fetch_optional(&mut **tx).await?)
}

pub(crate) async fn line_quantity(tx: &mut Tx, cart_id: i64, sku_id: i64) -> AppResult<Option<i64>> {
    let q = sqlx::query_scalar("SELECT quantity FROM cart_lines WHERE cart_id = $1 AND sku_id = $2")
        .bind(cart_id)
        .bind(sku_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(q)
}

pub(crate) async fn line_count(tx: &mut Tx, cart_id: i64) -> AppResult<i64> {
    let n = sqlx::query_scalar("SELECT COUNT(*) FROM cart_lines WHERE cart_id = $1")
        .bind(cart_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n)
}

pub(crate) async fn upsert_line(tx: &mut Tx, now: i64, cart_id: i64, sku_id: i64, quantity: i64) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO cart_lines (cart_id, sku_id, quantity, added_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (cart_id, sku_id) DO UPDATE SET quantity = excluded.quantity",
    )
    .bind(cart_id)
    .bind(sku_id)
    .bind(quantity)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn delete_line(tx: &mut Tx, cart_id: i64, sku_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM cart_lines WHERE cart_id = $1 AND sku_id = $2")
        .bind(cart_id)
        .bind(sku_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(crate) async fn customer_email(tx: &mut Tx, customer_id: i64) -> AppResult<Option<String>> {
    let email: Option<Option<String>> = sqlx::query_scalar("SELECT email FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(email.flatten())
}

/// True when the pickup location exists and is active.
pub(crate) async fn pickup_location_active<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    id: i64,
) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pickup_locations WHERE id = $1 AND active = 1")
        .bind(id)
        .fetch_one(db)
        .await?;
    Ok(n > 0)
}

/// Titles of `product_ids` in `locale` (products without one are absent).
pub(crate) async fn titles(pool: &AnyPool, locale: &str, product_ids: &[i64]) -> AppResult<Vec<(i64, String)>> {
    if product_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (2..product_ids.len() + 2).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT product_id, title FROM product_texts WHERE locale = $1 AND product_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql)).bind(locale);
    for id in product_ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(pool).await?)
}
