//! Orders: placement from a cart, the state-change service every status change goes
//! through, customer and staff views, cancellation and confirmation, and the timeout and
//! auto-complete jobs.

pub mod jobs;
mod place;
pub mod store;
mod views;

use agora_domain::{OrderEvent, OrderStatus};
use serde_json::json;

pub use place::{Placed, place};
pub use store::{HistoryEntry, OrderLine, OrderRow};
pub use views::{OrderDetail, OrderSummary, StaffOrderQuery, customer_orders, detail, staff_orders};

use crate::App;
use crate::audit::{self, Actor};
use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::{crypto, events, inventory};

/// Reservation reference type of orders in `stock_reservations`.
pub const STOCK_REF: &str = "order";

/// Who is looking at or acting on an order.
#[derive(Debug, Clone)]
pub enum Viewer {
    /// A logged-in customer: sees only their own orders.
    Customer(i64),
    /// A guest presenting the order's access token.
    Guest(String),
    /// Staff (permission checked by the caller).
    Staff,
}

/// Whether `viewer` may see `order`; others get `NotFound` so ids do not leak.
pub fn visible_to(order: &OrderRow, viewer: &Viewer) -> bool {
    match viewer {
        Viewer::Customer(id) => order.customer_id == Some(*id),
        Viewer::Guest(token) => {
            !token.is_empty()
                && crypto::hmac_sha256_verify(
                    b"order-access",
                    order.access_token_hash.as_bytes(),
                    &crypto::hmac_sha256(b"order-access", crypto::sha256_hex(token.as_bytes()).as_bytes()),
                )
        }
        Viewer::Staff => true,
    }
}

/// Loads an order the viewer may see.
pub async fn find_for(app: &App, id: i64, viewer: &Viewer) -> AppResult<OrderRow> {
    match store::find(app.db.reader(), id).await? {
        Some(order) if visible_to(&order, viewer) => Ok(order),
        _ => Err(AppError::not_found("order")),
    }
}

