//! Catalog endpoints: the public category tree, listing and detail (`api.rs`), staff
//! administration (`admin.rs`) and the media files (`media.rs`).

pub mod admin;
pub mod api;
pub mod media;
