//! Operations endpoints: liveness, readiness and Prometheus metrics.

use std::fmt::Write;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz)).route("/metrics", get(metrics))
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers and every migration is applied.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if state.app.db.is_ready().await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready")
    }
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let mut out = String::with_capacity(16 * 1024);
    state.metrics.render(&mut out);
    match agora_app::stats::business_counts(&state.app).await {
        Ok(counts) => {
            out.push_str("# HELP agora_orders Orders by status.\n# TYPE agora_orders gauge\n");
            for (status, n) in &counts.orders_by_status {
                let _ = writeln!(out, "agora_orders{{status=\"{status}\"}} {n}");
            }
            out.push_str("# HELP agora_payments Payments by status.\n# TYPE agora_payments gauge\n");
            for (status, n) in &counts.payments_by_status {
                let _ = writeln!(out, "agora_payments{{status=\"{status}\"}} {n}");
            }
            out.push_str("# HELP agora_paid_amount_total Captured payment amounts in minor units by currency.\n# TYPE agora_paid_amount_total counter\n");
            for (currency, n) in &counts.captured_by_currency {
                let _ = writeln!(out, "agora_paid_amount_total{{currency=\"{currency}\"}} {n}");
            }
        }
        Err(err) => tracing::warn!(error = %err, "business metrics unavailable"),
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out)
}