/// Applies `event` to a locked order: the ONLY way an order's status changes. Records the
/// history row and a domain event, and performs the side effects of the new status
/// (stock released on cancel/full refund, auto-complete scheduled on delivery).
pub async fn transition(
    app: &App,
    tx: &mut Tx,
    order: &mut OrderRow,
    event: OrderEvent,
    actor: &str,
    note: &str,
) -> AppResult<OrderStatus> {
    let now = app.now();
    let from = order.status()?;
    let to = from.apply(event)?;
    store::set_status(tx, now, order.id, from, to).await?;
    store::history(tx, now, order.id, Some(from), to, actor, note).await?;
    order.status = to.as_str().to_string();
    if let Some(sign) = sales_delta(from, to) {
        store::add_sales(tx, order.id, sign).await?;
    }
    match to {
        OrderStatus::Cancelled | OrderStatus::Refunded => {
            inventory::release(tx, now, STOCK_REF, order.id).await?;
            if to == OrderStatus::Cancelled {
                sqlx::query("UPDATE orders SET cancel_reason = $1 WHERE id = $2")
                    .bind(note)
                    .bind(order.id)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        OrderStatus::Delivered => {
            jobs::schedule_auto_complete(tx, now, order.id, now + app.settings.auto_complete_ms).await?
        }
        _ => {}
    }
    let payload = json!({"order_id": order.id, "number": order.number, "from": from, "to": to, "actor": actor});
    events::record(tx, now, &format!("order.{to}"), &format!("order:{}", order.id), &payload).await?;
    Ok(to)
}

/// How a status change moves the products' sales counts: +1 when an order becomes paid,
/// −1 when a paid order is cancelled or fully refunded (an unpaid cancellation never counted).
fn sales_delta(from: OrderStatus, to: OrderStatus) -> Option<i64> {
    match to {
        OrderStatus::Paid => Some(1),
        OrderStatus::Cancelled | OrderStatus::Refunded if from != OrderStatus::PendingPayment => Some(-1),
        _ => None,
    }
}

fn customer_actor(viewer: &Viewer) -> String {
    match viewer {
        Viewer::Customer(id) => format!("customer:{id}"),
        Viewer::Guest(_) => "guest".into(),
        Viewer::Staff => "staff".into(),
    }
}

/// Customer (or guest) cancels an order that is still waiting for payment.
pub async fn cancel_by_customer(app: &App, id: i64, viewer: &Viewer) -> AppResult<OrderRow> {
    find_for(app, id, viewer).await?;
    let mut tx = app.db.begin().await?;
    let mut order = store::lock(&mut tx, id).await?;
    if order.status()? != OrderStatus::PendingPayment {
        return Err(AppError::IllegalTransition(agora_domain::IllegalTransition {
            from: order.status()?,
            event: OrderEvent::Cancel,
        }));
    }
    cancel_and_refund(app, &mut tx, &mut order, &customer_actor(viewer), "cancelled by customer", None).await?;
    tx.commit().await?;
    Ok(order)
}

/// Customer confirms receipt: delivered → completed.
pub async fn confirm_receipt(app: &App, id: i64, viewer: &Viewer) -> AppResult<OrderRow> {
    find_for(app, id, viewer).await?;
    let mut tx = app.db.begin().await?;
    let mut order = store::lock(&mut tx, id).await?;
    transition(app, &mut tx, &mut order, OrderEvent::Complete, &customer_actor(viewer), "receipt confirmed").await?;
    tx.commit().await?;
    Ok(order)
}

/// Cancels a locked order and refunds, through the provider, whatever was collected on it.
pub async fn cancel_and_refund(
    app: &App,
    tx: &mut Tx,
    order: &mut OrderRow,
    actor: &str,
    note: &str,
    staff_id: Option<i64>,
) -> AppResult<()> {
    transition(app, tx, order, OrderEvent::Cancel, actor, note).await?;
    let outstanding = order.paid_total - order.refunded_total;
    if outstanding > 0 {
        crate::payments::refund_in_tx(app, tx, order, outstanding, note, staff_id).await?;
    }
    Ok(())
}

/// Staff cancels an order that has not shipped anything; a paid order is refunded in full
/// through the provider.
/// `may_refund` says whether the staff member holds the Refund permission: cancelling an
/// order that has collected money refunds it, so it needs that permission too.
pub async fn cancel_by_staff(app: &App, id: i64, reason: &str, actor: &Actor, may_refund: bool) -> AppResult<OrderRow> {
    if reason.chars().count() > 500 {
        return Err(AppError::invalid("reason", "at most 500 characters"));
    }
    let mut tx = app.db.begin().await?;
    let mut order = store::lock(&mut tx, id).await?;
    if !may_refund && order.paid_total - order.refunded_total > 0 {
        return Err(AppError::Forbidden);
    }
    // Cancelling returns every reserved unit to stock and refunds everything; once a
    // parcel has left, part of the goods is with the carrier: refund instead.
    if store::shipment_count(&mut tx, id).await? > 0 {
        return Err(AppError::conflict(
            "order_has_shipments",
            "part of this order has shipped and cannot be cancelled; refund it instead",
        ));
    }
    let before = views::snapshot(&order);
    let staff = format!("staff:{}", actor.staff_id);
    let note = if reason.is_empty() { "cancelled by staff" } else { reason };
    cancel_and_refund(app, &mut tx, &mut order, &staff, note, Some(actor.staff_id)).await?;
    let after = store::lock(&mut tx, id).await?;
    let change = audit::Change {
        action: "order.cancel",
        entity: "order",
        entity_id: id.to_string(),
        before,
        after: views::snapshot(&after),
    };
    audit::record(&mut tx, app.now(), actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// The id of an order by its number (e.g. to come back from a payment page).
pub async fn id_by_number(app: &App, number: &str) -> AppResult<i64> {
    sqlx::query_scalar("SELECT id FROM orders WHERE number = $1")
        .bind(number)
        .fetch_optional(app.db.reader())
        .await?
        .ok_or(AppError::not_found("order"))
}

/// Gives guest orders a new access token (the old one stops working) and returns it. For a
/// checkout that replayed an idempotent placement: whoever holds the cart token and the
/// key placed the order, but the token from the first answer may never have arrived.
pub async fn reissue_access_token(app: &App, order_ids: &[i64]) -> AppResult<String> {
    let token = crypto::new_token();
    let hash = crypto::sha256_hex(token.as_bytes());
    let mut tx = app.db.begin().await?;
    for id in order_ids {
        sqlx::query("UPDATE orders SET access_token_hash = $1 WHERE id = $2 AND customer_id IS NULL")
            .bind(&hash)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(token)
}
