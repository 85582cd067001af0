//! Runtime settings of a shop. The binary fills them from flags, `AGORA_*` variables and
//! an optional TOML file; secrets are generated once and kept in the database.

use std::path::PathBuf;

use agora_domain::{Currency, TaxMode, TaxRule};

use crate::db::Db;
use crate::error::AppResult;

const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;

/// Everything configurable about a running shop.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Folder for the SQLite file and uploaded media.
    pub data_dir: PathBuf,
    /// Public base URL of the shop (no trailing slash), used in pay URLs and callbacks.
    pub public_url: String,
    /// The shop's currency.
    pub currency: Currency,
    /// Unpaid orders are cancelled after this long.
    pub payment_timeout_ms: i64,
    /// Delivered orders complete after this long.
    pub auto_complete_ms: i64,
    /// Sessions expire after this long without use.
    pub session_ttl_ms: i64,
    /// Failed logins before an account locks.
    pub login_max_failures: i64,
    /// How long a locked account stays locked.
    pub lockout_ms: i64,
    /// Login attempts allowed per client address per minute.
    pub login_rate_per_minute: u32,
    /// Accepted age of a signed webhook's timestamp.
    pub webhook_tolerance_ms: i64,
    /// Tax applied at checkout.
    pub tax: TaxRule,
    /// Secrets; filled from the database by [`Secrets::load_or_create`].
    pub secrets: Secrets,
}

impl Settings {
    /// Defaults for a shop whose files live in `data_dir`.
    pub fn new(data_dir: PathBuf, public_url: String) -> Settings {
        Settings {
            data_dir,
            public_url,
            currency: Currency::CNY,
            payment_timeout_ms: 30 * MINUTE,
            auto_complete_ms: 7 * DAY,
            session_ttl_ms: 30 * DAY,
            login_max_failures: 5,
            lockout_ms: 15 * MINUTE,
            login_rate_per_minute: 20,
            webhook_tolerance_ms: 5 * MINUTE,
            tax: TaxRule { basis_points: 0, mode: TaxMode::Inclusive },
            secrets: Secrets::default(),
        }
    }

    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }
}

/// Shared secrets of the shop. Generated on first start and stored in `app_settings`, so
/// every process behind a load balancer signs and verifies with the same keys.
#[derive(Clone, Default)]
pub struct Secrets {
    /// Key the payment provider signs notifications with.
    pub payment_webhook: String,
    /// Key carriers sign tracking pushes with.
    pub carrier_webhook: String,
    /// Key the storefront signs its CSRF tokens with.
    pub csrf: String,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(***)")
    }
}

impl Secrets {
    pub async fn load_or_create(db: &Db) -> AppResult<Secrets> {
        Ok(Secrets {
            payment_webhook: secret(db, "payment_webhook_secret").await?,
            carrier_webhook: secret(db, "carrier_webhook_secret").await?,
            csrf: secret(db, "csrf_secret").await?,
        })
    }
}

async fn secret(db: &Db, key: &str) -> AppResult<String> {
    let fresh = format!("whsec_{}", crate::crypto::new_token());
    sqlx::query("INSERT INTO app_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
        .bind(key)
        .bind(fresh)
        .execute(db.writer())
        .await?;
    let value: String =
        sqlx::query_scalar("SELECT value FROM app_settings WHERE key = $1").bind(key).fetch_one(db.writer()).await?;
    Ok(value)
}
