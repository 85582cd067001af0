//! Agora's HTTP layer: a thin axum application over `agora-app`.

pub mod auth;
pub mod error;
pub mod extract;
pub mod hooks;
pub mod input;
pub mod metrics;
pub mod ops;
pub mod pages;
pub mod router;
pub mod state;

pub use router::{build_router, serve};
pub use state::AppState;
