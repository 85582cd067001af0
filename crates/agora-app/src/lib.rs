//! Agora's use cases. Each feature folder holds the service functions the web layer and
//! background jobs call (`mod.rs`), their SQL (`store.rs`) and their jobs (`jobs.rs`).
//! Transactions begin and end here.

pub mod audit;
pub mod auth;
pub mod banners;
pub mod bench;
pub mod cart;
pub mod catalog;
pub mod clock;
pub mod crypto;
pub mod customers;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
pub mod fulfilment;
pub mod inventory;
pub mod jobs;
pub mod orders;
pub mod page;
pub mod payments;
pub mod reports;
pub mod settings;
pub mod stats;

use std::ops::Deref;
use std::sync::Arc;

pub use clock::{Clock, ManualClock, SystemClock};
pub use db::{Backend, Db, DbError, DbOptions, Tx};
pub use error::{AppError, AppResult, FieldError};
pub use settings::Settings;

/// The running shop: database, clock, settings and in-memory caches. Cheap to clone.
#[derive(Clone, Debug)]
pub struct App(Arc<AppInner>);

#[derive(Debug)]
pub struct AppInner {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub settings: Settings,
    pub login_limiter: auth::RateLimiter,
    /// The in-memory catalog snapshot behind shopper listing and detail.
    pub catalog: catalog::Cache,
    /// One HTTP client (connection pool) for every outgoing call, e.g. webhook deliveries.
    pub http: reqwest::Client,
}

impl Deref for App {
    type Target = AppInner;
    fn deref(&self) -> &AppInner {
        &self.0
    }
}

impl App {
    /// Builds the shop on an already migrated database; loads shared secrets.
    pub async fn build(db: Db, clock: Arc<dyn Clock>, mut settings: Settings) -> AppResult<App> {
        settings.secrets = settings::Secrets::load_or_create(&db).await?;
        let login_limiter = auth::RateLimiter::new(settings.login_rate_per_minute, 60_000);
        let catalog = catalog::Cache::default();
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| AppError::Internal(format!("HTTP client: {e}")))?;
        Ok(App(Arc::new(AppInner { db, clock, settings, login_limiter, catalog, http })))
    }

    /// Current time in epoch milliseconds.
    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }
}
