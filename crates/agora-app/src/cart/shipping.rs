//! Shipping methods: a code, a name and a pricing rule (`agora_domain::ShippingRule`,
//! stored as JSON). Staff manage them (audited); shoppers see the active ones.

use agora_domain::{PricingInput, ShippingRule, TaxRule};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use crate::App;
use crate::audit::{self, Actor, Change};
use crate::db::Tx;
use crate::error::{AppError, AppResult, FieldError, unique_violation};

/// A way of getting goods to the buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ShippingMethod {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// `{"kind": "flat", "fee": 800}`, `{"kind": "free_over", "fee": 800, "threshold": 9900}`,
    /// `{"kind": "by_weight", "first_grams": 1000, "first_fee": 800, "step_grams": 500, "step_fee": 200}`
    /// or `{"kind": "pickup"}`; amounts in minor units of `currency`.
    #[schema(value_type = Object)]
    pub rule: ShippingRule,
    pub currency: String,
    pub active: bool,
    pub position: i64,
}

/// What staff send to create or replace a shipping method.
#[derive(Debug, Clone, Deserialize)]
pub struct NewShippingMethod {
    pub code: String,
    pub name: String,
    pub rule: ShippingRule,
    pub active: bool,
    pub position: i64,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    code: String,
    name: String,
    rule: String,
    currency: String,
    active: i64,
    position: i64,
}

impl TryFrom<Row> for ShippingMethod {
    type Error = AppError;
    fn try_from(r: Row) -> AppResult<ShippingMethod> {
        let rule = serde_json::from_str(&r.rule)
            .map_err(|e| AppError::Internal(format!("shipping method {} has a bad rule: {e}", r.id)))?;
        Ok(ShippingMethod {
            id: r.id,
            code: r.code,
            name: r.name,
            rule,
            currency: r.currency,
            active: r.active == 1,
            position: r.position,
        })
    }
}

impl ShippingMethod {
    /// True when the buyer collects the goods at a pickup location.
    pub fn is_pickup(&self) -> bool {
        self.rule == ShippingRule::Pickup
    }
}

fn validate(app: &App, input: &NewShippingMethod) -> AppResult<()> {
    let mut errors = Vec::new();
    let mut push =
        |field: &str, message: &str| errors.push(FieldError { field: field.into(), message: message.into() });
    let code = input.code.trim();
    if code.is_empty() || code.len() > 40 {
        push("code", "must be 1 to 40 characters");
    } else if !code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-') {
        push("code", "may contain only a-z, 0-9, '_' and '-'");
    }
    let name_len = input.name.trim().chars().count();
    if name_len == 0 || name_len > 100 {
        push("name", "must be 1 to 100 characters");
    }
    if input.rule == ShippingRule::None {
        push("rule.kind", "must be flat, free_over, by_weight or pickup");
    }
    // The pricing function validates rules; an empty cart exercises only that check.
    let probe = PricingInput {
        currency: app.settings.currency,
        lines: Vec::new(),
        discounts: Vec::new(),
        shipping: input.rule.clone(),
        tax: TaxRule::default(),
    };
    if let Err(e) = agora_domain::price(&probe) {
        let field = format!("rule.{}", e.field().unwrap_or("kind"));
        errors.push(FieldError { field, message: e.to_string() });
    }
    if !(0..=1_000_000).contains(&input.position) {
        errors.push(FieldError { field: "position".into(), message: "must be 0 to 1000000".into() });
    }
    if errors.is_empty() { Ok(()) } else { Err(AppError::Validation(errors)) }
}

fn rule_json(rule: &ShippingRule) -> AppResult<String> {
    serde_json::to_string(rule).map_err(|e| AppError::Internal(e.to_string()))
}

