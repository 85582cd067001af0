//! Order endpoints: placement, customer and guest views, cancellation, staff views.

pub mod api;
