//! Inventory: warehouses, stock per SKU and warehouse, and the ledger of every movement.
//!
//! Invariant: for every (SKU, warehouse), `on_hand` equals the sum of the ledger's
//! `on_hand_delta` and `reserved` the sum of its `reserved_delta`. Every change to `stock`
//! levels goes through [`ledger::apply`], which writes both in one statement pair.
//!
//! - `warehouses`: create, update, (de)activate, list (staff, audited).
//! - `movements`: inbound, stocktake adjustment, return, transfer (staff, audited).
//! - `levels`: stock views, low-stock thresholds and alerts, shopper availability.
//! - `history`: the ledger, newest first.
//! - `reservations`: reserve / release / fulfil for orders.

mod checks;
pub mod history;
pub mod ledger;
pub mod levels;
pub mod movements;
pub mod reservations;
pub mod warehouses;

pub use checks::MAX_QUANTITY;
pub use ledger::{Movement, MovementKind};
pub use reservations::{Reservation, available, fulfil, fulfil_partial, release, reserve};
