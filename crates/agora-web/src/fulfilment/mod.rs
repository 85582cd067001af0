//! Fulfilment endpoints: shipments, tracking events, the carrier webhook, store pickup.

pub mod api;
