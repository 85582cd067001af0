//! Prometheus metrics: request counts and latency histograms by route, kept in memory;
//! order and payment figures are read from the database at scrape time so every process
//! reports the same truth.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

const BUCKETS: [f64; 12] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

#[derive(Default)]
struct RouteStats {
    by_status: HashMap<u16, u64>,
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_seconds: f64,
}

/// In-memory request metrics of this process.
#[derive(Default)]
pub struct Metrics {
    routes: Mutex<HashMap<(String, String), RouteStats>>,
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let stats = routes.entry((method.to_string(), route.to_string())).or_default();
        *stats.by_status.entry(status).or_default() += 1;
        stats.count += 1;
        stats.sum_seconds += seconds;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                stats.buckets[i] += 1;
            }
        }
    }

    /// Renders the request metrics in Prometheus text format.
    pub fn render(&self, out: &mut String) {
        let routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let mut keys: Vec<_> = routes.keys().collect();
        keys.sort();
        out.push_str("# HELP agora_http_requests_total HTTP requests by route and status.\n");
        out.push_str("# TYPE agora_http_requests_total counter\n");
        for key in &keys {
            let stats = &routes[*key];
            let mut statuses: Vec<_> = stats.by_status.iter().collect();
            statuses.sort();
            for (status, n) in statuses {
                let _ = writeln!(
                    out,
                    "agora_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                    key.0, key.1
                );
            }
        }
        out.push_str("# HELP agora_http_request_duration_seconds HTTP request latency by route.\n");
        out.push_str("# TYPE agora_http_request_duration_seconds histogram\n");
        for key in &keys {
            let stats = &routes[*key];
            let labels = format!("method=\"{}\",route=\"{}\"", key.0, key.1);
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "agora_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}",
                    stats.buckets[i]
                );
            }
            let _ = writeln!(out, "agora_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", stats.count);
            let _ = writeln!(out, "agora_http_request_duration_seconds_sum{{{labels}}} {}", stats.sum_seconds);
            let _ = writeln!(out, "agora_http_request_duration_seconds_count{{{labels}}} {}", stats.count);
        }
    }
}

/// Middleware recording every routed request.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_string();
    let route =
        req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let response = next.run(req).await;
    state.metrics.observe(&method, &route, response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}
