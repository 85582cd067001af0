//! Inventory: warehouses, stock per SKU and warehouse, and the ledger of every movement.
//!
//! Invariant: for every (SKU, warehouse), `on_hand` equals the sum of the ledger's
//! `on_hand_delta` and `reserved` the sum of its `reserved_delta`. Every change to `stock`
//! goes through [`ledger::apply`], which writes both in one statement pair.

pub mod ledger;
pub mod reservations;

pub use ledger::{Movement, MovementKind};
pub use reservations::{Reservation, available, fulfil, fulfil_partial, release, reserve};
