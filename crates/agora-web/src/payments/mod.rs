//! Payment endpoints: creating payments, the provider webhook, the sandbox wallet page,
//! refunds and the payments ledger.

pub mod api;
mod sandbox_page;
