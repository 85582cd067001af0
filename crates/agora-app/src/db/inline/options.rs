//! Connect options of the inline SQLite driver, parsed from `agora-sqlite://PATH?mode=…`.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use log::LevelFilter;
use rusqlite::OpenFlags;
use sqlx::any::AnyConnectOptions;
use sqlx::{ConnectOptions, Error};
use sqlx_core::percent_encoding::percent_decode_str;
use sqlx_core::url::Url;

use super::{InlineConnection, SCHEME};

/// Where the database file is and how to open it.
#[derive(Debug, Clone)]
pub struct InlineOptions {
    pub(super) path: PathBuf,
    pub(super) flags: OpenFlags,
}

impl InlineOptions {
    fn parse(url: &str) -> Result<InlineOptions, Error> {
        let rest = url
            .strip_prefix(SCHEME)
            .and_then(|r| r.strip_prefix("://"))
            .ok_or_else(|| Error::Configuration(format!("expected a {SCHEME}:// URL").into()))?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = percent_decode_str(path).decode_utf8().map_err(Error::config)?;
        if path.is_empty() {
            return Err(Error::Configuration("the database URL names no file".into()));
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("mode", "rwc")) => {}
                Some(("mode", "rw")) => flags = OpenFlags::SQLITE_OPEN_READ_WRITE,
                Some(("mode", "ro")) => flags = OpenFlags::SQLITE_OPEN_READ_ONLY,
                _ => return Err(Error::Configuration(format!("unsupported SQLite URL option {pair:?}").into())),
            }
        }
        // Each connection is used by one task at a time, so SQLite's own mutex is not needed.
        flags |= OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_EXRESCODE;
        Ok(InlineOptions { path: PathBuf::from(path.as_ref()), flags })
    }
}

impl FromStr for InlineOptions {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        InlineOptions::parse(s)
    }
}

impl TryFrom<&AnyConnectOptions> for InlineOptions {
    type Error = Error;

    fn try_from(options: &AnyConnectOptions) -> Result<Self, Error> {
        InlineOptions::parse(options.database_url.as_str())
    }
}

impl ConnectOptions for InlineOptions {
    type Connection = InlineConnection;

    fn from_url(url: &Url) -> Result<Self, Error> {
        InlineOptions::parse(url.as_str())
    }

    async fn connect(&self) -> Result<InlineConnection, Error> {
        InlineConnection::open(self)
    }

    // Statements are traced by the callers' spans; the driver logs nothing itself.
    fn log_statements(self, _level: LevelFilter) -> Self {
        self
    }

    fn log_slow_statements(self, _level: LevelFilter, _duration: Duration) -> Self {
        self
    }
}
