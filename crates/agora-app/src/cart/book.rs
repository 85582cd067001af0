//! The customer's address book. A customer sees and changes only their own addresses
//! (another customer's id is 404); one address may be the default.

use serde::Serialize;
use sqlx::FromRow;
use utoipa::ToSchema;

use super::address::Address;
use crate::App;
use crate::db::Tx;
use crate::error::{AppError, AppResult};

/// Most addresses one customer may keep.
pub const MAX_ADDRESSES: i64 = 50;

/// An address in the book.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SavedAddress {
    pub id: i64,
    #[serde(flatten)]
    pub address: Address,
    pub is_default: bool,
    pub created_at: i64,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    recipient: String,
    phone: String,
    country: String,
    province: String,
    city: String,
    district: String,
    line1: String,
    line2: String,
    postal_code: String,
    is_default: i64,
    created_at: i64,
}

impl From<Row> for SavedAddress {
    fn from(r: Row) -> SavedAddress {
        SavedAddress {
            id: r.id,
            address: Address {
                recipient: r.recipient,
                phone: r.phone,
                country: r.country,
                province: r.province,
                city: r.city,
                district: r.district,
                line1: r.line1,
                line2: r.line2,
                postal_code: r.postal_code,
            },
            is_default: r.is_default == 1,
            created_at: r.created_at,
        }
    }
}

const SELECT: &str = "SELECT id, recipient, phone, country, province, city, district, line1, line2, postal_code, \
     is_default, created_at FROM addresses";

/// The customer's addresses, default first, then newest first.
pub async fn list_addresses(app: &App, customer_id: i64) -> AppResult<Vec<SavedAddress>> {
    let sql = format!("{SELECT} WHERE customer_id = $1 ORDER BY is_default DESC, id DESC");
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(customer_id).fetch_all(app.db.reader()).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One of the customer's addresses.
pub async fn get_address(app: &App, customer_id: i64, id: i64) -> AppResult<SavedAddress> {
    let sql = format!("{SELECT} WHERE id = $1 AND customer_id = $2");
    let row: Option<Row> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).bind(customer_id).fetch_optional(app.db.reader()).await?;
    row.map(Into::into).ok_or(AppError::not_found("address"))
}

/// The address `id` if it belongs to `customer_id`, read inside `tx`.
pub(crate) async fn owned<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    customer_id: i64,
    id: i64,
) -> AppResult<Option<Address>> {
    let sql = format!("{SELECT} WHERE id = $1 AND customer_id = $2");
    let row: Option<Row> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).bind(customer_id).fetch_optional(db).await?;
    Ok(row.map(|r| SavedAddress::from(r).address))
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, <sqlx::Any as sqlx::Database>::Arguments>;

/// Binds an address's nine fields as `$1`…`$9`, the order the INSERT and UPDATE below list them in.
fn bind_fields<'q>(q: AnyQuery<'q>, a: &Address) -> AnyQuery<'q> {
    q.bind(a.recipient.clone())
        .bind(a.phone.clone())
        .bind(a.country.clone())
        .bind(a.province.clone())
        .bind(a.city.clone())
        .bind(a.district.clone())
        .bind(a.line1.clone())
        .bind(a.line2.clone())
        .bind(a.postal_code.clone())
}

async fn clear_default(tx: &mut Tx, customer_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE addresses SET is_default = 0 WHERE customer_id = $1 AND is_default = 1")
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Saves a new address. The first address, or one marked `make_default`, becomes the default.
pub async fn create_address(
    app: &App,
    customer_id: i64,
    address: Address,
    make_default: bool,
) -> AppResult<SavedAddress> {
    let a = address.validated("")?;
    let mut tx = app.db.begin().await?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM addresses WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_one(&mut *tx)
        .await?;
    if count >= MAX_ADDRESSES {
        return Err(AppError::conflict("address_book_full", format!("at most {MAX_ADDRESSES} addresses")));
    }
    let is_default = make_default || count == 0;
    if is_default {
        clear_default(&mut tx, customer_id).await?;
    }
    let insert = sqlx::query(
        "INSERT INTO addresses (recipient, phone, country, province, city, district, line1, line2, postal_code, \
         customer_id, is_default, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    );
    let row = bind_fields(insert, &a)
        .bind(customer_id)
        .bind(i64::from(is_default))
        .bind(app.now())
        .fetch_one(&mut *tx)
        .await?;
    let id: i64 = sqlx::Row::try_get(&row, 0)?;
    tx.commit().await?;
    get_address(app, customer_id, id).await
}

/// Replaces an address; `make_default: true` makes it the default.
pub async fn update_address(
    app: &App,
    customer_id: i64,
    id: i64,
    address: Address,
    make_default: bool,
) -> AppResult<SavedAddress> {
    let a = address.validated("")?;
    let mut tx = app.db.begin().await?;
    if owned(&mut *tx, customer_id, id).await?.is_none() {
        return Err(AppError::not_found("address"));
    }
    if make_default {
        clear_default(&mut tx, customer_id).await?;
    }
    let update = sqlx::query(
        "UPDATE addresses SET recipient = $1, phone = $2, country = $3, province = $4, city = $5, district = $6, \
         line1 = $7, line2 = $8, postal_code = $9, is_default = CASE WHEN $10 = 1 THEN 1 ELSE is_default END \
         WHERE id = $11 AND customer_id = $12",
    );
    bind_fields(update, &a).bind(i64::from(make_default)).bind(id).bind(customer_id).execute(&mut *tx).await?;
    tx.commit().await?;
    get_address(app, customer_id, id).await
}

/// Deletes an address; if it was the default, the newest remaining one becomes default.
pub async fn delete_address(app: &App, customer_id: i64, id: i64) -> AppResult<()> {
    let mut tx = app.db.begin().await?;
    let was_default: Option<i64> =
        sqlx::query_scalar("DELETE FROM addresses WHERE id = $1 AND customer_id = $2 RETURNING is_default")
            .bind(id)
            .bind(customer_id)
            .fetch_optional(&mut *tx)
            .await?;
    match was_default {
        None => return Err(AppError::not_found("address")),
        Some(1) => {
            sqlx::query(
                "UPDATE addresses SET is_default = 1 WHERE id = \
                 (SELECT MAX(id) FROM addresses WHERE customer_id = $1)",
            )
            .bind(customer_id)
            .execute(&mut *tx)
            .await?;
        }
        Some(_) => {}
    }
    tx.commit().await?;
    Ok(())
}
