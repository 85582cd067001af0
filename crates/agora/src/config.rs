//! Configuration: command-line flags and `AGORA_*` variables (clap), then an optional TOML
//! file, then defaults — in that order of precedence.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

/// Options every subcommand understands.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GlobalOpts {
    /// TOML configuration file.
    #[arg(long, env = "AGORA_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Data folder (SQLite database and uploaded media). Default: ./agora-data
    #[arg(long, env = "AGORA_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL: sqlite://… or postgres://… (default: SQLite in the data folder).
    #[arg(long, env = "AGORA_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Address to listen on. Default: 127.0.0.1:8080
    #[arg(long, env = "AGORA_LISTEN", global = true)]
    pub listen: Option<String>,
    /// Public base URL of the shop (for pay links and callbacks). Default: http://<listen>
    #[arg(long, env = "AGORA_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Log format: text or json.
    #[arg(long, env = "AGORA_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
    /// Minutes before an unpaid order is cancelled. Default: 30
    #[arg(long, env = "AGORA_PAYMENT_TIMEOUT_MINUTES", global = true)]
    pub payment_timeout_minutes: Option<i64>,
    /// Days after delivery before an order completes. Default: 7
    #[arg(long, env = "AGORA_AUTO_COMPLETE_DAYS", global = true)]
    pub auto_complete_days: Option<i64>,
}

/// The same settings as read from a TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    listen: Option<String>,
    public_url: Option<String>,
    log_format: Option<String>,
    payment_timeout_minutes: Option<i64>,
    auto_complete_days: Option<i64>,
}

/// Settings after merging every source.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub listen: String,
    pub public_url: String,
    pub log_json: bool,
    pub payment_timeout_minutes: i64,
    pub auto_complete_days: i64,
}

fn read_file(path: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

impl Config {
    pub fn resolve(opts: &GlobalOpts) -> Result<Config> {
        let file = match &opts.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        let data_dir = opts.data_dir.clone().or(file.data_dir).unwrap_or_else(|| PathBuf::from("agora-data"));
        let database_url = opts
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("agora.db").display()));
        let listen = opts.listen.clone().or(file.listen).unwrap_or_else(|| "127.0.0.1:8080".to_string());
        let public_url = opts
            .public_url
            .clone()
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_string();
        let log_format = opts.log_format.clone().or(file.log_format).unwrap_or_else(|| "text".into());
        let log_json = match log_format.as_str() {
            "json" => true,
            "text" => false,
            other => anyhow::bail!("log format must be text or json, not {other:?}"),
        };
        let payment_timeout_minutes = opts.payment_timeout_minutes.or(file.payment_timeout_minutes).unwrap_or(30);
        let auto_complete_days = opts.auto_complete_days.or(file.auto_complete_days).unwrap_or(7);
        anyhow::ensure!(payment_timeout_minutes > 0, "payment timeout must be positive");
        anyhow::ensure!(auto_complete_days > 0, "auto-complete days must be positive");
        Ok(Config { data_dir, database_url, listen, public_url, log_json, payment_timeout_minutes, auto_complete_days })
    }

    /// The application settings derived from this configuration.
    pub fn settings(&self) -> agora_app::Settings {
        let mut s = agora_app::Settings::new(self.data_dir.clone(), self.public_url.clone());
        s.payment_timeout_ms = self.payment_timeout_minutes * 60_000;
        s.auto_complete_ms = self.auto_complete_days * 24 * 3_600_000;
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_file_and_defaults_fill_the_rest() {
        let dir = std::env::temp_dir().join(format!("agora-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("agora.toml");
        std::fs::write(&file, "listen = \"0.0.0.0:9000\"\npayment_timeout_minutes = 45\ndata_dir = \"/srv/shop\"\n")
            .unwrap();
        let opts =
            GlobalOpts { config: Some(file.clone()), listen: Some("127.0.0.1:7000".into()), ..Default::default() };
        let c = Config::resolve(&opts).unwrap();
        assert_eq!(c.listen, "127.0.0.1:7000");
        assert_eq!(c.payment_timeout_minutes, 45);
        assert_eq!(c.auto_complete_days, 7);
        assert_eq!(c.data_dir, PathBuf::from("/srv/shop"));
        assert_eq!(c.database_url, "sqlite:///srv/shop/agora.db?mode=rwc");
        assert_eq!(c.public_url, "http://127.0.0.1:7000");
        assert_eq!(c.settings().payment_timeout_ms, 45 * 60_000);
        std::fs::write(&file, "lisen = \"typo\"\n").unwrap();
        assert!(Config::resolve(&GlobalOpts { config: Some(file), ..Default::default() }).is_err());
        let bad = GlobalOpts { log_format: Some("xml".into()), ..Default::default() };
        assert!(Config::resolve(&bad).is_err());
    }
}
