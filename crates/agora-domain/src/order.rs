//! The order lifecycle state machine and payment state.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::DomainError;

mod payment;
#[cfg(test)]
mod tests;

pub use payment::{PaymentState, payment_state};

/// Lifecycle status of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Created, waiting for the buyer to pay.
    PendingPayment,
    /// Paid, waiting to be shipped (or prepared for pickup).
    Paid,
    /// Handed to the carrier (or ready for pickup).
    Shipped,
    /// Received by the buyer.
    Delivered,
    /// Closed successfully; can still be fully refunded.
    Completed,
    /// Cancelled before shipping. Terminal.
    Cancelled,
    /// Fully refunded. Terminal.
    Refunded,
}

/// Something that happens to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderEvent {
    /// Payment captured.
    Pay,
    /// Parcel shipped (or made ready for pickup).
    Ship,
    /// Parcel delivered (or picked up).
    Deliver,
    /// Order closed.
    Complete,
    /// Order cancelled (a paid order must be refunded by the caller).
    Cancel,
    /// The whole order was refunded.
    RefundFull,
}

/// An event that is not allowed in the order's current status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("cannot {} an order that is {}", event.verb(), from.as_str())]
pub struct IllegalTransition {
    /// Status the order was in.
    pub from: OrderStatus,
    /// Event that was refused.
    pub event: OrderEvent,
}

impl OrderStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [OrderStatus; 7] = [
        OrderStatus::PendingPayment,
        OrderStatus::Paid,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Completed,
        OrderStatus::Cancelled,
        OrderStatus::Refunded,
    ];

    /// The snake_case name, e.g. `"pending_payment"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            OrderStatus::PendingPayment => "pending_payment",
            OrderStatus::Paid => "paid",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Completed => "completed",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Refunded => "refunded",
        }
    }

    /// Parses the snake_case name produced by [`OrderStatus::as_str`].
    pub fn parse(raw: &str) -> Result<OrderStatus, DomainError> {
        OrderStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| DomainError::invalid("status", "unknown order status"))
    }

    /// True when no event can move the order any further
    /// (`Cancelled` and `Refunded`). `Completed` is not terminal because it
    /// still accepts [`OrderEvent::RefundFull`].
    pub fn is_terminal(&self) -> bool {
        matches!(self, OrderStatus::Cancelled | OrderStatus::Refunded)
    }

    /// Applies `event`, returning the new status or why it is not allowed.
    pub fn apply(self, event: OrderEvent) -> Result<OrderStatus, IllegalTransition> {
        use OrderEvent as E;
        use OrderStatus as S;
        match (self, event) {
            (S::PendingPayment, E::Pay) => Ok(S::Paid),
            (S::PendingPayment | S::Paid, E::Cancel) => Ok(S::Cancelled),
            (S::Paid, E::Ship) => Ok(S::Shipped),
            (S::Shipped, E::Deliver) => Ok(S::Delivered),
            (S::Delivered, E::Complete) => Ok(S::Completed),
            (S::Paid | S::Shipped | S::Delivered | S::Completed, E::RefundFull) => Ok(S::Refunded),
            (from, event) => Err(IllegalTransition { from, event }),
        }
    }

    /// Whether `event` is legal in this status.
    pub fn can(self, event: OrderEvent) -> bool {
        self.apply(event).is_ok()
    }

    /// The events that are legal in this status, in declaration order.
    pub fn allowed_events(self) -> Vec<OrderEvent> {
        OrderEvent::ALL.into_iter().filter(|e| self.can(*e)).collect()
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl OrderEvent {
    /// Every event.
    pub const ALL: [OrderEvent; 6] = [
        OrderEvent::Pay,
        OrderEvent::Ship,
        OrderEvent::Deliver,
        OrderEvent::Complete,
        OrderEvent::Cancel,
        OrderEvent::RefundFull,
    ];

    /// The snake_case name, e.g. `"refund_full"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            OrderEvent::Pay => "pay",
            OrderEvent::Ship => "ship",
            OrderEvent::Deliver => "deliver",
            OrderEvent::Complete => "complete",
            OrderEvent::Cancel => "cancel",
            OrderEvent::RefundFull => "refund_full",
        }
    }

    /// Parses the snake_case name produced by [`OrderEvent::as_str`].
    pub fn parse(raw: &str) -> Result<OrderEvent, DomainError> {
        OrderEvent::ALL
            .into_iter()
            .find(|e| e.as_str() == raw)
            .ok_or_else(|| DomainError::invalid("event", "unknown order event"))
    }

    /// The verb used in messages, e.g. `"ship"` or `"refund"`.
    pub fn verb(&self) -> &'static str {
        match self {
            OrderEvent::RefundFull => "refund",
            other => other.as_str(),
        }
    }
}

impl fmt::Display for OrderEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
