//! Customer and staff authentication endpoints.

pub mod api;
