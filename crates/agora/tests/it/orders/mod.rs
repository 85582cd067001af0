//! Orders: placement (idempotent, no oversell), the whole purchase loop, timeouts,
//! auto-complete, access rules, illegal transitions and bad input.

pub mod fixtures;
mod lifecycle;
mod oversell;
mod placement;
mod sales;
mod staff_cancel;
