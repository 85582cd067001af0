//! Fulfilment: partial and full shipments, tracking from staff and the carrier webhook,
//! delivery, confirmation and store pickup.

mod pickup;
mod shipping;
