//! Startup of the `agora` binary lives here and nowhere else.

pub mod cli;
pub mod config;
pub mod seed;
