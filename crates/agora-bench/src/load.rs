//! The load engine: `concurrency` workers, each with its own keep-alive HTTP/1.1
//! connection, run a scenario in a loop; latencies after the warm-up are recorded.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;

/// One HTTP/1.1 connection to the server.
pub struct Conn {
    addr: String,
    sender: Option<SendRequest<Full<Bytes>>>,
}

/// A response: status and body bytes.
pub struct Reply {
    pub status: u16,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Result<serde_json::Value> {
        serde_json::from_slice(&self.body).context("response is not JSON")
    }
}

impl Conn {
    pub fn new(addr: &str) -> Conn {
        Conn { addr: addr.to_string(), sender: None }
    }

    async fn connect(&mut self) -> Result<&mut SendRequest<Full<Bytes>>> {
        if self.sender.as_ref().is_none_or(|s| s.is_closed()) {
            let stream = tokio::net::TcpStream::connect(&self.addr).await.context("connect")?;
            stream.set_nodelay(true)?;
            let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
            tokio::spawn(connection);
            self.sender = Some(sender);
        }
        self.sender.as_mut().ok_or_else(|| anyhow!("no connection"))
    }

    /// Sends one request; `headers` are extra (name, value) pairs.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        headers: &[(&str, &str)],
    ) -> Result<Reply> {
        let host = self.addr.clone();
        let sender = self.connect().await?;
        sender.ready().await?;
        let mut req = Request::builder().method(method).uri(path).header("host", host);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let payload = match body {
            Some(json) => {
                req = req.header("content-type", "application/json");
                Bytes::from(serde_json::to_vec(json)?)
            }
            None => Bytes::new(),
        };
        let response = sender.send_request(req.body(Full::new(payload))?).await;
        let response = match response {
            Ok(r) => r,
            Err(e) => {
                self.sender = None;
                return Err(e.into());
            }
        };
        let status = response.status().as_u16();
        let body = response.into_body().collect().await?.to_bytes();
        Ok(Reply { status, body })
    }

    pub async fn get(&mut self, path: &str) -> Result<Reply> {
        self.send(Method::GET, path, None, &[]).await
    }
}

/// What one run measured.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Completed iterations per second after warm-up.
    pub rate: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
    pub completed: u64,
    /// The first error seen, so a run with errors says what went wrong.
    pub first_error: Option<String>,
}

/// Runs `scenario` on `concurrency` connections: `warmup` first (not recorded), then
/// `duration` (recorded). A scenario returns Ok for a success, Err for an error.
pub async fn run<F, Fut>(addr: &str, concurrency: usize, warmup: Duration, duration: Duration, scenario: F) -> Outcome
where
    F: Fn(Conn, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = (Conn, Result<()>)> + Send,
{
    let scenario = Arc::new(scenario);
    let recording = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for worker in 0..concurrency {
        let (scenario, recording, stop) = (scenario.clone(), recording.clone(), stop.clone());
        let addr = addr.to_string();
        workers.push(tokio::spawn(async move {
            let mut conn = Conn::new(&addr);
            let mut latencies: Vec<u32> = Vec::with_capacity(64 * 1024);
            let mut errors = 0u64;
            let mut first_error: Option<String> = None;
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                let (back, result) = scenario(conn, (worker as u64) << 40 | i).await;
                conn = back;
                i += 1;
                if recording.load(Ordering::Relaxed) {
                    match result {
                        Ok(()) => latencies.push(started.elapsed().as_micros().min(u32::MAX as u128) as u32),
                        Err(err) => {
                            errors += 1;
                            first_error.get_or_insert_with(|| format!("{err:#}"));
                        }
                    }
                }
            }
            (latencies, errors, first_error)
        }));
    }
    tokio::time::sleep(warmup).await;
    recording.store(true, Ordering::Relaxed);
    let started = Instant::now();
    tokio::time::sleep(duration).await;
    recording.store(false, Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    for w in workers {
        if let Ok((lat, err, first)) = w.await {
            all.extend(lat);
            errors += err;
            first_error = first_error.or(first);
        }
    }
    Outcome { first_error, ..summarise(all, errors, elapsed) }
}

fn summarise(mut latencies: Vec<u32>, errors: u64, seconds: f64) -> Outcome {
    latencies.sort_unstable();
    let pct = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let idx = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        f64::from(latencies[idx]) / 1000.0
    };
    Outcome {
        rate: latencies.len() as f64 / seconds.max(1e-9),
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        errors,
        completed: latencies.len() as u64,
        first_error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::summarise;

    #[test]
    fn percentiles_and_rate() {
        let lat: Vec<u32> = (1..=100).map(|i| i * 1000).collect();
        let o = summarise(lat, 3, 2.0);
        assert_eq!(o.completed, 100);
        assert_eq!(o.errors, 3);
        assert!((o.rate - 50.0).abs() < 1e-9);
        assert!((o.p50_ms - 51.0).abs() < 1.01);
        assert!((o.p99_ms - 99.0).abs() < 1.01);
    }
}
