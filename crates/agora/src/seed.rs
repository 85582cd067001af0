//! `agora seed-bench`: generates the benchmark shop with a progress bar on stderr.

use std::io::Write;
use std::time::Instant;

use agora_app::App;
use agora_app::bench::{self, Params, Progress};
use anyhow::{Context, Result};

const WIDTH: u64 = 30;

/// Draws `[#####.....]  45% rows 12000/26000` over the current stderr line.
fn draw(p: &Progress) {
    let total = p.total.max(1);
    let filled = (p.done * WIDTH / total) as usize;
    let bar = format!("{}{}", "#".repeat(filled), ".".repeat(WIDTH as usize - filled));
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r[{bar}] {:>3}% {:<6} {}/{}", p.done * 100 / total, p.phase, p.done, p.total);
    if p.done >= p.total {
        let _ = writeln!(err);
    }
    let _ = err.flush();
}

pub async fn run(app: &App, params: Params) -> Result<()> {
    let started = Instant::now();
    eprintln!(
        "Generating the benchmark shop ({} products per leaf, {} customers)…",
        params.products_per_leaf, params.customers
    );
    let mut last = (String::new(), u64::MAX);
    let mut progress = |p: Progress| {
        // Redraw only when the percentage changes.
        let pct = p.done * 100 / p.total.max(1);
        if last.0 != p.phase || last.1 != pct {
            last = (p.phase.to_string(), pct);
            draw(&p);
        }
    };
    let counts = bench::seed(app, params, &mut progress).await.context("seeding the benchmark shop")?;
    println!(
        "Seeded in {:.1} s: {} categories, {} products, {} SKUs, {} images, {} customers (password {}).",
        started.elapsed().as_secs_f64(),
        counts.categories,
        counts.products,
        counts.skus,
        counts.images,
        counts.customers,
        bench::CUSTOMER_PASSWORD
    );
    Ok(())
}
