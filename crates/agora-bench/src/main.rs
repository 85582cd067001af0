//! `agora-bench`: runs the standard workloads of BENCHMARKS.md (B1–B6; B7 and B8 once
//! flash sales and analytics exist) against `agora serve` and prints one table.
//!
//! By default it starts the server itself on `--data-dir` (and `--database-url` for
//! PostgreSQL), measuring cold start, binary size and idle RSS; with `--url` it targets a
//! server that is already running (memory figures need `--pid`). Seed the shop first with
//! `agora --data-dir D seed-bench`.

mod load;
mod report;
mod server;
mod workloads;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Parser;

use report::{Facts, Measured, Row};
use server::Server;
use workloads::Plan;

#[derive(Debug, Parser)]
#[command(name = "agora-bench", about = "Runs Agora's standard benchmark workloads and prints one table")]
struct Args {
    /// The `agora` binary (default: next to this one).
    #[arg(long)]
    agora: Option<PathBuf>,
    /// Data folder of the seeded shop (SQLite database and media).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// PostgreSQL URL of the seeded shop (default: SQLite in the data folder).
    #[arg(long)]
    database_url: Option<String>,
    /// Target an already running server instead (e.g. http://127.0.0.1:8080).
    #[arg(long)]
    url: Option<String>,
    /// Process id of the server given with --url, for memory figures.
    #[arg(long)]
    pid: Option<u32>,
    /// Concurrent connections.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Seconds measured per workload.
    #[arg(long, default_value_t = 20)]
    duration: u64,
    /// Seconds of warm-up before each measurement (not recorded).
    #[arg(long, default_value_t = 5)]
    warmup: u64,
    /// Seed for choosing categories, products and filter values.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Run only these workloads (comma-separated ids, e.g. B1,B4).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
}

impl Args {
    fn wants(&self, id: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| o.eq_ignore_ascii_case(id))
    }

    fn agora_bin(&self) -> Result<PathBuf> {
        match &self.agora {
            Some(p) => Ok(p.clone()),
            None => Ok(std::env::current_exe()?.with_file_name("agora")),
        }
    }

    fn backend(&self) -> String {
        match &self.database_url {
            Some(u) if u.starts_with("postgres") => "PostgreSQL".into(),
            Some(_) => "SQLite".into(),
            None if self.url.is_some() => "running server".into(),
            None => "SQLite".into(),
        }
    }
}

fn free_addr() -> Result<String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.to_string())
}

fn host_of(url: &str) -> String {
    url.trim_start_matches("http://").trim_end_matches('/').to_string()
}

fn command_output(cmd: &str, args: &[&str]) -> String {
    std::process::Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The server under test: started here, or already running.
struct Target {
    addr: String,
    pid: Option<u32>,
    server: Option<Server>,
}

async fn target(args: &Args, facts: &mut Facts) -> Result<Target> {
    let bin = args.agora_bin()?;
    let size = std::fs::metadata(&bin).map(|m| m.len() as f64 / 1_048_576.0);
    if let Some(url) = &args.url {
        // The binary's size only when it was named (a running server may be another build).
        facts.binary_mib = args.agora.as_ref().and(size.ok());
        return Ok(Target { addr: host_of(url), pid: args.pid, server: None });
    }
    facts.binary_mib = Some(size.with_context(|| format!("no agora binary at {}", bin.display()))?);
    let Some(data_dir) = &args.data_dir else { bail!("give --data-dir (and --database-url for PostgreSQL) or --url") };
    let addr = free_addr()?;
    let mut server_args =
        vec!["--data-dir".to_string(), data_dir.display().to_string(), "--listen".into(), addr.clone()];
    if let Some(url) = &args.database_url {
        server_args.extend(["--database-url".to_string(), url.clone()]);
    }
    let server = Server::start(&bin, &server_args, &addr).await?;
    facts.cold_start_ms = Some(server.cold_start.as_secs_f64() * 1000.0);
    Ok(Target { addr, pid: Some(server.pid()), server: Some(server) })
}

/// Waits until the catalog is loaded (a category tree answers), then reads idle RSS.
async fn idle_rss(addr: &str, pid: Option<u32>) -> Option<f64> {
    let mut conn = load::Conn::new(addr);
    let _ = conn.get("/api/v1/categories").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    pid.and_then(|p| server::memory_mib(p, "VmRSS"))
}

struct Runner<'a> {
    args: &'a Args,
    addr: String,
    pid: Option<u32>,
}

