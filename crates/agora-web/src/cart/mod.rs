//! Carts, the customer's address book, shipping methods and pickup locations.

mod addresses;
pub mod api;
mod shipping;
