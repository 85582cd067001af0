//! The one table the harness prints.

use crate::load::Outcome;

/// A row of the results table: measured, or not applicable with a reason.
pub struct Row {
    pub id: &'static str,
    pub what: &'static str,
    pub unit: &'static str,
    pub result: Result<Measured, String>,
}

/// A measured workload.
pub struct Measured {
    pub outcome: Outcome,
    /// The server's peak RSS during the workload (VmHWM, reset before it), if known.
    pub peak_rss_mib: Option<f64>,
}

/// Facts about the server and machine printed under the table.
pub struct Facts {
    pub cores: usize,
    pub backend: String,
    pub commit: String,
    pub date: String,
    pub cold_start_ms: Option<f64>,
    pub binary_mib: Option<f64>,
    pub idle_rss_mib: Option<f64>,
    pub concurrency: usize,
    pub warmup: u64,
    pub seconds: u64,
}

fn opt(v: Option<f64>, digits: usize, unit: &str) -> String {
    v.map_or_else(|| "n/a".to_string(), |v| format!("{v:.digits$} {unit}"))
}

pub fn render(rows: &[Row], facts: &Facts) -> String {
    let mut out = format!(
        "Agora benchmark — {} backend, {} cores, concurrency {}, {} s per workload after {} s warm-up ({}, commit {})\n\n",
        facts.backend, facts.cores, facts.concurrency, facts.seconds, facts.warmup, facts.date, facts.commit
    );
    out.push_str(
        "| id | workload | throughput | p50 ms | p99 ms | errors | peak RSS |\n|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        match &r.result {
            Ok(m) => out.push_str(&format!(
                "| {} | {} | {:.0} {} | {:.2} | {:.2} | {} | {} |\n",
                r.id,
                r.what,
                m.outcome.rate,
                r.unit,
                m.outcome.p50_ms,
                m.outcome.p99_ms,
                m.outcome.errors,
                opt(m.peak_rss_mib, 1, "MiB")
            )),
            Err(why) => out.push_str(&format!("| {} | {} | {why} | | | | |\n", r.id, r.what)),
        }
    }
    for r in rows {
        if let Ok(Measured { outcome: Outcome { first_error: Some(err), .. }, .. }) = &r.result {
            out.push_str(&format!("\n{} first error: {err}\n", r.id));
        }
    }
    out.push_str(&format!(
        "\ncold start {} · binary {} · idle RSS {} · {} cores\n",
        opt(facts.cold_start_ms, 0, "ms"),
        opt(facts.binary_mib, 1, "MiB"),
        opt(facts.idle_rss_mib, 1, "MiB"),
        facts.cores
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_measured_and_missing_rows() {
        let rows = [
            Row {
                id: "B1",
                what: "product list",
                unit: "req/s",
                result: Ok(Measured {
                    outcome: Outcome {
                        rate: 1234.4,
                        p50_ms: 1.5,
                        p99_ms: 9.25,
                        errors: 2,
                        completed: 10,
                        first_error: Some("/api: status 500".into()),
                    },
                    peak_rss_mib: Some(80.0),
                }),
            },
            Row { id: "B5", what: "search", unit: "req/s", result: Err("n/a (search not built)".into()) },
        ];
        let facts = Facts {
            cores: 2,
            backend: "sqlite".into(),
            commit: "abc".into(),
            date: "today".into(),
            cold_start_ms: Some(120.0),
            binary_mib: None,
            idle_rss_mib: Some(50.0),
            concurrency: 32,
            warmup: 5,
            seconds: 20,
        };
        let text = render(&rows, &facts);
        assert!(text.contains("| B1 | product list | 1234 req/s | 1.50 | 9.25 | 2 | 80.0 MiB |"));
        assert!(text.contains("B1 first error: /api: status 500"));
        assert!(text.contains("| B5 | search | n/a (search not built) |"));
        assert!(text.contains("cold start 120 ms · binary n/a · idle RSS 50.0 MiB · 2 cores"));
    }
}
