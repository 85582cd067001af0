//! Carts, address book, shipping methods and pickup locations, and the checkout hand-over.

mod checkout;
pub mod seed;
