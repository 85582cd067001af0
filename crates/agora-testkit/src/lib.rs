//! Test harness: every test gets a fresh database (a temporary SQLite file, or a fresh
//! PostgreSQL schema that is dropped afterwards), the real HTTP server on a free port, a
//! manual clock and an HTTP client.
//!
//! PostgreSQL runs when `AGORA_TEST_DATABASE_URL` is set (CI sets it); without it the
//! PostgreSQL variant of a test reports that it was skipped.

mod client;

pub use client::{Client, Response};

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use agora_app::{App, Backend, Db, DbOptions, ManualClock, Settings};
use futures_util::FutureExt;

/// Environment variable naming the PostgreSQL server for tests.
pub const PG_URL_VAR: &str = "AGORA_TEST_DATABASE_URL";

/// A running shop for one test.
pub struct TestApp {
    pub app: App,
    pub clock: Arc<ManualClock>,
    pub base_url: String,
    pub backend: Backend,
    pub client: Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    _dir: tempfile::TempDir,
    schema: Option<(String, String)>,
}

/// Runs `body` against a fresh shop on `backend`, then tears it down (even on panic).
pub async fn run<F>(backend: Backend, body: F)
where
    F: AsyncFnOnce(&TestApp),
{
    let Some(t) = TestApp::start(backend).await else {
        eprintln!("skipped: {PG_URL_VAR} is not set, PostgreSQL variant not run");
        return;
    };
    let outcome = AssertUnwindSafe(body(&t)).catch_unwind().await;
    t.finish().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

fn unique_name() -> String {
    let bytes = agora_app::crypto::random_bytes::<6>();
    format!("t_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

impl TestApp {
    /// Starts a shop, or None when the backend is PostgreSQL and no server is configured.
    pub async fn start(backend: Backend) -> Option<TestApp> {
        let dir = tempfile::tempdir().expect("temp dir");
        let (url, options, schema) = match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                (url, DbOptions::default(), None)
            }
            Backend::Postgres => {
                let url = std::env::var(PG_URL_VAR).ok()?;
                let schema = unique_name();
                let admin = Db::connect(&url, &DbOptions { max_connections: Some(1), ..Default::default() })
                    .await
                    .unwrap_or_else(|e| panic!("{PG_URL_VAR} is set but PostgreSQL is unreachable: {e}"));
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\"")))
                    .execute(admin.writer())
                    .await
                    .expect("create test schema");
                admin.close().await;
                let options = DbOptions { schema: Some(schema.clone()), max_connections: Some(12) };
                (url.clone(), options, Some((url, schema)))
            }
        };
        let db = Db::connect(&url, &options).await.expect("connect test database");
        db.migrate().await.expect("migrate test database");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let base_url = format!("http://{addr}");
        let clock = Arc::new(ManualClock::new(1_790_000_000_000));
        let mut settings = Settings::new(dir.path().to_path_buf(), base_url.clone());
        settings.login_rate_per_minute = 1_000;
        let app = App::build(db, clock.clone(), settings).await.expect("build app");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server_app = app.clone();
        let server = tokio::spawn(async move {
            let _ = agora_web::serve(listener, server_app, async move {
                let _ = rx.await;
            })
            .await;
        });
        let client = Client::new(base_url.clone());
        Some(TestApp {
            app,
            clock,
            base_url,
            backend,
            client,
            shutdown: Some(tx),
            server: Some(server),
            _dir: dir,
            schema,
        })
    }

    /// Runs every background job that is due now; returns how many ran.
    pub async fn run_jobs(&self) -> usize {
        agora_app::jobs::run_due(&self.app).await.expect("run jobs")
    }

    /// Moves the clock forward by `ms` and runs the jobs that became due.
    pub async fn advance_and_run(&self, ms: i64) -> usize {
        self.clock.advance_ms(ms);
        self.run_jobs().await
    }

    /// Counts rows of a table (assertions that nothing was written).
    pub async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(self.app.db.reader()).await.expect("count rows")
    }

    /// Creates a staff account with `role` and returns its bearer token.
    pub async fn staff_token(&self, role: &str) -> String {
        let email = format!("{}-{}@staff.test", role, unique_name());
        let input = agora_app::auth::NewStaff {
            email: email.clone(),
            password: "staff-password-1".into(),
            display_name: role.into(),
            role: role.into(),
        };
        agora_app::auth::create_staff(&self.app, &input, None).await.expect("create staff");
        let r = self
            .client
            .post(
                "/api/v1/admin/auth/login",
                &serde_json::json!({"email": email, "password": "staff-password-1"}),
                None,
            )
            .await;
        assert_eq!(r.status, 200, "staff login: {}", r.body);
        r.body["token"].as_str().expect("token").to_string()
    }

    /// Registers a customer and returns (customer id, bearer token).
    pub async fn customer(&self) -> (i64, String) {
        let email = format!("{}@customer.test", unique_name());
        let r = self
            .client
            .post("/api/v1/auth/register", &serde_json::json!({"email": email, "password": "customer-pass-1"}), None)
            .await;
        assert_eq!(r.status, 201, "register: {}", r.body);
        (r.body["account"]["id"].as_i64().expect("id"), r.body["token"].as_str().expect("token").to_string())
    }

    async fn finish(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        self.app.db.close().await;
        if let Some((url, schema)) = self.schema.take()
            && let Ok(admin) = Db::connect(&url, &DbOptions { max_connections: Some(1), ..Default::default() }).await
        {
            let sql = format!("DROP SCHEMA \"{schema}\" CASCADE");
            let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(admin.writer()).await;
            admin.close().await;
        }
    }
}
