//! The state every handler receives.

use std::sync::Arc;

use agora_app::App;

use crate::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub metrics: Arc<Metrics>,
}
