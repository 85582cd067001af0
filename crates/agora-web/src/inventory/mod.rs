//! Inventory endpoints: warehouses, stock levels, movements, the ledger, low-stock alerts
//! (staff, `/api/v1/admin/…`) and shopper availability (`/api/v1/stock`).

pub mod api;
mod movements;
mod stock;
