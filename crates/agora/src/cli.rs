//! Subcommands.

use std::sync::Arc;
use std::time::Duration;

use agora_app::auth::NewStaff;
use agora_app::{App, Db, DbOptions, SystemClock};
use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use crate::config::{Config, GlobalOpts};

#[derive(Debug, Parser)]
#[command(name = "agora", version, about = "Agora social-commerce platform")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the shop (migrates first).
    Serve,
    /// Create the data folder, load a demo shop on first run, and serve it.
    Demo,
    /// Apply database migrations and exit.
    Migrate,
    /// Generate the `bench-20k` benchmark shop (BENCHMARKS.md) into an empty database.
    SeedBench {
        /// Products per leaf category (500 leaves); 40 makes bench-20k. Smaller for smoke runs.
        #[arg(long, default_value_t = agora_app::bench::Params::BENCH_20K.products_per_leaf)]
        products_per_leaf: usize,
        /// Customers to create; 10,000 in bench-20k.
        #[arg(long, default_value_t = agora_app::bench::Params::BENCH_20K.customers)]
        customers: usize,
    },
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create a staff account.
    Create {
        #[arg(long)]
        email: String,
        /// Password; read from AGORA_USER_PASSWORD if omitted.
        #[arg(long, env = "AGORA_USER_PASSWORD")]
        password: String,
        /// admin, operator, support or finance.
        #[arg(long, default_value = "admin")]
        role: String,
        #[arg(long, default_value = "")]
        name: String,
    },
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("AGORA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}

async fn open(config: &Config) -> Result<App> {
    if config.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating data folder {}", config.data_dir.display()))?;
    }
    let db = Db::connect(&config.database_url, &DbOptions::default()).await.context("opening the database")?;
    db.migrate().await.context("applying migrations")?;
    let app = App::build(db, Arc::new(SystemClock), config.settings()).await?;
    Ok(app)
}

pub async fn run(cli: Cli) -> Result<()> {
    let config = Config::resolve(&cli.global)?;
    init_logging(config.log_json);
    match cli.command {
        Command::Migrate => {
            open(&config).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Serve => serve(open(&config).await?, &config).await,
        Command::Demo => demo(open(&config).await?, &config).await,
        Command::SeedBench { products_per_leaf, customers } => {
            let app = open(&config).await?;
            let params = agora_app::bench::Params { products_per_leaf, customers };
            crate::seed::run(&app, params).await
        }
        Command::User { action: UserAction::Create { email, password, role, name } } => {
            let app = open(&config).await?;
            let input = NewStaff { email, password, display_name: name, role };
            let member = agora_app::auth::create_staff(&app, &input, None).await?;
            println!("created {} account {} (id {})", member.role, member.email, member.id);
            Ok(())
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}

/// The HTTP server and the job worker of a running shop.
struct Running {
    app: App,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    worker: tokio::task::JoinHandle<()>,
    stop_worker: tokio::sync::watch::Sender<bool>,
}

/// Binds the listener and starts serving and running jobs in the background.
async fn start(app: App, config: &Config) -> Result<Running> {
    let listener =
        tokio::net::TcpListener::bind(&config.listen).await.with_context(|| format!("binding {}", config.listen))?;
    tracing::info!(url = %config.public_url, "agora listening");
    let (stop_worker, stop_rx) = tokio::sync::watch::channel(false);
    let worker_app = app.clone();
    let worker = tokio::spawn(async move {
        let mut stop = stop_rx;
        agora_app::jobs::worker(worker_app, Duration::from_secs(1), async move {
            let _ = stop.changed().await;
        })
        .await;
    });
    // Build the in-memory catalog now rather than on the first shopper request.
    let warm = app.clone();
    tokio::spawn(async move {
        if let Err(err) = warm.catalog.snapshot(&warm.db).await {
            tracing::warn!(error = %err, "catalog warm-up failed");
        }
    });
    let server = tokio::spawn(agora_web::serve(listener, app.clone(), shutdown_signal()));
    Ok(Running { app, server, worker, stop_worker })
}

impl Running {
    /// Waits for the server to stop (after a shutdown signal), then stops the worker.
    async fn wait(self) -> Result<()> {
        let served = self.server.await.context("server task")?;
        let _ = self.stop_worker.send(true);
        let _ = self.worker.await;
        self.app.db.close().await;
        served.context("serving HTTP")
    }
}

async fn serve(app: App, config: &Config) -> Result<()> {
    let running = start(app, config).await?;
    println!("Agora is serving at {}/", config.public_url);
    running.wait().await
}

async fn demo(app: App, config: &Config) -> Result<()> {
    let (login, fresh) = agora_app::demo::load_if_empty(&app).await.context("loading the demo catalog")?;
    let running = start(app.clone(), config).await?;
    if let Some((actor, mut loaded)) = fresh {
        // Orders are paid through the sandbox wallet, whose notifications need the server up.
        agora_app::demo::load_orders(&app, &actor, &mut loaded).await.context("loading the demo orders")?;
        println!(
            "Loaded the demo shop: {} categories, {} products, {} SKUs, {} customers, {} orders.",
            loaded.categories, loaded.products, loaded.skus, loaded.customers, loaded.orders
        );
    }
    println!();
    println!("  Agora demo shop is serving.");
    println!("  Shop:      {}/", config.public_url);
    println!("  API docs:  {}/api/docs", config.public_url);
    println!("  Admin:     {} / {}", login.email, login.password);
    println!(
        "  Customers: customer01@demo.agora.shop … customer20@demo.agora.shop / {}",
        agora_app::demo::DEMO_CUSTOMER_PASSWORD
    );
    println!("  Data:      {}", config.data_dir.display());
    println!();
    running.wait().await
}