impl Runner<'_> {
    async fn measure<F, Fut>(&self, scenario: F) -> Measured
    where
        F: Fn(load::Conn, u64) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = (load::Conn, Result<()>)> + Send,
    {
        let reset = self.pid.is_some_and(server::reset_peak);
        let outcome = load::run(
            &self.addr,
            self.args.concurrency,
            Duration::from_secs(self.args.warmup),
            Duration::from_secs(self.args.duration),
            scenario,
        )
        .await;
        let peak = if reset { self.pid.and_then(|p| server::memory_mib(p, "VmHWM")) } else { None };
        Measured { outcome, peak_rss_mib: peak }
    }

    async fn gets(&self, paths: &[String]) -> Measured {
        let paths = Arc::new(paths.to_vec());
        self.measure(move |conn, i| workloads::get_one(conn, paths.clone(), i)).await
    }

    async fn checkout(&self, plan: Arc<Plan>) -> (u64, Measured, String) {
        let placed = Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = placed.clone();
        let measured = self
            .measure(move |mut conn, i| {
                let (plan, sink) = (plan.clone(), sink.clone());
                async move {
                    let result = workloads::checkout(&mut conn, &plan, i).await;
                    let result = result.map(|p| {
                        let mut v = sink.lock().unwrap_or_else(|e| e.into_inner());
                        if v.len() < 10_000 {
                            v.push(p);
                        }
                    });
                    (conn, result)
                }
            })
            .await;
        let sample: Vec<_> = placed.lock().unwrap_or_else(|e| e.into_inner()).iter().rev().take(20).cloned().collect();
        let check = self.payment_check(&sample).await;
        (measured.outcome.completed, measured, check)
    }

    /// Payments are confirmed by the sandbox's webhook (a background job): checks that the
    /// last orders placed do become paid.
    async fn payment_check(&self, sample: &[workloads::Placed]) -> String {
        if sample.is_empty() {
            return "no order completed".into();
        }
        let mut conn = load::Conn::new(&self.addr);
        let started = std::time::Instant::now();
        loop {
            let mut paid = 0;
            for p in sample {
                if workloads::order_status(&mut conn, p).await.is_ok_and(|s| s == "paid") {
                    paid += 1;
                }
            }
            if paid == sample.len() || started.elapsed() > Duration::from_secs(30) {
                return format!(
                    "{paid}/{} of the last orders paid by webhook {:.1} s after the run",
                    sample.len(),
                    started.elapsed().as_secs_f64()
                );
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}

fn row(id: &'static str, what: &'static str, unit: &'static str, result: Result<Measured, String>) -> Row {
    Row { id, what, unit, result }
}

async fn run(args: Args) -> Result<()> {
    let mut facts = Facts {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        backend: args.backend(),
        commit: command_output("git", &["rev-parse", "--short", "HEAD"]),
        date: command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        cold_start_ms: None,
        binary_mib: None,
        idle_rss_mib: None,
        concurrency: args.concurrency,
        warmup: args.warmup,
        seconds: args.duration,
    };
    let target = target(&args, &mut facts).await?;
    facts.idle_rss_mib = idle_rss(&target.addr, target.pid).await;
    let outcome = measure_all(&args, &target).await;
    if let Some(server) = target.server {
        server.stop();
    }
    let (rows, note) = outcome?;
    print!("{}", report::render(&rows, &facts));
    println!("B6 payments: {note}");
    Ok(())
}

async fn measure_all(args: &Args, target: &Target) -> Result<(Vec<Row>, String)> {
    let plan = Arc::new(Plan::discover(&target.addr, args.seed).await?);
    let runner = Runner { args, addr: target.addr.clone(), pid: target.pid };
    let skipped = || Err("skipped (--only)".to_string());
    let mut rows = Vec::new();
    let wanted = |id| args.wants(id);
    rows.push(row(
        "B1",
        "product list",
        "req/s",
        if wanted("B1") { Ok(runner.gets(&plan.b1).await) } else { skipped() },
    ));
    let b2 = ["/api/v1/categories".to_string()];
    rows.push(row("B2", "mega menu", "req/s", if wanted("B2") { Ok(runner.gets(&b2).await) } else { skipped() }));
    rows.push(row(
        "B3",
        "facet filter",
        "req/s",
        if wanted("B3") { Ok(runner.gets(&plan.b3).await) } else { skipped() },
    ));
    rows.push(row(
        "B4",
        "product detail",
        "req/s",
        if wanted("B4") { Ok(runner.gets(&plan.b4).await) } else { skipped() },
    ));
    rows.push(row("B5", "search", "req/s", Err("n/a (search not built)".into())));
    let mut note = "not run".to_string();
    let b6 = if wanted("B6") {
        let (completed, m, check) = runner.checkout(plan.clone()).await;
        note = format!("{completed} orders completed in the measured window; {check}");
        Ok(m)
    } else {
        skipped()
    };
    rows.push(row("B6", "checkout", "orders/s", b6));
    rows.push(row("B7", "flash sale", "attempts/s", Err("n/a (flash sales not built)".into())));
    rows.push(row("B8", "dashboards", "s/dashboard", Err("n/a (analytics not built)".into())));
    Ok((rows, note))
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
