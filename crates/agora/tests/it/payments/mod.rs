//! Payments: the signed webhook (signature, staleness, duplicates, order of events),
//! notification retries, refunds and ledger reconciliation.

mod refunds;
mod webhook;
