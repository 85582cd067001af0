//! Starting `agora serve` for a benchmark and reading its memory from /proc.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// A server process started by the harness.
pub struct Server {
    child: Child,
    pub cold_start: Duration,
}

impl Server {
    /// Starts `bin serve` with `args` and waits for the first 200 from `/readyz`.
    pub async fn start(bin: &Path, args: &[String], addr: &str) -> Result<Server> {
        let started = Instant::now();
        let child = Command::new(bin)
            .arg("serve")
            .args(args)
            .env("AGORA_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let mut server = Server { child, cold_start: Duration::ZERO };
        loop {
            let mut conn = crate::load::Conn::new(addr);
            if let Ok(r) = conn.get("/readyz").await
                && r.status == 200
            {
                server.cold_start = started.elapsed();
                return Ok(server);
            }
            if started.elapsed() > Duration::from_secs(60) {
                bail!("server did not become ready within 60 s");
            }
            if let Some(status) = server.child.try_wait()? {
                bail!("server exited early: {status}");
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stop(mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let _ = self.child.wait();
    }
}

/// Reads a `VmRSS`/`VmHWM`-style field (kB) of a process, in MiB.
pub fn memory_mib(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Resets the process's peak RSS (VmHWM) to its current RSS, so the next reading is the
/// peak of what follows. False when the kernel or permissions do not allow it.
pub fn reset_peak(pid: u32) -> bool {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok()
}