/// Creates a shipping method in the shop's currency. `actor` is None only for the CLI,
/// the demo loader and tests.
pub async fn create_shipping_method(
    app: &App,
    input: &NewShippingMethod,
    actor: Option<&Actor>,
) -> AppResult<ShippingMethod> {
    validate(app, input)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let sql = "INSERT INTO shipping_methods (code, name, rule, currency, active, position) \
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, code, name, rule, currency, active, position";
    let row: Row = sqlx::query_as(sql)
        .bind(input.code.trim())
        .bind(input.name.trim())
        .bind(rule_json(&input.rule)?)
        .bind(app.settings.currency.as_str())
        .bind(i64::from(input.active))
        .bind(input.position)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| unique_violation(e, "code_taken", "a shipping method with this code exists"))?;
    let method = ShippingMethod::try_from(row)?;
    audit::record_if_staff(
        &mut tx,
        now,
        actor,
        Change::of("shipping_method.create", "shipping_method", method.id, None, Some(&method)),
    )
    .await?;
    tx.commit().await?;
    Ok(method)
}

/// Replaces a shipping method's fields.
pub async fn update_shipping_method(
    app: &App,
    id: i64,
    input: &NewShippingMethod,
    actor: Option<&Actor>,
) -> AppResult<ShippingMethod> {
    validate(app, input)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = get_in(&mut tx, id).await?.ok_or(AppError::not_found("shipping method"))?;
    let sql = "UPDATE shipping_methods SET code = $1, name = $2, rule = $3, active = $4, position = $5 WHERE id = $6 \
               RETURNING id, code, name, rule, currency, active, position";
    let row: Row = sqlx::query_as(sql)
        .bind(input.code.trim())
        .bind(input.name.trim())
        .bind(rule_json(&input.rule)?)
        .bind(i64::from(input.active))
        .bind(input.position)
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| unique_violation(e, "code_taken", "a shipping method with this code exists"))?;
    let method = ShippingMethod::try_from(row)?;
    audit::record_if_staff(
        &mut tx,
        now,
        actor,
        Change::of("shipping_method.update", "shipping_method", id, Some(&before), Some(&method)),
    )
    .await?;
    tx.commit().await?;
    Ok(method)
}

/// Retires a shipping method: it stays for carts and history but is no longer offered.
pub async fn deactivate_shipping_method(app: &App, id: i64, actor: Option<&Actor>) -> AppResult<()> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = get_in(&mut tx, id).await?.ok_or(AppError::not_found("shipping method"))?;
    sqlx::query("UPDATE shipping_methods SET active = 0 WHERE id = $1").bind(id).execute(&mut *tx).await?;
    let after = ShippingMethod { active: false, ..before.clone() };
    audit::record_if_staff(
        &mut tx,
        now,
        actor,
        Change::of("shipping_method.deactivate", "shipping_method", id, Some(&before), Some(&after)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Shipping methods by position; only active ones unless `include_inactive`.
pub async fn list_shipping_methods(app: &App, include_inactive: bool) -> AppResult<Vec<ShippingMethod>> {
    let sql = "SELECT id, code, name, rule, currency, active, position FROM shipping_methods \
               WHERE active = 1 OR $1 = 1 ORDER BY position, id";
    let rows: Vec<Row> = sqlx::query_as(sql).bind(i64::from(include_inactive)).fetch_all(app.db.reader()).await?;
    rows.into_iter().map(ShippingMethod::try_from).collect()
}

/// One shipping method, read inside a transaction.
pub(crate) async fn get_in(tx: &mut Tx, id: i64) -> AppResult<Option<ShippingMethod>> {
    let sql = "SELECT id, code, name, rule, currency, active, position FROM shipping_methods WHERE id = $1";
    let row: Option<Row> = sqlx::query_as(sql).bind(id).fetch_optional(&mut **tx).await?;
    row.map(ShippingMethod::try_from).transpose()
}

/// One shipping method from the read pool.
pub(crate) async fn get(app: &App, id: i64) -> AppResult<Option<ShippingMethod>> {
    let sql = "SELECT id, code, name, rule, currency, active, position FROM shipping_methods WHERE id = $1";
    let row: Option<Row> = sqlx::query_as(sql).bind(id).fetch_optional(app.db.reader()).await?;
    row.map(ShippingMethod::try_from).transpose()
}
