//! Database access for both backends through sqlx's `Any` driver.
//!
//! SQL is written once with `$1` placeholders (SQLite accepts them too). SQLite runs in WAL
//! mode with a single writer connection (so write transactions queue in-process instead of
//! failing with `SQLITE_BUSY`) and a pool of readers; PostgreSQL uses one pool for both.
//! SQLite connections use the [`inline`] driver, which runs statements on the calling thread;
//! migrations on SQLite go through sqlx's own SQLite driver.

pub mod inline;

use std::sync::{Arc, Once};
use std::time::Duration;

use sqlx::AnyConnection;
use sqlx::any::{AnyPoolOptions, install_drivers};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Connection, Executor, Transaction};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Errors raised while opening or migrating the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL (expected sqlite:// or postgres://)")]
    UnsupportedUrl,
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Options that shape the connection pools.
#[derive(Debug, Clone, Default)]
pub struct DbOptions {
    /// PostgreSQL schema to use as `search_path` (tests isolate themselves this way).
    pub schema: Option<String>,
    /// Maximum connections for PostgreSQL, or readers for SQLite.
    pub max_connections: Option<u32>,
}

/// A handle to the shop's database: cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    backend: Backend,
    writer: AnyPool,
    reader: AnyPool,
    /// SQLite: the thread that checkpoints the WAL (see [`inline::Checkpointer`]).
    checkpointer: Option<Arc<inline::Checkpointer>>,
    /// The URL as given, which migrations use (on SQLite, through sqlx's own driver).
    url: String,
}

pub type Tx = Transaction<'static, Any>;

impl Db {
    /// Opens pools for `url` (`sqlite://path?mode=rwc` or `postgres://…`).
    pub async fn connect(url: &str, options: &DbOptions) -> Result<Db, DbError> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(|| {
            static ALL: [sqlx_core::any::driver::AnyDriver; 3] =
                [sqlx::postgres::any::DRIVER, sqlx::sqlite::any::DRIVER, inline::DRIVER];
            // Fails only when something else installed drivers first, which nothing does.
            if let Err(e) = install_drivers(&ALL) {
                tracing::error!(error = %e, "installing the database drivers failed");
            }
        });
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbError::UnsupportedUrl);
        };
        let parallel = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
        match backend {
            Backend::Sqlite => {
                let inline_url = format!("{}{}", inline::SCHEME, url.trim_start_matches("sqlite"));
                let writer = sqlite_pool(&inline_url, 1).await?;
                let checkpointer = Some(Arc::new(inline::Checkpointer::start(&inline_url)?));
                let readers = options.max_connections.unwrap_or((parallel * 2).max(4));
                let reader = sqlite_pool(&inline_url, readers).await?;
                Ok(Db { backend, writer, reader, checkpointer, url: url.to_owned() })
            }
            Backend::Postgres => {
                let max = options.max_connections.unwrap_or((parallel * 4).max(8));
                let schema = options.schema.clone();
                let pool = AnyPoolOptions::new()
                    .max_connections(max)
                    // A broken connection fails its query and is replaced; a ping before every
                    // acquire would cost a round trip per use case.
                    .test_before_acquire(false)
                    .acquire_timeout(Duration::from_secs(10))
                    .after_connect(move |conn, _meta| {
                        let schema = schema.clone();
                        Box::pin(async move {
                            if let Some(schema) = schema {
                                let sql = format!("SET search_path TO \"{}\"", schema.replace('"', ""));
                                conn.execute(sqlx::AssertSqlSafe(sql)).await?;
                            }
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?;
                Ok(Db { backend, writer: pool.clone(), reader: pool, checkpointer: None, url: url.to_owned() })
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Pool for reads. On SQLite these connections never write.
    pub fn reader(&self) -> &AnyPool {
        &self.reader
    }

    /// Pool for writes outside an explicit transaction.
    pub fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        self.writer.begin().await
    }

    /// SQLite: WAL frames the background checkpointer has seen copied into the database file.
    pub fn frames_checkpointed(&self) -> Option<u64> {
        self.checkpointer.as_ref().map(|c| c.frames_copied())
    }

    fn migrator(&self) -> &'static Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Postgres => self.migrator().run(&self.writer).await?,
            Backend::Sqlite => {
                // The inline driver has no migration support; sqlx's SQLite driver has. Holding
                // the writer meanwhile keeps the shop's own writes out of the way.
                let _writer = self.writer.acquire().await?;
                let mut conn = AnyConnection::connect(&self.url).await?;
                conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;").await?;
                let applied = self.migrator().run(&mut conn).await;
                conn.close().await?;
                applied?;
            }
        }
        Ok(())
    }

    /// True when the database answers and the newest migration has been applied.
    pub async fn is_ready(&self) -> bool {
        let Some(latest) = self.migrator().iter().map(|m| m.version).max() else {
            return true;
        };
        let applied: Result<Option<i64>, sqlx::Error> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&self.reader)
                .await;
        matches!(applied, Ok(Some(v)) if v >= latest)
    }

    /// Closes every connection (used at shutdown and by tests before dropping a schema).
    pub async fn close(&self) {
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.stop();
        }
        self.writer.close().await;
        self.reader.close().await;
    }
}

async fn sqlite_pool(url: &str, max: u32) -> Result<AnyPool, sqlx::Error> {
    AnyPoolOptions::new()
        .max_connections(max)
        .min_connections(1)
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(|conn, _meta| Box::pin(sqlite_pragmas(conn)))
        .connect(url)
        .await
}

/// Settings of every SQLite connection. `wal_autocheckpoint` is the writer's backstop behind
/// the background checkpointer (10,000 pages, ~40 MB of WAL: the default 1,000 made the
/// writer sync the file ten times as often); `journal_size_limit` trims the WAL file to 64 MB
/// whenever it is rewound.
async fn sqlite_pragmas(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    conn.execute(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
         PRAGMA cache_size = -8000; PRAGMA temp_store = MEMORY; \
         PRAGMA wal_autocheckpoint = 10000; PRAGMA journal_size_limit = 67108864;",
    )
    .await?;
    Ok(())
}
