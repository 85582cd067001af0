//! Agora's HTTP layer: a thin axum application over `agora-app`.

pub mod auth;
pub mod banners;
pub mod cart;
pub mod catalog;
pub mod error;
pub mod extract;
pub mod fulfilment;
pub mod hooks;
pub mod input;
pub mod inventory;
pub mod metrics;
pub mod ops;
pub mod orders;
pub mod pages;
pub mod payments;
pub mod router;
pub mod state;

pub use router::{build_router, serve};
pub use state::AppState;
