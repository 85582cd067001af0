//! Inventory: warehouses, movements, views, thresholds and alerts, and the stock invariants.

mod fixtures;
mod invariants;
mod movements;
mod views;
mod warehouses;
